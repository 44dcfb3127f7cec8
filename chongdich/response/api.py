"""JSON API of response, mounted at /api/responses (chongdich/api.py): the open responses with
their clocks, one response with its evidence, stage sign-off, disinfection records."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from chongdich.command.scorecards import period_from
from chongdich.core import clock
from chongdich.core.api_support import Page, actor_of, error_responses, paginate
from chongdich.core.errors import InvalidInput
from chongdich.geography.api import unit_in_jurisdiction
from chongdich.response import domain, selectors, services, stats
from chongdich.response.models import StageKind
from chongdich.response.schemas import (
    ComplianceOut,
    DisinfectionIn,
    DisinfectionOut,
    ResponseDetailOut,
    ResponseFiltersIn,
    ResponseOut,
    SignOffIn,
)

router = Router(tags=["response"])


def stage_body(stage, now) -> dict:
    return {
        "id": stage.pk, "kind": stage.kind, "label": str(StageKind(stage.kind).label), "due_at": stage.due_at,
        "warn_at": stage.warn_at, "done_at": stage.done_at, "done_how": stage.done_how,
        "done_by": stage.done_by.display_name if stage.done_by else "",
        "note": stage.note, "evidence": stage.evidence,
        "light": domain.light(due_at=stage.due_at, warn_at=stage.warn_at, done_at=stage.done_at, now=now),
        "seconds_left": None if stage.done_at else int((stage.due_at - now).total_seconds()),
    }


def response_body(response, now) -> dict:
    return {
        "id": response.pk, "case_id": response.case_id, "case_code": response.case.code,
        "person": response.case.person.full_name, "commune": response.commune.name_with_type,
        "district": response.district.name_with_type, "confirmed_at": response.confirmed_at,
        "closed_at": response.closed_at, "rule_set": response.rule_set.code,
        "stages": [stage_body(s, now) for s in response.stages.all()],
    }


def detail_body(response, now) -> dict:
    evidence = selectors.response_evidence(response=response)
    return response_body(response, now) | {
        "contacts": evidence.contact_count, "waiting_proposals": evidence.waiting_proposals,
        "f1": [{"person_id": p.pk, "full_name": p.full_name, "placement_id": placement.pk if placement else None}
               for p, placement in evidence.f1],
        "lockdown_areas": [a.pk for a in evidence.areas],
        "zone_designations": [d.pk for d in evidence.designations],
        "disinfections": [{"id": d.pk, "place": d.place, "done_at": d.done_at, "done_by_name": d.done_by_name,
                           "note": d.note, "recorded_by": d.recorded_by.username if d.recorded_by else ""}
                          for d in evidence.disinfections],
    }


@router.get("", response={200: Page[ResponseOut], **error_responses(401, 404, 422)})
def response_list(request, filters: Query[ResponseFiltersIn]):
    """Responses in the actor's jurisdiction, newest first; by default those still open."""
    actor = actor_of(request)
    if filters.state not in selectors.STATES:
        raise InvalidInput(field="state")
    if filters.stage and filters.stage not in domain.STAGES:
        raise InvalidInput(field="stage")
    district = unit_in_jurisdiction(actor, filters.district, "district")
    commune = unit_in_jurisdiction(actor, filters.commune, "commune")
    now = clock.now()
    rows = selectors.response_list(actor=actor, now=now, filters=selectors.ResponseFilters(
        district_id=district.pk if district else None, commune_id=commune.pk if commune else None,
        stage=filters.stage, state=filters.state))
    return paginate(rows, filters, render=lambda r: response_body(r, now))


@router.get("/compliance", response={200: ComplianceOut, **error_responses(401, 404, 422)})
def compliance(request, unit: str = "", start: dt.date | None = None, end: dt.date | None = None):
    """Per unit directly below `unit` (default: the actor's unit), for F0 confirmed in the period
    (default: the last 7 days): per stage, how many were due, how many on time, the share on
    time and the median minutes from confirmation to done."""
    actor = actor_of(request)
    parent = unit_in_jurisdiction(actor, unit, "unit") or actor.unit
    if parent is None:
        raise InvalidInput(_("Chọn một đơn vị."), field="unit")
    period = period_from(start, end, today=clock.today())
    start_at, end_at = period.bounds(timezone.get_current_timezone())
    own, rows = stats.compliance_table(actor=actor, parent=parent, start=start_at, end=end_at, now=clock.now())

    def row(r) -> dict:
        return {"unit": r.unit.code, "name": r.unit.name_with_type, "responses": r.responses,
                "stages": {k: {"counted": c.counted, "on_time": c.on_time, "on_time_share": c.on_time_share,
                               "median_minutes": c.median_minutes} for k, c in r.stages.items()}}

    return {"start": period.start, "end": period.end, "total": row(own), "units": [row(r) for r in rows]}


@router.get("/{int:response_id}", response={200: ResponseDetailOut, **error_responses(401, 404)})
def response_get(request, response_id: int):
    response = selectors.response_get(actor=actor_of(request), response_id=response_id)
    return detail_body(response, clock.now())


@router.post("/{int:response_id}/stages/{kind}/sign-off", response={200: ResponseOut, **error_responses()})
def stage_sign_off(request, response_id: int, kind: str, payload: SignOffIn):
    """Declare a stage done, with a note (the signing officer is the caller)."""
    actor = actor_of(request)
    stage = selectors.stage_get(actor=actor, response_id=response_id, kind=kind)
    services.stage_sign_off(actor=actor, stage=stage, note=payload.note)
    return response_body(selectors.response_get(actor=actor, response_id=response_id), clock.now())


@router.post("/{int:response_id}/disinfections", response={201: DisinfectionOut, **error_responses()})
def disinfection_create(request, response_id: int, payload: DisinfectionIn):
    actor = actor_of(request)
    response = selectors.response_get(actor=actor, response_id=response_id)
    record = services.disinfection_record(actor=actor, response=response, **payload.model_dump())
    return Status(201, {"id": record.pk, "place": record.place, "done_at": record.done_at,
                 "done_by_name": record.done_by_name, "note": record.note, "recorded_by": actor.username})
