"""Exposure matching, set-based: a batch of match jobs (one F0 or a day's thousands) becomes
proposals and their evidence in a handful of SQL statements, whatever the number of visits
(decision 0006).

1. `run_batch` locks every job of the batch's F0s (the matching of one F0 runs alone);
2. `prepare`: each job's rule set and infectious window (a few queries for the whole batch);
3. the matches — every (source visit in the window, other visit at the same venue within the
   venue kind's margin) — into a temporary table, with overlap and gap in minutes;
4. pending proposals of these F0s from an earlier run that got a new piece of evidence: the
   evidence added, the best piece worked out again (skipped when the F0s have no proposals);
5. one proposal per (F0, person) that has none yet, from its best match, carrying that match's
   venue and times, with the count of visits and the latest contact time (window functions);
   existing proposals — pending, confirmed or dismissed — are never re-proposed; Evidence rows
   only for proposals with more than one piece;
6. the jobs marked done.

The same SQL runs on PostgreSQL (timestamps, index range scans on (venue, time), the long stays
from their own partial index) and SQLite (epoch seconds); `domain.match_visits` is the
reference it is tested against.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection, transaction

from chongdich.cases.models import Case
from chongdich.core import clock
from chongdich.quarantine.models import Placement
from chongdich.testing.models import Sample
from chongdich.venues import domain, partitions
from chongdich.venues.models import ExposureRuleSet, MatchJob, MatchStatus
from chongdich.venues.rule_data import as_rule

LOOKBACK = dt.timedelta(days=14)
CHUNK = 5000


class Dialect:
    """Time arithmetic: PostgreSQL timestamps, or SQLite epoch seconds."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"

    def ts(self, col: str) -> str:
        # '%%': every statement here is executed with a parameter list, so '%' is escaped.
        return col if self.pg else f"CAST(strftime('%%s', {col}) AS INTEGER)"

    def plus(self, expr: str, minutes: str) -> str:
        return f"({expr} + ({minutes}) * interval '1 minute')" if self.pg else f"({expr} + ({minutes}) * 60)"

    def minutes(self, a: str, b: str) -> str:
        """Whole minutes from b to a (a ≥ b)."""
        if self.pg:
            return f"CAST(FLOOR(EXTRACT(EPOCH FROM ({a}) - ({b})) / 60) AS integer)"
        return f"((({a}) - ({b})) / 60)"

    def seconds(self, a: str, b: str) -> str:
        return f"EXTRACT(EPOCH FROM ({a}) - ({b}))" if self.pg else f"(({a}) - ({b}))"

    def greatest(self, a: str, b: str) -> str:
        return f"GREATEST({a}, {b})" if self.pg else f"MAX({a}, {b})"

    def least(self, a: str, b: str) -> str:
        return f"LEAST({a}, {b})" if self.pg else f"MIN({a}, {b})"

    def back(self, expr: str) -> str:
        """A computed time as the column type."""
        return expr if self.pg else f"datetime({expr}, 'unixepoch')"

    def hour(self, expr: str) -> str:
        return f"date_trunc('hour', {expr})" if self.pg else f"datetime(({expr} / 3600) * 3600, 'unixepoch')"


def rule_sets() -> list[ExposureRuleSet]:
    return list(ExposureRuleSet.objects.order_by("-valid_from"))


def rule_set_on(day: dt.date, sets: list[ExposureRuleSet]) -> ExposureRuleSet:
    for rule_set in sets:
        if rule_set.valid_from <= day:
            return rule_set
    return sets[-1]


def _earliest(rows, person_id: int, lo: dt.datetime, hi: dt.datetime) -> dt.datetime | None:
    found = [t for t in rows.get(person_id, ()) if lo <= t <= hi]
    return min(found) if found else None


