"""Reads of the response clock, scoped to the actor: the board's open responses, one response
with the evidence of what completed each stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from chongdich.core.errors import NotFound
from chongdich.core.jurisdiction import scope_q
from chongdich.response import domain
from chongdich.response.models import Response, Stage

STATES = ("open", "late", "closed", "all")


@dataclass(frozen=True)
class ResponseFilters:
    district_id: int | None = None
    commune_id: int | None = None
    stage: str = ""  # only responses with this stage still open
    state: str = "open"  # open | late (a stage past its deadline) | closed | all
    since: dt.datetime | None = None  # confirmed at or after


def response_list(*, actor, filters: ResponseFilters = ResponseFilters(), now: dt.datetime | None = None):
    rows = Response.objects.filter(scope_q(actor), case__discarded_at__isnull=True)
    if filters.district_id:
        rows = rows.filter(district_id=filters.district_id)
    if filters.commune_id:
        rows = rows.filter(commune_id=filters.commune_id)
    if filters.since:
        rows = rows.filter(confirmed_at__gte=filters.since)
    if filters.state in ("open", "late"):
        rows = rows.filter(closed_at__isnull=True)
    elif filters.state == "closed":
        rows = rows.filter(closed_at__isnull=False)
    open_stage = Q(done_at__isnull=True)
    if filters.stage in domain.STAGES:
        open_stage &= Q(kind=filters.stage)
    if filters.state == "late" and now is not None:
        open_stage &= Q(due_at__lte=now)
    if filters.stage in domain.STAGES or filters.state == "late":
        rows = rows.filter(pk__in=Stage.objects.filter(open_stage).values("response_id"))
    return (rows.select_related("case__person", "commune", "district", "rule_set")
            .prefetch_related(Prefetch("stages", Stage.objects.order_by("due_at").select_related("done_by")))
            .order_by("-confirmed_at", "-pk"))


def response_get(*, actor, response_id: int) -> Response:
    found = (Response.objects.filter(scope_q(actor), pk=response_id)
             .select_related("case__person", "commune", "district", "rule_set")
             .prefetch_related(Prefetch("stages", Stage.objects.order_by("due_at").select_related("done_by")))
             .first())
    if found is None:
        raise NotFound()
    return found


def response_for_case(*, actor, case_id: int) -> Response:
    found = Response.objects.filter(scope_q(actor), case_id=case_id).values_list("pk", flat=True).first()
    if found is None:
        raise NotFound()
    return response_get(actor=actor, response_id=found)


def stage_get(*, actor, response_id: int, kind: str) -> Stage:
    response = response_get(actor=actor, response_id=response_id)
    for stage in response.stages.all():
        if stage.kind == kind:
            return stage
    raise NotFound()


@dataclass
class Evidence:
    """What the records hold for a response, shown next to its stages."""

    contacts: list = field(default_factory=list)  # the first 200
    contact_count: int = 0
    waiting_proposals: int = 0
    f1: list = field(default_factory=list)  # (person, placement or None)
    areas: list = field(default_factory=list)
    designations: list = field(default_factory=list)
    disinfections: list = field(default_factory=list)


def response_evidence(*, response: Response) -> Evidence:
    """For a response already read through `response_get` (so already in the actor's scope)."""
    from chongdich.cases.models import Contact
    from chongdich.people.models import Person
    from chongdich.quarantine.models import Placement, PlacementStatus
    from chongdich.response.evaluate import f1_of
    from chongdich.venues.selectors import open_proposal_counts
    from chongdich.zones.models import LockdownArea, ZoneDesignation

    case = response.case
    out = Evidence()
    out.contacts = list(Contact.objects.filter(case=case).select_related("person", "contact")[:200])
    out.contact_count = len(out.contacts) if len(out.contacts) < 200 else Contact.objects.filter(case=case).count()
    out.waiting_proposals = open_proposal_counts([case.pk]).get(case.pk, 0)
    people = f1_of([_open(response)]).get(case.pk, set())
    placements = {p.person_id: p for p in Placement.objects.filter(
        Q(status=PlacementStatus.ACTIVE) | Q(started_at__gte=response.confirmed_at), person_id__in=people
    ).select_related("facility").order_by("started_at")}
    out.f1 = [(p, placements.get(p.pk)) for p in Person.objects.filter(pk__in=people).order_by("full_name")]
    stage_areas = [s.evidence.get("lockdown_area") for s in response.stages.all() if s.evidence.get("lockdown_area")]
    out.areas = list(LockdownArea.objects.filter(Q(trigger_case=case) | Q(pk__in=stage_areas)))
    stage_zones = [s.evidence.get("zone_designation") for s in response.stages.all()
                   if s.evidence.get("zone_designation")]
    out.designations = list(ZoneDesignation.objects.filter(Q(trigger_case=case) | Q(pk__in=stage_zones))
                            .select_related("unit"))
    out.disinfections = list(response.disinfections.select_related("recorded_by"))
    return out


def _open(response: Response):
    from chongdich.response.evaluate import Open

    return Open(response.pk, response.case_id, response.commune_id, response.district_id, response.confirmed_at,
                frozenset(domain.STAGES))
