"""Venues, check-ins and exposure matching at the size of a province: 1,500,000 people, 50,000
venues with a skewed popularity (weight 1/(rank + 30): the busiest get thousands of scans a
day, most a handful) and 10,000,000 check-ins over the last 14 days (60 % with a check-out).

Figures (each next to the obvious way, measured in the same run, time-boxed and extrapolated
where it would take too long — the note says so):
- loading the check-ins: binary COPY into the day-partitioned table with its three secondary
  indexes dropped and rebuilt around the load (PostgreSQL's advice for a bulk load), on two
  connections (one per core), each loading every other day and building those days' indexes
  (`_load_parallel`); baseline: one ORM `create` per check-in;
- proposed F1 for one new F0: the matching query's database time (p95), and the whole API call
  POST /api/venues/cases/{id}/match (match, store proposals and evidence; p95); baseline: an ORM
  loop per visit of the F0 (the venue's visitors read per visit, proposals and evidence created
  one by one);
- a day's batch of 5,000 F0: every proposal computed and stored, set-based, through
  `services_exposures.matching_run` (what the task runs: on PostgreSQL in two parts at once,
  split by F0); baseline: the naive loop's time per F0 × 5,000;
- the tracer's page for a venue with 10,000 pending proposals (p95 of GET
  /venues/proposals/?venue=…); baseline: every proposal of the venue read through the ORM and
  grouped in Python, the person read per row.
The machine's limit: a full sequential scan of the check-ins (`SELECT count(*)`, no parallel
workers) is timed and printed with every figure.

Synthetic rows are marked (people.occupation, venue code prefix, case code prefix) and removed
after the run; the check-in table is emptied (the benchmark database holds nothing else there).
"""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
from django.db import connection, transaction
from django.test import Client

from bench import datasets
from bench.common import Result, percentiles, timed
from chongdich.accounts.models import User
from chongdich.cases.models import Case
from chongdich.core import clock
from chongdich.demo import bulk
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.people.models import Person
from chongdich.venues import domain, matching, partitions, services_exposures
from chongdich.venues.models import CheckIn, Evidence, MatchJob, Proposal, Venue
from chongdich.venues.rule_data import as_rule

PEOPLE, VENUES, CHECKINS, DAYS, BATCH, PAGE_PROPOSALS = 1_500_000, 50_000, 10_000_000, 14, 5_000, 10_000
MARK = "bench-venues"
CODE = "BV"  # venue codes and case codes of the synthetic rows start with it
PG_EPOCH = np.datetime64("2000-01-01T00:00:00", "us")
SINGLE_RUNS, PAGE_RUNS, NAIVE_BOX, WARM_UP = 22, 10, 20.0, 2