def prepare(jobs: list[MatchJob]) -> None:
    """Set each queued job's rule set and window (saved)."""
    if not jobs:
        return
    sets = rule_sets()
    tz = partitions.zone()
    cases = {c["id"]: c for c in Case.objects.filter(pk__in={j.case_id for j in jobs}).values(
        "id", "person_id", "confirmed_at", "onset_on")}
    sources = sorted({j.source_id for j in jobs})
    earliest = min(min(c["confirmed_at"] for c in cases.values()),
                   min((j.exposed_since or j.requested_at) for j in jobs)) - LOOKBACK
    samples: dict[int, list] = defaultdict(list)
    placed: dict[int, list] = defaultdict(list)
    for i in range(0, len(sources), CHUNK):
        chunk = sources[i:i + CHUNK]
        for pid, taken in Sample.objects.filter(person_id__in=chunk, taken_at__gte=earliest).values_list(
                "person_id", "taken_at"):
            samples[pid].append(taken)
        for pid, started in Placement.objects.filter(person_id__in=chunk, started_at__gte=earliest).values_list(
                "person_id", "started_at"):
            placed[pid].append(started)
    for job in jobs:
        case = cases[job.case_id]
        job.rule_set = rule_set_on(case["confirmed_at"].astimezone(tz).date(), sets)
        rule = as_rule(job.rule_set)
        if job.generation == 1:
            confirmed = case["confirmed_at"]
            job.window_start, job.window_end = domain.infectious_window(
                confirmed_at=confirmed, onset_on=case["onset_on"],
                first_sample_at=_earliest(samples, job.source_id, confirmed - LOOKBACK, confirmed),
                isolated_at=_earliest(placed, job.source_id, confirmed - LOOKBACK, confirmed),
                rule=rule, tz=tz)
        else:
            start = job.exposed_since or job.requested_at
            isolated = _earliest(placed, job.source_id, start, job.requested_at)
            job.window_start, job.window_end = start, isolated or job.requested_at
    _save_windows(jobs)


def _save_windows(jobs: list[MatchJob]) -> None:
    """`bulk_update` writes one CASE with a branch per row, which costs seconds for a day's
    thousands of jobs; on PostgreSQL one UPDATE joins a VALUES list instead."""
    if connection.vendor != "postgresql":
        MatchJob.objects.bulk_update(jobs, ["rule_set", "window_start", "window_end"], batch_size=500)
        return
    with connection.cursor() as cursor:
        for i in range(0, len(jobs), CHUNK):
            chunk = jobs[i:i + CHUNK]
            rows = ", ".join(["(%s::bigint, %s::bigint, %s::timestamptz, %s::timestamptz)"] * len(chunk))
            params = [v for j in chunk for v in (j.pk, j.rule_set_id, j.window_start, j.window_end)]
            cursor.execute(f"""
              UPDATE venues_matchjob AS j SET rule_set_id = v.rule_set_id, window_start = v.window_start,
                window_end = v.window_end
              FROM (VALUES {rows}) AS v (id, rule_set_id, window_start, window_end) WHERE j.id = v.id""", params)


def _margin_sql(rule: domain.Rule) -> str:
    cases = " ".join(f"WHEN '{kind}' THEN {rule.margin_for(kind)}" for kind in sorted(rule.kind_margins)
                     if kind.isidentifier())
    return f"CASE v.kind {cases} ELSE {rule.margin_minutes} END" if cases else str(rule.margin_minutes)


FEW_JOBS = 20  # up to this many jobs, the source visits' own times bound the query (visit_span)


def visit_span(rule: domain.Rule, job_ids_sql: str,
               span: tuple[dt.datetime, dt.datetime]) -> tuple[dt.datetime, dt.datetime] | None:
    """PostgreSQL: the first and the last check-in time of the jobs' source visits in their
    windows, or None when there is none. For one F0 (a few visits) these bound `matches_sql`
    far tighter than the windows: the plan keeps the one or two day partitions the visits need
    instead of five or six for each scan, and planning was most of the query's time."""
    lo = span[0] - dt.timedelta(minutes=rule.max_stay_minutes)
    with connection.cursor() as cursor:
        cursor.execute(f"""
          SELECT min(c.checked_in_at), max(c.checked_in_at) FROM venues_matchjob j
          JOIN venues_checkin c ON c.person_id = j.source_id
           AND c.checked_in_at >= j.window_start - {int(rule.max_stay_minutes)} * interval '1 minute'
           AND c.checked_in_at < j.window_end
           AND c.checked_in_at >= '{lo.isoformat()}' AND c.checked_in_at < '{span[1].isoformat()}'
          WHERE j.id IN ({job_ids_sql})""", [])
        first, last = cursor.fetchone()
    return None if first is None else (first, last)


