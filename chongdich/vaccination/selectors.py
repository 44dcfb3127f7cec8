"""Reads of vaccination. `coverage_for_units` is the building block the risk assessment and the
pages share: it knows nothing of actors (the risk app assesses every unit); the scoped reads
below wrap it with the actor's jurisdiction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Max, Min, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from chongdich.core.errors import NotFound
from chongdich.core.jurisdiction import require_visible, scope_q
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.vaccination import domain
from chongdich.vaccination.counters import COLUMNS
from chongdich.vaccination.domain import UnitCoverage
from chongdich.vaccination.models import (
    CoverageConfig,
    CoverageReport,
    DoseRecord,
    DoseTotal,
    DoseWeekCount,
    VaccineProduct,
)

KEYS = dict(zip(COLUMNS, domain.DOSE_KEYS, strict=True))  # counter column → dose key


def config_in_force(day: dt.date) -> CoverageConfig | None:
    """The newest age-group configuration valid on `day` (the oldest one before any is)."""
    configs = CoverageConfig.objects.order_by("-valid_from", "-pk")
    return configs.filter(valid_from__lte=day).first() or configs.last()


def product_list() -> QuerySet[VaccineProduct]:
    return VaccineProduct.objects.filter(active=True).order_by("code")


# --- Coverage -------------------------------------------------------------------------------


def _area_q(communes, districts, provinces) -> Q:
    q = Q(pk__in=[])
    for name, ids in (("commune_id", communes), ("district_id", districts), ("province_id", provinces)):
        if ids:
            q |= Q(**{f"{name}__in": ids})
    return q


_KEYS_OF: dict[str, tuple] = {}


def _sums(rows, sign: int, out: dict) -> None:
    """Add (commune, group, one, full, booster) rows into out[commune][(group, dose key)]."""
    keys_of = _KEYS_OF
    for commune_id, grp, one, full, booster in rows:
        covered = out.get(commune_id)
        if covered is None:
            covered = out[commune_id] = {}
        keys = keys_of.get(grp)
        if keys is None:
            keys = keys_of[grp] = tuple((grp, key) for key in domain.DOSE_KEYS)
        get = covered.get
        k1, kf, kb = keys
        covered[k1] = get(k1, 0) + sign * (one or 0)
        covered[kf] = get(kf, 0) + sign * (full or 0)
        covered[kb] = get(kb, 0) + sign * (booster or 0)


def _record_counts(area: Q, as_of: dt.date) -> dict[int, dict[tuple[str, str], int]]:
    """People covered per commune through the ISO week of `as_of`: the all-time totals less the
    weeks after it when `as_of` is in the later half of the data, else the weeks up to it —
    summed in the database, so at most one row per commune and group comes back."""
    week = domain.week_of(as_of)
    span = DoseWeekCount.objects.aggregate(first=Min("week"), last=Max("week"))  # the index's ends
    if span["first"] is None or week < span["first"]:
        return {}
    out: dict[int, dict[tuple[str, str], int]] = {}
    weekly = DoseWeekCount.objects.filter(area).order_by().values("commune_id", "grp")
    sums = {f"sum_{c}": Sum(c) for c in COLUMNS}
    summed = ("commune_id", "grp", *sums)
    if week >= span["first"] + (span["last"] - span["first"]) / 2:
        _sums(DoseTotal.objects.filter(area).values_list("commune_id", "grp", *COLUMNS), 1, out)
        if week < span["last"]:
            _sums(weekly.filter(week__gt=week).annotate(**sums).values_list(*summed), -1, out)
    else:
        _sums(weekly.filter(week__lte=week).annotate(**sums).values_list(*summed), 1, out)
    return {c: covered for c, covered in out.items() if any(covered.values())}


def _reports(area: Q, as_of: dt.date) -> dict[int, dict[str, CoverageReport]]:
    """The newest report on or before `as_of` per unit and group, for the units in `area` (a
    report carries its own unit as its commune, district or province key)."""
    rows = (CoverageReport.objects.filter(area, as_of__lte=as_of)
            .order_by("unit_id", "grp", "-as_of").only("unit_id", "grp", "as_of", "population",
                                                      "one_dose", "full_series", "booster"))
    out: dict[int, dict[str, CoverageReport]] = defaultdict(dict)
    for report in rows:
        out[report.unit_id].setdefault(report.grp, report)
    return out


class _Resolver:
    def __init__(self, as_of, config, counts, reports):
        self.as_of, self.counts, self.reports = as_of, counts, reports
        self.groups = [g.code for g in domain.groups_from_data(config.groups if config else [])]
        self.shares = dict(config.age_structure) if config else {}
        self.through = domain.week_of(as_of) + dt.timedelta(days=6)
        self._estimates: dict[int | None, dict[str, int]] = {}

    def _population(self, unit_id: int, total: int | None) -> tuple[dict[str, int], str]:
        estimate = self._estimates.get(total)
        if estimate is None:  # many communes of a province share one estimated population
            estimate = self._estimates[total] = domain.estimate_population(total, self.shares, self.groups)
        if unit_id not in self.reports:
            return dict(estimate), "estimate" if estimate else ""
        population = dict(estimate)
        reported = {g: r.population for g, r in self.reports.get(unit_id, {}).items() if r.population}
        population |= reported
        if not population:
            return {}, ""
        if not reported:
            return population, "estimate"
        return population, "report" if set(reported) >= set(population) else "mixed"

    def own(self, unit_id: int, total: int | None, *, records: bool) -> UnitCoverage:
        """A unit by itself: its records (communes), else its own report, else nothing."""
        population, pop_source = self._population(unit_id, total)
        counts = self.counts.get(unit_id) if records else None
        if counts:
            return UnitCoverage(unit_id, self.as_of, "records", population, counts, pop_source,
                                self.through)
        reports = self.reports.get(unit_id)
        if reports:
            covered = {}
            for grp, r in reports.items():
                covered[(grp, "1")], covered[(grp, "full")] = r.one_dose, r.full_series
                if r.booster is not None:
                    covered[(grp, "booster")] = r.booster
            return UnitCoverage(unit_id, self.as_of, "aggregate", population, covered, pop_source)
        return UnitCoverage(unit_id, self.as_of, "none", population, {}, pop_source)

    def parent(self, unit_id: int, total: int | None, parts: list[UnitCoverage]) -> UnitCoverage:
        combined = domain.combine(unit_id, self.as_of, parts)
        if combined is not None:
            return combined
        own = self.own(unit_id, total, records=False)
        if own.source == "none":
            nothing = sum((p.parts or {"none": 1}).get("none", 0) for p in parts)
            return UnitCoverage(unit_id, self.as_of, "none", own.population, {}, own.population_source,
                                parts={"none": nothing} if nothing else {})
        return own


def coverage_for_units(*, unit_ids: list[int], as_of: dt.date) -> dict[int, UnitCoverage]:
    """Coverage of each unit (commune, district or province) as of `as_of`, by age group and dose.
    A commune counts its dose records when it has any (through the end of the ISO week of
    `as_of`), else its newest aggregate report; a district sums its communes and a province its
    districts (a parent without data below uses its own report). Populations per group: from the
    reports where given, else the unit's population × the national age structure. No access
    checks: callers scope (see `coverage_get`)."""
    rows, wanted = _units(unit_ids)
    provinces = {r[0] for r in wanted if r[1] == UnitLevel.PROVINCE}
    districts = {r[0] for r in wanted if r[1] == UnitLevel.DISTRICT and r[3] not in provinces}
    communes = {r[0] for r in wanted if r[1] == UnitLevel.COMMUNE and r[3] not in provinces
                and r[2] not in districts}
    # Only the widest units asked for name the area: a whole country is 63 province keys.
    area = _area_q(sorted(communes), sorted(districts), sorted(provinces))
    if rows is None:
        rows = list(AdminUnit.objects.filter(
            Q(pk__in=communes) | Q(pk__in=districts) | Q(pk__in=provinces)
            | Q(district_id__in=districts) | Q(province_id__in=provinces))
            .values_list("pk", "level", "district_id", "province_id", "population"))
    else:
        rows = [r for r in rows if r[0] in communes or r[0] in districts or r[0] in provinces
                or r[2] in districts or r[3] in provinces]
    resolver = _Resolver(as_of, config_in_force(as_of), _record_counts(area, as_of), _reports(area, as_of))
    population = {r[0]: r[4] for r in rows}
    result: dict[int, UnitCoverage] = {}
    children: dict[int, list[UnitCoverage]] = defaultdict(list)
    for pk, level, district_id, _province_id, total in rows:
        if level == UnitLevel.COMMUNE:
            result[pk] = coverage = resolver.own(pk, total, records=True)
            children[district_id].append(coverage)
    for pk, level, _district_id, province_id, total in rows:
        if level == UnitLevel.DISTRICT:
            result[pk] = coverage = resolver.parent(pk, total, children[pk])
            children[province_id].append(coverage)
    for pk, level, *_rest in rows:
        if level == UnitLevel.PROVINCE:
            result[pk] = resolver.parent(pk, population[pk], children[pk])
    return {r[0]: result[r[0]] for r in wanted if r[0] in result}


MANY_UNITS = 500


def _units(unit_ids: list[int]) -> tuple[list | None, list]:
    """(every unit, when many are asked for — reading all 11,000 is cheaper than naming them —
    else None; the units asked for) as (pk, level, district_id, province_id, population)."""
    fields = ("pk", "level", "district_id", "province_id", "population")
    if len(unit_ids) > MANY_UNITS:
        everything = list(AdminUnit.objects.order_by().values_list(*fields))
        wanted = set(unit_ids)
        return everything, [r for r in everything if r[0] in wanted]
    return None, list(AdminUnit.objects.filter(pk__in=unit_ids).values_list(*fields))


# --- Scoped reads ---------------------------------------------------------------------------


def coverage_get(*, actor, unit: AdminUnit, as_of: dt.date) -> UnitCoverage:
    require_visible(actor, unit)
    return coverage_for_units(unit_ids=[unit.pk], as_of=as_of)[unit.pk]


def coverage_with_children(*, actor, unit: AdminUnit, as_of: dt.date) -> tuple[UnitCoverage, list]:
    """A unit's coverage and each child unit's, [(child, coverage)], for the drill-down page."""
    require_visible(actor, unit)
    kids = list(AdminUnit.objects.filter(parent=unit).order_by("code"))
    found = coverage_for_units(unit_ids=[unit.pk, *(k.pk for k in kids)], as_of=as_of)
    return found[unit.pk], [(k, found[k.pk]) for k in kids]


def dose_list_for_person(*, actor, person) -> QuerySet[DoseRecord]:
    """A person's doses (the person was fetched through people.selectors.person_get)."""
    return (DoseRecord.objects.filter(scope_q(actor), person=person).select_related("product")
            .order_by("dose_number"))


def dose_get(*, actor, dose_id: int) -> DoseRecord:
    dose = DoseRecord.objects.filter(scope_q(actor), pk=dose_id).select_related("product", "person").first()
    if dose is None:
        raise NotFound(_("Không tìm thấy mũi tiêm này."))
    return dose


def coverage_report_list(*, actor, unit: AdminUnit | None = None) -> QuerySet[CoverageReport]:
    qs = CoverageReport.objects.filter(scope_q(actor)).select_related("unit", "reported_by")
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("-as_of", "unit__code", "grp")


def coverage_report_get(*, actor, report_id: int) -> CoverageReport:
    report = CoverageReport.objects.filter(scope_q(actor), pk=report_id).select_related("unit").first()
    if report is None:
        raise NotFound(_("Không tìm thấy báo cáo này."))
    return report
