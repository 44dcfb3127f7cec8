"""Home monitoring (theo dõi sức khỏe tại nhà): community COVID teams (tổ COVID cộng đồng) and the
households they cover, daily checks of the people monitored at home, escalations to the commune
health station, and the versioned rule sets that say what a check means.

Who is monitored is not stored here: it is read from quarantine placements (an active placement at
home, or a release whose home-monitoring period has not ended). `MonitoringState` keeps each
person's latest check and open escalation next to the person, so every list is one query.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chongdich.cases.models import Located
from chongdich.monitoring.domain import CHECK_LEVEL_LABELS, CheckLevel, reason_label


class MonitoringRuleSet(models.Model):
    """A versioned set of monitoring rules with its legal source. The set in force on a day (the
    latest `valid_from` on or before it) classifies that day's checks and draws that day's lists."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    legal_source = models.CharField(max_length=255, help_text="e.g. Quyết định 4038/QĐ-BYT ngày 21/8/2021")
    valid_from = models.DateField(unique=True)
    needs_verification = models.BooleanField(default=True, help_text="values not yet checked against the text")
    silence_hours = models.PositiveSmallIntegerField(help_text="no check for this many hours → not reporting")
    spo2_escalate_below = models.PositiveSmallIntegerField(help_text="SpO2 (%) under this → needs escalation")
    fever_from = models.DecimalField(max_digits=3, decimal_places=1, help_text="temperature (°C) from this → fever")
    danger_symptoms = models.JSONField(default=list, help_text="symptom codes that need escalation")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(name="monrules_silence_1_168", condition=Q(silence_hours__gte=1, silence_hours__lte=168)),
            models.CheckConstraint(name="monrules_spo2_80_100", condition=Q(spo2_escalate_below__gte=80, spo2_escalate_below__lte=100)),
            models.CheckConstraint(name="monrules_fever_37_40", condition=Q(fever_from__gte=37, fever_from__lte=40)),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.valid_from:%d/%m/%Y})"


