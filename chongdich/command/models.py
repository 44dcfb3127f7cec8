"""Command work: documents (chỉ thị, thông báo, công điện, kế hoạch, quyết định) that assign tasks to
agencies, the reports and verdicts on those tasks, their escalation when late, and the inspection
teams that check how units carry the documents out.

Everything that lives somewhere carries the jurisdiction keys of its unit (`province`, `district`,
`commune`; the lower ones empty for a province or district unit), see core.jurisdiction. A task
and an inspection also carry the keys of the committee that issued them (`issuer_*`), so both the
assignee's area and the issuer's area can see them with one indexed equality each.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chongdich.command.domain import Cadence, Status, Timing

UNIT = "geography.AdminUnit"
USER = settings.AUTH_USER_MODEL


def unit_keys(unit, prefix: str = "") -> dict:
    """The keys a record living in `unit` carries: a province fills one, a commune all three."""
    level_keys = {
        "province": (unit.pk, None, None),
        "district": (unit.province_id, unit.pk, None),
        "commune": (unit.province_id, unit.district_id, unit.pk),
    }[unit.level]
    return dict(zip((f"{prefix}province_id", f"{prefix}district_id", f"{prefix}commune_id"),
                    level_keys, strict=True))


class InUnit(models.Model):
    province = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(UNIT, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(UNIT, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class IssuedInUnit(models.Model):
    issuer_unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+",
                                    help_text="the committee (its unit) that assigned it")
    issuer_province = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    issuer_district = models.ForeignKey(UNIT, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issuer_commune = models.ForeignKey(UNIT, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


# --- Agencies -----------------------------------------------------------------------------------


class AgencyKind(models.TextChoices):
    STEERING_COMMITTEE = "steering_committee", _("Ban Chỉ đạo phòng, chống dịch")
    PARTY_COMMITTEE = "party_committee", _("Cấp ủy, Thường trực cấp ủy, ban cán sự đảng")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    HEALTH = "health", _("Y tế (Sở Y tế, CDC, trung tâm y tế, trạm y tế)")
    POLICE = "police", _("Công an")
    MILITARY = "military", _("Quân sự")
    PROPAGANDA = "propaganda", _("Tuyên giáo")
    FRONT = "front", _("Mặt trận Tổ quốc, đoàn thể")
    OTHER = "other", _("Sở, ban, ngành khác")


# Bodies that lead their own unit answer to the unit above; every other body answers to the
# committee of its own unit (see services.escalation).
LEADING_KINDS = frozenset({AgencyKind.STEERING_COMMITTEE, AgencyKind.PARTY_COMMITTEE,
                           AgencyKind.PEOPLES_COMMITTEE})


class Agency(InUnit):
    """A body that receives tasks (cơ quan, đơn vị được giao nhiệm vụ), in a unit."""

    unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    superior = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="subordinates",
                                 help_text="cơ quan cấp trên nhận báo cáo khi quá hạn (nếu khác mặc định)")
    head_name = models.CharField(max_length=150, blank=True)
    head_title = models.CharField(max_length=150, blank=True)
    head_account = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    members = models.ManyToManyField(USER, blank=True, related_name="agencies")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="agency_unique_name"),
            models.CheckConstraint(name="agency_kind_known", condition=Q(kind__in=AgencyKind.values)),
            models.CheckConstraint(name="agency_not_own_superior", condition=~Q(superior=models.F("pk"))),
        ]
        indexes = [models.Index(fields=["province", "name"]), models.Index(fields=["district", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def leads_its_unit(self) -> bool:
        return self.kind in LEADING_KINDS


# --- Documents ----------------------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    DIRECTIVE = "directive", _("Chỉ thị")
    NOTICE = "notice", pgettext_lazy("document type", "Thông báo")  # also "notification" elsewhere
    DISPATCH = "dispatch", _("Công điện")
    PLAN = "plan", _("Kế hoạch")
    DECISION = "decision", _("Quyết định")


class Document(InUnit):
    """A numbered document of a committee. Its unit is the issuing level (jurisdiction)."""

    unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=DocumentKind.choices)
    number = models.CharField(max_length=40, blank=True, help_text="số ký hiệu, e.g. 2032-TB/TU")
    issuing_body = models.CharField(max_length=200, help_text="e.g. Ban Thường vụ Tỉnh ủy")
    issued_on = models.DateField()
    title = models.CharField(max_length=400)
    text = models.TextField(blank=True)
    signer = models.CharField(max_length=200, blank=True)
    recipients_text = models.TextField(blank=True, help_text="“Nơi nhận” as written")
    recipient_agencies = models.ManyToManyField(Agency, blank=True, related_name="documents_received")
    recipient_units = models.ManyToManyField(UNIT, blank=True, related_name="+")
    replaces = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="replaced_by")
    follows_up = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="followed_up_by")
    references_text = models.TextField(blank=True, help_text="documents cited that are not recorded here")
    effective_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "issuing_body", "number"], condition=~Q(number=""),
                                    name="document_unique_number"),
            models.CheckConstraint(name="document_kind_known", condition=Q(kind__in=DocumentKind.values)),
        ]
        indexes = [models.Index(fields=["province", "-issued_on"]),
                   models.Index(fields=["district", "-issued_on"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def kind_label(self) -> str:
        return str(self.get_kind_display())

    @property
    def reference(self) -> str:
        """'Thông báo số 2032-TB/TU ngày 10/02/2020', as documents cite each other."""
        kind = self.get_kind_display()
        date = self.issued_on.strftime("%d/%m/%Y")
        if self.number:
            return str(_("%(kind)s số %(number)s ngày %(date)s") % {"kind": kind, "number": self.number, "date": date})
        return str(_("%(kind)s ngày %(date)s") % {"kind": kind, "date": date})


def attachment_path(instance, filename: str) -> str:
    """A random name under the month: the uploader's file name never becomes a path."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"command/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Attachment(models.Model):
    """A file attached to a document or to a progress report. Served only through the
    access-checked download view, never as public media."""

    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    report = models.ForeignKey("TaskReport", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    name = models.CharField(max_length=255, help_text="the uploader's file name")
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="attachment_one_owner",
                condition=Q(document__isnull=False, report__isnull=True) | Q(document__isnull=True, report__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.name


# --- Tasks --------------------------------------------------------------------------------------


class TaskStatus(models.TextChoices):
    ASSIGNED = Status.ASSIGNED.value, _("Đã giao")
    IN_PROGRESS = Status.IN_PROGRESS.value, _("Đang thực hiện")
    REPORTED_DONE = Status.REPORTED_DONE.value, _("Báo cáo hoàn thành, chờ xác nhận")
    VERIFIED = Status.VERIFIED.value, _("Đã xác nhận hoàn thành")
    SENT_BACK = Status.SENT_BACK.value, _("Bị trả lại, làm tiếp")
    CANCELLED = Status.CANCELLED.value, _("Đã huỷ")


class TaskTiming(models.TextChoices):
    DEADLINE = Timing.DEADLINE.value, _("Có thời hạn")
    RECURRING = Timing.RECURRING.value, _("Báo cáo định kỳ")
    ONGOING = Timing.ONGOING.value, _("Thường xuyên (không thời hạn)")


class TaskCadence(models.TextChoices):
    DAILY = Cadence.DAILY.value, _("Hằng ngày")
    WEEKLY = Cadence.WEEKLY.value, _("Hằng tuần")


class Task(InUnit, IssuedInUnit):
    """A task a document (or an inspection finding) gives to one agency. Its keys are the
    agency's unit; its issuer keys the committee's. Status changes only in services.tasks."""

    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    finding = models.ForeignKey("Finding", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="corrective_tasks")
    point = models.CharField(max_length=20, blank=True, help_text="mục của văn bản, e.g. 3")
    order = models.PositiveSmallIntegerField(default=0)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="tasks")
    partners = models.ManyToManyField(Agency, blank=True, related_name="partner_tasks",
                                      help_text="cơ quan phối hợp")
    officer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="command_tasks")
    officer_name = models.CharField(max_length=150, blank=True, help_text="người chịu trách nhiệm")
    description = models.TextField()
    timing = models.CharField(max_length=10, choices=TaskTiming.choices, default=TaskTiming.DEADLINE)
    deadline = models.DateTimeField(null=True, blank=True)
    cadence = models.CharField(max_length=10, choices=TaskCadence.choices, blank=True)
    due_time = models.TimeField(null=True, blank=True, help_text="recurring: local time the report is due")
    weekday = models.PositiveSmallIntegerField(null=True, blank=True, help_text="weekly: 0 = Monday")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=15, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED)
    status_changed_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True, help_text="reported done (the last such report)")
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["document_id", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="task_from_document_or_finding",
                condition=Q(document__isnull=False, finding__isnull=True) | Q(document__isnull=True, finding__isnull=False),
            ),
            models.CheckConstraint(name="task_status_known", condition=Q(status__in=TaskStatus.values)),
            models.CheckConstraint(
                name="task_timing_shape",
                condition=(
                    Q(timing=Timing.DEADLINE, deadline__isnull=False, cadence="")
                    | Q(timing=Timing.RECURRING, deadline__isnull=True, cadence__in=TaskCadence.values,
                        due_time__isnull=False, starts_on__isnull=False)
                    | Q(timing=Timing.ONGOING, deadline__isnull=True, cadence="")
                ),
            ),
            models.CheckConstraint(name="task_weekly_has_weekday",
                                   condition=~Q(cadence=Cadence.WEEKLY) | Q(weekday__gte=0, weekday__lte=6)),
            models.CheckConstraint(name="task_verified_when",
                                   condition=~Q(status=Status.VERIFIED) | Q(verified_at__isnull=False)),
        ]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["province", "status"]),
            models.Index(fields=["issuer_province", "status"]),
            models.Index(fields=["status", "deadline"], name="task_open_deadline_idx",
                         condition=Q(status__in=[Status.ASSIGNED, Status.IN_PROGRESS, Status.SENT_BACK])),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.description[:60]}"

    @property
    def source(self):
        return self.document or self.finding


