"""Vaccination in the demo province, as the seeds describe it on 15/12/2021 (Vĩnh Phúc: adults
dose 1 > 95 %, dose 2 ~ 83 %; 12–17 year olds 42 %): dose records for everyone vaccinated in a few
communes (the people already registered there, and as many more as the commune's population
calls for), and aggregate reports — the totals a health centre sends — for every other commune.
So the coverage pages show both sources.

Bulk inserts, then the counters rebuilt for the province (`counters.rebuild`). A second call
(doses or reports already in the province) does nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from chongdich.core.text import fold
from chongdich.demo import names
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.people.models import Person, Sex
from chongdich.vaccination import counters
from chongdich.vaccination.models import (
    CoverageReport,
    DoseRecord,
    DoseSource,
    VaccineProduct,
)
from chongdich.vaccination.selectors import config_in_force

RECORD_COMMUNES = 3
ADULT_SHARE, TEEN_SHARE = 0.713, 0.092  # of the population (2019 census, see data/vaccination.json)
ADULT_ONE, ADULT_FULL_OF_ONE, BOOSTER_OF_FULL = 0.965, 0.87, 0.2
TEEN_ONE, TEEN_FULL_OF_ONE = 0.42, 0.3
ADULT_PRODUCTS = (("AZ", 0.5), ("PFIZER", 0.2), ("VEROCELL", 0.2), ("MODERNA", 0.1))
REPORT_SOURCE = "Báo cáo của trung tâm y tế huyện (dữ liệu mẫu)"


@dataclass(frozen=True)
class VaccinationDemoSummary:
    people_added: int = 0
    doses: int = 0
    record_communes: int = 0
    reports: int = 0
    skipped: bool = False


def _pick_weighted(rng, choices):
    r, acc = rng.random(), 0.0
    for value, weight in choices:
        acc += weight
        if r < acc:
            return value
    return choices[-1][0]


def _adult_age(rng) -> int:
    r = rng.random()
    if r < 0.11:
        return 65 + int(rng.random() * 25)
    if r < 0.33:
        return 50 + int(rng.random() * 15)
    return 18 + int(rng.random() * 32)


def _new_people(rng, commune: AdminUnit, count: int, ages, today: dt.date) -> list[Person]:
    people = []
    for _ in range(count):
        male = rng.random() < 0.5
        family = names.FAMILY_NAMES[int(rng.random() * 12)][0]
        middle, given = ((names.MALE_TRADITIONAL, names.MALE_GIVEN) if male
                         else (names.FEMALE_TRADITIONAL, names.FEMALE_GIVEN))
        full_name = f"{family} {middle} {given[int(rng.random() * len(given))]}"
        birth = today - dt.timedelta(days=365 * ages(rng) + int(rng.random() * 365))
        people.append(Person(full_name=full_name, name_folded=fold(full_name), birth_date=birth,
                             birth_year=birth.year, sex=Sex.MALE if male else Sex.FEMALE,
                             **commune.jurisdiction_keys()))
    return people


def _doses(rng, person: Person, today: dt.date, products: dict, *, teen: bool) -> list[DoseRecord]:
    """A person's doses, in order, none after today."""
    if teen:
        if rng.random() >= TEEN_ONE:
            return []
        first = today - dt.timedelta(days=1 + int(rng.random() * 50))
        product, full_p = products["PFIZER"], TEEN_FULL_OF_ONE
    else:
        if rng.random() >= ADULT_ONE:
            return []
        first = today - dt.timedelta(days=30 + int(rng.random() * 130))
        product, full_p = products[_pick_weighted(rng, ADULT_PRODUCTS)], ADULT_FULL_OF_ONE
    days = [first]
    if rng.random() < full_p:
        days.append(first + dt.timedelta(days=28 + int(rng.random() * 42)))
        if not teen and rng.random() < BOOSTER_OF_FULL:
            days.append(days[-1] + dt.timedelta(days=90 + int(rng.random() * 60)))
    site = f"Trạm y tế {person.commune.name_with_type}" if person.commune_id else ""
    return [DoseRecord(person=person, product=product if n < 3 else products["PFIZER"], dose_number=n,
                       given_on=day, site=site, batch=f"{product.code}-{day:%m%d}", source=DoseSource.IMPORT,
                       commune_id=person.commune_id, district_id=person.district_id,
                       province_id=person.province_id)
            for n, day in enumerate(days, start=1) if day <= today]


