"""Vaccination rules, pure (no ORM): age groups, which coverage counters a dose moves, the ISO
week a dose is counted in, population estimates by age structure, and `UnitCoverage`, the
coverage of one unit on a date as the risk assessment and the pages read it.

Coverage counts people, and a dose record says by itself what it counts for (so counters can be
moved set-based, a record at a time, without reading the person's other doses):
- "1" (at least one dose): dose number 1;
- "full" (completed the primary series): dose number equal to the product's series doses
  (2 for most products, 1 for Janssen — whose dose 1 therefore counts for both);
- "booster": the first dose after the series (dose number = series doses + 1).
The age at the dose date decides the groups a dose is counted in: someone who had dose 1 at 17
counts in "12-17" for dose 1 even after turning 18.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop as _n

ALL = "all"
DOSE_KEYS = ("1", "full", "booster")
DEFAULT_GROUPS = (ALL, "18+", "12-17", "50+", "65+")
SOURCES = ("records", "aggregate", "none")
MAX_DOSE_NUMBER = 10
FIRST_DOSE_DAY = dt.date(2020, 1, 1)  # nothing earlier is a COVID-19 vaccination
_GROUP_CODE = re.compile(r"^[0-9A-Za-z+\-]{1,10}$")


class DoseError(ValueError):
    """A dose or report refused by the rules: `field` names the input at fault; `message` is a
    Vietnamese msgid, translated by the caller (services raise InvalidInput(gettext(message)))."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message, self.field = message, field


# --- Age groups -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeGroup:
    code: str
    label: str
    min_age: int = 0
    max_age: int | None = None  # inclusive; None: no upper bound

    def contains(self, age: int | None) -> bool:
        if self.code == ALL:
            return True
        if age is None:
            return False
        return age >= self.min_age and (self.max_age is None or age <= self.max_age)


def groups_from_data(items: Iterable[Mapping]) -> tuple[AgeGroup, ...]:
    """The groups of a configuration (JSON rows) with "all" first; ValueError on a bad row."""
    groups = [AgeGroup(ALL, "Toàn dân")]
    seen = {ALL}
    for item in items:
        group = AgeGroup(str(item["code"]), str(item.get("label", item["code"])),
                         int(item.get("min_age", 0)), item.get("max_age"))
        if group.code in seen or not _GROUP_CODE.match(group.code):
            raise ValueError(f"age group code {group.code!r} repeated or not [0-9A-Za-z+-]{{1,10}}")
        if group.min_age < 0 or (group.max_age is not None and group.max_age < group.min_age):
            raise ValueError(f"age group {group.code}: bad bounds")
        seen.add(group.code)
        groups.append(group)
    return tuple(groups)


def age_at(day: dt.date, *, birth_date: dt.date | None, birth_year: int | None) -> int | None:
    """Completed years on `day`; from the birth year alone, the difference of years."""
    if birth_date is not None:
        return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    if birth_year:
        return day.year - birth_year
    return None


def groups_for_age(groups: Iterable[AgeGroup], age: int | None) -> list[str]:
    return [g.code for g in groups if g.contains(age)]


# --- Doses ----------------------------------------------------------------------------------


def dose_keys(dose_number: int, series_doses: int) -> tuple[str, ...]:
    """The coverage counters one dose moves (see the module docstring)."""
    keys = []
    if dose_number == 1:
        keys.append("1")
    if dose_number == series_doses:
        keys.append("full")
    if dose_number == series_doses + 1:
        keys.append("booster")
    return tuple(keys)


def week_of(day: dt.date) -> dt.date:
    """The Monday of the ISO week of `day`: doses are counted per week."""
    return day - dt.timedelta(days=day.weekday())


