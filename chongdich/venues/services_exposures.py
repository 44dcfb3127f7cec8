"""Writes for exposure matching and proposals: match jobs queued when a case is confirmed (the
hook) or an F1 is confirmed (for F2), run in batches by a task; proposals confirmed (they become
contacts through cases.services.contacts_add_many) or dismissed in bulk."""

from __future__ import annotations

import logging
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Min
from django.utils.translation import gettext as _

from chongdich.cases import hooks as case_hooks
from chongdich.cases.models import Case, ContactSetting
from chongdich.cases.services import contacts_add_many
from chongdich.core import clock
from chongdich.core.errors import InvalidInput, NotFound
from chongdich.core.jurisdiction import require_write, scope_q
from chongdich.people.models import Person
from chongdich.venues import hooks, matching
from chongdich.venues.models import (
    Evidence,
    MatchJob,
    MatchStatus,
    Proposal,
    ProposalStatus,
    VenueKind,
)

log = logging.getLogger(__name__)
ACTIONS = ("confirm", "dismiss")
MAX_DECIDE = 10_000


def _enqueue(job_ids: list[int]) -> None:
    from chongdich.venues.tasks import run_matching

    try:
        run_matching.enqueue(job_ids)
    except Exception:  # the sweep (`chongdich match-exposures`) picks queued jobs up later
        log.exception("could not enqueue matching of jobs %s", job_ids[:10])


def _queue(jobs: list[MatchJob]) -> list[int]:
    MatchJob.objects.bulk_create(jobs, ignore_conflicts=True, batch_size=5000)
    keys = [(j.case_id, j.source_id) for j in jobs]
    ids = list(MatchJob.objects.filter(status=MatchStatus.QUEUED, case_id__in={k[0] for k in keys},
                                       source_id__in={k[1] for k in keys}).values_list("pk", flat=True))
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return ids


def on_cases_confirmed(case_ids: list[int]) -> None:
    """cases.hooks.case_confirmed_hooks: queue the matching of each new F0's visits (the job row
    is written now, so the trace stays open until it has run; the work runs after commit)."""
    now = clock.now()
    rows = Case.objects.filter(pk__in=case_ids).values_list("pk", "person_id")
    _queue([MatchJob(case_id=pk, source_id=person_id, generation=1, requested_at=now)
            for pk, person_id in rows])


def matching_run(*, job_ids: list[int]) -> dict:
    """Run queued match jobs (a task, or the sweep), then tell whoever listens that these F0s'
    open proposals changed. A large batch on PostgreSQL, outside any transaction, is split by
    F0 into `VENUES_MATCH_WORKERS` parts run at once, each on its own connection and in its own
    transaction (a part's jobs stay queued if it fails); otherwise one transaction."""
    parts = _parts(job_ids)
    if len(parts) == 1:
        totals = _matching_run_part(job_ids)
    else:
        with ThreadPoolExecutor(max_workers=len(parts)) as pool:
            results = list(pool.map(_matching_run_thread, parts))
        totals = {key: sum(r[key] for r in results) for key in results[0]}
    if totals["proposals"] >= ANALYZE_FROM and connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:  # the planner must know of them before autovacuum does
            # (the row count, and the columns the queue filters on: a third of a full ANALYZE)
            cursor.execute("ANALYZE venues_proposal (status, case_id, venue_id, province_id, district_id,"
                           " commune_id, slot_start)")
    return totals


PARALLEL_FROM = 1000  # jobs; fewer are quicker in one transaction
ANALYZE_FROM = 100_000  # new proposals


def _parts(job_ids: list[int]) -> list[list[int]]:
    workers = settings.VENUES_MATCH_WORKERS
    if (workers < 2 or len(job_ids) < PARALLEL_FROM or connection.vendor != "postgresql"
            or connection.in_atomic_block):
        return [job_ids]
    parts: list[list[int]] = [[] for _ in range(workers)]
    for pk, case_id in MatchJob.objects.filter(pk__in=job_ids).values_list("pk", "case_id"):
        parts[case_id % workers].append(pk)  # all the jobs of one F0 in the same part
    return [p for p in parts if p] or [job_ids]


def _matching_run_thread(job_ids: list[int]) -> dict:
    try:
        return _matching_run_part(job_ids)
    finally:
        connections.close_all()  # this thread's connections


def _matching_run_part(job_ids: list[int]) -> dict:
    with transaction.atomic():
        totals = matching.run_batch(job_ids)
        cases = sorted(set(MatchJob.objects.filter(pk__in=job_ids).values_list("case_id", flat=True)))
        hooks.run_proposals_resolved(cases)
    return totals


