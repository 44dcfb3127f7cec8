"""/api/facilities, /api/placements, /api/quarantine-rule-sets: the facility board, admissions,
transfers and releases, due tests. Inputs resolve through selectors (outside the actor's area is
'not found') and each write calls one service."""

from __future__ import annotations

from ninja import Query, Router, Status

from chongdich.core import clock
from chongdich.core.api_support import Page, PageIn, actor_of, error_responses, paginate, resolve
from chongdich.geography.api import unit_in_jurisdiction
from chongdich.people.selectors import person_get
from chongdich.quarantine import domain, selectors, services, services_facilities
from chongdich.quarantine.schemas import (
    BoardOut,
    DueFiltersIn,
    FacilityFiltersIn,
    FacilityIn,
    FacilityOut,
    FacilityPatch,
    PlacementDetailOut,
    PlacementFiltersIn,
    PlacementIn,
    PlacementOut,
    ReleaseIn,
    RuleSetOut,
    ScheduledTestOut,
    TransferIn,
)

facilities_router = Router(tags=["facilities"])
placements_router = Router(tags=["placements"])
rule_sets_router = Router(tags=["quarantine-rule-sets"])


def facility_ref(actor, facility_id: int | None, field: str = "facility_id"):
    if facility_id is None:
        return None
    return resolve(field, selectors.facility_get, actor=actor, facility_id=facility_id)


# --- Facilities ------------------------------------------------------------------------------


@facilities_router.get("", response={200: Page[FacilityOut], **error_responses(401, 404, 422)})
def facility_list(request, filters: Query[FacilityFiltersIn]):
    actor = actor_of(request)
    district = unit_in_jurisdiction(actor, filters.district, "district")
    wanted = selectors.FacilityFilters(kind=filters.kind or "", district_id=district.pk if district else None,
                                       status=filters.status, search=filters.q)
    return paginate(selectors.facility_list(actor=actor, filters=wanted), filters)


@facilities_router.get("/board", response={200: BoardOut, **error_responses(401, 404)})
def facility_board(request, kind: str = "", district: str = ""):
    """Every facility's places, taken and free; free places per district and per kind and tier."""
    actor = actor_of(request)
    unit = unit_in_jurisdiction(actor, district, "district")
    board = selectors.facility_board(actor=actor, filters=selectors.FacilityFilters(
        kind=kind, district_id=unit.pk if unit else None))
    # Plain rows: a province's hundreds of facilities serialise in milliseconds.
    facilities = [{"id": f.pk, "code": f.code, "name": f.name, "kind": f.kind, "tier": f.tier,
                   "district_id": f.district_id, "status": f.status, "capacity": f.capacity,
                   "occupied": f.occupied, "free": f.free,
                   "percent_full": domain.fullness(f.occupied, f.capacity)} for f in board.facilities]
    return {"total": board.total, "by_district": board.by_district, "by_kind": board.by_kind,
            "at_home": board.home, "facilities": facilities}


@facilities_router.get("/{int:facility_id}", response={200: FacilityOut, **error_responses(401, 404)})
def facility_get(request, facility_id: int):
    return selectors.facility_get(actor=actor_of(request), facility_id=facility_id)


@facilities_router.post("", response={201: FacilityOut, **error_responses()})
def facility_create(request, payload: FacilityIn):
    actor = actor_of(request)
    commune = unit_in_jurisdiction(actor, payload.commune, "commune")
    facility = services_facilities.facility_create(actor=actor, commune=commune,
                                                   **payload.model_dump(exclude={"commune"}))
    return Status(201, selectors.facility_get(actor=actor, facility_id=facility.pk))


@facilities_router.patch("/{int:facility_id}", response={200: FacilityOut, **error_responses()})
def facility_update(request, facility_id: int, payload: FacilityPatch):
    """Correct details or change the number of places (never below the people inside: 409)."""
    actor = actor_of(request)
    facility = selectors.facility_get(actor=actor, facility_id=facility_id)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items()
               if v is not None or k == "tier"}
    services_facilities.facility_update(actor=actor, facility=facility, **changes)
    return selectors.facility_get(actor=actor, facility_id=facility_id)


@facilities_router.post("/{int:facility_id}/close", response={200: FacilityOut, **error_responses()})
def facility_close(request, facility_id: int):
    """Close an empty facility (409 while people are inside)."""
    actor = actor_of(request)
    facility = selectors.facility_get(actor=actor, facility_id=facility_id)
    services_facilities.facility_close(actor=actor, facility=facility)
    return selectors.facility_get(actor=actor, facility_id=facility_id)


# --- Placements ------------------------------------------------------------------------------


def placement_detail(actor, placement_id: int):
    placement = selectors.placement_get(actor=actor, placement_id=placement_id)
    verdict = selectors.release_verdict(placement)
    placement.release_check = {"allowed": verdict.allowed,
                               "reasons": verdict.messages(placement.planned_end_on),
                               "release_test_due": verdict.release_test_due}
    chain = selectors.placement_chain(actor=actor, placement=placement)
    placement.tests = [_with_overdue(t) for t in selectors.scheduled_tests_for(placements=chain)
                       .select_related("placement__person", "placement__facility")]
    return placement