def matches_sql(d: Dialect, rule: domain.Rule, job_ids_sql: str,
                span: tuple[dt.datetime, dt.datetime] | None = None,
                visits: tuple[dt.datetime, dt.datetime] | None = None) -> str:
    """SELECT of every match of the jobs `job_ids_sql` (a list of ids, inlined as integers).
    `span` — the earliest window start and latest window end of those jobs — is written into the
    query as constants, so PostgreSQL prunes the day partitions when it plans (a parameter or a
    join would leave every partition in the plan: planning 30 partitions twice costs more than
    running the query); `visits` (from `visit_span`) bounds it tighter still."""
    stay, longest = rule.default_stay_minutes, rule.max_stay_minutes
    c_span = o_span = ""
    reach = dt.timedelta(minutes=longest + rule.widest_margin + 1)
    if visits is not None and d.pg:
        c_span = (f" AND c.checked_in_at >= '{visits[0].isoformat()}'"
                  f" AND c.checked_in_at <= '{visits[1].isoformat()}'")
        o_span = (f" AND o.checked_in_at >= '{(visits[0] - reach).isoformat()}'"
                  f" AND o.checked_in_at <= '{(visits[1] + reach).isoformat()}'")
    elif span is not None and d.pg:
        lo = (span[0] - dt.timedelta(minutes=longest) - reach).isoformat()
        c_span = f" AND c.checked_in_at >= '{lo}' AND c.checked_in_at < '{span[1].isoformat()}'"
        o_span = f" AND o.checked_in_at >= '{lo}' AND o.checked_in_at <= '{(span[1] + reach).isoformat()}'"

    def end(c: str) -> str:
        return (f"CASE WHEN {c}.checked_out_at IS NULL THEN {d.plus(d.ts(c + '.checked_in_at'), stay)} "
                f"ELSE {d.least(d.greatest(d.ts(c + '.checked_out_at'), d.ts(c + '.checked_in_at')), d.plus(d.ts(c + '.checked_in_at'), longest))} END")

    s_in, o_in = d.ts("c.checked_in_at"), d.ts("o.checked_in_at")
    # PostgreSQL compares the raw column to computed bounds, so the (venue, time) index is a range scan.
    o_raw = "o.checked_in_at" if d.pg else o_in
    # A visit that began more than `near` minutes before the source's visit (less the margin)
    # reaches it only if it lasted longer than an hour: on PostgreSQL those are read from the
    # partial index of long stays (partitions.LONG_STAY_INDEX), so the busiest venues' visits of
    # the 12 hours before are not all read. Without a check-out a visit lasts the default stay,
    # so `near` covers those; the bounds are inclusive (two visits exactly the margin apart match).
    near = max(stay, partitions.LONG_STAY_MINUTES)
    split = d.pg and longest > near

    def others(lo: str, hi: str, extra: str = "") -> str:
        return f"""
      SELECT s.job_id, s.case_id, s.source_id, s.generation, o.person_id, s.venue_id,
             s.s_in, s.s_out, {o_in} AS o_in, {end('o')} AS o_out, s.margin
      FROM s JOIN venues_checkin o ON o.venue_id = s.venue_id{o_span}
       AND {o_raw} >= {d.plus('s.s_in', f'-(s.margin + {lo})')}
       AND {o_raw} {hi}{extra}
       AND o.person_id <> s.source_id
      WHERE s.s_out > s.w_start"""

    if split:
        m = (others(str(near), f"<= {d.plus('s.s_out', 's.margin')}") + "\n      UNION ALL" +
             others(str(longest), f"< {d.plus('s.s_in', f'-(s.margin + {near})')}",
                    f"\n       AND {partitions.long_stay('o')}"))
    else:
        m = others(str(longest), f"<= {d.plus('s.s_out', 's.margin')}")
    # MATERIALIZED: each source visit's margin (by venue kind) is known before the other visits
    # are read, so it bounds their index range scan; inlined, PostgreSQL may join the venues last
    # (a hash join, for a day's batch) and scan each venue's whole span of days.
    materialized = "MATERIALIZED " if d.pg else ""
    return f"""
    WITH s AS {materialized}(
      SELECT j.id AS job_id, j.case_id, j.source_id, j.generation, c.venue_id,
             {s_in} AS s_in, {end('c')} AS s_out, {_margin_sql(rule)} AS margin,
             {d.ts('j.window_start')} AS w_start
      FROM venues_matchjob j
      JOIN venues_checkin c ON c.person_id = j.source_id
       AND {d.ts('c.checked_in_at')} >= {d.plus(d.ts('j.window_start'), -longest)}
       AND {d.ts('c.checked_in_at')} < {d.ts('j.window_end')}{c_span}
      JOIN venues_venue v ON v.id = c.venue_id
      WHERE j.id IN ({job_ids_sql})
    ), m AS ({m}
    )
    SELECT job_id, case_id, source_id, generation, person_id, venue_id, s_in, s_out, o_in, o_out,
           CASE WHEN {d.least('s_out', 'o_out')} >= {d.greatest('s_in', 'o_in')}
                THEN {d.minutes(d.least('s_out', 'o_out'), d.greatest('s_in', 'o_in'))} ELSE 0 END
             AS overlap_minutes,
           CASE WHEN {d.least('s_out', 'o_out')} >= {d.greatest('s_in', 'o_in')} THEN 0
                ELSE {d.minutes(d.greatest('s_in', 'o_in'), d.least('s_out', 'o_out'))} END
             AS gap_minutes
    FROM m
    WHERE {d.seconds(d.greatest('s_in', 'o_in'), d.least('s_out', 'o_out'))} <= m.margin * 60
    """