def matching_run_queued(*, limit: int = 5000) -> dict:
    """The sweep: every queued job, oldest first, in batches."""
    totals = {"jobs": 0, "matches": 0, "proposals": 0}
    while ids := list(MatchJob.objects.filter(status=MatchStatus.QUEUED).order_by("pk")
                      .values_list("pk", flat=True)[:limit]):
        for key, value in matching_run(job_ids=ids).items():
            totals[key] += value
    return totals


@transaction.atomic
def matching_run_case(*, actor, case: Case) -> dict:
    """Match one F0 now (API): queues its job if need be and runs it, with its F2 jobs queued."""
    require_write(actor, case.commune, "confirm_exposures")
    MatchJob.objects.get_or_create(case=case, source_id=case.person_id,
                                   defaults={"generation": 1, "requested_at": clock.now()})
    ids = list(MatchJob.objects.filter(case=case, status=MatchStatus.QUEUED).values_list("pk", flat=True))
    return matching_run(job_ids=ids) if ids else {"jobs": 0, "matches": 0, "proposals": 0}


# --- Decisions ------------------------------------------------------------------------------


def _setting(kind: str) -> str:
    return ContactSetting.TRANSPORT if kind == VenueKind.BUS else ContactSetting.VENUE


@transaction.atomic
def proposals_decide(*, actor, proposal_ids: list[int], action: str) -> dict:
    """Confirm (they become contacts of their source, ranks fall) or dismiss pending proposals.
    Proposals outside the actor's area answer 'not found'; already decided ones are skipped."""
    if action not in ACTIONS:
        raise InvalidInput(_("Thao tác không hợp lệ: %(value)s") % {"value": action}, field="action")
    ids = sorted(set(proposal_ids))
    if not ids:
        raise InvalidInput(_("Chưa chọn đề xuất nào."), field="ids")
    if len(ids) > MAX_DECIDE:
        raise InvalidInput(_("Tối đa %(n)s đề xuất một lần.") % {"n": MAX_DECIDE}, field="ids")
    rows = list(Proposal.objects.filter(scope_q(actor), pk__in=ids).select_for_update()
                .select_related("commune", "venue"))
    if len(rows) != len(ids):
        raise NotFound(field="ids")
    pending = [p for p in rows if p.status == ProposalStatus.PENDING]
    for unit in {p.commune_id: p.commune for p in pending}.values():
        require_write(actor, unit, "confirm_exposures")
    now = clock.now()
    if action == "confirm" and pending:
        _confirm(actor, pending)
    for p in pending:
        p.status = ProposalStatus.CONFIRMED if action == "confirm" else ProposalStatus.DISMISSED
        p.decided_at, p.decided_by = now, actor
    Proposal.objects.bulk_update(pending, ["status", "decided_at", "decided_by", "contact"], batch_size=2000)
    cases = sorted({p.case_id for p in pending})
    hooks.run_proposals_resolved(cases)
    return {"decided": len(pending), "skipped": len(rows) - len(pending), "cases": cases}


def _confirm(actor, pending: list[Proposal]) -> None:
    wanted = {p.person_id for p in pending} | {p.source_id for p in pending}
    people = {p.pk: p for p in Person.objects.filter(pk__in=wanted).select_related("commune")}
    groups: dict[tuple[int, str], list[Proposal]] = defaultdict(list)
    for p in pending:
        groups[(p.case_id, _setting(p.venue.kind))].append(p)
    cases = Case.objects.in_bulk({p.case_id for p in pending})
    for (case_id, setting), group in groups.items():
        contacts = contacts_add_many(
            actor=actor, case=cases[case_id], setting=setting,
            pairs=[(people[p.source_id], people[p.person_id], p.last_visit_at) for p in group])
        for p, contact in zip(group, contacts, strict=True):
            p.contact = contact
    first_visit = {p.pk: p.visit_in for p in pending}  # one piece of evidence: the proposal's own
    first_visit.update(Evidence.objects.filter(proposal__in=[p.pk for p in pending if p.generation == 1 and p.visits > 1])
                       .values_list("proposal_id").annotate(Min("visit_in")))
    now = clock.now()
    _queue([MatchJob(case_id=p.case_id, source_id=p.person_id, generation=2, requested_at=now,
                     exposed_since=first_visit[p.pk])
            for p in pending if p.generation == 1])


def register() -> None:
    case_hooks.register(case_hooks.case_confirmed_hooks, on_cases_confirmed)