class TaskEventKind(models.TextChoices):
    ASSIGNED = "assigned", _("Giao nhiệm vụ")
    STARTED = "started", _("Bắt đầu thực hiện")
    REPORTED = "reported", _("Báo cáo tiến độ")
    REPORTED_DONE = "reported_done", _("Báo cáo hoàn thành")
    VERIFIED = "verified", _("Xác nhận hoàn thành")
    SENT_BACK = "sent_back", _("Trả lại, yêu cầu làm tiếp")
    CANCELLED = "cancelled", _("Huỷ nhiệm vụ")
    RESCHEDULED = "rescheduled", _("Đổi thời hạn")
    ESCALATED = "escalated", _("Báo cáo cấp trên do quá hạn")


class TaskEvent(models.Model):
    """The history of a task: who did what, when, and the status it left the task in."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=15, choices=TaskEventKind.choices)
    status = models.CharField(max_length=15, choices=TaskStatus.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind} @ {self.at:%Y-%m-%d %H:%M}"


class TaskReport(models.Model):
    """A progress report (báo cáo tiến độ) or the report that the task is done. For a recurring
    task, `period` is the occurrence it answers (the first report for a period decides whether
    that occurrence was on time)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField()
    period = models.DateField(null=True, blank=True)
    is_done = models.BooleanField(default=False)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    on_behalf = models.BooleanField(default=False, help_text="entered by the committee's office for the agency")

    class Meta:
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["task", "period"])]

    def __str__(self) -> str:
        return f"{self.task_id} @ {self.submitted_at:%Y-%m-%d %H:%M}"


