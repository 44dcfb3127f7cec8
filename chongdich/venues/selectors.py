"""Reads of venues, check-ins and exposure proposals, scoped to the actor.

The tracer's work queue aggregates in SQL: groups (venue × hour) are one GROUP BY over the
pending proposals (partial indexes), and a venue's proposals come a page at a time, ranked by
overlap, then the smaller gap, then the smaller venue — so a market with 10,000 proposals costs
the same as one with ten."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q, QuerySet

from chongdich.core.errors import NotFound
from chongdich.core.jurisdiction import scope_path_q, scope_q
from chongdich.venues.models import (
    CheckIn,
    Evidence,
    ExposureRuleSet,
    MatchJob,
    MatchStatus,
    Proposal,
    ProposalStatus,
    Venue,
)

PAGE = 100


def venue_list(*, actor, search: str = "", kind: str = "", district_id: int | None = None) -> QuerySet[Venue]:
    qs = Venue.objects.filter(scope_q(actor)).select_related("commune", "district")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code=search.upper()) | Q(address__icontains=search))
    if kind:
        qs = qs.filter(kind=kind)
    if district_id:
        qs = qs.filter(district_id=district_id)
    return qs


def venue_get(*, actor, venue_id: int) -> Venue:
    venue = venue_list(actor=actor).filter(pk=venue_id).first()
    if venue is None:
        raise NotFound()
    return venue


def venue_public(*, code: str) -> Venue:
    """The venue behind a QR code (no account): only active venues; its name and address are
    all the public page shows."""
    venue = Venue.objects.filter(code=(code or "").upper(), active=True).only(
        "pk", "name", "address", "code", "kind").first()
    if venue is None:
        raise NotFound()
    return venue


def checkins_of_venue(*, actor, venue: Venue, since: dt.datetime) -> QuerySet[CheckIn]:
    venue_get(actor=actor, venue_id=venue.pk)
    return CheckIn.objects.filter(venue_id=venue.pk, checked_in_at__gte=since).order_by("-checked_in_at")


def rule_set_list() -> QuerySet[ExposureRuleSet]:
    return ExposureRuleSet.objects.all()


# --- Proposals --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalFilters:
    venue_id: int | None = None
    case_id: int | None = None
    margin: int | None = None  # narrower than the rule: only proposals with a gap up to this
    status: str = ProposalStatus.PENDING
    slot: dt.datetime | None = None


def proposal_queryset(*, actor, filters: ProposalFilters) -> QuerySet[Proposal]:
    qs = Proposal.objects.filter(scope_path_q(actor), status=filters.status)
    if filters.venue_id:
        qs = qs.filter(venue_id=filters.venue_id)
    if filters.case_id:
        qs = qs.filter(case_id=filters.case_id)
    if filters.margin is not None:
        qs = qs.filter(gap_minutes__lte=filters.margin)
    if filters.slot is not None:
        qs = qs.filter(slot_start=filters.slot)
    return qs


def proposal_groups(*, actor, filters: ProposalFilters) -> QuerySet:
    """Groups of pending proposals by venue and hour, largest first: dicts with venue_id,
    venue__name, venue__kind, venue__capacity, slot_start, people, best_overlap, cases."""
    return (proposal_queryset(actor=actor, filters=filters).order_by()
            .values("venue_id", "venue__name", "venue__kind", "venue__capacity", "slot_start")
            .annotate(people=Count("id"), best_overlap=Max("overlap_minutes"),
                      least_gap=Min("gap_minutes"), cases=Count("case_id", distinct=True))
            .order_by("-people", "-slot_start", "venue_id"))


def proposal_page(*, actor, filters: ProposalFilters, page: int = 1, size: int = PAGE) -> list[Proposal]:
    """One page of proposals, grouped by hour (slot) and ranked inside it."""
    qs = (proposal_queryset(actor=actor, filters=filters)
          .select_related("person", "venue", "case")
          .only("id", "slot_start", "overlap_minutes", "gap_minutes", "visits", "generation",
                "last_visit_at", "source_in", "source_out", "visit_in", "visit_out", "status", "venue__name", "venue__kind", "venue__capacity",
                "person__full_name", "person__phone", "person__birth_year", "case__code",
                "case_id", "person_id", "venue_id", "source_id")
          .order_by("-slot_start", "-overlap_minutes", "gap_minutes", "venue__capacity", "id"))
    start = (max(page, 1) - 1) * size
    return list(qs[start:start + size])


def proposal_get(*, actor, proposal_id: int) -> Proposal:
    found = Proposal.objects.filter(scope_q(actor), pk=proposal_id).select_related("venue", "person", "case").first()
    if found is None:
        raise NotFound()
    return found


def evidence_of(proposals: list[Proposal]) -> dict[int, list[Evidence]]:
    """Every piece of evidence of these proposals, by proposal id, earliest visit first: the
    Evidence rows of those with more than one, the proposal's own piece (unsaved) otherwise."""
    out: dict[int, list[Evidence]] = {}
    for e in (Evidence.objects.filter(proposal_id__in=[p.pk for p in proposals if p.visits > 1])
              .select_related("venue").order_by("visit_in", "pk")):
        out.setdefault(e.proposal_id, []).append(e)
    for p in proposals:
        if p.pk not in out:
            out[p.pk] = [Evidence(proposal=p, venue=p.venue, source_in=p.source_in, source_out=p.source_out,
                                  visit_in=p.visit_in, visit_out=p.visit_out, overlap_minutes=p.overlap_minutes,
                                  gap_minutes=p.gap_minutes)]
    return out


def open_proposal_counts(case_ids: list[int]) -> dict[int, int]:
    """How many exposure proposals still wait for a tracer's decision, per F0 case id (cases
    with none are left out), plus one for a case whose matching has not run yet (a queued job):
    the response clock's "trace" stage is not done while any wait."""
    if not case_ids:
        return {}
    counts: dict[int, int] = {}
    for case_id, n in (Proposal.objects.filter(case_id__in=case_ids, status=ProposalStatus.PENDING)
                       .order_by().values_list("case_id").annotate(Count("id"))):
        counts[case_id] = n
    for case_id in (MatchJob.objects.filter(case_id__in=case_ids, status=MatchStatus.QUEUED)
                    .order_by().values_list("case_id", flat=True).distinct()):
        counts[case_id] = counts.get(case_id, 0) + 1
    return counts