def _ids_sql(ids: list[int]) -> str:
    return ", ".join(str(int(i)) for i in ids)


def run_batch(job_ids: list[int]) -> dict[str, int]:
    """Match the queued jobs among `job_ids`, all at once (one transaction per rule set).
    The matching of one F0 runs alone: every job of these jobs' cases is locked first (in id
    order), so two runs never propose the same person for the same F0 at once, and a job another
    run has just done is skipped."""
    totals = {"jobs": 0, "matches": 0, "proposals": 0}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The COMMIT need not wait for the disk: what a crash could lose of the last moment's
            # commits is lost whole (the proposals with their jobs' "done"), and the sweep runs
            # those jobs again. Saves the flush of a day's batch (most of a second).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        cases = MatchJob.objects.filter(pk__in=job_ids).values("case_id")
        list(MatchJob.objects.filter(case_id__in=cases).order_by("pk").select_for_update()
             .values_list("pk", flat=True))
        jobs = list(MatchJob.objects.filter(pk__in=job_ids, status=MatchStatus.QUEUED))
        if not jobs:
            return totals
        prepare(jobs)
        by_rule: dict[int, list[int]] = defaultdict(list)
        for job in jobs:
            by_rule[job.rule_set_id].append(job.pk)
        for rule_set_id, ids in by_rule.items():
            rule = as_rule(next(j.rule_set for j in jobs if j.rule_set_id == rule_set_id))
            mine = [j for j in jobs if j.rule_set_id == rule_set_id]
            span = (min(j.window_start for j in mine), max(j.window_end for j in mine))
            counts = _store(Dialect(connection.vendor), rule, ids, span)
            for key in counts:
                totals[key] += counts[key]
    return totals


