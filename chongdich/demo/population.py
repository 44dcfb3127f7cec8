"""A synthetic province population as NumPy arrays: households, workplaces (factories in industrial
parks, small workplaces, school classes) and venues (markets). Pure: no database.

People are numbered 0..n-1. Households are contiguous runs of people, sorted by commune, so a
household is (start, size) and "the other members" is a slice. Workplaces and venues are groups
kept as CSR arrays (members sorted by group), so drawing a random member is one indexing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chongdich.demo import names


@dataclass(frozen=True)
class Commune:
    id: int
    district_id: int
    province_id: int
    name: str
    name_with_type: str
    kind: str
    district_name: str
    population: int


class PlaceKind:
    FACTORY = 0  # a company in an industrial park
    SMALL = 1  # small workplace: shop, workshop, office
    SCHOOL = 2  # a school class
    MARKET = 3  # commune market
    CENTRAL_MARKET = 4  # the district's central market


@dataclass
class Places:
    name: list[str]
    commune: np.ndarray  # commune index of the place
    kind: np.ndarray
    park: np.ndarray  # industrial park index (factories), else -1


@dataclass
class Groups:
    """Members of each group, CSR style: members of g are order[start[g]:start[g]+size[g]]."""

    order: np.ndarray
    start: np.ndarray
    size: np.ndarray

    @classmethod
    def of(cls, group: np.ndarray, count: int) -> Groups:
        members = np.nonzero(group >= 0)[0]
        order = members[np.argsort(group[members], kind="stable")]
        size = np.bincount(group[members], minlength=count)
        start = np.concatenate([[0], np.cumsum(size)[:-1]])
        return cls(order=order, start=start, size=size)

    def draw(self, rng: np.random.Generator, groups: np.ndarray) -> np.ndarray:
        """One random member for each entry of `groups` (which must not be empty)."""
        pick = (rng.random(len(groups)) * self.size[groups]).astype(np.int64)
        return self.order[self.start[groups] + pick]


@dataclass
class Population:
    communes: list[Commune]
    parks: list[tuple[str, int]]  # (name, commune index)
    commune: np.ndarray  # per person: commune index
    household: np.ndarray  # per person: household index
    hh_start: np.ndarray  # per household
    hh_size: np.ndarray
    birth_year: np.ndarray
    female: np.ndarray  # bool
    workplace: np.ndarray  # workplace index or -1
    venue: np.ndarray  # market index
    trader: np.ndarray  # bool: sells at their market
    workplaces: Places
    venues: Places
    wp_members: Groups
    venue_members: Groups
    district_members: Groups
    district_of_commune: np.ndarray

    @property
    def n(self) -> int:
        return len(self.commune)


HOUSEHOLD_SIZES = np.array([2, 3, 4, 5, 6])
HOUSEHOLD_P = np.array([0.22, 0.26, 0.28, 0.15, 0.09])
# Age of heads of household (bands of 5 years from 22), a rough 2019 shape.
HEAD_AGE_P = np.array([6, 9, 11, 12, 12, 11, 10, 9, 7, 5, 3.5, 2.5, 1.2, 0.8], dtype=float)
SMALL_WORKPLACE_MEAN = 14
CLASS_SIZE = 35


def _households(rng, n: int, communes: list[Commune]):
    sizes = rng.choice(HOUSEHOLD_SIZES, size=n // 3 + 16, p=HOUSEHOLD_P)
    ends = np.cumsum(sizes)
    count = int(np.searchsorted(ends, n)) + 1
    sizes = sizes[:count].copy()
    sizes[-1] -= int(ends[count - 1] - n)
    sizes = sizes[sizes > 0]
    weights = np.array([max(c.population, 1) for c in communes], dtype=float)
    hh_commune = np.sort(rng.choice(len(communes), size=len(sizes), p=weights / weights.sum()))
    hh_start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    household = np.repeat(np.arange(len(sizes)), sizes)
    position = np.arange(n) - hh_start[household]
    return sizes, hh_start, household, position, hh_commune[household]


def _ages_and_sex(rng, household, position, hh_start, ref_year: int):
    n = len(household)
    heads = hh_start
    band = rng.choice(len(HEAD_AGE_P), size=len(heads), p=HEAD_AGE_P / HEAD_AGE_P.sum())
    head_age = 22 + band * 5 + rng.integers(0, 5, size=len(heads))
    head_age_p = head_age[household]
    age = np.empty(n, dtype=np.int64)
    age[position == 0] = head_age
    spouse = position == 1
    age[spouse] = np.clip(head_age_p[spouse] + rng.normal(-2, 4, spouse.sum()).round().astype(int), 18, 95)
    other = position >= 2
    child_age = head_age_p[other] - rng.integers(20, 38, other.sum())
    grand_age = np.minimum(head_age_p[other] + rng.integers(22, 31, other.sum()), 98)
    is_child = (rng.random(other.sum()) < 0.78) & (child_age >= 0)
    age[other] = np.where(is_child, child_age, grand_age)
    female = rng.random(n) < 0.5
    head_male = rng.random(len(heads)) < 0.72
    female[position == 0] = ~head_male
    female[spouse] = head_male[household[spouse]]
    return ref_year - age, female


def _parks(province_code: str, communes: list[Commune], rng) -> list[tuple[str, int]]:
    by_name = {c.name: i for i, c in enumerate(communes)}
    known = [(name, by_name[commune]) for name, commune in names.INDUSTRIAL_PARKS.get(province_code, [])
             if commune in by_name]
    if known:
        return known
    urban = [i for i, c in enumerate(communes) if c.kind in ("phuong", "thi-tran")] or list(range(len(communes)))
    count = min(len(urban), 6)
    return [(f"KCN {communes[i].name}", i) for i in sorted(rng.choice(urban, size=count, replace=False))]


def build_population(rng: np.random.Generator, *, n: int, communes: list[Commune],
                     province_code: str, ref_year: int) -> Population:
    hh_size, hh_start, household, position, commune = _households(rng, n, communes)
    n = len(household)
    birth_year, female = _ages_and_sex(rng, household, position, hh_start, ref_year)
    age = ref_year - birth_year
    parks = _parks(province_code, communes, rng)

    workplace = np.full(n, -1, dtype=np.int64)
    wp_name: list[str] = []
    wp_commune: list[int] = []
    wp_kind: list[int] = []
    wp_park: list[int] = []
    working = (age >= 18) & (age <= 60) & (rng.random(n) < 0.7)
    in_park = working & (rng.random(n) < 0.35)
    # Factories: each park hosts companies of ~1,500 workers drawn from the whole province.
    park_weight = rng.dirichlet(np.full(len(parks), 2.0))
    park_of = rng.choice(len(parks), size=int(in_park.sum()), p=park_weight)
    factory_of = np.empty(len(park_of), dtype=np.int64)
    for p, (park_name, park_commune) in enumerate(parks):
        members = np.nonzero(park_of == p)[0]
        companies = max(1, round(len(members) / 1500))
        first = len(wp_name)
        for _ in range(companies):
            wp_name.append(f"Công ty TNHH {rng.choice(names.COMPANY_TRADES)} {rng.choice(names.COMPANY_WORDS)}"
                           f" ({park_name})")
            wp_commune.append(park_commune)
            wp_kind.append(PlaceKind.FACTORY)
            wp_park.append(p)
        factory_of[members] = first + rng.integers(0, companies, size=len(members))
    workplace[np.nonzero(in_park)[0]] = factory_of

    # Small workplaces and school classes: consecutive chunks of local people (sorted by commune).
    def chunk(people: np.ndarray, mean: int, kind: int, label) -> None:
        sizes = np.clip(rng.geometric(1 / mean, size=len(people) // 3 + 1), 3, 120)
        ends = np.cumsum(sizes)
        count = int(np.searchsorted(ends, len(people))) + 1 if len(people) else 0
        sizes = sizes[:count]
        first = len(wp_name)
        workplace[people] = first + np.repeat(np.arange(count), sizes)[: len(people)]
        starts = np.concatenate([[0], ends[: count - 1]]).astype(np.int64)
        where = commune[people[starts]].tolist() if count else []
        wp_name.extend(label(c, first + k) for k, c in enumerate(where))
        wp_commune.extend(where)
        wp_kind.extend([kind] * count)
        wp_park.extend([-1] * count)

    small_labels = names.SMALL_PLACES
    chunk(np.nonzero(working & ~in_park)[0], SMALL_WORKPLACE_MEAN, PlaceKind.SMALL,
          lambda c, k: f"{small_labels[k % len(small_labels)]} {communes[c].name} số {k % 97 + 1}")
    pupils = np.nonzero((age >= 6) & (age <= 17))[0]
    chunk(pupils, CLASS_SIZE, PlaceKind.SCHOOL,
          lambda c, k: f"{'Trường THCS' if k % 3 else 'Trường tiểu học'} {communes[c].name}")

    # Markets: every commune has one; a quarter of people shop at their district's central market.
    district_ids = sorted({c.district_id for c in communes})
    district_index = {d: i for i, d in enumerate(district_ids)}
    district_of_commune = np.array([district_index[c.district_id] for c in communes])
    first_commune_of_district = {}
    for i, c in enumerate(communes):
        first_commune_of_district.setdefault(c.district_id, i)
    venue_name = [f"Chợ {c.name}" for c in communes]
    venue_commune = list(range(len(communes)))
    venue_kind = [PlaceKind.MARKET] * len(communes)
    for d in district_ids:
        c = first_commune_of_district[d]
        central = f"Chợ {_short_district(communes[c].district_name)}"
        venue_name.append(f"Chợ trung tâm {central[4:]}" if central in venue_name else central)
        venue_commune.append(c)
        venue_kind.append(PlaceKind.CENTRAL_MARKET)
    central = rng.random(n) < 0.25
    venue = np.where(central, len(communes) + district_of_commune[commune], commune)
    trader = (age >= 20) & (age <= 65) & (workplace < 0) & (rng.random(n) < 0.12)

    workplaces = Places(wp_name, np.array(wp_commune, dtype=np.int64), np.array(wp_kind), np.array(wp_park))
    venues = Places(venue_name, np.array(venue_commune), np.array(venue_kind), np.full(len(venue_name), -1))
    return Population(
        communes=communes, parks=parks, commune=commune, household=household, hh_start=hh_start,
        hh_size=hh_size, birth_year=birth_year.astype(np.int64), female=female, workplace=workplace,
        venue=venue, trader=trader, workplaces=workplaces, venues=venues,
        wp_members=Groups.of(workplace, len(wp_name)),
        venue_members=Groups.of(venue, len(venue_name)),
        district_members=Groups.of(district_of_commune[commune], len(district_ids)),
        district_of_commune=district_of_commune,
    )


def _short_district(name: str) -> str:
    for prefix in ("Thành phố ", "Thị xã ", "Huyện ", "Quận "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def occupation_and_workplace(pop: Population, people: np.ndarray, ref_year: int,
                             rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Occupation label and workplace name for the given people (object arrays of str)."""
    age = ref_year - pop.birth_year[people]
    wp = pop.workplace[people]
    kind = np.where(wp >= 0, pop.workplaces.kind[np.maximum(wp, 0)], -1)
    trader = pop.trader[people]
    labels = np.array([names.FACTORY_WORKER, names.PUPIL, names.TRADER, "", names.STUDENT,
                       names.RETIRED, "Nông dân", *names.SMALL_JOBS, *names.NO_WORKPLACE_JOBS],
                      dtype=object)
    small = 7 + rng.integers(0, len(names.SMALL_JOBS), len(people))
    free = 7 + len(names.SMALL_JOBS) + rng.integers(0, len(names.NO_WORKPLACE_JOBS), len(people))
    coin = rng.random(len(people)) < 0.4
    code = np.select(
        [kind == PlaceKind.FACTORY, kind == PlaceKind.SMALL, kind == PlaceKind.SCHOOL, trader,
         age < 6, (age >= 18) & (age <= 22) & coin, (age >= 60) & coin, age >= 60],
        [0, small, 1, 2, 3, 4, 5, 6], default=free,
    )
    wp_names = np.array(pop.workplaces.name + [""], dtype=object)
    venue_names = np.array(pop.venues.name, dtype=object)
    workplace = wp_names[np.where(wp >= 0, wp, len(wp_names) - 1)]
    workplace = np.where(trader, venue_names[pop.venue[people]], workplace)
    return labels[code], workplace
