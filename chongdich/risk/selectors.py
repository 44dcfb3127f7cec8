"""Reads of risk levels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chongdich.core.errors import NotFound
from chongdich.core.jurisdiction import require_visible
from chongdich.geography.models import AdminUnit
from chongdich.risk import domain
from chongdich.risk.models import Assessment, CapacityStatement, LevelDecision, RiskRuleSet


@dataclass(frozen=True)
class UnitLevel:
    unit_id: int
    level: int | None  # the level in force: the committee's decision if any, else the computed one
    computed_level: int | None
    source: str  # "decision" | "computed" | "none"
    explanation: str


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def levels_for_week(*, week: dt.date, unit_ids: list[int]) -> dict[int, UnitLevel]:
    """The level of each unit for the ISO week starting on (or containing) `week`: the newest
    committee decision in effect by the end of that week, else the week's assessment. Public data
    (no personal data): the published map reads it too."""
    monday = week_monday(week)
    end = timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min))
    assessed = {a["unit_id"]: a for a in Assessment.objects.filter(week=monday, unit_id__in=unit_ids)
                .values("unit_id", "level", "explanation")}
    decided: dict[int, int] = {}
    for d in (LevelDecision.objects.filter(unit_id__in=unit_ids, effective_at__lt=end)
              .order_by("unit_id", "-effective_at", "-pk").values("unit_id", "level")):
        decided.setdefault(d["unit_id"], d["level"])
    out = {}
    for uid in unit_ids:
        a = assessed.get(uid)
        computed = a["level"] if a else None
        if uid in decided:
            out[uid] = UnitLevel(uid, decided[uid], computed, "decision", a["explanation"] if a else "")
        elif a:
            out[uid] = UnitLevel(uid, computed, computed, "computed", a["explanation"])
        else:
            out[uid] = UnitLevel(uid, None, None, "none", "")
    return out


# --- Rule sets, assessments, decisions (scoped to the actor) ---------------------------------


def rule_set_for_week(week: dt.date) -> RiskRuleSet | None:
    """The set in force on the week's Monday (the latest valid_from on or before it, not yet
    ended); the default set when none is."""
    monday = week_monday(week)
    in_force = (RiskRuleSet.objects.filter(valid_from__lte=monday)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=monday))
                .order_by("-valid_from", "-pk").first())
    return in_force or RiskRuleSet.objects.filter(is_default=True).order_by("-valid_from", "-pk").first()


def rule_set_list() -> list[RiskRuleSet]:
    return list(RiskRuleSet.objects.order_by("-valid_from", "-pk"))


def rule_set_get(*, code: str) -> RiskRuleSet:
    found = RiskRuleSet.objects.filter(code=code).first()
    if found is None:
        raise NotFound(_("Không có bộ tiêu chí %(code)s.") % {"code": code}, field="rule_set")
    return found


def explanation_of(assessment: Assessment) -> str:
    """The assessment's explanation in the reader's language (stored in Vietnamese)."""
    if translation.get_language() in (None, "vi") or not assessment.inputs:
        return assessment.explanation
    outcome = domain.evaluate(assessment.rule_set.rules, domain.Inputs.from_dict(assessment.inputs))
    return domain.explain(outcome)


def assessment_list(*, actor, week: dt.date, level: str = "", within: AdminUnit | None = None):
    """The week's assessments of units in the actor's jurisdiction (and under `within`), with
    their unit and rule set, ordered by unit code."""
    rows = (Assessment.objects.filter(week=week_monday(week))
            .select_related("unit", "rule_set").order_by("unit__code"))
    rows = rows.filter(_unit_scope(actor))
    if within is not None:
        rows = rows.filter(Q(unit=within) if within.level == "commune"
                           else Q(unit=within) | Q(**{f"unit__{within.level}": within}))
    if level:
        rows = rows.filter(unit__level=level)
    return rows


def _unit_scope(actor, prefix: str = "unit__") -> Q:
    unit = actor.unit
    if unit is None:
        return Q() if (actor.is_superuser or actor.is_national) else Q(pk__in=[])
    if unit.level == "commune":
        return Q(**{f"{prefix}pk": unit.pk})
    return Q(**{f"{prefix}pk": unit.pk}) | Q(**{f"{prefix}{unit.level}": unit})


def assessment_get(*, actor, unit: AdminUnit, week: dt.date) -> Assessment | None:
    require_visible(actor, unit)
    return Assessment.objects.filter(unit=unit, week=week_monday(week)).select_related("rule_set").first()


def unit_history(*, actor, unit: AdminUnit, weeks: int = 26) -> tuple[list[Assessment], list[LevelDecision]]:
    """A unit's assessments (newest first) and every decision about it."""
    require_visible(actor, unit)
    assessments = list(Assessment.objects.filter(unit=unit).select_related("rule_set").order_by("-week")[:weeks])
    decisions = list(LevelDecision.objects.filter(unit=unit).select_related("decided_by")
                     .order_by("-announced_at", "-pk"))
    return assessments, decisions


def decision_list(*, actor, unit: AdminUnit | None = None, week: dt.date | None = None):
    rows = LevelDecision.objects.filter(_unit_scope(actor)).select_related("unit", "decided_by")
    if unit is not None:
        rows = rows.filter(unit=unit)
    if week is not None:
        rows = rows.filter(week=week_monday(week))
    return rows.order_by("-announced_at", "-pk")


def level_in_force(*, unit: AdminUnit, at: dt.datetime) -> int | None:
    """The unit's level at a moment: the newest decision in effect, else the newest assessment of
    a week that had begun."""
    decided = (LevelDecision.objects.filter(unit=unit, effective_at__lte=at)
               .order_by("-effective_at", "-pk").values_list("level", flat=True).first())
    if decided is not None:
        return decided
    return (Assessment.objects.filter(unit=unit, week__lte=timezone.localdate(at))
            .order_by("-week").values_list("level", flat=True).first())


def capacity_statements(*, actor, unit: AdminUnit) -> list[CapacityStatement]:
    require_visible(actor, unit)
    return list(CapacityStatement.objects.filter(unit=unit).select_related("recorded_by").order_by("-as_of", "-pk"))


def public_levels(*, week: dt.date, level: str = "commune", province: AdminUnit | None = None) -> list[dict]:
    """Published levels, no personal data: unit code, name, level, coordinates (the public map)."""
    units = AdminUnit.objects.filter(level=level).order_by("code")
    if province is not None:
        units = units.filter(Q(pk=province.pk) | Q(province=province))
    rows = list(units.values("pk", "code", "name_with_type", "lat", "lon"))
    levels = levels_for_week(week=week, unit_ids=[r["pk"] for r in rows])
    return [{"code": r["code"], "name": r["name_with_type"], "level": levels[r["pk"]].level,
             "source": levels[r["pk"]].source, "lat": r["lat"], "lon": r["lon"]} for r in rows]
