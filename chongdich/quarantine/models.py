"""Quarantine and treatment places: facilities with capacity, placements of people in them or at
home, the versioned rule sets that give a placement its length and test days, and the tests each
placement schedules.

No facility is ever overbooked: `Facility.occupied` counts active placements and the database
refuses `occupied > capacity` (a CHECK on the same row). Admissions move the counter with one
`UPDATE … SET occupied = occupied + 1`, so two officers taking the last place at the same moment
are serialised by the row lock and the second one fails the CHECK. The counter is never typed in:
only the placement services move it, in the transaction that creates or ends the placement, and
`quarantine.services.facility_recount` rebuilds it from placements.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chongdich.cases.models import Located


class FacilityKind(models.TextChoices):
    QUARANTINE = "quarantine", _("Cơ sở cách ly tập trung")
    FIELD_HOSPITAL = "field_hospital", _("Bệnh viện dã chiến")
    HOSPITAL = "hospital", _("Bệnh viện")


class FacilityStatus(models.TextChoices):
    READY = "ready", _("Sẵn sàng")
    ACTIVE = "active", _("Đang hoạt động")
    CLOSED = "closed", _("Đã đóng")


class Facility(Located):
    """Cơ sở cách ly tập trung, bệnh viện dã chiến or bệnh viện; treatment facilities have a tier
    of the three-tier tower (tháp 3 tầng)."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=FacilityKind.choices)
    tier = models.PositiveSmallIntegerField(null=True, blank=True, help_text="treatment tier 1/2/3")
    address = models.CharField(max_length=255, blank=True)
    capacity = models.PositiveIntegerField(help_text="places (giường/chỗ)")
    occupied = models.PositiveIntegerField(default=0, editable=False, help_text="active placements; kept by services")
    status = models.CharField(max_length=8, choices=FacilityStatus.choices, default=FacilityStatus.READY)
    staff_name = models.CharField(max_length=150, blank=True)
    staff_phone = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(name="facility_not_overbooked", condition=Q(occupied__lte=models.F("capacity"))),
            models.CheckConstraint(name="facility_tier_1_3", condition=Q(tier__isnull=True) | Q(tier__gte=1, tier__lte=3)),
            models.CheckConstraint(
                name="facility_tier_only_for_treatment",
                condition=~Q(kind="quarantine") | Q(tier__isnull=True),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "kind"]),
            models.Index(fields=["district", "kind"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def free(self) -> int:
        return max(self.capacity - self.occupied, 0)


class Purpose(models.TextChoices):
    QUARANTINE = "quarantine", _("Cách ly (F1)")
    ISOLATION = "isolation", _("Cách ly, điều trị (F0)")


class Setting(models.TextChoices):
    FACILITY = "facility", _("Tại cơ sở")
    HOME = "home", _("Tại nhà")


class Condition(models.TextChoices):
    STANDARD = "standard", _("Thông thường")
    VACCINATED_OR_RECOVERED = "vaccinated", _("Đã tiêm đủ liều hoặc đã khỏi bệnh")


class QuarantineRuleSet(models.Model):
    """A versioned set of placement rules with its legal source. The set in force on a placement's
    start date (the latest `valid_from` on or before it) applies to that placement for good."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    legal_source = models.CharField(max_length=255, help_text="e.g. Công văn 5599/BYT-MT ngày 14/7/2021")
    valid_from = models.DateField(unique=True)
    needs_verification = models.BooleanField(default=True, help_text="values not yet checked against the text")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.code} ({self.valid_from:%d/%m/%Y})"


class PlacementRule(models.Model):
    """One row of a rule set: for whom (purpose × condition × setting), how long, then how long of
    monitoring at home, which days of the stay a test is due, and what release needs."""

    rule_set = models.ForeignKey(QuarantineRuleSet, on_delete=models.CASCADE, related_name="rules")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    condition = models.CharField(max_length=12, choices=Condition.choices)
    setting = models.CharField(max_length=8, choices=Setting.choices)
    stay_days = models.PositiveSmallIntegerField()
    monitoring_days = models.PositiveSmallIntegerField(default=0, help_text="theo dõi sức khỏe tại nhà sau khi ra")
    test_days = models.JSONField(default=list, help_text="days of the stay with a due test, day 1 = start date")
    release_needs_negative = models.BooleanField(default=True, help_text="a negative test on or after the last test day")

    class Meta:
        ordering = ["rule_set", "purpose", "condition", "setting"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "purpose", "condition", "setting"], name="placement_rule_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_set.code}: {self.purpose}/{self.condition}/{self.setting} {self.stay_days}+{self.monitoring_days}"


class PlacementStatus(models.TextChoices):
    ACTIVE = "active", _("Đang cách ly")
    TRANSFERRED = "transferred", _("Đã chuyển nơi khác")
    RELEASED = "released", _("Đã kết thúc")


class EndReason(models.TextChoices):
    COMPLETED = "completed", _("Hoàn thành theo quy định")
    OVERRIDE = "override", _("Kết thúc sớm/ngoại lệ (có người chịu trách nhiệm)")
    TRANSFERRED = "transferred", _("Chuyển nơi cách ly/điều trị")
    BECAME_CASE = "became_case", _("Trở thành F0")
    DIED = "died", _("Tử vong")
    ERROR = "error", _("Nhập nhầm")


class Placement(Located):
    """A person placed in a facility or at home. Keys: the facility's commune, or the person's home
    commune for a home placement. A transfer ends this placement (TRANSFERRED) and starts a new
    one whose `previous` is this, keeping the original start and planned end."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placements")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="placements")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    setting = models.CharField(max_length=8, choices=Setting.choices)
    condition = models.CharField(max_length=12, choices=Condition.choices, default=Condition.STANDARD)
    facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="placements")
    rule = models.ForeignKey(PlacementRule, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    started_on = models.DateField(help_text="day 1 of the stay (local date)")
    planned_end_on = models.DateField(help_text="last day of the stay")
    monitoring_until = models.DateField(help_text="last day of home monitoring after the stay")
    status = models.CharField(max_length=12, choices=PlacementStatus.choices, default=PlacementStatus.ACTIVE)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    end_reason = models.CharField(max_length=12, choices=EndReason.choices, blank=True)
    override_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    override_reason = models.CharField(max_length=255, blank=True)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next")
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-started_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status="active"), name="placement_one_active_per_person"),
            models.CheckConstraint(
                name="placement_facility_iff_setting",
                condition=(Q(setting="facility") & Q(facility__isnull=False)) | (Q(setting="home") & Q(facility__isnull=True)),
            ),
            models.CheckConstraint(name="placement_end_after_start", condition=Q(planned_end_on__gte=models.F("started_on"))),
            models.CheckConstraint(
                name="placement_ended_iff_not_active",
                condition=(Q(status="active") & Q(ended_at__isnull=True)) | (~Q(status="active") & Q(ended_at__isnull=False)),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "status", "planned_end_on"]),
            models.Index(fields=["district", "status", "planned_end_on"]),
            models.Index(fields=["commune", "status", "planned_end_on"]),
            models.Index(fields=["facility", "status"]),
            # Home monitoring after a release: the few released stays still inside their
            # monitoring window, found without scanning every release (monitoring's lists).
            models.Index(fields=["monitoring_until"], name="placement_monitoring_idx",
                         condition=Q(status="released")),
            # The board's "at home now" figures, by purpose, without reading the placements.
            models.Index(fields=["province", "purpose"], name="placement_home_prov_idx",
                         condition=Q(status="active", setting="home")),
            models.Index(fields=["district", "purpose"], name="placement_home_dist_idx",
                         condition=Q(status="active", setting="home")),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.facility or self.get_setting_display()}"


class ScheduledTest(models.Model):
    """A test due on a day of a placement's stay (from its rule's test days). It is done when the
    person has a sample taken on or after the due date while the placement lasts (`sample`, set by
    the placement services when they see one); until then it is on the due list."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="scheduled_tests")
    day = models.PositiveSmallIntegerField(help_text="day of the stay, 1 = start date")
    due_on = models.DateField()
    sample = models.ForeignKey("testing.Sample", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Copied from the placement so the due list is one indexed scan: (scope key, due date) among
    # the tests still open.
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    open = models.BooleanField(default=True, help_text="not done, and the placement still active")

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["placement", "day"], name="scheduled_test_once")]
        # The due list reads (scope key, due date, id) in index order and stops after a page.
        indexes = [
            models.Index(fields=["province", "due_on", "id"], name="schedtest_open_prov_idx", condition=Q(open=True)),
            models.Index(fields=["district", "due_on", "id"], name="schedtest_open_dist_idx", condition=Q(open=True)),
            models.Index(fields=["commune", "due_on", "id"], name="schedtest_open_comm_idx", condition=Q(open=True)),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} day {self.day} ({self.due_on:%d/%m/%Y})"