class CommunityTeam(Located):
    """Tổ COVID cộng đồng: local cadres and volunteers in a commune (optionally a village) who
    follow some 60–70 households."""

    name = models.CharField(max_length=150)
    village = models.ForeignKey("geography.Village", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField(default=True)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["commune", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "name"], name="team_unique_name_in_commune")]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A member of a team: an account (who then sees the team's list), or a named volunteer with a
    phone. At most one leader (tổ trưởng) per team."""

    team = models.ForeignKey(CommunityTeam, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="team_memberships")
    full_name = models.CharField(max_length=150)
    phone = models.CharField(max_length=12, blank=True)
    is_leader = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_leader", "full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], condition=Q(user__isnull=False), name="team_member_once"),
            models.UniqueConstraint(fields=["team"], condition=Q(is_leader=True), name="team_one_leader"),
            models.CheckConstraint(name="team_member_named", condition=~Q(full_name="")),
        ]

    def __str__(self) -> str:
        return self.full_name


class Household(Located):
    """Hộ gia đình: an address in a commune with its members; a team covers it."""

    address = models.CharField(max_length=255)
    village = models.ForeignKey("geography.Village", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    head = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="chủ hộ")
    team = models.ForeignKey(CommunityTeam, null=True, blank=True, on_delete=models.SET_NULL, related_name="households")
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["address", "pk"]
        indexes = [models.Index(fields=["commune", "team"])]

    def __str__(self) -> str:
        return self.address


class HouseholdMember(models.Model):
    """A person lives in one household at a time."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="household_link")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["household", "pk"]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.household_id}"


class CheckSource(models.TextChoices):
    SELF = "self", _("Người được theo dõi tự báo")
    TEAM = "team", _("Tổ COVID cộng đồng")
    HEALTH = "health", _("Nhân viên y tế")


class DailyCheck(Located):
    """One health check of a monitored person. Keys: the person's home commune."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="daily_checks")
    checked_at = models.DateTimeField()
    checked_on = models.DateField(help_text="local date of checked_at")
    temperature = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True, help_text="°C")
    spo2 = models.PositiveSmallIntegerField(null=True, blank=True, help_text="%")
    symptoms = models.JSONField(default=list, blank=True)
    level = models.CharField(max_length=10, choices=[(c.value, CHECK_LEVEL_LABELS[c]) for c in CheckLevel])
    reasons = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=8, choices=CheckSource.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    report_link = models.ForeignKey("monitoring.ReportLink", null=True, blank=True, on_delete=models.SET_NULL, related_name="checks")
    rule_set = models.ForeignKey(MonitoringRuleSet, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="check_spo2_50_100", condition=Q(spo2__isnull=True) | Q(spo2__gte=50, spo2__lte=100)),
            models.CheckConstraint(name="check_temperature_34_43", condition=Q(temperature__isnull=True) | Q(temperature__gte=34, temperature__lte=43)),
            models.CheckConstraint(
                name="check_self_has_link",
                condition=~Q(source="self") | Q(report_link__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["person", "checked_at"]),
            models.Index(fields=["commune", "checked_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.checked_at:%d/%m %H:%M} {self.level}"

    @property
    def symptom_labels(self) -> list[str]:
        return [reason_label(code) for code in self.symptoms]


class EscalationStatus(models.TextChoices):
    OPEN = "open", _("Chờ xử trí")
    RESOLVED = "resolved", _("Đã xử trí")


class EscalationAction(models.TextChoices):
    VISITED = "visited", _("Đã đến khám tại nhà")
    ADVISED = "advised", _("Đã gọi điện, tư vấn theo dõi tại nhà")
    MEDICINE = "medicine", _("Đã cấp thuốc, oxy tại nhà")
    MOVED_TIER2 = "moved_tier2", _("Đã chuyển lên tầng 2")
    MOVED_TIER3 = "moved_tier3", _("Đã chuyển lên tầng 3")
    CALLED_115 = "called_115", _("Đã gọi cấp cứu 115")
    FALSE_ALARM = "false_alarm", _("Nhập nhầm, không có dấu hiệu")


class Escalation(Located):
    """A danger check sent to the commune health station. It stays open (one per person) until a
    named officer records what was done; danger checks meanwhile add to it."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="escalations")
    opened_by = models.ForeignKey(DailyCheck, on_delete=models.PROTECT, related_name="+")
    last_check = models.ForeignKey(DailyCheck, on_delete=models.PROTECT, related_name="+")
    check_count = models.PositiveSmallIntegerField(default=1, help_text="danger checks while open")
    opened_at = models.DateTimeField()
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=EscalationStatus.choices, default=EscalationStatus.OPEN)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    officer_name = models.CharField(max_length=150, blank=True, help_text="cán bộ xử trí")
    action = models.CharField(max_length=16, choices=EscalationAction.choices, blank=True)
    action_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status="open"), name="escalation_one_open_per_person"),
            models.CheckConstraint(
                name="escalation_resolved_iff_recorded",
                condition=(Q(status="open") & Q(resolved_at__isnull=True) & Q(action=""))
                | (Q(status="resolved") & Q(resolved_at__isnull=False) & ~Q(action="") & ~Q(officer_name="")),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "status", "opened_at"]),
            models.Index(fields=["district", "status", "opened_at"]),
            models.Index(fields=["commune", "status", "opened_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.opened_at:%d/%m %H:%M} {self.status}"

    @property
    def reason_labels(self) -> list[str]:
        return [reason_label(code) for code in self.reasons]


class MonitoringState(models.Model):
    """Where a person stands, kept by the check and escalation services in the same transaction:
    the latest check (by time of the check) and the open escalation."""

    person = models.OneToOneField("people.Person", primary_key=True, on_delete=models.CASCADE, related_name="monitoring_state")
    last_check = models.ForeignKey(DailyCheck, null=True, on_delete=models.SET_NULL, related_name="+")
    last_checked_at = models.DateTimeField(null=True)
    last_level = models.CharField(max_length=10, blank=True)
    last_temperature = models.DecimalField(max_digits=3, decimal_places=1, null=True)
    last_spo2 = models.PositiveSmallIntegerField(null=True)
    open_escalation = models.OneToOneField(Escalation, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.last_checked_at}"


class ReportLink(models.Model):
    """A self-report link for one person (no account needed): who holds it may record that
    person's checks, nothing else. Only the key's SHA-256 is stored; a new link revokes the old."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="report_links")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(revoked_at__isnull=True), name="report_link_one_live_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.person_id})"
