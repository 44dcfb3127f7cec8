"""Weekly risk levels for the whole country: assess every commune (~10,600), district (~705) and
province (63) for week 2021-W50 from a year of 2,000,000 cases and 50,000,000 dose records
(target: under 2 s), next to the naive way in the same run.

Data: the country's units (`units_load`, once); 2,000,000 synthetic cases over 2021 (52 weeks, a
summer and a December wave, communes weighted so levels differ) of people already in the database
(the dose records' people) or of new synthetic people when there are not enough, one treatment
facility per district, loaded with COPY and removed after the run (BENCH_RISK_KEEP=1 keeps them);
dose records from `bench/vaccination_data.ensure_dose_records` when that
module exists (the vaccination benchmark's generator), otherwise none — coverage is then unknown
for every unit and the run says so (BENCH_RISK_DOSE_SCALE sets their scale apart from the cases'). CaseDayCount and status events are not filled: the rule in
force for the week (Decision 4800) reads neither deaths nor oxygen.

Figure: `risk.assess.assess_week` (one query per input for all units, the rule in Python, one bulk
upsert), median of 3 runs on a week with no rows yet (as the weekly task meets it), after a
warm-up; a re-run over the week's existing rows is printed too. Baseline, measured in the same run: the naive loop —
per unit, a COUNT of its week's cases, `coverage_for_units` for that unit alone, a SUM of its
district's beds, its capacity statement, then `update_or_create` — timed on a random sample of
units and scaled to all of them (said in the row)."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from bench.common import Result, timed
from chongdich.cases.models import Case
from chongdich.core.text import fold
from chongdich.demo import bulk
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.people.models import Person
from chongdich.quarantine.models import Facility
from chongdich.risk import assess, domain, selectors
from chongdich.risk.models import Assessment, CapacityStatement
from chongdich.risk.rule_data import load_rule_sets

CASES, DOSES = 2_000_000, 50_000_000
WEEK = dt.date(2021, 12, 13)
YEAR_START = np.datetime64("2021-01-04T00:00:00", "s")
TARGET = 2.0
NAIVE_SAMPLE = 300
MARK = "bench-risk"
DETECTIONS = np.array(["community", "symptoms", "quarantine", "imported"], dtype=object)


def _country(say) -> None:
    if AdminUnit.objects.filter(level=UnitLevel.PROVINCE).count() >= 63:
        return
    from chongdich.geography.services import units_load

    seconds, counts = timed(units_load)
    say(f"  units of the whole country loaded in {seconds:.0f} s: {counts}")


def _communes() -> np.ndarray:
    return np.array(list(AdminUnit.objects.filter(level=UnitLevel.COMMUNE).order_by("pk")
                         .values_list("pk", "district_id", "province_id")), dtype=np.int64)


def _cleanup() -> None:
    """Remove the synthetic rows. Nothing refers to the synthetic cases, so their deletion skips the
    foreign-key triggers (replica role, PostgreSQL superuser): millions of per-row checks otherwise."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"DELETE FROM {Case._meta.db_table} WHERE code LIKE %s", [MARK + "%"])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Person._meta.db_table} WHERE occupation = %s", [MARK])
        cursor.execute(f"DELETE FROM {Facility._meta.db_table} WHERE code LIKE %s", [MARK + "%"])
    bulk.vacuum([Case._meta.db_table, Person._meta.db_table])  # else the next run scans millions of dead rows


def _when(rng, n: int) -> np.ndarray:
    """Moments over the 52 weeks of 2021: a background, a summer wave and a December wave."""
    seconds_a_year = 52 * 7 * 86400
    part = rng.random(n)
    background = rng.integers(0, seconds_a_year, n)
    summer = np.clip(rng.normal(0.6, 0.06, n) * seconds_a_year, 0, seconds_a_year - 1)
    december = np.clip(rng.normal(0.95, 0.03, n) * seconds_a_year, 0, seconds_a_year - 1)
    offset = np.where(part < 0.3, background, np.where(part < 0.7, summer, december)).astype(np.int64)
    return YEAR_START + offset.astype("timedelta64[s]")


