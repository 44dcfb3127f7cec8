from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chongdich.cases.domain import ENDED_STATUSES


class Detection(models.TextChoices):
    COMMUNITY = "community", _("Sàng lọc cộng đồng")
    QUARANTINE = "quarantine", _("Trong khu cách ly")
    SYMPTOMS = "symptoms", _("Có triệu chứng, tự đến khám")
    IMPORTED = "imported", _("Ca nhập cảnh / từ tỉnh khác")


class CaseStatus(models.TextChoices):
    HOME_CARE = "home_care", _("Điều trị tại nhà")
    QUARANTINE_FACILITY = "quarantine_facility", _("Cơ sở cách ly")
    HOSPITAL_TIER1 = "hospital_t1", _("Bệnh viện tầng 1")
    HOSPITAL_TIER2 = "hospital_t2", _("Bệnh viện tầng 2")
    HOSPITAL_TIER3 = "hospital_t3", _("Bệnh viện tầng 3 (hồi sức)")
    RECOVERED = "recovered", _("Khỏi bệnh")
    DIED = "died", _("Tử vong")


class ContactSetting(models.TextChoices):
    HOUSEHOLD = "household", _("Hộ gia đình")
    WORKPLACE = "workplace", _("Nơi làm việc")
    VENUE = "venue", _("Địa điểm công cộng")
    TRANSPORT = "transport", _("Phương tiện giao thông")
    OTHER = "other", _("Khác")


class Located(models.Model):
    """Records that live in a commune carry its jurisdiction keys (see core.jurisdiction)."""

    commune = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class Cluster(Located):
    """Ổ dịch: a group of linked cases at a place, with its source (nguồn lây) when known."""

    name = models.CharField(max_length=200)
    place = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=255, blank=True, help_text="nguồn lây")
    started_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-started_on", "name"]

    def __str__(self) -> str:
        return self.name


class Case(Located):
    """An F0: a confirmed case. Located in the person's home commune at registration."""

    code = models.CharField(max_length=32, unique=True, help_text="mã ca bệnh, e.g. BN26-000123")
    # The patient number a health authority published for this case (e.g. "BN3214" in the Ministry's
    # line list), when it came from outside; re-importing the same line list finds it here.
    external_ref = models.CharField(max_length=40, blank=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    confirmed_at = models.DateTimeField()
    confirmed_on = models.DateField(help_text="local date of confirmed_at, for daily figures")
    onset_on = models.DateField(null=True, blank=True, help_text="symptom onset")
    detection = models.CharField(max_length=12, choices=Detection.choices)
    infected_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="infected")
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.HOME_CARE)
    status_since = models.DateTimeField()
    ended_on = models.DateField(null=True, blank=True, help_text="recovered or died on")
    discarded_at = models.DateTimeField(null=True, blank=True)
    discard_reason = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-confirmed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(discarded_at__isnull=True) & ~Q(status__in=ENDED_STATUSES),
                name="case_one_active_per_person",
            ),
            models.CheckConstraint(name="case_not_own_infector", condition=~Q(infected_by=models.F("pk"))),
            models.UniqueConstraint(fields=["external_ref"], condition=~Q(external_ref=""),
                                    name="case_unique_external_ref"),
        ]
        indexes = [
            models.Index(fields=["province", "-confirmed_at"]),
            models.Index(fields=["district", "-confirmed_at"]),
            models.Index(fields=["commune", "-confirmed_at"]),
            # Active cases by status: the dashboard's "under treatment by tier" reads only these.
            models.Index(fields=["province", "status"], name="case_active_status_idx",
                         condition=Q(discarded_at__isnull=True) & ~Q(status__in=ENDED_STATUSES)),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_active(self) -> bool:
        return self.discarded_at is None and self.status not in ENDED_STATUSES


class CaseStatusEvent(models.Model):
    """Treatment status over time (home care → hospital tier 2 → recovered …)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_events")
    status = models.CharField(max_length=20, choices=CaseStatus.choices)
    at = models.DateTimeField()
    note = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.status} @ {self.at:%Y-%m-%d %H:%M}"


class Contact(models.Model):
    """An exposure between two people. The graph of contacts is undirected for ranks;
    `person` is the one being investigated, `contact` the one they exposed or were exposed by."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="contacts_out")
    contact = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="contacts_in")
    last_contact_at = models.DateTimeField(null=True, blank=True)
    setting = models.CharField(max_length=12, choices=ContactSetting.choices, default=ContactSetting.OTHER)
    note = models.CharField(max_length=255, blank=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="traced_contacts",
                             help_text="the investigation that found it")
    created_at = models.DateTimeField(default=timezone.now, help_text="set by contact_add from core.clock")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "contact"], name="contact_unique_pair"),
            models.CheckConstraint(name="contact_not_self", condition=~Q(person=models.F("contact"))),
        ]
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} ↔ {self.contact_id}"


class CaseDayCount(Located):
    """Daily figures per commune, kept by the case services in the same transaction as the change,
    so the dashboard reads thousands of rows instead of millions (rebuildable: cases.stats)."""

    day = models.DateField()
    new_local = models.IntegerField(default=0)
    new_imported = models.IntegerField(default=0)
    recovered = models.IntegerField(default=0)
    died = models.IntegerField(default=0)
    contacts = models.IntegerField(default=0, help_text="contacts recorded that day, by the traced person's commune")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "day"], name="daycount_unique")]
        indexes = [models.Index(fields=["province", "day"]), models.Index(fields=["district", "day"])]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.day}"


class RankCount(Located):
    """People per commune per rank now (F0, F1, F2, F3), kept by cases.ranks.apply in the same
    transaction as the ranks themselves, so the dashboard's 'F1 being followed' is a sum over a few
    hundred rows rather than a count over millions of people (rebuilt by ranks.rebuild_all)."""

    rank = models.PositiveSmallIntegerField()
    people = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "rank"], name="rankcount_unique")]
        indexes = [models.Index(fields=["province", "rank"]), models.Index(fields=["district", "rank"])]

    def __str__(self) -> str:
        return f"{self.commune_id} F{self.rank}: {self.people}"