def _record_commune(rng, commune: AdminUnit, today: dt.date, products: dict) -> tuple[int, list[DoseRecord]]:
    """Everyone vaccinated in the commune: its registered people of age, and new people up to the
    adults and 12–17 year olds its population implies."""
    population = commune.population or 8_000
    known = list(Person.objects.filter(commune=commune).select_related("commune"))

    def age_of(p: Person) -> int | None:
        return today.year - p.birth_year if p.birth_year else None

    adults = [p for p in known if (age_of(p) or 0) >= 18]
    teens = [p for p in known if 12 <= (age_of(p) or 0) <= 17]
    new = _new_people(rng, commune, max(round(population * ADULT_SHARE) - len(adults), 0), _adult_age, today)
    new += _new_people(rng, commune, max(round(population * TEEN_SHARE) - len(teens), 0),
                       lambda r: 12 + int(r.random() * 6), today)
    Person.objects.bulk_create(new, batch_size=2000)
    for p in new:
        p.commune = commune
    doses = []
    for person in adults + teens + new:
        doses += _doses(rng, person, today, products, teen=(age_of(person) or 0) < 18)
    return len(new), doses


def _reports(rng, communes: list[AdminUnit], today: dt.date, codes: list[str]) -> list[CoverageReport]:
    """Totals a health centre would send for each commune: around the province's figures."""
    wanted = {"18+": (ADULT_SHARE, 0.955, 0.84), "12-17": (TEEN_SHARE, 0.42, 0.12),
              "50+": (0.234, 0.95, 0.86), "65+": (0.077, 0.93, 0.84)}
    rows = []
    for commune in communes:
        give_population = rng.random() < 0.5
        for code in codes:
            if code not in wanted:
                continue
            share, one, full = wanted[code]
            population = round((commune.population or 8_000) * share * (0.9 + rng.random() * 0.2))
            one_n = min(round(population * (one + (rng.random() - 0.5) * 0.06)), population)
            full_n = min(round(population * (full + (rng.random() - 0.5) * 0.08)), one_n)
            rows.append(CoverageReport(
                unit=commune, as_of=today, grp=code, population=population if give_population else None,
                one_dose=one_n, full_series=full_n, booster=None, source=REPORT_SOURCE,
                **commune.jurisdiction_keys()))
    return rows


@transaction.atomic
def load_demo(*, province: AdminUnit, rng, today: dt.date) -> VaccinationDemoSummary:
    if (DoseRecord.objects.filter(province=province).exists()
            or CoverageReport.objects.filter(province=province).exists()):
        return VaccinationDemoSummary(skipped=True)
    products = {p.code: p for p in VaccineProduct.objects.all()}
    communes = list(AdminUnit.objects.filter(province=province, level=UnitLevel.COMMUNE).order_by("code"))
    busiest = sorted(communes, key=lambda c: -Person.objects.filter(commune=c).count())[:RECORD_COMMUNES]
    added, doses = 0, []
    for commune in sorted(busiest, key=lambda c: c.code):
        n, commune_doses = _record_commune(rng, commune, today, products)
        added, doses = added + n, doses + commune_doses
    DoseRecord.objects.bulk_create(doses, batch_size=5000)
    config = config_in_force(today)
    codes = [g["code"] for g in (config.groups if config else [])]
    reports = _reports(rng, [c for c in communes if c not in busiest], today, codes)
    CoverageReport.objects.bulk_create(reports, batch_size=2000)
    counters.rebuild(province_id=province.pk)
    return VaccinationDemoSummary(people_added=added, doses=len(doses), record_communes=len(busiest),
                                  reports=len(reports))
