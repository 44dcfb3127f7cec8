"""The 5-hour response clock (truy vết trong 5 giờ): every new F0 opens a response with three
stages — trace F1/F2, zone the area, move F1 to quarantine and disinfect — each with a deadline
counted from the confirmation under the rule set in force that day.

A stage is done by what happens in the system (hooks of cases, venues, zones and quarantine call
`response.services`) or by a named officer's sign-off with a note. Alerts are idempotent: the
moment a stage's "near" or "late" alert is claimed is stored on the stage (a conditional UPDATE),
so a task and the cron sweep never send one twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chongdich.cases.models import Located


class ResponseRuleSet(models.Model):
    """A versioned response standard with its source. The set in force on a case's confirmation
    date (the latest `valid_from` on or before it) applies to that response for good."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    legal_source = models.CharField(max_length=255)
    valid_from = models.DateField(unique=True)
    needs_verification = models.BooleanField(default=True)
    trace_minutes = models.PositiveIntegerField(help_text="trace F1/F2 within, from confirmation")
    zone_minutes = models.PositiveIntegerField(help_text="zone the area within, from confirmation")
    move_minutes = models.PositiveIntegerField(help_text="F1 in quarantine and disinfection done within")
    warn_minutes = models.PositiveIntegerField(default=15, help_text="alert this long before a deadline")
    tracked_hours = models.PositiveIntegerField(default=24, help_text="cases confirmed longer ago open no response")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(name="response_rules_in_order", condition=Q(
                trace_minutes__gt=0, zone_minutes__gte=models.F("trace_minutes"),
                move_minutes__gte=models.F("zone_minutes"))),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.valid_from:%d/%m/%Y})"


class Response(Located):
    """One F0's response. Keys: the case's commune. `closed_at`: when its last stage was done."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="response")
    rule_set = models.ForeignKey(ResponseRuleSet, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-confirmed_at", "-pk"]
        indexes = [
            models.Index(fields=["province", "-confirmed_at"]),
            models.Index(fields=["district", "-confirmed_at"]),
            models.Index(fields=["commune", "-confirmed_at"]),
            models.Index(fields=["province"], name="response_open_idx", condition=Q(closed_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"response {self.case_id}"


class StageKind(models.TextChoices):
    TRACE = "trace", _("Truy vết F1, F2")
    ZONE = "zone", _("Khoanh vùng")
    MOVE = "move", _("Đưa F1 đi cách ly, khử khuẩn")


class DoneHow(models.TextChoices):
    AUTO = "auto", _("Tự động theo dữ liệu")
    SIGN_OFF = "sign_off", _("Xác nhận của cán bộ")


class Stage(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(max_length=8, choices=StageKind.choices)
    due_at = models.DateTimeField()
    warn_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_how = models.CharField(max_length=8, choices=DoneHow.choices, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    note = models.TextField(blank=True)
    evidence = models.JSONField(default=dict, blank=True, help_text="what completed it: kind and ids")
    near_alerted_at = models.DateTimeField(null=True, blank=True)
    late_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["response", "due_at"]
        constraints = [
            models.UniqueConstraint(fields=["response", "kind"], name="stage_once_per_response"),
            models.CheckConstraint(name="stage_done_has_how",
                                   condition=Q(done_at__isnull=True, done_how="") | Q(done_at__isnull=False)
                                   & ~Q(done_how="")),
        ]
        indexes = [
            # The alert sweep: stages not done, by the moment they need a warning.
            models.Index(fields=["warn_at"], name="stage_pending_idx", condition=Q(done_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} {self.kind}"


class Disinfection(models.Model):
    """Disinfection (phun khử khuẩn) of a place linked to an F0's response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="disinfections")
    place = models.CharField(max_length=255)
    done_at = models.DateTimeField()
    done_by_name = models.CharField(max_length=150, help_text="team or person who disinfected")
    note = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-done_at", "-pk"]

    def __str__(self) -> str:
        return self.place
