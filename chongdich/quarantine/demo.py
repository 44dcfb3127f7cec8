"""Quarantine and treatment in the demo province, after the case demo: facilities like the seeds'
(centralised quarantine facilities in every district, field hospitals, district hospitals at tier
2, the provincial hospital at tier 3), a placement for every current F1 and F0 under the rule in
force on their start date (in a facility, or at home where the rule allows it), recently released
F1 still monitored at home, and their scheduled tests — most of the past ones done with a
negative sample.

Rows are bulk inserted exactly as the services would leave them, and the facility counters are
then rebuilt from the placements (`facility_recount`). The quarantine-schedule samples and their
results are written here too (testing's rows, reason "quarantine"), so that the due lists and the
release checks have something real to show. A second call (facilities already in the province)
does nothing. `rng` needs only `random()` (random.Random or a NumPy Generator).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from chongdich.cases.models import Case, Contact
from chongdich.cases.ranks import active_cases_q
from chongdich.core.errors import InvalidInput
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.people.models import Person
from chongdich.quarantine import domain, selectors
from chongdich.quarantine.models import (
    EndReason,
    Facility,
    FacilityKind,
    FacilityStatus,
    Placement,
    PlacementStatus,
    ScheduledTest,
)
from chongdich.quarantine.services_facilities import facility_recount
from chongdich.testing.models import LabResult, Sample

MAX_F1 = 20_000  # placements for the most recent F1 at most (a million-case demo has millions)
TRACED_WITHIN = 28  # days: F1 traced earlier than this have long finished their stay
DONE_SHARE = 0.85  # past scheduled tests with a sample
QUARANTINE_SITES = ("Trường Quân sự {d}", "Ký túc xá Trường Cao đẳng {d}", "Trung tâm Giáo dục quốc phòng {d}",
                    "Khu nhà ở công nhân {d}", "Nhà khách {d}")
# Where an F0 of each treatment status is placed: the facility kind and tier.
F0_PLACE = {"home_care": ("home", None), "quarantine_facility": ("field_hospital", 1),
            "hospital_t1": ("field_hospital", 1), "hospital_t2": ("hospital", 2), "hospital_t3": ("hospital", 3)}


@dataclass(frozen=True)
class QuarantineDemoSummary:
    facilities: int = 0
    places: int = 0
    in_facilities: int = 0
    at_home: int = 0
    released: int = 0
    unplaced: int = 0
    scheduled_tests: int = 0
    samples: int = 0
    skipped: bool = False


def _at(day: dt.date, hour: float) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min) + dt.timedelta(hours=hour))


def _round_up(n: float, step: int) -> int:
    return max(step, int(math.ceil(n / step)) * step)


class _Places:
    """Free places per facility while placing people (the counters are rebuilt at the end)."""

    def __init__(self):
        self.facilities: list[Facility] = []
        self.free: dict[int, int] = {}

    def add(self, facility: Facility) -> None:
        self.facilities.append(facility)
        self.free[facility.pk] = facility.capacity if facility.status != FacilityStatus.CLOSED else 0

    def take(self, kind: str, tier: int | None, district_id: int) -> Facility | None:
        """A facility of this kind (and tier) with a free place, in the district if possible."""
        fitting = [f for f in self.facilities if f.kind == kind and (tier is None or f.tier == tier)
                   and self.free[f.pk] > 0]
        fitting.sort(key=lambda f: (f.district_id != district_id, -self.free[f.pk]))
        if not fitting:
            return None
        self.free[fitting[0].pk] -= 1
        return fitting[0]


def _f1_traced(province: AdminUnit, today: dt.date) -> list[tuple[Person, dt.datetime]]:
    """Current F1 with the moment their latest contact was recorded, most recent first."""
    since = _at(today - dt.timedelta(days=TRACED_WITHIN), 0)
    f1 = Person.objects.filter(province=province, rank=1)
    latest: dict[int, dt.datetime] = {}
    for column in ("person_id", "contact_id"):
        rows = (Contact.objects.filter(created_at__gte=since, **{f"{column}__in": f1.values("pk")})
                .values(column).annotate(at=Max("created_at")).values_list(column, "at").order_by())
        for pk, at in rows:
            latest[pk] = max(at, latest.get(pk, at))
    chosen = sorted(latest.items(), key=lambda kv: kv[1], reverse=True)[:MAX_F1]
    people = Person.objects.in_bulk([pk for pk, _at in chosen])
    return [(people[pk], at) for pk, at in chosen if pk in people]


def _facilities(province: AdminUnit, rng, f1_by_district: Counter, f0_by_place: Counter) -> list[Facility]:
    districts = list(AdminUnit.objects.filter(province=province, level=UnitLevel.DISTRICT).order_by("code"))
    communes = {}
    for commune in AdminUnit.objects.filter(province=province, level=UnitLevel.COMMUNE).order_by("-population", "code"):
        communes.setdefault(commune.district_id, commune)
    districts = [d for d in districts if d.pk in communes]
    if not districts:
        return []
    rows, number = [], 0

    def facility(district, name, kind, capacity, tier=None, status=FacilityStatus.READY):
        nonlocal number
        number += 1
        commune = communes[district.pk]
        rows.append(Facility(
            code=f"CS{province.code}-{number:04d}", name=name, kind=kind, tier=tier, capacity=capacity,
            status=status, address=f"{commune.name_with_type}, {district.name_with_type}",
            staff_name="Ban Chỉ huy khu cách ly" if kind == FacilityKind.QUARANTINE else "Phòng Kế hoạch tổng hợp",
            staff_phone="02" + "".join(str(int(rng.random() * 10)) for _ in range(9)),
            **commune.jurisdiction_keys()))

    for district in districts:
        demand = f1_by_district.get(district.pk, 0)
        count = 3 if demand > 600 else 2
        share = _round_up(1.25 * demand / count, 10) if demand else 0
        for i in range(count):
            size = max(share, (80, 120, 150, 200, 300)[int(rng.random() * 5)])
            facility(district, QUARANTINE_SITES[(i + number) % len(QUARANTINE_SITES)].format(d=district.name),
                     FacilityKind.QUARANTINE, size)
        tier2 = f0_by_place.get(("hospital", 2, district.pk), 0)
        facility(district, f"Trung tâm Y tế {district.name_with_type}", FacilityKind.HOSPITAL,
                 max(60, _round_up(1.3 * tier2, 10)), tier=2)
    field_hospitals = max(1, len(districts) // 3)
    tier1 = sum(n for (kind, tier, _d), n in f0_by_place.items() if kind == "field_hospital")
    for i in range(field_hospitals):
        facility(districts[(i * 3) % len(districts)], f"Bệnh viện dã chiến số {i + 1}",
                 FacilityKind.FIELD_HOSPITAL, max(200, _round_up(1.3 * tier1 / field_hospitals, 50)), tier=1)
    tier3 = sum(n for (kind, tier, _d), n in f0_by_place.items() if tier == 3)
    facility(districts[0], f"Bệnh viện Đa khoa tỉnh {province.name}", FacilityKind.HOSPITAL,
             max(40, _round_up(1.3 * tier3, 10)), tier=3)
    facility(districts[-1], f"Nhà văn hoá trung tâm {districts[-1].name}", FacilityKind.QUARANTINE, 50,
             status=FacilityStatus.CLOSED)
    return Facility.objects.bulk_create(rows)


@transaction.atomic
def load_demo(*, province: AdminUnit, rng, today: dt.date) -> QuarantineDemoSummary:
    if Facility.objects.filter(province=province).exists():
        return QuarantineDemoSummary(skipped=True)
    f0_cases = list(Case.objects.filter(active_cases_q(), province=province).select_related("person"))
    f0_people = {c.person_id for c in f0_cases}
    f1 = [(p, at) for p, at in _f1_traced(province, today) if p.pk not in f0_people]
    f1_by_district = Counter(p.district_id for p, _at in f1)
    f0_by_place = Counter((*F0_PLACE.get(c.status, ("field_hospital", 1)), c.person.district_id) for c in f0_cases)
    places = _Places()
    for facility in _facilities(province, rng, f1_by_district, f0_by_place):
        places.add(facility)
    plans = _Plans(today)
    for case in f0_cases:
        kind, tier = F0_PLACE.get(case.status, ("field_hospital", 1))
        plans.add(places, case.person, "isolation", case.confirmed_at, kind, tier, case=case)
    for person, traced_at in f1:
        start = min(traced_at + dt.timedelta(hours=4), _at(today, 8))  # hours 4–5 of the 5-hour standard
        plans.add(places, person, "quarantine", start, "quarantine", None,
                  home_first=rng.random() < 0.3)
    placements = Placement.objects.bulk_create(plans.placements)
    tests, samples = _tests(rng, placements, plans, today, prefix=f"CLDM{province.code}-")
    facility_recount(facility_ids=[f.pk for f in places.facilities])
    Facility.objects.filter(pk__in=[f.pk for f in places.facilities], occupied__gt=0).update(
        status=FacilityStatus.ACTIVE)
    _analyze()
    active = [p for p in placements if p.status == PlacementStatus.ACTIVE]
    return QuarantineDemoSummary(
        facilities=len(places.facilities), places=sum(f.capacity for f in places.facilities),
        in_facilities=sum(1 for p in active if p.facility_id), at_home=sum(1 for p in active if not p.facility_id),
        released=len(placements) - len(active), unplaced=plans.unplaced, scheduled_tests=tests, samples=samples)


def _analyze() -> None:
    """Fresh statistics after a bulk load: without them PostgreSQL guesses a handful of open tests
    and joins every one of them before sorting, instead of reading a page off the due index."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Facility, Placement, ScheduledTest, Sample, LabResult):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


