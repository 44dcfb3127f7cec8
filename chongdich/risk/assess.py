"""The weekly assessment, set-based: one query per input for every unit of the country (or of one
province) — units and populations, new cases, oxygen and deaths when the rules read them,
coverage, treatment beds, capacity statements — then the pure rule per unit in Python and one
bulk upsert of the Assessment rows. Called by services.assessment_run and the weekly task."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone, translation

from chongdich.cases.models import Case, CaseDayCount, CaseStatus, CaseStatusEvent
from chongdich.core import clock
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.quarantine.models import Facility, FacilityKind, FacilityStatus
from chongdich.risk import domain
from chongdich.risk.models import Assessment, CapacityStatement, RiskRuleSet

OXYGEN_STATUSES = (CaseStatus.HOSPITAL_TIER2, CaseStatus.HOSPITAL_TIER3)  # tiers that give oxygen
TREATMENT_KINDS = (FacilityKind.FIELD_HOSPITAL, FacilityKind.HOSPITAL)
# The coverage figures kept with every assessment: what the rules read, and what the what-if shows.
COVERAGE_SHOWN = (("18+", "1"), ("50+", "full"), ("all", "full"), ("12-17", "1"))


@dataclass(frozen=True)
class UnitRow:
    pk: int
    level: str
    district_id: int | None
    province_id: int | None
    population: int | None


@dataclass
class AssessRun:
    week: dt.date
    rule_set: RiskRuleSet
    units: int
    by_level: dict[int, int]
    coverage_known: bool


def _week_bounds(monday: dt.date) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    sunday = monday + dt.timedelta(days=6)
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    return monday, sunday, start, start + dt.timedelta(days=7)


def _units(province_id: int | None) -> list[UnitRow]:
    units = AdminUnit.objects.all()
    if province_id is not None:
        units = units.filter(Q(pk=province_id) | Q(province_id=province_id))
    return [UnitRow(*row) for row in units.order_by().values_list(
        "pk", "level", "district_id", "province_id", "population")]


def _roll_up(units: list[UnitRow], per_commune: dict[int, int]) -> dict[int, int]:
    """A commune's figure, and each district's and province's sum of its communes."""
    out: dict[int, int] = defaultdict(int)
    for u in units:
        if u.level == UnitLevel.COMMUNE and (n := per_commune.get(u.pk)):
            out[u.pk] += n
            out[u.district_id] += n
            out[u.province_id] += n
    return out


def _populations(units: list[UnitRow]) -> dict[int, tuple[int | None, str]]:
    """Each unit's population; a district or province without one sums its communes."""
    summed = _roll_up(units, {u.pk: u.population for u in units if u.level == UnitLevel.COMMUNE and u.population})
    out = {}
    for u in units:
        if u.population:
            out[u.pk] = (u.population, "")
        elif u.level != UnitLevel.COMMUNE and summed.get(u.pk):
            out[u.pk] = (summed[u.pk], "summed")
        else:
            out[u.pk] = (None, "unknown")
    return out


def _scoped(qs, province_id: int | None):
    return qs if province_id is None else qs.filter(province_id=province_id)


def _cases(units, province_id, start, end, community: list[str]) -> tuple[dict, dict]:
    # confirmed_at (not confirmed_on): the (province, -confirmed_at) index serves a province's week
    rows = _scoped(Case.objects.filter(confirmed_at__gte=start, confirmed_at__lt=end, discarded_at__isnull=True),
                   province_id)
    rows = (rows.order_by().values("commune_id")
            .annotate(n=Count("pk"), c=Count("pk", filter=Q(detection__in=community))))
    all_cases, community_cases = {}, {}
    for r in rows:
        all_cases[r["commune_id"]], community_cases[r["commune_id"]] = r["n"], r["c"]
    return _roll_up(units, all_cases), _roll_up(units, community_cases)


def _oxygen(units, province_id, start, end) -> dict:
    """Cases that entered a tier giving oxygen (hospital tiers 2 and 3) during the week."""
    events = CaseStatusEvent.objects.filter(at__gte=start, at__lt=end, status__in=OXYGEN_STATUSES,
                                            case__discarded_at__isnull=True)
    if province_id is not None:
        events = events.filter(case__province_id=province_id)
    rows = events.order_by().values("case__commune_id").annotate(n=Count("case_id", distinct=True))
    return _roll_up(units, {r["case__commune_id"]: r["n"] for r in rows})


def _deaths(units, province_id, monday, sunday) -> dict:
    rows = (_scoped(CaseDayCount.objects.filter(day__gte=monday, day__lte=sunday, died__gt=0), province_id)
            .order_by().values("commune_id").annotate(n=Sum("died")))
    return _roll_up(units, {r["commune_id"]: r["n"] for r in rows})


def _coverage(unit_ids: list[int], sunday: dt.date) -> dict[int, tuple[dict, str]] | None:
    """{unit: ({"18+|1": percent, …}, source)} from the vaccination app; None when it cannot
    answer (not installed yet): coverage is then unknown for every unit."""
    try:
        from chongdich.vaccination.selectors import coverage_for_units
    except ImportError:
        return None
    out = {}
    for unit_id, cov in coverage_for_units(unit_ids=unit_ids, as_of=sunday).items():
        if cov is None or cov.source == "none":
            continue
        values = {domain.coverage_key(g, d): cov.pct(g, d) for g, d in COVERAGE_SHOWN}
        out[unit_id] = ({k: round(v, 2) for k, v in values.items() if v is not None}, cov.source)
    return out