def _cleanup() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE venues_checkin")
        cursor.execute("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                       " WHERE c.relname = ANY(%s) AND i.indisvalid", [list(partitions.INDEX_NAMES)])
        if cursor.fetchone()[0] < len(partitions.INDEX_NAMES):  # an interrupted load left them out
            with partitions.indexes_rebuilt():
                pass
        cursor.execute("DELETE FROM venues_evidence WHERE venue_id IN (SELECT id FROM venues_venue WHERE code LIKE %s)",
                       [CODE + "%"])
        cursor.execute("DELETE FROM venues_proposal WHERE venue_id IN (SELECT id FROM venues_venue WHERE code LIKE %s)"
                       " OR case_id IN (SELECT id FROM cases_case WHERE code LIKE %s)", [CODE + "%", CODE + "-%"])
        cursor.execute("DELETE FROM venues_matchjob WHERE case_id IN (SELECT id FROM cases_case WHERE code LIKE %s)",
                       [CODE + "-%"])
        with transaction.atomic():
            # Proposals and evidence carry no index on venue_id (a day of matching writes
            # hundreds of thousands of them): the foreign-key check of each deleted venue would
            # scan both tables. Their rows of these venues are gone already (above), so the
            # checks are skipped for this one statement.
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("DELETE FROM venues_venue WHERE code LIKE %s", [CODE + "%"])
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        cursor.execute("DELETE FROM cases_casestatusevent WHERE case_id IN (SELECT id FROM cases_case WHERE code LIKE %s)",
                       [CODE + "-%"])
        cursor.execute("DELETE FROM cases_case WHERE code LIKE %s", [CODE + "-%"])
        with transaction.atomic():  # the same for people (proposal.source_id has no index)
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("DELETE FROM people_person WHERE occupation = %s", [MARK])


def _communes() -> np.ndarray:
    return np.array(list(AdminUnit.objects.filter(province__code=datasets.PROVINCE, level=UnitLevel.COMMUNE)
                         .values_list("pk", "district_id", "province_id")), dtype=np.int64)


def _load_people_and_venues(rng, n_people: int, n_venues: int) -> tuple[int, int]:
    communes = _communes()
    now = np.datetime64(clock.now().replace(tzinfo=None), "s")
    person0 = bulk.next_id(Person)
    where = communes[rng.integers(0, len(communes), n_people)]
    names = [f"Người thử {i}" for i in range(n_people)]
    bulk.insert(Person._meta.db_table, {
        "id": person0 + np.arange(n_people), "full_name": names, "name_folded": [n.lower() for n in names],
        "birth_year": rng.integers(1940, 2020, n_people), "sex": ["unknown"] * n_people,
        "phone": [""] * n_people, "citizen_id": [""] * n_people, "commune_id": where[:, 0],
        "district_id": where[:, 1], "province_id": where[:, 2], "address": [""] * n_people,
        "occupation": [MARK] * n_people, "workplace": [""] * n_people, "created_at": np.full(n_people, now),
    })
    venue0 = bulk.next_id(Venue)
    site = communes[rng.integers(0, len(communes), n_venues)]
    kinds = np.array(["market", "factory", "shop", "restaurant", "office", "bus", "school", "health"])
    capacity = np.maximum((3000 / (np.arange(n_venues) / 50 + 1)).astype(np.int64), 10)
    bulk.insert(Venue._meta.db_table, {
        "id": venue0 + np.arange(n_venues), "code": [f"{CODE}{i:08d}" for i in range(n_venues)],
        "name": [f"Địa điểm {i}" for i in range(n_venues)],
        "kind": kinds[np.minimum(np.arange(n_venues) % 8, 7)].tolist(), "address": [""] * n_venues,
        "capacity": capacity, "active": ["t"] * n_venues, "note": [""] * n_venues,
        "created_at": np.full(n_venues, now), "commune_id": site[:, 0], "district_id": site[:, 1],
        "province_id": site[:, 2],
    })
    bulk.reset_sequences(Person, Venue)
    return person0, venue0


def _checkins(rng, n: int, person0: int, n_people: int, venue0: int, n_venues: int, today: dt.date):
    """Arrays (venue, person, in, out or NaT), sorted by time: 14 days, busier in the morning,
    at noon and after work (local time), venues by weight 1/(rank + 30)."""
    weights = 1.0 / (np.arange(n_venues) + 30.0)
    venue = venue0 + np.searchsorted(np.cumsum(weights / weights.sum()), rng.random(n))
    person = person0 + rng.integers(0, n_people, n)
    hours = np.array([1, 1, 1, 1, 1, 3, 6, 9, 9, 7, 6, 8, 9, 7, 6, 6, 7, 9, 9, 8, 6, 4, 2, 1], dtype=float)
    hour = rng.choice(24, n, p=hours / hours.sum())
    first = np.datetime64(today - dt.timedelta(days=DAYS - 1)).astype("datetime64[s]") - np.timedelta64(7, "h")
    seconds = rng.integers(0, DAYS, n) * 86400 + hour * 3600 + rng.integers(0, 3600, n)
    came = first + seconds.astype("timedelta64[s]")
    stay = np.clip(rng.exponential(40 * 60, n), 300, 36000).astype("timedelta64[s]")
    left = np.where(rng.random(n) < 0.6, came + stay, np.datetime64("NaT"))
    order = np.argsort(came, kind="stable")
    return venue[order], person[order], came[order], left[order]


def _copy(venue, person, came, left) -> None:
    """Binary COPY: fixed-width rows built by NumPy, two streams (with and without check-out)."""
    came_us = (came.astype("datetime64[us]") - PG_EPOCH).astype(np.int64)
    has_out = ~np.isnat(left)
    left_us = (left.astype("datetime64[us]") - PG_EPOCH).astype(np.int64)
    for with_out in (True, False):
        pick = has_out if with_out else ~has_out
        fields = [("venue_id", venue[pick]), ("person_id", person[pick]), ("checked_in_at", came_us[pick])]
        if with_out:
            fields.append(("checked_out_at", left_us[pick]))
        dtype = [("n", ">i2")]
        for i in range(len(fields)):
            dtype += [(f"l{i}", ">i4"), (f"v{i}", ">i8")]
        rows = np.empty(int(pick.sum()), dtype=dtype)
        rows["n"] = len(fields)
        for i, (_name, values) in enumerate(fields):
            rows[f"l{i}"] = 8
            rows[f"v{i}"] = values
        columns = ", ".join(name for name, _v in fields)
        with connection.connection.cursor() as cursor, \
                cursor.copy(f"COPY venues_checkin ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big"))
            step = 500_000
            for lo in range(0, len(rows), step):
                copy.write(rows[lo:lo + step].tobytes())
            copy.write((-1).to_bytes(2, "big", signed=True))