class _Plans:
    """Placements being built, each with the rule in force on its start date."""

    def __init__(self, today: dt.date):
        self.today = today
        self.placements: list[Placement] = []
        self.plan_of: list[domain.Plan] = []
        self.unplaced = 0

    @staticmethod
    def _rule(day: dt.date, purpose: str, setting: str):
        try:
            return selectors.rule_for_placement(on=day, purpose=purpose, condition="standard", setting=setting)[1]
        except InvalidInput:  # the set in force that day has no rule for this setting
            return None

    def add(self, places: _Places, person, purpose: str, started_at: dt.datetime, kind: str,
            tier: int | None, case=None, home_first: bool = False) -> None:
        day = timezone.localdate(started_at)
        facility, rule = None, None
        if kind == "home" or home_first:
            rule = self._rule(day, purpose, "home")
        if rule is None:
            wanted = ("quarantine", None) if purpose == "quarantine" else (
                ("field_hospital", 1) if kind == "home" else (kind, tier))
            if (rule := self._rule(day, purpose, "facility")) is not None:
                facility = places.take(*wanted, person.district_id)
            if facility is None:  # no room anywhere: at home, where the rule allows it
                rule = self._rule(day, purpose, "home")
        if rule is None:
            self.unplaced += 1
            return
        plan = domain.plan(selectors.as_domain_rule(rule), day)
        status, ended_at, reason = PlacementStatus.ACTIVE, None, ""
        if purpose == "quarantine" and plan.planned_end_on < self.today:
            if facility is not None:
                places.free[facility.pk] += 1
            if plan.monitoring_until < self.today:
                return  # long over: nothing the committee still follows
            status, ended_at, reason = PlacementStatus.RELEASED, _at(plan.planned_end_on, 16), EndReason.COMPLETED
        where = facility or person
        self.placements.append(Placement(
            person=person, case=case, purpose=purpose, setting="facility" if facility else "home",
            condition="standard", facility=facility, rule=rule, started_at=started_at, started_on=day,
            planned_end_on=plan.planned_end_on, monitoring_until=plan.monitoring_until, status=status,
            ended_at=ended_at, end_reason=reason, province_id=where.province_id,
            district_id=where.district_id, commune_id=where.commune_id))
        self.plan_of.append(plan)


