import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def upload_path(instance, filename: str) -> str:
    """Stored under a random name: the user's file name is kept in `original_name` only."""
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ColumnMapping(models.Model):
    """Which column of a source's files holds which field, saved so the next file from the same
    source (e.g. "CDC Vĩnh Phúc — danh sách F0") maps itself. Owned by a unit; usable by the units
    above and below it."""

    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=30)
    columns = models.JSONField(default=dict, help_text="{field name: header as in the file}")
    unit = models.ForeignKey("geography.AdminUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", help_text="owner; empty = national")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "name"], name="mapping_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class JobStatus(models.TextChoices):
    MAPPING = "mapping", _("Chờ ghép cột")
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Thất bại")


class ImportJob(models.Model):
    """One uploaded file and what became of its rows. Lives where its actor's unit is (the
    jurisdiction keys are the actor's unit and its ancestors; empty for national accounts)."""

    kind = models.CharField(max_length=30)
    file = models.FileField(upload_to=upload_path, max_length=255)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    headers = models.JSONField(default=list, help_text="the file's header row")
    header_row = models.PositiveIntegerField(default=1)
    columns = models.JSONField(default=dict, help_text="{field: header} used for this file")
    mapping = models.ForeignKey(ColumnMapping, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="jobs")
    language = models.CharField(max_length=10, blank=True,
                                help_text="language of the row errors (the importer's)")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    province = models.ForeignKey("geography.AdminUnit", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("geography.AdminUnit", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("geography.AdminUnit", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["province", "-created_at"]),
            models.Index(fields=["district", "-created_at"]),
            models.Index(fields=["commune", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="importjob_counts_add_up",
                condition=Q(processed_rows=models.F("created_count") + models.F("updated_count")
                            + models.F("duplicate_count") + models.F("error_count")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.original_name}"

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, 100 * self.processed_rows // self.total_rows)


class ImportRowError(models.Model):
    """A row that did not land, with why — and the row as it was, to fix and upload again."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row = models.PositiveIntegerField()
    column = models.CharField(max_length=40, blank=True, help_text="our field name")
    header = models.CharField(max_length=255, blank=True, help_text="the file's header")
    value = models.TextField(blank=True)
    reason = models.TextField()
    values = models.JSONField(default=list, help_text="the row's cells, in the file's order")

    class Meta:
        ordering = ["job", "row", "pk"]
        indexes = [models.Index(fields=["job", "row"])]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row} {self.column}"