def check_dose(*, dose_number: int, given_on: dt.date, today: dt.date, series_doses: int,
               birth_date: dt.date | None = None) -> None:
    """Raise DoseError for a dose that cannot be right."""
    if not 1 <= dose_number <= min(MAX_DOSE_NUMBER, series_doses + 3):
        raise DoseError(_n("Số mũi không hợp lệ cho sản phẩm này."), "dose_number")
    if given_on > today:
        raise DoseError(_n("Ngày tiêm ở tương lai."), "given_on")
    if given_on < FIRST_DOSE_DAY:
        raise DoseError(_n("Ngày tiêm trước khi có vắc xin COVID-19."), "given_on")
    if birth_date is not None and given_on < birth_date:
        raise DoseError(_n("Ngày tiêm trước ngày sinh."), "given_on")


def check_report(*, population: int | None, one_dose: int, full_series: int,
                 booster: int | None) -> None:
    """An aggregate report: people with a full series had a first dose; none exceed the group."""
    for name, value in (("population", population), ("one_dose", one_dose),
                        ("full_series", full_series), ("booster", booster)):
        if value is not None and value < 0:
            raise DoseError(_n("Số liệu không được âm."), name)
    if full_series > one_dose:
        raise DoseError(_n("Số người tiêm đủ liều lớn hơn số người tiêm ít nhất 1 mũi."), "full_series")
    if booster is not None and booster > full_series:
        raise DoseError(_n("Số người tiêm nhắc lại lớn hơn số người tiêm đủ liều."), "booster")
    if population is not None and one_dose > population:
        raise DoseError(_n("Số người đã tiêm lớn hơn dân số của nhóm."), "one_dose")


# --- Coverage -------------------------------------------------------------------------------


def estimate_population(total: int | None, shares: Mapping[str, float],
                        groups: Iterable[str]) -> dict[str, int]:
    """People per group from a unit's total population and the national age structure."""
    if not total:
        return {}
    out = {}
    for code in groups:
        share = 1.0 if code == ALL else shares.get(code)
        if share is not None:
            out[code] = round(total * share)
    return out


@dataclass(frozen=True)
class UnitCoverage:
    """Coverage of one unit (commune, district or province) as of a date.

    `source`: "records" (dose records), "aggregate" (reported totals) or "none". A district or
    province sums its parts (communes, districts); `parts` counts the communes by the source each
    used ("none" included), and `source` is "aggregate" as soon as one part is. Parts with no data
    are left out of both the people covered and the population; a parent none of whose parts has
    data uses its own aggregate report. `population_source`: "report", "estimate"
    (unit population × national age structure), "mixed" or "" (unknown)."""

    unit_id: int
    as_of: dt.date
    source: str
    population: dict[str, int] = field(default_factory=dict)
    covered: dict[tuple[str, str], int] = field(default_factory=dict)
    population_source: str = ""
    counted_through: dt.date | None = None  # records: doses up to this Sunday are counted
    parts: dict[str, int] = field(default_factory=dict)

    def pct(self, group: str, dose: str) -> float | None:
        """Percent of the group's people covered by `dose`; None when unknown."""
        population = self.population.get(group)
        people = self.covered.get((group, dose))
        if not population or people is None:
            return None
        return 100.0 * people / population


def combine(unit_id: int, as_of: dt.date, parts: Iterable[UnitCoverage]) -> UnitCoverage | None:
    """The sum of parts that have data (None when none has)."""
    parts = list(parts)
    known = [p for p in parts if p.source != "none"]
    if not known:
        return None
    population: dict[str, int] = {}
    covered: dict[tuple[str, str], int] = {}
    counts: dict[str, int] = {}
    pop_get, cov_get = population.get, covered.get
    for part in known:  # plain loops: a country is 10,600 communes summed into 768 parents
        for code, n in part.population.items():
            population[code] = pop_get(code, 0) + n
        for key, n in part.covered.items():
            covered[key] = cov_get(key, 0) + n
    for part in parts:
        for source, n in (part.parts or {part.source: 1}).items():
            counts[source] = counts.get(source, 0) + n
    pop_sources = {p.population_source for p in known if p.population_source}
    through = [p.counted_through for p in known if p.counted_through]
    return UnitCoverage(
        unit_id, as_of, "aggregate" if counts.get("aggregate") else "records", population, covered,
        pop_sources.pop() if len(pop_sources) == 1 else ("mixed" if pop_sources else ""),
        max(through) if through else None, counts,
    )