def _people_for_cases(rng, n: int, where: np.ndarray, confirmed: np.ndarray) -> np.ndarray:
    """Person ids for the cases: people already in the database when there are enough (the dose
    records' people), else new synthetic people (marked, removed with the cases)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {Person._meta.db_table} ORDER BY id LIMIT %s", [n])
        existing = np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
    if len(existing) == n:
        return existing
    person0 = bulk.next_id(Person)
    names = np.array(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"], dtype=object)
    full = names[rng.integers(0, len(names), n)]
    folded = {x: fold(x) for x in names}
    bulk.insert(Person._meta.db_table, {
        "id": person0 + np.arange(n), "full_name": full.tolist(), "name_folded": [folded[x] for x in full],
        "birth_year": rng.integers(1940, 2020, n), "sex": ["unknown"] * n, "phone": [""] * n,
        "citizen_id": [""] * n, "commune_id": where[:, 0], "district_id": where[:, 1],
        "province_id": where[:, 2], "address": [""] * n, "occupation": [MARK] * n, "workplace": [""] * n,
        "created_at": confirmed})
    return person0 + np.arange(n)


def _load(n: int, say) -> None:
    rng = np.random.default_rng(2021)
    communes = _communes()
    weight = rng.lognormal(0, 1.5, len(communes))
    where = communes[rng.choice(len(communes), size=n, p=weight / weight.sum())]
    began = time.perf_counter()
    with transaction.atomic(), bulk.indexes_dropped([Case._meta.db_table], enabled=n >= 200_000):
        case0 = bulk.next_id(Case)
        confirmed = _when(rng, n)
        people = _people_for_cases(rng, n, where, confirmed)
        ended = (confirmed + np.timedelta64(14, "D")).astype("datetime64[D]")
        bulk.insert(Case._meta.db_table, {
            "id": case0 + np.arange(n), "code": [f"{MARK}-{i}" for i in range(n)], "external_ref": [""] * n,
            "person_id": people, "confirmed_at": confirmed,
            "confirmed_on": (confirmed + np.timedelta64(7, "h")).astype("datetime64[D]"),
            "onset_on": np.full(n, np.datetime64("NaT"), dtype="datetime64[D]"),
            "detection": DETECTIONS[rng.choice(4, size=n, p=[0.45, 0.1, 0.35, 0.1])].tolist(),
            "infected_by_id": np.full(n, -1), "cluster_id": np.full(n, -1), "status": ["recovered"] * n,
            "status_since": confirmed, "ended_on": ended,
            "discarded_at": np.full(n, np.datetime64("NaT"), dtype="datetime64[s]"), "discard_reason": [""] * n,
            "note": [""] * n, "created_at": confirmed, "commune_id": where[:, 0], "district_id": where[:, 1],
            "province_id": where[:, 2]})
        districts = list(AdminUnit.objects.filter(level=UnitLevel.DISTRICT).order_by("pk")
                         .values_list("pk", "province_id"))
        first_commune = dict(AdminUnit.objects.filter(level=UnitLevel.COMMUNE).order_by("district_id", "pk")
                             .distinct("district_id").values_list("district_id", "pk"))
        districts = [(d, p) for d, p in districts if d in first_commune]  # a few districts have no commune
        k = len(districts)
        bulk.insert(Facility._meta.db_table, {
            "code": [f"{MARK}-{i}" for i in range(k)], "name": [f"BV huyện {i}" for i in range(k)],
            "kind": ["hospital"] * k, "tier": np.full(k, 2), "address": [""] * k,
            "capacity": rng.integers(20, 400, k), "occupied": np.zeros(k, dtype=np.int64), "status": ["active"] * k,
            "staff_name": [""] * k, "staff_phone": [""] * k, "note": [""] * k,
            "created_at": np.full(k, YEAR_START), "created_by_id": np.full(k, -1),
            "commune_id": np.array([first_commune[d] for d, _p in districts], dtype=np.int64),
            "district_id": np.array([d for d, _p in districts], dtype=np.int64),
            "province_id": np.array([p for _d, p in districts], dtype=np.int64)})
        bulk.reset_sequences(Person, Case, Facility)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Person._meta.db_table}, {Case._meta.db_table}, {Facility._meta.db_table}")
    say(f"  {n:,} cases, {k} facilities loaded in {time.perf_counter() - began:.0f} s")


def _doses(total: int, say) -> bool:
    try:
        from bench.vaccination_data import ensure_dose_records
    except ImportError:
        say("  no dose records: coverage unknown (bench/vaccination_data.py is not there)")
        return False
    seconds, _ = timed(ensure_dose_records, total, say=say)
    say(f"  dose records ready ({total:,}) in {seconds:.0f} s")
    return True


def _naive(units: list, rule_set, monday: dt.date) -> None:
    """Per unit, one query per input, then one write."""
    try:
        from chongdich.vaccination.selectors import coverage_for_units
    except ImportError:
        coverage_for_units = None
    _m, sunday, start, end = assess._week_bounds(monday)
    community = rule_set.rules.get("community_detections") or ["community"]
    for unit in units:
        key = {"commune": "commune_id", "district": "district_id", "province": "province_id"}[unit.level]
        counts = Case.objects.filter(confirmed_at__gte=start, confirmed_at__lt=end, discarded_at__isnull=True,
                                     **{key: unit.pk}).aggregate(
            n=Count("pk"), c=Count("pk", filter=Q(detection__in=community)))
        cov = coverage_for_units(unit_ids=[unit.pk], as_of=sunday).get(unit.pk) if coverage_for_units else None
        beds_key = {"commune": ("district_id", unit.district_id), "district": ("district_id", unit.pk),
                    "province": ("province_id", unit.pk)}[unit.level]
        beds = Facility.objects.filter(kind__in=assess.TREATMENT_KINDS, **{beds_key[0]: beds_key[1]}).aggregate(
            cap=Sum("capacity"), occ=Sum("occupied"))
        stated = (CapacityStatement.objects.filter(unit=unit, as_of__lte=sunday).order_by("-as_of")
                  .values_list("met", flat=True).first())
        free = (beds["cap"] or 0) - (beds["occ"] or 0)
        inputs = domain.Inputs(
            population=unit.population, all_cases=counts["n"], community_cases=counts["c"],
            coverage={domain.coverage_key(g, d): cov.pct(g, d) for g, d in assess.COVERAGE_SHOWN
                      if cov.pct(g, d) is not None} if cov and cov.source != "none" else None,
            capacity_met=stated, free_beds_per_100k=free * 1e5 / unit.population if unit.population else None)
        outcome = domain.evaluate(rule_set.rules, inputs)
        Assessment.objects.update_or_create(unit=unit, week=monday, defaults={
            "rule_set": rule_set, "level": outcome.level, "inputs": inputs.as_dict(),
            "explanation": domain.explain(outcome), "computed_at": dt.datetime.now(dt.UTC)})


def _fresh_week() -> None:
    """The weekly run meets a week with no rows yet: remove the week's rows (and their dead
    tuples, which repeated benchmark runs would otherwise pile up) before each timed run."""
    Assessment.objects.filter(week=WEEK).delete()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Assessment._meta.db_table}")


def run(scale: float, say) -> list[Result]:
    load_rule_sets(selectors.RiskRuleSet)
    _country(say)
    n = max(int(CASES * scale), 1000)
    keep = os.environ.get("BENCH_RISK_KEEP")
    if not keep and Case.objects.filter(code__startswith=MARK).exists():
        _cleanup()  # left by an interrupted run; the dose loader may replace the people they use
    doses = int(DOSES * float(os.environ.get("BENCH_RISK_DOSE_SCALE", scale)))
    has_doses = _doses(doses, say)
    if Case.objects.filter(code__startswith=MARK).count() != n:
        _cleanup()
        _load(n, say)
    else:
        say(f"  (reusing {n:,} synthetic cases)")
    rule_set = selectors.rule_set_for_week(WEEK)
    units_total = AdminUnit.objects.count()
    week_cases = Case.objects.filter(confirmed_on__gte=WEEK, confirmed_on__lt=WEEK + dt.timedelta(days=7)).count()
    say(f"  {units_total:,} units, {week_cases:,} cases in week {domain.iso_week_label(WEEK)}, rule set {rule_set.code}")
    timed(assess.assess_week, week=WEEK, rule_set=rule_set)  # warm-up
    rerun, _ = timed(assess.assess_week, week=WEEK, rule_set=rule_set)  # the week's rows replaced
    samples = []
    for _ in range(3):
        _fresh_week()
        seconds, result = timed(assess.assess_week, week=WEEK, rule_set=rule_set)
        samples.append(seconds)
    figure = statistics.median(samples)
    say(f"  set-based, a week not yet assessed: {', '.join(f'{s:.2f} s' for s in samples)}; "
        f"re-run over existing rows {rerun:.2f} s; levels {dict(sorted(result.by_level.items()))}")
    rng = np.random.default_rng(5)
    ids = list(AdminUnit.objects.values_list("pk", flat=True))
    sample_ids = rng.choice(ids, size=min(NAIVE_SAMPLE, len(ids)), replace=False).tolist()
    sample = list(AdminUnit.objects.filter(pk__in=sample_ids))
    naive_seconds, _ = timed(_naive, sample, rule_set, WEEK)
    baseline = naive_seconds * units_total / len(sample)
    say(f"  naive: {naive_seconds:.2f} s for {len(sample)} units → {baseline:.1f} s for {units_total:,}")
    if not keep:
        began = time.perf_counter()
        Assessment.objects.filter(week=WEEK).delete()
        _cleanup()
        say(f"  synthetic rows removed in {time.perf_counter() - began:.0f} s")
    note = (f"{units_total:,} units, {n:,} cases ({week_cases:,} in the week), re-run {rerun:.2f} s, "
            + (f"{doses:,} dose records" if has_doses else "no dose records: coverage unknown"))
    return [Result(name="risk levels, one week, all units", figure=figure, baseline=baseline,
                   baseline_how=f"per-unit queries, {len(sample)} units timed, scaled", target=TARGET,
                   target_text="< 2 s", note=note,
                   extra={"runs": samples, "rerun": rerun, "naive_sample_seconds": naive_seconds, "by_level": result.by_level})]