class TaskEscalation(models.Model):
    """An overdue task (or a missing recurring report, `period`) reported to the assignee's
    superior: once per task, due moment and level."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="escalations")
    due_at = models.DateTimeField(help_text="the deadline, or the due moment of the missing report")
    period = models.DateField(null=True, blank=True)
    level = models.PositiveSmallIntegerField()
    escalated_at = models.DateTimeField()
    to_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to_unit = models.ForeignKey(UNIT, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recipients = models.ManyToManyField(USER, blank=True, related_name="+")
    notified = models.BooleanField(default=False)

    class Meta:
        ordering = ["escalated_at", "level"]
        constraints = [
            models.UniqueConstraint(fields=["task", "due_at", "level"], name="escalation_once_per_level"),
            models.CheckConstraint(name="escalation_level_positive", condition=Q(level__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} level {self.level}"


# --- Inspections --------------------------------------------------------------------------------


class InspectionTeam(InUnit):
    """Đoàn kiểm tra: formed by a committee (its unit), with a leader and members."""

    unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 help_text="the decision that formed it")
    leader = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    leader_name = models.CharField(max_length=150, blank=True)
    members = models.ManyToManyField(USER, blank=True, related_name="inspection_teams")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["unit__code", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class InspectionKind(models.TextChoices):
    PLANNED = "planned", _("Theo kế hoạch")
    SURPRISE = "surprise", _("Đột xuất")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Dự kiến")
    DONE = "done", _("Đã kiểm tra")
    CANCELLED = "cancelled", _("Đã huỷ")


class Inspection(InUnit, IssuedInUnit):
    """A check of a unit (and perhaps one agency in it) by a team, or a leader's surprise check.
    Keys: the inspected unit; issuer keys: the inspecting committee."""

    kind = models.CharField(max_length=10, choices=InspectionKind.choices, default=InspectionKind.PLANNED)
    team = models.ForeignKey(InspectionTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="inspections")
    led_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    led_by_name = models.CharField(max_length=150, blank=True)
    inspected_unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="+")
    inspected_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="inspections")
    topic = models.CharField(max_length=300, blank=True)
    scheduled_on = models.DateField()
    carried_out_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED)
    conclusion = models.TextField(blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-scheduled_on", "-pk"]
        constraints = [
            models.CheckConstraint(name="inspection_has_inspector",
                                   condition=Q(team__isnull=False) | Q(led_by__isnull=False) | ~Q(led_by_name="")),
            models.CheckConstraint(name="inspection_done_has_date",
                                   condition=~Q(status="done") | Q(carried_out_on__isnull=False)),
        ]
        indexes = [models.Index(fields=["province", "-scheduled_on"]),
                   models.Index(fields=["issuer_province", "-scheduled_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.inspected_unit_id} {self.scheduled_on}"


class ChecklistResult(models.TextChoices):
    PENDING = "pending", _("Chưa kiểm tra")
    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Chưa đạt")
    NOT_APPLICABLE = "na", _("Không áp dụng")


class ChecklistItem(models.Model):
    """A point to check, drawn from the tasks of the documents in force (editable)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checklist")
    text = models.TextField()
    source_document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    result = models.CharField(max_length=10, choices=ChecklistResult.choices, default=ChecklistResult.PENDING)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Severity(models.TextChoices):
    MINOR = "minor", _("Nhẹ")
    MODERATE = "moderate", _("Trung bình")
    SERIOUS = "serious", _("Nghiêm trọng")


class Finding(InUnit):
    """What an inspection found wrong (tồn tại, hạn chế), in the inspected unit. Open until
    closed; it closes by itself when all its corrective tasks are verified."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    checklist_item = models.ForeignKey(ChecklistItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings",
                               help_text="the body responsible")
    text = models.TextField()
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MODERATE)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    close_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [models.CheckConstraint(name="finding_severity_known", condition=Q(severity__in=Severity.values))]
        indexes = [models.Index(fields=["province", "closed_at"]), models.Index(fields=["district", "closed_at"])]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