def _store(d: Dialect, rule: domain.Rule, ids: list[int], span) -> dict[str, int]:
    now = clock.now()
    ids_sql = _ids_sql(ids)
    with connection.cursor() as cursor:
        if d.pg:  # a day's batch sorts hundreds of thousands of matches per (F0, person): in memory
            cursor.execute("SET LOCAL work_mem = '256MB'", [])
        cursor.execute("DROP TABLE IF EXISTS venues_match", [])
        visits = visit_span(rule, ids_sql, span) if d.pg and len(ids) <= FEW_JOBS else None
        cursor.execute(f"CREATE TEMPORARY TABLE venues_match AS {matches_sql(d, rule, ids_sql, span, visits)}", [])
        matched = cursor.rowcount  # PostgreSQL reports the rows of CREATE TABLE AS; SQLite does not
        if matched < 0:
            cursor.execute("SELECT count(*) FROM venues_match", [])
            matched = cursor.fetchone()[0]
        cursor.execute(f"""SELECT 1 FROM venues_proposal WHERE case_id IN (
                             SELECT case_id FROM venues_matchjob WHERE id IN ({ids_sql})) LIMIT 1""", [])
        seen_before = cursor.fetchone() is not None
        if seen_before:
            _add_evidence(cursor, d, ids_sql)
        created = _propose(cursor, d, now, seen_before)
        cursor.execute(f"""
          UPDATE venues_matchjob SET status = 'done', done_at = %s, proposals = (
            SELECT count(*) FROM venues_proposal p
            WHERE p.case_id = venues_matchjob.case_id AND p.source_id = venues_matchjob.source_id)
          WHERE id IN ({ids_sql})""", [now])
        cursor.execute("DROP TABLE venues_match", [])
    return {"jobs": len(ids), "matches": matched, "proposals": created}


_EVIDENCE_COLUMNS = "proposal_id, venue_id, source_in, source_out, visit_in, visit_out, overlap_minutes, gap_minutes"


def _add_evidence(cursor, d: Dialect, ids_sql: str) -> None:
    """Pending proposals of these jobs' cases that existed before (a re-run, a late upload, the F2
    matching of another F1 of the same F0) and got a piece of evidence they did not have: their
    own piece becomes an Evidence row if it was the only one, the new pieces are added, and the
    best piece, the count and the latest visit are worked out again. Runs before the new
    proposals are written, so it reads only the few proposals there were."""
    same = (f"m.venue_id = p.venue_id AND m.s_in = {d.ts('p.source_in')} "
            f"AND m.o_in = {d.ts('p.visit_in')}")
    cursor.execute("DROP TABLE IF EXISTS venues_touched", [])
    cursor.execute(f"""
      CREATE TEMPORARY TABLE venues_touched AS
      SELECT DISTINCT p.id FROM venues_proposal p
      JOIN venues_match m ON m.case_id = p.case_id AND m.person_id = p.person_id AND m.source_id = p.source_id
      WHERE p.case_id IN (SELECT case_id FROM venues_matchjob WHERE id IN ({ids_sql}))
        AND p.status = 'pending' AND NOT ({same})""", [])
    cursor.execute(f"""
      INSERT INTO venues_evidence ({_EVIDENCE_COLUMNS})
      SELECT p.id, p.venue_id, p.source_in, p.source_out, p.visit_in, p.visit_out, p.overlap_minutes,
             p.gap_minutes
      FROM venues_proposal p WHERE p.id IN (SELECT id FROM venues_touched)
      ON CONFLICT (proposal_id, venue_id, source_in, visit_in) DO NOTHING""", [])
    cursor.execute(f"""
      INSERT INTO venues_evidence ({_EVIDENCE_COLUMNS})
      SELECT p.id, m.venue_id, {d.back('m.s_in')}, {d.back('m.s_out')}, {d.back('m.o_in')},
             {d.back('m.o_out')}, m.overlap_minutes, m.gap_minutes
      FROM venues_match m JOIN venues_proposal p
        ON p.case_id = m.case_id AND p.person_id = m.person_id AND p.source_id = m.source_id
      WHERE p.id IN (SELECT id FROM venues_touched)
      ON CONFLICT (proposal_id, venue_id, source_in, visit_in) DO NOTHING""", [])
    cursor.execute(f"""
      UPDATE venues_proposal SET
        visits = (SELECT count(*) FROM venues_evidence e WHERE e.proposal_id = venues_proposal.id),
        last_visit_at = (SELECT max(visit_out) FROM venues_evidence e
                         WHERE e.proposal_id = venues_proposal.id),
        (venue_id, slot_start, overlap_minutes, gap_minutes, source_in, source_out, visit_in, visit_out) = (
          SELECT e.venue_id, {d.hour('e.visit_in') if d.pg else d.hour(d.ts('e.visit_in'))},
                 e.overlap_minutes, e.gap_minutes, e.source_in, e.source_out, e.visit_in, e.visit_out
          FROM venues_evidence e WHERE e.proposal_id = venues_proposal.id
          ORDER BY e.overlap_minutes DESC, e.gap_minutes, e.visit_in LIMIT 1)
      WHERE id IN (SELECT id FROM venues_touched)""", [])
    cursor.execute("DROP TABLE venues_touched", [])