def _with_overdue(test):
    test.overdue_days = max((clock.today() - test.due_on).days, 0)
    return test


@placements_router.get("", response={200: Page[PlacementOut], **error_responses(401, 404, 422)})
def placement_list(request, filters: Query[PlacementFiltersIn]):
    """Placements in the actor's area, soonest planned end first (active ones by default)."""
    actor = actor_of(request)
    wanted = selectors.PlacementFilters(
        status=filters.status, ending=filters.ending, facility_id=filters.facility_id,
        setting=filters.setting or "", purpose=filters.purpose or "",
        unit=unit_in_jurisdiction(actor, filters.unit, "unit"), search=filters.q)
    return paginate(selectors.placement_list(actor=actor, filters=wanted), filters)


@placements_router.get("/due-tests", response={200: Page[ScheduledTestOut], **error_responses(401, 422)})
def due_tests(request, filters: Query[DueFiltersIn]):
    """Open scheduled tests due on or before `on` (default today), the most overdue first."""
    actor = actor_of(request)
    tests = selectors.due_test_list(actor=actor, on=filters.on, facility_id=filters.facility_id,
                                    setting=filters.setting or "")
    return paginate(tests, filters, render=_with_overdue)


@placements_router.get("/releases-due", response={200: Page[PlacementOut], **error_responses(401, 422)})
def releases_due(request, page: Query[PageIn]):
    """Active placements whose planned end is reached (today or earlier)."""
    return paginate(selectors.release_due_list(actor=actor_of(request)), page)


@placements_router.get("/{int:placement_id}", response={200: PlacementDetailOut, **error_responses(401, 404)})
def placement_get(request, placement_id: int):
    return placement_detail(actor_of(request), placement_id)


@placements_router.post("", response={201: PlacementDetailOut, **error_responses()})
def placement_create(request, payload: PlacementIn):
    """Admit a person (409 when the facility has no free place, also under concurrent
    admissions). The rule set in force on the start date gives the stay and the test days."""
    actor = actor_of(request)
    person = resolve("person_id", person_get, actor=actor, person_id=payload.person_id)
    case = None
    if payload.case_id is not None:
        from chongdich.cases.selectors import case_get

        case = resolve("case_id", case_get, actor=actor, case_id=payload.case_id)
    placement = services.placement_create(
        actor=actor, person=person, purpose=payload.purpose, setting=payload.setting,
        facility=facility_ref(actor, payload.facility_id), condition=payload.condition,
        started_at=payload.started_at, case=case, note=payload.note)
    return Status(201, placement_detail(actor, placement.pk))


@placements_router.post("/{int:placement_id}/transfer", response={201: PlacementDetailOut, **error_responses()})
def placement_transfer(request, placement_id: int, payload: TransferIn):
    """Move to another facility, or home (`facility_id: null`). Answers the new placement."""
    actor = actor_of(request)
    placement = selectors.placement_get(actor=actor, placement_id=placement_id)
    moved = services.placement_transfer(actor=actor, placement=placement,
                                        to_facility=facility_ref(actor, payload.facility_id),
                                        at=payload.at, note=payload.note)
    return Status(201, placement_detail(actor, moved.pk))


@placements_router.post("/{int:placement_id}/release", response={200: PlacementDetailOut, **error_responses()})
def placement_release(request, placement_id: int, payload: ReleaseIn):
    """End the stay: by the rule (planned end reached, negative test), or with
    `override_reason` by a leader or epidemiologist (409 when the rule is not met and no reason)."""
    actor = actor_of(request)
    placement = selectors.placement_get(actor=actor, placement_id=placement_id)
    services.placement_release(actor=actor, placement=placement, at=payload.at,
                               override_reason=payload.override_reason, note=payload.note)
    return placement_detail(actor, placement_id)


# --- Rule sets -------------------------------------------------------------------------------


def _marked(rule_set, in_force_id):
    rule_set.in_force = rule_set.pk == in_force_id
    return rule_set


@rule_sets_router.get("", response={200: list[RuleSetOut], **error_responses(401)})
def rule_set_list(request):
    """Every version of the rules, newest first, with its legal source and whether it is
    still to be verified against the text."""
    current = selectors.rule_set_in_force(on=clock.today())
    return [_marked(s, current.pk if current else None) for s in selectors.rule_set_list()]


@rule_sets_router.get("/{int:rule_set_id}", response={200: RuleSetOut, **error_responses(401, 404)})
def rule_set_get(request, rule_set_id: int):
    current = selectors.rule_set_in_force(on=clock.today())
    return _marked(selectors.rule_set_get(rule_set_id=rule_set_id), current.pk if current else None)