def _load_parallel(arrays, workers: int = 2) -> None:
    """The bulk load, one connection per core: the secondary indexes dropped; each worker COPYs
    the rows of every other day (through the parent table) and builds those days' partition
    indexes, in its own transaction; then each index is declared on the parent alone (ON ONLY)
    and the partitions' indexes are attached to it, which makes it valid (PostgreSQL's way of
    building a partitioned index piecewise). Not atomic as a whole: an interrupted load leaves
    the table without its indexes (`_cleanup` rebuilds them)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    venue, person, came, left = arrays
    with connection.cursor() as cursor:
        for name in partitions.INDEX_NAMES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    days = sorted(partitions.existing().items())
    starts = [np.datetime64(partitions.bounds(day)[0].astimezone(dt.UTC).replace(tzinfo=None), "s") for day, _n in days]
    edges = list(np.searchsorted(came, starts)) + [len(came)]
    groups: list[list[tuple[str, int, int]]] = [[] for _ in range(workers)]
    for i, (_day, name) in enumerate(days):
        groups[i % workers].append((name, int(edges[i]), int(edges[i + 1])))
    if len(came) and (came[0] < starts[0]):
        raise RuntimeError("check-ins before the first partition")

    def work(group):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cursor.execute("SET LOCAL max_parallel_maintenance_workers = 0")  # the other worker has the other core
                for _name, lo, hi in group:
                    if hi > lo:
                        _copy(venue[lo:hi], person[lo:hi], came[lo:hi], left[lo:hi])
                for name, _lo, _hi in group:
                    for index, statement in zip(partitions.INDEX_NAMES, partitions.INDEXES, strict=True):
                        cursor.execute(statement.replace(f"{index} ON {partitions.TABLE} ", f"{name}_{index} ON {name} "))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(work, groups))
    with transaction.atomic(), connection.cursor() as cursor:
        for index, statement in zip(partitions.INDEX_NAMES, partitions.INDEXES, strict=True):
            cursor.execute(statement.replace(f" ON {partitions.TABLE} ", f" ON ONLY {partitions.TABLE} "))
            for _day, name in days:
                cursor.execute(f"ALTER INDEX {index} ATTACH PARTITION {name}_{index}")


def _naive_load(venue, person, came, box: float) -> float:
    """Seconds per check-in, one ORM create each (time-boxed, rolled back)."""
    done, began = 0, time.perf_counter()
    tz = dt.UTC
    try:
        with transaction.atomic():
            while time.perf_counter() - began < box and done < len(venue):
                CheckIn.objects.create(venue_id=int(venue[done]), person_id=int(person[done]),
                                       checked_in_at=came[done].astype(dt.datetime).replace(tzinfo=tz))
                done += 1
            raise _Rollback
    except _Rollback:
        pass
    return (time.perf_counter() - began) / max(done, 1)


class _Rollback(Exception):
    pass


def _cases(rng, people: np.ndarray, confirmed: dt.datetime) -> list[int]:
    """F0 cases for `people` (distinct), confirmed at `confirmed`, in their communes."""
    n = len(people)
    keys = np.array(list(Person.objects.filter(pk__in=people.tolist()).order_by("pk")
                         .values_list("pk", "commune_id", "district_id", "province_id")), dtype=np.int64)
    case0 = bulk.next_id(Case)
    at = np.full(n, np.datetime64(confirmed.replace(tzinfo=None), "s"))
    start = Case.objects.filter(code__startswith=CODE + "-").count()
    bulk.insert(Case._meta.db_table, {
        "id": case0 + np.arange(n), "code": [f"{CODE}-{start + i:07d}" for i in range(n)],
        "external_ref": [""] * n, "person_id": keys[:, 0], "confirmed_at": at,
        "confirmed_on": at.astype("datetime64[D]"), "onset_on": np.full(n, np.datetime64("NaT"), dtype="datetime64[D]"),
        "detection": ["community"] * n, "infected_by_id": np.full(n, -1), "cluster_id": np.full(n, -1),
        "status": ["home_care"] * n, "status_since": at, "ended_on": np.full(n, np.datetime64("NaT"), dtype="datetime64[D]"),
        "discarded_at": np.full(n, np.datetime64("NaT"), dtype="datetime64[s]"), "discard_reason": [""] * n,
        "note": [""] * n, "created_at": at, "commune_id": keys[:, 1], "district_id": keys[:, 2],
        "province_id": keys[:, 3],
    })
    bulk.reset_sequences(Case)
    return (case0 + np.arange(n)).tolist()


def _jobs(case_ids: list[int]) -> list[int]:
    now = clock.now()
    rows = Case.objects.filter(pk__in=case_ids).values_list("pk", "person_id")
    MatchJob.objects.bulk_create([MatchJob(case_id=c, source_id=p, requested_at=now) for c, p in rows],
                                 batch_size=5000)
    return list(MatchJob.objects.filter(case_id__in=case_ids).values_list("pk", flat=True))


def _naive_match(job: MatchJob) -> int:
    """The obvious way: the F0's visits in the window, then per visit the venue's visitors around
    it, overlap in Python, proposals and evidence created one by one."""
    rule = as_rule(job.rule_set)
    made = 0
    for visit in CheckIn.objects.filter(person_id=job.source_id, checked_in_at__lt=job.window_end,
                                        checked_in_at__gte=job.window_start - dt.timedelta(minutes=rule.max_stay_minutes)):
        venue = Venue.objects.get(pk=visit.venue_id)
        margin = rule.margin_for(venue.kind)
        s_out = domain.visit_end(visit.checked_in_at, visit.checked_out_at, rule)
        if s_out <= job.window_start:
            continue
        lo = visit.checked_in_at - dt.timedelta(minutes=margin + rule.max_stay_minutes)
        for other in CheckIn.objects.filter(venue_id=visit.venue_id, checked_in_at__gt=lo,
                                            checked_in_at__lte=s_out + dt.timedelta(minutes=margin)):
            if other.person_id == job.source_id:
                continue
            o_out = domain.visit_end(other.checked_in_at, other.checked_out_at, rule)
            seconds = domain.overlap_seconds(visit.checked_in_at, s_out, other.checked_in_at, o_out)
            if not domain.exposed(seconds, margin):
                continue
            overlap, gap = domain.overlap_and_gap(visit.checked_in_at, s_out, other.checked_in_at, o_out)
            case = Case.objects.get(pk=job.case_id)
            proposal, created = Proposal.objects.get_or_create(case_id=job.case_id, person_id=other.person_id, defaults={
                "source_id": job.source_id, "venue_id": visit.venue_id, "slot_start": domain.slot_of(other.checked_in_at),
                "overlap_minutes": overlap, "gap_minutes": gap, "last_visit_at": o_out, "created_at": clock.now(),
                "source_in": visit.checked_in_at, "source_out": s_out, "visit_in": other.checked_in_at, "visit_out": o_out,
                "commune_id": case.commune_id, "district_id": case.district_id, "province_id": case.province_id})
            Evidence.objects.get_or_create(proposal=proposal, venue_id=visit.venue_id, source_in=visit.checked_in_at,
                                           visit_in=other.checked_in_at, defaults={
                                               "source_out": s_out, "visit_out": o_out, "overlap_minutes": overlap,
                                               "gap_minutes": gap})
            made += created
    return made


def _naive_per_f0(job_ids: list[int], box: float) -> tuple[float, int]:
    """Mean seconds per F0 of the naive loop (rolled back), over as many F0 as fit in `box`."""
    jobs = list(MatchJob.objects.filter(pk__in=job_ids).select_related("rule_set"))
    began, done = time.perf_counter(), 0
    try:
        with transaction.atomic():
            matching.prepare(jobs)
            for job in jobs:
                _naive_match(job)
                done += 1
                if time.perf_counter() - began > box:
                    break
            raise _Rollback
    except _Rollback:
        pass
    return (time.perf_counter() - began) / max(done, 1), done


def _match_query_seconds(job: MatchJob, rule) -> float:
    """The two queries `matching._store` runs to find one F0's matches: the span of its visits,
    then the matches (counted here instead of stored)."""
    with connection.cursor() as cursor:
        began = time.perf_counter()
        span = (job.window_start, job.window_end)
        visits = matching.visit_span(rule, str(job.pk), span)
        sql = matching.matches_sql(matching.Dialect("postgresql"), rule, str(job.pk), span, visits)
        cursor.execute(f"SELECT count(*) FROM ({sql}) AS m", [])
        cursor.fetchone()
        return time.perf_counter() - began


def _seq_scan() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SELECT count(*) FROM venues_checkin")  # warm
        began = time.perf_counter()
        cursor.execute("SELECT count(*) FROM venues_checkin")
        cursor.fetchone()
        seconds = time.perf_counter() - began
        cursor.execute("RESET max_parallel_workers_per_gather")
    return seconds


def _page_proposals(rng, venue_id: int, person0: int, n_people: int, case_id: int, n: int) -> None:
    case = Case.objects.get(pk=case_id)
    people = person0 + rng.choice(n_people, n, replace=False)
    people = people[people != case.person_id]
    n = len(people)
    now = np.datetime64(clock.now().replace(tzinfo=None), "s")
    slot = (now.astype("datetime64[h]") - rng.integers(1, 72, n).astype("timedelta64[h]")).astype("datetime64[s]")
    bulk.insert(Proposal._meta.db_table, {
        "case_id": np.full(n, case_id), "source_id": np.full(n, case.person_id), "person_id": people,
        "generation": np.ones(n, dtype=np.int64), "status": ["pending"] * n, "venue_id": np.full(n, venue_id),
        "slot_start": slot, "overlap_minutes": rng.integers(0, 90, n), "gap_minutes": rng.integers(0, 60, n),
        "source_in": slot, "source_out": slot + np.timedelta64(3600, "s"), "visit_in": slot,
        "visit_out": slot + np.timedelta64(3600, "s"),
        "last_visit_at": slot + np.timedelta64(3600, "s"), "visits": np.ones(n, dtype=np.int64),
        "contact_id": np.full(n, -1), "created_at": np.full(n, now), "decided_at": np.full(n, np.datetime64("NaT"), dtype="datetime64[s]"),
        "decided_by_id": np.full(n, -1), "commune_id": np.full(n, case.commune_id),
        "district_id": np.full(n, case.district_id), "province_id": np.full(n, case.province_id),
    })


def _naive_page(venue_id: int) -> int:
    groups: dict = {}
    for p in Proposal.objects.filter(venue_id=venue_id, status="pending"):
        groups.setdefault(p.slot_start, []).append((p.overlap_minutes, p.person.full_name, p.pk))
    for rows in groups.values():
        rows.sort(reverse=True)
    return sum(len(r) for r in groups.values())


def _leader() -> User:
    province = AdminUnit.objects.get(code=datasets.PROVINCE, level=UnitLevel.PROVINCE)
    user = User.objects.filter(username="bench-venues").first()
    return user or User.objects.create_user(username="bench-venues", password="bench-venues-123456",
                                            unit=province, role=User.Role.LEADER)


def run(scale: float, say=print) -> list[Result]:
    n_people, n_venues = max(5000, int(PEOPLE * scale)), max(200, int(VENUES * scale))
    n_checkins, batch = max(20_000, int(CHECKINS * scale)), max(50, int(BATCH * scale))
    today = clock.today()
    rng = np.random.default_rng(11)
    leader = _leader()
    _cleanup()
    results: list[Result] = []
    try:
        with transaction.atomic():
            person0, venue0 = _load_people_and_venues(rng, n_people, n_venues)
        bulk.vacuum(["people_person", "venues_venue"])
        partitions.ensure_range(today - dt.timedelta(days=DAYS + 1), today + dt.timedelta(days=7))
        arrays, gen = timed(_checkins, rng, n_checkins, person0, n_people, venue0, n_venues, today)[::-1]
        say(f"  {n_people:,} people, {n_venues:,} venues; {n_checkins:,} check-ins generated in {gen:.1f} s")
        naive_each = _naive_load(*arrays[:3], box=3.0)
        load, _ = timed(_load_parallel, arrays)
        bulk.vacuum(["venues_checkin"])
        scan = _seq_scan()
        bound = f"machine bound: sequential scan of the {n_checkins:,} check-ins {scan * 1000:.0f} ms"
        say(f"  COPY {load:.1f} s; {bound}")
        results.append(Result(
            name=f"venues: load {n_checkins:,} check-ins (binary COPY into the day partitions, indexes rebuilt)",
            figure=load, baseline=naive_each * n_checkins, baseline_how="ORM create per check-in, time-boxed 3 s, extrapolated",
            target=30.0 * max(scale, 0.001), target_text=f"< {30 * scale:g} s (30 s at full scale)",
            note=f"{n_checkins / load:,.0f} rows/s; {bound}"))
        # One new F0 at a time, then a day's batch
        visitors = np.unique(arrays[1][arrays[2] >= np.datetime64(today - dt.timedelta(days=2))])
        chosen = rng.choice(visitors, min(len(visitors), batch + SINGLE_RUNS), replace=False)
        confirmed = clock.now()
        singles = _cases(rng, chosen[:SINGLE_RUNS], confirmed)
        single_jobs = _jobs(singles)
        jobs = list(MatchJob.objects.filter(pk__in=single_jobs).select_related("rule_set"))
        matching.prepare(jobs)
        rule = as_rule(jobs[0].rule_set)
        query = [_match_query_seconds(j, rule) for j in jobs][WARM_UP:]
        naive_f0, naive_n = _naive_per_f0(single_jobs[:5], NAIVE_BOX)
        client = Client()
        client.force_login(leader)
        api = []
        for i, case_id in enumerate(singles):
            seconds, response = timed(client.post, f"/api/venues/cases/{case_id}/match")
            if response.status_code != 200:
                raise RuntimeError(f"match answered {response.status_code}: {response.content[:300]}")
            if i >= WARM_UP:
                api.append(seconds)
        q50, q95 = percentiles(query)
        a50, a95 = percentiles(api)
        results.append(Result(
            name="venues: proposed F1 for one new F0 — matching query, database time",
            figure=q95, baseline=naive_f0, baseline_how=f"ORM loop per visit (mean of {naive_n} F0)",
            target=0.005, target_text="p95 < 5 ms", note=f"p50 {q50 * 1000:.1f} ms over {len(query)} F0; {bound}"))
        results.append(Result(
            name="venues: proposed F1 for one new F0 — POST /api/venues/cases/{id}/match (match + store)",
            figure=a95, baseline=naive_f0, baseline_how=f"ORM loop per visit (mean of {naive_n} F0)",
            target=0.050, target_text="p95 < 50 ms", note=f"p50 {a50 * 1000:.1f} ms over {len(api)} F0"))
        day_cases = _cases(rng, chosen[SINGLE_RUNS:], confirmed)
        day_jobs = _jobs(day_cases)
        seconds, totals = timed(lambda: services_exposures.matching_run(job_ids=day_jobs))
        results.append(Result(
            name=f"venues: a day's batch of {len(day_cases):,} F0 — all proposals computed and stored",
            figure=seconds, baseline=naive_f0 * len(day_cases),
            baseline_how="naive loop per F0 × number of F0 (extrapolated)",
            target=10.0, target_text="< 10 s",
            note=f"{totals['matches']:,} matches, {totals['proposals']:,} proposals; {bound}"))
        # The tracer's page for a venue with 10,000 proposals
        busiest = int(venue0)
        spare = np.setdiff1d(np.arange(person0, person0 + 1000), chosen)[:1]
        _page_proposals(rng, busiest, person0, n_people, _cases(rng, spare, confirmed)[0], PAGE_PROPOSALS)
        bulk.vacuum(["venues_proposal"])
        pending = Proposal.objects.filter(venue_id=busiest, status="pending").count()

        def page():
            response = client.get(f"/venues/proposals/?venue={busiest}")
            if response.status_code != 200:
                raise RuntimeError(f"page answered {response.status_code}")
        for _ in range(2):
            page()
        samples = [timed(page)[0] for _ in range(PAGE_RUNS)]
        naive = min(timed(_naive_page, busiest)[0] for _ in range(1))
        p50, p95 = percentiles(samples)
        results.append(Result(
            name=f"venues: tracer's page for a venue with {pending:,} pending proposals",
            figure=p95, baseline=naive, baseline_how="ORM read of every proposal, grouped in Python, person per row",
            target=0.300, target_text="p95 < 300 ms", note=f"p50 {p50 * 1000:.0f} ms over {PAGE_RUNS} requests"))
        for r in results:
            say(f"  {r.name}: {r.figure * 1000:.1f} ms (baseline {r.baseline * 1000:.0f} ms) {r.note}")
        return results
    finally:
        _cleanup()