def _propose(cursor, d: Dialect, now: dt.datetime, seen_before: bool) -> int:
    """New proposals, one per (F0, person) that has none, from the best match, with its times,
    the count of visits and the latest contact time (window functions); the F0 is nobody's
    contact here. Existing proposals — pending, confirmed or dismissed — are left as they are:
    when these F0s have any (`seen_before`), the new ones leave their people out (NOT EXISTS;
    run_batch's lock keeps other runs away). A new day's F0s have none, and the check would
    cost a probe per row; the unique (case, person) stays as the safety net. The people are
    those of the check-ins, which are only stored for people who exist (and nobody deletes
    people): no join to check them. The few new proposals with more than one piece of evidence
    get all of them as Evidence rows (on PostgreSQL in the same statement). Returns how many."""
    fresh = ("" if not seen_before else
             " AND NOT EXISTS (SELECT 1 FROM venues_proposal p WHERE p.case_id = b.case_id AND p.person_id = b.person_id)")
    insert = f"""
      INSERT INTO venues_proposal (case_id, source_id, person_id, generation, status, venue_id,
          source_in, source_out, visit_in, visit_out, slot_start, overlap_minutes, gap_minutes,
          last_visit_at, visits, created_at, commune_id, district_id, province_id)
      SELECT b.case_id, b.source_id, b.person_id, b.generation, 'pending', b.venue_id,
             {d.back('b.s_in')}, {d.back('b.s_out')}, {d.back('b.o_in')}, {d.back('b.o_out')},
             {d.hour(d.back('b.o_in')) if d.pg else d.hour('b.o_in')}, b.overlap_minutes,
             b.gap_minutes, {d.back('b.last_out')}, b.visits, %s,
             c.commune_id, c.district_id, c.province_id
      FROM (SELECT m.*,
              ROW_NUMBER() OVER (PARTITION BY case_id, person_id
                ORDER BY generation, overlap_minutes DESC, gap_minutes, o_in, job_id) AS rn,
              COUNT(*) OVER (PARTITION BY case_id, person_id, source_id) AS visits,
              MAX(o_out) OVER (PARTITION BY case_id, person_id, source_id) AS last_out
            FROM venues_match m) b
      JOIN cases_case c ON c.id = b.case_id
      WHERE b.rn = 1 AND b.person_id <> c.person_id{fresh}"""
    evidence = f"""
      INSERT INTO venues_evidence ({_EVIDENCE_COLUMNS})
      SELECT n.id, m.venue_id, {d.back('m.s_in')}, {d.back('m.s_out')}, {d.back('m.o_in')},
             {d.back('m.o_out')}, m.overlap_minutes, m.gap_minutes
      FROM {{new}} n JOIN venues_match m
        ON m.case_id = n.case_id AND m.person_id = n.person_id AND m.source_id = n.source_id
      WHERE n.visits > 1
      ON CONFLICT (proposal_id, venue_id, source_in, visit_in) DO NOTHING"""
    if d.pg:
        cursor.execute(f"""
          WITH new AS ({insert} RETURNING id, case_id, person_id, source_id, visits),
          pieces AS ({evidence.format(new="new")} RETURNING 1)
          SELECT (SELECT count(*) FROM new), (SELECT count(*) FROM pieces)""", [now])
        return cursor.fetchone()[0]
    cursor.execute(insert, [now])
    created = max(cursor.rowcount, 0)
    cursor.execute(evidence.format(new="(SELECT * FROM venues_proposal WHERE created_at = %s)"), [now])
    return created
