"""Weekly risk levels (Resolution 128/NQ-CP): the rule sets as versioned data, the level the rules
give each unit each week (`Assessment`), and what the committee decided (`LevelDecision`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    LOW = 1, _("Cấp 1 – nguy cơ thấp (xanh)")
    MEDIUM = 2, _("Cấp 2 – nguy cơ trung bình (vàng)")
    HIGH = 3, _("Cấp 3 – nguy cơ cao (cam)")
    VERY_HIGH = 4, _("Cấp 4 – nguy cơ rất cao (đỏ)")


class RiskRuleSet(models.Model):
    """One version of the criteria for assessing levels, with its legal source. `rules` holds the
    bands, thresholds and matrix as data (see risk/data/); the one in force on a week's Monday,
    among those marked default for assessment, applies."""

    code = models.CharField(max_length=40, unique=True, help_text="e.g. 4800-2021")
    name = models.CharField(max_length=200)
    legal_source = models.CharField(max_length=300)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    rules = models.JSONField()
    needs_verification = models.BooleanField(default=True)
    is_default = models.BooleanField(default=False, help_text="used for weeks no set is in force for")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["valid_from", "code"]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """The level the rules give one unit (commune, district or province) for one ISO week, with
    the inputs used and the explanation in words. Recomputing a week updates the row."""

    unit = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    week = models.DateField(help_text="Monday of the ISO week assessed")
    rule_set = models.ForeignKey(RiskRuleSet, on_delete=models.PROTECT, related_name="assessments")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    inputs = models.JSONField(default=dict)
    explanation = models.TextField(blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "week"], name="assessment_unit_week"),
            models.CheckConstraint(name="assessment_level_1_4", condition=Q(level__gte=1, level__lte=4)),
        ]
        indexes = [models.Index(fields=["week", "unit"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.week}: {self.level}"


class DecisionKind(models.TextChoices):
    CONFIRM = "confirm", _("Xác nhận mức tính toán")
    OVERRIDE = "override", _("Quyết định mức khác")


class LevelDecision(models.Model):
    """The committee's level for a unit from a week on: the computed level confirmed, or another
    level with a reason. A raise takes effect no sooner than 48 hours after it is announced
    (`effective_at`). The newest decision in effect is the unit's level; history is kept."""

    unit = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    week = models.DateField(help_text="Monday of the ISO week the decision is about")
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions")
    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    previous_level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    reason = models.TextField(blank=True)
    announced_at = models.DateTimeField()
    effective_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "-effective_at"]
        indexes = [models.Index(fields=["unit", "effective_at"])]
        constraints = [
            models.CheckConstraint(name="decision_level_1_4", condition=Q(level__gte=1, level__lte=4)),
            models.CheckConstraint(name="decision_override_has_reason",
                                   condition=~Q(kind="override") | ~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} from {self.effective_at:%Y-%m-%d %H:%M}: {self.level}"


class CapacityStatement(models.Model):
    """What the committee states about a unit's capacity to admit and treat (criterion 3 of
    Decision 4800: ICU beds, oxygen at every commune health station, mobile health stations),
    from a day on. The newest statement on or before a week's Sunday decides the criterion for
    that unit; without one, the free treatment beds around the unit do (see risk.assess)."""

    unit = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField()
    met = models.BooleanField()
    icu_ready = models.BooleanField(null=True, blank=True)
    oxygen_at_every_station = models.BooleanField(null=True, blank=True)
    mobile_stations = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["unit", "-as_of", "-pk"]
        indexes = [models.Index(fields=["unit", "as_of"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.as_of}: {'met' if self.met else 'not met'}"
