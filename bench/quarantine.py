"""Facility board and due lists with 100,000 active placements: p95 of 20 requests (after two
warm-ups) to the board page `/quarantine/`, the due-test page `/quarantine/due/`, and the API's
`/api/facilities/board` and `/api/placements/due-tests`, through Django's test client logged in as
the province leader (`lanhdao`).

Data: 600 facilities in province 26, 100,000 synthetic people each with an active placement that
started in the last 14 days (70 % in a facility, 30 % at home, the rule in force today) and its
scheduled tests (days 1, 7, 14; 80 % of the past ones done), loaded with COPY, counters set, and
removed again after the run (the benchmark database keeps only what other benchmarks load).

Baselines, measured in the same run on the same rows:
- board: the naive way to fill it — one COUNT of active placements per facility, summed in Python;
- due list: computed in Python without scheduled-test rows — every active placement in the
  province with its rule, its test days worked out, the person's samples since the start looked
  up (one query for all), the open ones sorted, the first page kept."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict

import numpy as np
from django.db import connection, transaction
from django.test import Client

from bench import datasets
from bench.common import Result, percentiles, timed
from chongdich.accounts.models import User
from chongdich.core import clock
from chongdich.core.text import fold
from chongdich.demo import bulk, names
from chongdich.demo.services import demo_accounts_ensure
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.people.models import Person
from chongdich.quarantine import domain, selectors
from chongdich.quarantine.models import Facility, Placement, PlacementStatus, ScheduledTest
from chongdich.testing.models import Sample

PLACEMENTS, FACILITIES, REQUESTS = 100_000, 600, 20
AT_HOME, DONE = 0.3, 0.8
TARGET = 0.300
MARK = "bench-quarantine"  # people.occupation and facility code prefix of the synthetic rows


def _cleanup() -> None:
    """Remove the synthetic rows (of this run, or left by an interrupted one)."""
    with connection.cursor() as cursor:
        cursor.execute(f"""
            DELETE FROM {ScheduledTest._meta.db_table} WHERE placement_id IN (
              SELECT p.id FROM {Placement._meta.db_table} p JOIN {Person._meta.db_table} pe
              ON pe.id = p.person_id WHERE pe.occupation = %s)""", [MARK])
        cursor.execute(f"""DELETE FROM {Placement._meta.db_table} WHERE person_id IN (
              SELECT id FROM {Person._meta.db_table} WHERE occupation = %s)""", [MARK])
        cursor.execute(f"DELETE FROM {Facility._meta.db_table} WHERE code LIKE %s", [MARK + "%"])
        cursor.execute(f"DELETE FROM {Person._meta.db_table} WHERE occupation = %s", [MARK])


def _load(n: int, facilities: int, say) -> None:
    rng = np.random.default_rng(7)
    today = clock.today()
    communes = np.array(list(AdminUnit.objects.filter(
        province__code=datasets.PROVINCE, level=UnitLevel.COMMUNE).values_list("pk", "district_id", "province_id")))
    facility_rule = selectors.rule_for_placement(on=today, purpose="quarantine", condition="standard",
                                                 setting="facility")[1]
    home_rule = selectors.rule_for_placement(on=today, purpose="quarantine", condition="standard",
                                             setting="home")[1]
    # People
    person0 = bulk.next_id(Person)
    where = communes[rng.integers(0, len(communes), n)]
    family = np.array([f for f, _ in names.FAMILY_NAMES], dtype=object)[rng.integers(0, len(names.FAMILY_NAMES), n)]
    given = np.array(names.MALE_GIVEN + names.FEMALE_GIVEN, dtype=object)[rng.integers(0, 100, n)]
    full = (family + " Thị " + given).tolist()
    cache: dict[str, str] = {}
    bulk.insert(Person._meta.db_table, {
        "id": person0 + np.arange(n), "full_name": full,
        "name_folded": [cache.get(x) or cache.setdefault(x, fold(x)) for x in full],
        "birth_year": rng.integers(1940, 2020, n), "sex": ["female"] * n, "phone": [""] * n,
        "citizen_id": [""] * n, "commune_id": where[:, 0], "district_id": where[:, 1],
        "province_id": where[:, 2], "address": [""] * n, "occupation": [MARK] * n, "workplace": [""] * n,
        "created_at": np.full(n, np.datetime64(clock.now().replace(tzinfo=None), "s")),
    })
    # Facilities: 70 % of the people in them, the counters set to what the placements say
    in_facility = rng.random(n) >= AT_HOME
    facility_of = np.where(in_facility, rng.integers(0, facilities, n), -1)
    occupied = np.bincount(facility_of[facility_of >= 0], minlength=facilities)
    spare = np.where(rng.random(facilities) < 0.15, 0, rng.integers(0, 120, facilities))
    site = communes[rng.integers(0, len(communes), facilities)]
    kinds = np.where(np.arange(facilities) % 10 == 0, "field_hospital", "quarantine")
    facility0 = bulk.next_id(Facility)
    bulk.insert(Facility._meta.db_table, {
        "id": facility0 + np.arange(facilities),
        "code": [f"{MARK}-{i:05d}" for i in range(facilities)],
        "name": [f"Khu cách ly số {i + 1}" for i in range(facilities)], "kind": kinds.tolist(),
        "tier": np.where(kinds == "field_hospital", 1, -1), "address": [""] * facilities,
        "capacity": occupied + spare, "occupied": occupied, "status": ["active"] * facilities,
        "staff_name": [""] * facilities, "staff_phone": [""] * facilities, "note": [""] * facilities,
        "created_at": np.full(facilities, np.datetime64(clock.now().replace(tzinfo=None), "s")),
        "commune_id": site[:, 0], "district_id": site[:, 1], "province_id": site[:, 2],
    })
    # Placements, started in the last 14 days
    placement0 = bulk.next_id(Placement)
    started = np.datetime64(today) - rng.integers(0, 14, n).astype("timedelta64[D]")
    stay = np.where(in_facility, facility_rule.stay_days, home_rule.stay_days)
    keys = np.where(in_facility[:, None], site[np.maximum(facility_of, 0)], where)
    bulk.insert(Placement._meta.db_table, {
        "id": placement0 + np.arange(n), "person_id": person0 + np.arange(n), "case_id": np.full(n, -1),
        "purpose": ["quarantine"] * n, "setting": np.where(in_facility, "facility", "home").tolist(),
        "condition": ["standard"] * n, "facility_id": np.where(in_facility, facility0 + facility_of, -1),
        "rule_id": np.where(in_facility, facility_rule.pk, home_rule.pk),
        "started_at": started.astype("datetime64[s]") + np.timedelta64(2, "h"), "started_on": started,
        "planned_end_on": started + (stay - 1).astype("timedelta64[D]"),
        "monitoring_until": started + (stay - 1 + facility_rule.monitoring_days).astype("timedelta64[D]"),
        "status": ["active"] * n, "ended_at": np.full(n, np.datetime64("NaT"), dtype="datetime64[s]"),
        "end_reason": [""] * n, "override_reason": [""] * n, "note": [""] * n,
        "created_at": started.astype("datetime64[s]") + np.timedelta64(2, "h"),
        "commune_id": keys[:, 0], "district_id": keys[:, 1], "province_id": keys[:, 2],
    })
    # Scheduled tests
    days = np.array(sorted(facility_rule.test_days), dtype=np.int64)
    which = np.repeat(np.arange(n), len(days))
    day = np.tile(days, n)
    due = started[which] + (day - 1).astype("timedelta64[D]")
    done = (due < np.datetime64(today)) & (rng.random(len(due)) < DONE)
    bulk.insert(ScheduledTest._meta.db_table, {
        "placement_id": placement0 + which, "day": day, "due_on": due, "sample_id": np.full(len(due), -1),
        "open": np.where(done, "f", "t").tolist() if connection.vendor == "postgresql" else ~done,
        "commune_id": keys[which, 0], "district_id": keys[which, 1], "province_id": keys[which, 2],
    })
    bulk.reset_sequences(Person, Facility, Placement, ScheduledTest)
    say(f"  loaded {n:,} people and placements, {facilities} facilities, {len(due):,} scheduled tests")


def _naive_board(leader) -> int:
    """One COUNT per facility, sums in Python."""
    per_district: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for facility in selectors.facility_list(actor=leader):
        taken = Placement.objects.filter(facility=facility, status=PlacementStatus.ACTIVE).count()
        per_district[facility.district_id][0] += facility.capacity
        per_district[facility.district_id][1] += taken
    return len(per_district)


def _naive_due(leader, page: int = 50) -> list:
    """Test days worked out in Python from every active placement and its rule."""
    today = clock.today()
    placements = list(selectors.placement_list(actor=leader))
    since = min((p.started_on for p in placements), default=today)
    sampled: dict[int, list[dt.date]] = defaultdict(list)
    for person_id, taken_on in Sample.objects.filter(
            person_id__in=[p.person_id for p in placements], taken_on__gte=since).values_list("person_id", "taken_on"):
        sampled[person_id].append(taken_on)
    due = []
    for p in placements:
        for day_number, due_on in domain.plan(selectors.as_domain_rule(p.rule), p.started_on).tests:
            if due_on <= today and not any(d >= due_on for d in sampled[p.person_id]):
                due.append((due_on, p.pk, day_number, p))
    due.sort(key=lambda row: row[:2])
    return due[:page]


def _measure(fn) -> list[float]:
    for _ in range(2):
        fn()
    return [timed(fn)[0] for _ in range(REQUESTS)]


def run(scale: float, say=print) -> list[Result]:
    n, facilities = max(1000, int(PLACEMENTS * scale)), max(20, int(FACILITIES * scale))
    demo_accounts_ensure(province_code=datasets.PROVINCE)
    leader = User.objects.get(username="lanhdao")
    _cleanup()
    try:
        began = time.perf_counter()
        with transaction.atomic():
            _load(n, facilities, say)
        # A database in use has its statistics and visibility map current (autovacuum); after a
        # bulk load they are made so at once.
        bulk.vacuum([m._meta.db_table for m in (Person, Facility, Placement, ScheduledTest)])
        say(f"  load {time.perf_counter() - began:.1f} s")
        active = Placement.objects.filter(province__code=datasets.PROVINCE, status=PlacementStatus.ACTIVE).count()
        board_naive = min(timed(_naive_board, leader)[0] for _ in range(2))
        due_naive = min(timed(_naive_due, leader)[0] for _ in range(2))
        client = Client()
        client.force_login(leader)
        pages = (
            ("board page /quarantine/", "/quarantine/", board_naive, "one COUNT per facility, summed in Python"),
            ("due tests page /quarantine/due/", "/quarantine/due/", due_naive,
             "test days computed in Python from every placement"),
            ("API /api/facilities/board", "/api/facilities/board", board_naive,
             "one COUNT per facility, summed in Python"),
            ("API /api/placements/due-tests", "/api/placements/due-tests", due_naive,
             "test days computed in Python from every placement"),
        )
        results = []
        for label, path, baseline, how in pages:
            def get(path=path):
                response = client.get(path)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {path} answered {response.status_code}")
                return response
            samples = _measure(get)
            p50, p95 = percentiles(samples)
            results.append(Result(
                name=f"quarantine: {label} ({active:,} active placements, {facilities} facilities)",
                figure=p95, baseline=baseline, baseline_how=how, target=TARGET, target_text="p95 < 300 ms",
                note=f"p50 {p50 * 1000:.0f} ms over {REQUESTS} requests",
                extra={"p50": p50, "p95": p95, "samples": samples},
            ))
        return results
    finally:
        _cleanup()