def _free_beds(units, province_id) -> dict[int, int]:
    """Free places in open treatment facilities per district and per province (communes rely on
    their district's beds: treatment is organised from the district up)."""
    rows = (_scoped(Facility.objects.filter(kind__in=TREATMENT_KINDS).exclude(status=FacilityStatus.CLOSED),
                    province_id)
            .order_by().values("district_id", "province_id").annotate(cap=Sum("capacity"), occ=Sum("occupied")))
    free: dict[int, int] = defaultdict(int)
    for r in rows:
        free[r["district_id"]] += r["cap"] - r["occ"]
        free[r["province_id"]] += r["cap"] - r["occ"]
    return free


def _beds_per_100k(u: UnitRow, free: dict[int, int], populations: dict) -> float | None:
    """Free treatment beds per 100,000 around a unit: its district's (a commune's patients go
    there), else its province's when the district has no treatment facility; unknown when the
    province has none recorded at all."""
    around = [u.district_id if u.level == UnitLevel.COMMUNE else u.pk, u.province_id or u.pk]
    for unit_id in around:
        if unit_id in free:
            population = populations.get(unit_id, (None, ""))[0]
            return free[unit_id] * domain.PER_100K / population if population else None
    return None


def _statements(unit_ids: list[int] | None, sunday: dt.date) -> dict[int, bool]:
    rows = CapacityStatement.objects.filter(as_of__lte=sunday)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    latest: dict[int, bool] = {}
    for unit_id, met in rows.order_by("unit_id", "-as_of", "-pk").values_list("unit_id", "met"):
        latest.setdefault(unit_id, met)
    return latest


def unit_inputs(*, rules: dict, week: dt.date, province_id: int | None = None) -> tuple[list[UnitRow], dict, bool]:
    """Every unit's `domain.Inputs` for the week: {unit id: Inputs}, and whether coverage came."""
    monday, sunday, start, end = _week_bounds(week)
    units = _units(province_id)
    ids = [u.pk for u in units]
    populations = _populations(units)
    community = rules.get("community_detections") or ["community"]
    all_cases, community_cases = _cases(units, province_id, start, end, community)
    keys = {i["key"] for i in rules["indicators"]} | {(rules.get("very_high") or {}).get("key")}
    oxygen = _oxygen(units, province_id, start, end) if "oxygen_cases" in keys else None
    deaths = _deaths(units, province_id, monday, sunday) if "deaths" in keys else None
    coverage = _coverage(ids, sunday)
    free = _free_beds(units, province_id)
    statements = _statements(ids if province_id is not None else None, sunday)
    out = {}
    for u in units:
        population, note = populations[u.pk]
        cov, source = (coverage or {}).get(u.pk, (None, ""))
        beds = _beds_per_100k(u, free, populations)
        stated = statements.get(u.pk)
        out[u.pk] = domain.Inputs(
            population=population, all_cases=all_cases.get(u.pk, 0), community_cases=community_cases.get(u.pk, 0),
            oxygen_cases=None if oxygen is None else oxygen.get(u.pk, 0),
            deaths=None if deaths is None else deaths.get(u.pk, 0),
            coverage=cov, coverage_source=source, capacity_met=stated,
            free_beds_per_100k=None if beds is None else round(beds, 2),
            capacity_how="statement" if stated is not None else ("beds" if beds is not None else ""),
            population_note=note)
    return units, out, coverage is not None


def assess_week(*, week: dt.date, rule_set: RiskRuleSet, province_id: int | None = None) -> AssessRun:
    """Compute and store (upsert) the week's assessment of every unit in scope."""
    monday = week - dt.timedelta(days=week.weekday())
    units, inputs, coverage_known = unit_inputs(rules=rule_set.rules, week=monday, province_id=province_id)
    now = clock.now()
    rows, by_level = [], defaultdict(int)
    with translation.override("vi"):  # stored in Vietnamese; pages re-explain in the reader's language
        words = domain.Words()
        for u in units:
            outcome = domain.evaluate(rule_set.rules, inputs[u.pk])
            by_level[outcome.level] += 1
            rows.append((u.pk, monday, rule_set.pk, outcome.level, json.dumps(inputs[u.pk].as_dict()),
                         domain.explain(outcome, words), now))
    with transaction.atomic():
        _upsert(rows)
    return AssessRun(week=monday, rule_set=rule_set, units=len(rows), by_level=dict(by_level),
                     coverage_known=coverage_known)


COLUMNS = ("unit_id", "week", "rule_set_id", "level", "inputs", "explanation", "computed_at")


def _upsert(rows: list[tuple]) -> None:
    """One row per (unit, week), replaced when it exists: on PostgreSQL through COPY into a
    temporary table and one INSERT … ON CONFLICT (ten thousand rows in a fraction of a second);
    elsewhere the same upsert row by row."""
    table = Assessment._meta.db_table
    update = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[2:])
    upsert = (f"INSERT INTO {table} ({', '.join(COLUMNS)}) {{source}} "
              f"ON CONFLICT (unit_id, week) DO UPDATE SET {update}")
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.executemany(upsert.format(source=f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"), rows)
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS risk_assessment_in")  # a second run in the same transaction
        cursor.execute("CREATE TEMPORARY TABLE risk_assessment_in (unit_id bigint, week date, rule_set_id bigint, "
                       "level smallint, inputs jsonb, explanation text, computed_at timestamptz) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY risk_assessment_in ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(upsert.format(source=f"SELECT {', '.join(COLUMNS)} FROM risk_assessment_in"))
