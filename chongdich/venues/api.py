"""JSON API of venues, mounted at /api/venues (chongdich/api.py): venues and their QR codes,
check-ins one by one or in batches, exposure proposals (groups, pages, bulk decisions) and
matching one F0 now."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Query, Router, Status

from chongdich.cases.selectors import case_get
from chongdich.core.api_support import (
    Page,
    actor_of,
    error_responses,
    mask_phone,
    paginate,
    resolve,
)
from chongdich.geography.api import unit_in_jurisdiction
from chongdich.people.selectors import person_get
from chongdich.venues import qr, selectors, services, services_exposures
from chongdich.venues.schemas import (
    BatchOut,
    CheckInBatchIn,
    CheckInIn,
    CheckInOut,
    DecideIn,
    DecideOut,
    GroupOut,
    MatchOut,
    ProposalFiltersIn,
    ProposalOut,
    VenueFiltersIn,
    VenueIn,
    VenueOut,
    VenuePatch,
)

router = Router(tags=["venues"])


def _venue_out(request, venue) -> dict:
    return {"id": venue.pk, "code": venue.code, "name": venue.name, "kind": venue.kind,
            "address": venue.address, "capacity": venue.capacity, "active": venue.active,
            "commune": venue.commune, "checkin_url": qr.checkin_url(request.build_absolute_uri("/"), venue.code)}


@router.get("", response={200: Page[VenueOut], **error_responses(401, 404, 422)})
def venue_list(request, filters: Query[VenueFiltersIn]):
    actor = actor_of(request)
    district = unit_in_jurisdiction(actor, filters.district, "district")
    rows = selectors.venue_list(actor=actor, search=filters.q, kind=filters.kind or "",
                                district_id=district.pk if district else None)
    return paginate(rows, filters, lambda v: _venue_out(request, v))


@router.post("", response={201: VenueOut, **error_responses()})
def venue_create(request, payload: VenueIn):
    actor = actor_of(request)
    commune = unit_in_jurisdiction(actor, payload.commune, "commune")
    venue = services.venue_create(actor=actor, commune=commune, **payload.model_dump(exclude={"commune"}))
    return Status(201, _venue_out(request, selectors.venue_get(actor=actor, venue_id=venue.pk)))


@router.get("/{int:venue_id}", response={200: VenueOut, **error_responses(401, 404)})
def venue_get(request, venue_id: int):
    return _venue_out(request, selectors.venue_get(actor=actor_of(request), venue_id=venue_id))


@router.patch("/{int:venue_id}", response={200: VenueOut, **error_responses()})
def venue_update(request, venue_id: int, payload: VenuePatch):
    actor = actor_of(request)
    venue = selectors.venue_get(actor=actor, venue_id=venue_id)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    services.venue_update(actor=actor, venue=venue, **changes)
    return _venue_out(request, selectors.venue_get(actor=actor, venue_id=venue_id))


@router.post("/{int:venue_id}/new-code", response={200: VenueOut, **error_responses()})
def venue_new_code(request, venue_id: int):
    """A new public code: the old QR poster stops working."""
    actor = actor_of(request)
    venue = services.venue_new_code(actor=actor, venue=selectors.venue_get(actor=actor, venue_id=venue_id))
    return _venue_out(request, venue)


@router.get("/{int:venue_id}/qr.png", response={200: None, **error_responses(401, 404)})
def venue_qr(request, venue_id: int):
    venue = selectors.venue_get(actor=actor_of(request), venue_id=venue_id)
    url = qr.checkin_url(request.build_absolute_uri("/"), venue.code)
    return HttpResponse(qr.qr_png(url), content_type="image/png")


@router.get("/{int:venue_id}/poster.pdf", response={200: None, **error_responses(401, 404)})
def venue_poster(request, venue_id: int):
    venue = selectors.venue_get(actor=actor_of(request), venue_id=venue_id)
    url = qr.checkin_url(request.build_absolute_uri("/"), venue.code)
    response = HttpResponse(qr.poster_pdf(url=url, name=venue.name, code=venue.code, address=venue.address),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-{venue.code}.pdf"'
    return response


# --- Check-ins --------------------------------------------------------------------------------


@router.post("/checkins", response={201: CheckInOut, **error_responses()})
def checkin_create(request, payload: CheckInIn):
    actor = actor_of(request)
    venue = resolve("venue_id", selectors.venue_get, actor=actor, venue_id=payload.venue_id)
    person = resolve("person_id", person_get, actor=actor, person_id=payload.person_id)
    return Status(201, services.checkin_record(actor=actor, venue=venue, person=person,
                                               checked_in_at=payload.checked_in_at,
                                               checked_out_at=payload.checked_out_at))


@router.post("/checkins/batch", response={201: BatchOut, **error_responses()})
def checkin_batch(request, payload: CheckInBatchIn):
    """Up to 50,000 check-ins at once, all or nothing (an error names the row: rows[i].field)."""
    rows = [services.CheckInRow(r.venue_id, r.person_id, r.checked_in_at, r.checked_out_at) for r in payload.rows]
    stored, _errors = services.checkins_record(actor=actor_of(request), rows=rows)
    return Status(201, {"stored": len(stored)})


# --- Proposals --------------------------------------------------------------------------------


def _filters(params: ProposalFiltersIn) -> selectors.ProposalFilters:
    return selectors.ProposalFilters(venue_id=params.venue_id, case_id=params.case_id,
                                     margin=params.margin, status=params.status)


def _proposal_out(p, evidence) -> dict:
    return {"id": p.pk, "case_id": p.case_id, "case_code": p.case.code, "source_id": p.source_id,
            "person_id": p.person_id, "person_name": p.person.full_name, "phone": mask_phone(p.person.phone),
            "generation": p.generation, "status": p.status, "venue_id": p.venue_id,
            "venue_name": p.venue.name, "slot_start": p.slot_start, "overlap_minutes": p.overlap_minutes,
            "gap_minutes": p.gap_minutes, "visits": p.visits, "last_visit_at": p.last_visit_at,
            "evidence": [{"venue_id": e.venue_id, "venue_name": e.venue.name, "source_in": e.source_in,
                          "source_out": e.source_out, "visit_in": e.visit_in, "visit_out": e.visit_out,
                          "overlap_minutes": e.overlap_minutes, "gap_minutes": e.gap_minutes}
                         for e in evidence.get(p.pk, [])]}


@router.get("/proposals/groups", response={200: Page[GroupOut], **error_responses(401, 422)})
def proposal_groups(request, params: Query[ProposalFiltersIn]):
    """Pending proposals by venue and hour, largest group first."""
    groups = selectors.proposal_groups(actor=actor_of(request), filters=_filters(params))
    return paginate(groups, params, lambda g: {
        "venue_id": g["venue_id"], "venue_name": g["venue__name"], "venue_kind": g["venue__kind"],
        "venue_capacity": g["venue__capacity"], "slot_start": g["slot_start"], "people": g["people"],
        "best_overlap": g["best_overlap"], "least_gap": g["least_gap"], "cases": g["cases"]})


@router.get("/proposals", response={200: Page[ProposalOut], **error_responses(401, 422)})
def proposal_list(request, params: Query[ProposalFiltersIn]):
    """Proposals ranked by hour, overlap, gap and venue size, with their evidence."""
    actor = actor_of(request)
    filters = _filters(params)
    rows = selectors.proposal_page(actor=actor, filters=filters, page=params.page, size=params.page_size)
    evidence = selectors.evidence_of(rows)
    count = selectors.proposal_queryset(actor=actor, filters=filters).count()
    return {"count": count, "page": params.page, "page_size": params.page_size,
            "items": [_proposal_out(p, evidence) for p in rows]}


@router.post("/proposals/decide", response={200: DecideOut, **error_responses()})
def proposal_decide(request, payload: DecideIn):
    """Confirm (they become contacts, ranks fall) or dismiss proposals in bulk."""
    return services_exposures.proposals_decide(actor=actor_of(request), proposal_ids=payload.ids,
                                               action=payload.action)


@router.post("/cases/{int:case_id}/match", response={200: MatchOut, **error_responses()})
def case_match(request, case_id: int):
    """Match this F0's visits now (normally a background task does it on confirmation)."""
    actor = actor_of(request)
    case = case_get(actor=actor, case_id=case_id, related=False)
    totals = services_exposures.matching_run_case(actor=actor, case=case)
    pending = selectors.open_proposal_counts([case.pk]).get(case.pk, 0)
    return {**totals, "pending": pending}
