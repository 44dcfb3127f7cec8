"""JSON API of risk, mounted at /api/risk (chongdich/api.py): assessments with explanations,
re-runs, decisions, capacity statements, rule sets, what-if, and the public level map (no login,
no personal data). Units are named by code; outside the actor's area is 'not found'."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from chongdich.core.api_support import Page, actor_of, error_responses, paginate
from chongdich.core.errors import InvalidInput
from chongdich.geography import selectors as geo
from chongdich.geography.api import unit_in_jurisdiction
from chongdich.risk import domain, selectors, services
from chongdich.risk.schemas import (
    AssessmentFiltersIn,
    AssessmentOut,
    CapacityIn,
    CapacityOut,
    DecisionFiltersIn,
    DecisionIn,
    DecisionOut,
    PublicLevelsOut,
    RuleSetIn,
    RuleSetOut,
    RunIn,
    RunOut,
    WhatIfIn,
    WhatIfOut,
)
from chongdich.risk.views import last_complete_week

router = Router(tags=["risk"])


def _week(text: str, field: str = "week") -> dt.date:
    if not text:
        return last_complete_week()
    try:
        return domain.parse_iso_week(text)
    except ValueError as exc:
        raise InvalidInput(str(exc), field=field) from exc


@router.get("/assessments", response={200: Page[AssessmentOut], **error_responses(401, 404, 422)})
def assessment_list(request, filters: Query[AssessmentFiltersIn]):
    actor = actor_of(request)
    week = _week(filters.week)
    within = unit_in_jurisdiction(actor, filters.unit, "unit")
    rows = selectors.assessment_list(actor=actor, week=week, level=filters.level, within=within)
    page = paginate(rows, filters)
    in_force = selectors.levels_for_week(week=week, unit_ids=[a.unit_id for a in page["items"]])
    page["items"] = [{
        "unit": a.unit.code, "unit_name": a.unit.name_with_type, "unit_level": a.unit.level,
        "week": domain.iso_week_label(a.week), "computed_level": a.level, "level": in_force[a.unit_id].level,
        "source": in_force[a.unit_id].source, "explanation": selectors.explanation_of(a),
        "rule_set": a.rule_set.code, "inputs": a.inputs, "computed_at": a.computed_at} for a in page["items"]]
    return page


@router.post("/assessments/run", response={200: RunOut, **error_responses()})
def assessment_run(request, payload: RunIn):
    actor = actor_of(request)
    province = unit_in_jurisdiction(actor, payload.province, "province")
    rule_set = selectors.rule_set_get(code=payload.rule_set) if payload.rule_set else None
    run = services.assessment_run(actor=actor, week=_week(payload.week), province=province, rule_set=rule_set)
    return {"week": domain.iso_week_label(run.week), "rule_set": run.rule_set.code, "units": run.units,
            "by_level": {str(k): v for k, v in sorted(run.by_level.items())}, "coverage_known": run.coverage_known}


def _decision_body(d) -> dict:
    return {"id": d.pk, "unit": d.unit.code, "week": domain.iso_week_label(d.week), "kind": d.kind, "level": d.level,
            "previous_level": d.previous_level, "reason": d.reason, "announced_at": d.announced_at,
            "effective_at": d.effective_at, "decided_by": d.decided_by.display_name if d.decided_by else ""}


@router.get("/decisions", response={200: Page[DecisionOut], **error_responses(401, 404, 422)})
def decision_list(request, filters: Query[DecisionFiltersIn]):
    actor = actor_of(request)
    unit = unit_in_jurisdiction(actor, filters.unit, "unit")
    rows = selectors.decision_list(actor=actor, unit=unit, week=_week(filters.week) if filters.week else None)
    return paginate(rows, filters, render=_decision_body)


@router.post("/decisions", response={201: DecisionOut, **error_responses()})
def decision_create(request, payload: DecisionIn):
    actor = actor_of(request)
    unit = unit_in_jurisdiction(actor, payload.unit, "unit")
    decision = services.level_decide(actor=actor, unit=unit, week=_week(payload.week), level=payload.level,
                                     reason=payload.reason, effective_at=payload.effective_at)
    return Status(201, _decision_body(decision))


@router.post("/capacity", response={201: CapacityOut, **error_responses()})
def capacity_record(request, payload: CapacityIn):
    actor = actor_of(request)
    unit = unit_in_jurisdiction(actor, payload.unit, "unit")
    statement = services.capacity_record(actor=actor, unit=unit, **payload.model_dump(exclude={"unit"}))
    return Status(201, {"id": statement.pk, "unit": unit.code, **{k: getattr(statement, k) for k in (
        "as_of", "met", "icu_ready", "oxygen_at_every_station", "mobile_stations", "note")}})


@router.get("/rule-sets", response={200: list[RuleSetOut], **error_responses(401)})
def rule_set_list(request):
    return selectors.rule_set_list()


@router.post("/rule-sets", response={201: RuleSetOut, **error_responses()})
def rule_set_create(request, payload: RuleSetIn):
    return Status(201, services.rule_set_create(actor=actor_of(request), **payload.model_dump()))


@router.post("/whatif", response={200: WhatIfOut, **error_responses()})
def whatif(request, payload: WhatIfIn):
    """The level the rules give for these figures (same rule as the weekly assessment; nothing saved)."""
    actor = actor_of(request)
    week = _week(payload.week)
    unit = unit_in_jurisdiction(actor, payload.unit, "unit")
    assessment = selectors.assessment_get(actor=actor, unit=unit, week=week) if unit else None
    base = domain.Inputs.from_dict(assessment.inputs) if assessment and assessment.inputs else None
    if payload.rule_set:
        rule_set = selectors.rule_set_get(code=payload.rule_set)
    else:
        rule_set = assessment.rule_set if assessment else selectors.rule_set_for_week(week)
    if payload.coverage and (bad := [k for k in payload.coverage if "|" not in k]):
        raise InvalidInput(_("Khóa bao phủ có dạng nhóm|mũi, ví dụ 18+|1: %(keys)s") % {"keys": ", ".join(bad)},
                           field="coverage")
    population = payload.population or (base.population if base else None) or (unit.population if unit else None)
    if population is None:
        raise InvalidInput(_("Cần dân số (hoặc mã đơn vị đã có đánh giá)."), field="population")
    inputs = domain.Inputs(
        population=population, community_cases=payload.community_cases,
        all_cases=max(payload.all_cases if payload.all_cases is not None else 0, payload.community_cases),
        oxygen_cases=payload.oxygen_cases, deaths=payload.deaths, coverage=payload.coverage,
        capacity_met=payload.capacity_met, capacity_how="whatif" if payload.capacity_met is not None else "",
        free_beds_per_100k=base.free_beds_per_100k if base and payload.capacity_met is None else None)
    outcome = domain.evaluate(rule_set.rules, inputs)
    return {"level": outcome.level, "band": outcome.band, "explanation": domain.explain(outcome),
            "rule_set": rule_set.code}


@router.get("/public/levels", auth=None, url_name="risk_public_levels",
            response={200: PublicLevelsOut, **error_responses(404, 422)})
def public_levels(request, week: str = "", level: str = "commune", province: str = ""):
    """Published levels of a week, for everyone (no login): unit code, name, level, coordinates."""
    if level not in ("commune", "district", "province"):
        raise InvalidInput(_("Cấp đơn vị phải là commune, district hoặc province."), field="level")
    unit = geo.unit_get_public(code=province) if province else None
    monday = _week(week)
    return {"week": domain.iso_week_label(monday), "level": level,
            "units": selectors.public_levels(week=monday, level=level, province=unit)}