def _tests(rng, placements: list[Placement], plans: _Plans, today: dt.date, prefix: str) -> tuple[int, int]:
    """Scheduled tests of every placement; past ones mostly done with a negative sample (all of
    them for the released), today's sometimes, later ones open."""
    rows, samples, results = [], [], []
    serial = Sample.objects.filter(code__startswith=prefix).count()
    for placement, plan in zip(placements, plans.plan_of, strict=True):
        released = placement.status != PlacementStatus.ACTIVE
        for day, due_on in plan.tests:
            test = ScheduledTest(placement=placement, day=day, due_on=due_on, province_id=placement.province_id,
                                 district_id=placement.district_id, commune_id=placement.commune_id)
            done = released or (due_on < today and rng.random() < DONE_SHARE) or (
                due_on == today and rng.random() < 0.4)
            if done:
                serial += 1
                taken = _at(due_on, 7.5 + 3 * rng.random())
                sample = Sample(code=f"{prefix}{serial:07d}", person_id=placement.person_id,
                                kind="rt_pcr", reason="quarantine", taken_at=taken, taken_on=due_on,
                                place=placement.facility.name if placement.facility else "Tại nhà",
                                province_id=placement.province_id, district_id=placement.district_id,
                                commune_id=placement.commune_id)
                samples.append(sample)
                test.sample, test.open = sample, False
                if due_on < today:
                    results.append(LabResult(sample=sample, result="negative",
                                             resulted_at=taken + dt.timedelta(hours=10)))
            elif released:
                test.open = False
            rows.append(test)
    Sample.objects.bulk_create(samples, batch_size=2000)
    for row in rows:
        row.sample_id = row.sample.pk if row.sample else None
    for result in results:
        result.sample_id = result.sample.pk
    LabResult.objects.bulk_create(results, batch_size=2000)
    ScheduledTest.objects.bulk_create(rows, batch_size=2000)
    return len(rows), len(samples)
