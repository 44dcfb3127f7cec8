"""Names, phones, citizen IDs and addresses for the synthetic people who appear in the records.
Vectorised: name parts are drawn as indices and folded once per part, not once per person."""

from __future__ import annotations

import numpy as np

from chongdich.core.text import fold
from chongdich.demo import names
from chongdich.demo.population import Population


def _weighted(rng, table: list[tuple[str, float]], size: int) -> np.ndarray:
    weights = np.array([w for _, w in table], dtype=float)
    return rng.choice(len(table), size=size, p=weights / weights.sum())


def _parts(items: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return np.array(items, dtype=object), np.array([fold(x) for x in items], dtype=object)


def _pick(female: np.ndarray, i: np.ndarray, male_table: list[str], female_table: list[str]):
    """Name part `i` from the male or female table, as written and folded."""
    male, male_f = _parts(male_table)
    fem, fem_f = _parts(female_table)
    return np.where(female, fem[i], male[i]), np.where(female, fem_f[i], male_f[i])


def full_names(rng, pop: Population, people: np.ndarray) -> tuple[list[str], list[str]]:
    """Spouses keep their own family name; everyone else in a household shares the head's.
    Văn and Thị, near universal for those born around 1950, fade to a third by 2010."""
    n = len(people)
    households, which = np.unique(pop.household[people], return_inverse=True)
    family_of_household = _weighted(rng, names.FAMILY_NAMES, len(households))
    spouse = people - pop.hh_start[pop.household[people]] == 1
    family = np.where(spouse, _weighted(rng, names.FAMILY_NAMES, n), family_of_household[which])
    female = pop.female[people]
    traditional = rng.random(n) < np.clip(0.9 - (pop.birth_year[people] - 1950) * 0.009, 0.33, 0.9)
    middle_i = np.where(traditional, 0, 1 + rng.integers(0, len(names.MALE_MIDDLE), n))
    given_i = rng.integers(0, len(names.MALE_GIVEN), n)
    middle, middle_f = _pick(female, middle_i, [names.MALE_TRADITIONAL, *names.MALE_MIDDLE],
                             [names.FEMALE_TRADITIONAL, *names.FEMALE_MIDDLE])
    given, given_f = _pick(female, given_i, names.MALE_GIVEN, names.FEMALE_GIVEN)
    clash = middle == given  # "Ngọc Ngọc": take the next given name instead
    if clash.any():
        nxt = (given_i + 1) % len(names.MALE_GIVEN)
        other, other_f = _pick(female, nxt, names.MALE_GIVEN, names.FEMALE_GIVEN)
        given, given_f = np.where(clash, other, given), np.where(clash, other_f, given_f)
    fam, fam_f = _parts([f for f, _ in names.FAMILY_NAMES])
    full = (fam[family] + " " + middle + " " + given).tolist()
    folded = (fam_f[family] + " " + middle_f + " " + given_f).tolist()
    return full, folded


def phones(rng, pop: Population, people: np.ndarray, ref_year: int) -> list[str]:
    """A mobile for nearly everyone from 12; children are reached on the household head's phone."""
    heads = pop.hh_start[pop.household[people]]
    owners, which = np.unique(np.concatenate([people, heads]), return_inverse=True)
    prefix = np.array([p for p, _ in names.MOBILE_PREFIXES], dtype=object)[
        _weighted(rng, names.MOBILE_PREFIXES, len(owners))]
    number = rng.integers(0, 10**7, len(owners))
    own = np.array([f"{p}{n:07d}" for p, n in zip(prefix.tolist(), number.tolist(), strict=True)], dtype=object)
    person_phone, head_phone = own[which[: len(people)]], own[which[len(people):]]
    age = ref_year - pop.birth_year[people]
    has = rng.random(len(people)) < 0.92
    phone = np.where(age >= 12, np.where(has, person_phone, ""), head_phone)
    return phone.tolist()


def citizen_ids(rng, pop: Population, people: np.ndarray, province_code: str,
                taken: set[str]) -> list[str]:
    """CCCD for about 60 %: 0 + province code, century-and-sex digit, year of birth, serial.
    Serials are distinct within each prefix; any already in the database is left out."""
    n = len(people)
    by = pop.birth_year[people]
    age_ok = (by <= 2007) & (rng.random(n) < 0.78)
    digit = np.where(by >= 2000, 2, 0) + pop.female[people]
    prefix_key = digit * 100 + by % 100
    sel = np.nonzero(age_ok)[0]
    order = sel[np.argsort(prefix_key[sel], kind="stable")]
    keys = prefix_key[order]
    starts = np.r_[0, np.nonzero(keys[1:] != keys[:-1])[0] + 1]
    rank_in_group = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    offset = rng.integers(0, 10**6, 400)
    serial = (offset[keys] + rank_in_group * 7919) % 10**6
    out = [""] * n
    head = "0" + province_code.zfill(2)
    for i, d, yy, s in zip(order.tolist(), digit[order].tolist(), (by[order] % 100).tolist(),
                           serial.tolist(), strict=True):
        cid = f"{head}{d}{yy:02d}{s:06d}"
        if cid not in taken:
            out[i] = cid
    return out


def addresses(rng, pop: Population, people: np.ndarray) -> list[str]:
    """One address per household: a street number in wards and towns, a hamlet in rural communes."""
    households, which = np.unique(pop.household[people], return_inverse=True)
    commune = pop.commune[pop.hh_start[households]]
    urban = np.array([c.kind in ("phuong", "thi-tran") for c in pop.communes])[commune]
    number = rng.integers(1, 300, len(households))
    group = rng.integers(1, 16, len(households))
    street = rng.integers(0, len(names.STREETS), len(households))
    hamlet = rng.integers(0, len(names.HAMLET_WORDS), len(households))
    style = rng.random(len(households)) < 0.5
    text = [
        f"Số {n}, đường {names.STREETS[s]}, tổ dân phố {g}" if u
        else (f"Thôn {names.HAMLET_WORDS[h]}" if st else f"Xóm {g}")
        for u, n, g, s, h, st in zip(urban.tolist(), number.tolist(), group.tolist(), street.tolist(),
                                     hamlet.tolist(), style.tolist(), strict=True)
    ]
    return [text[i] for i in which.tolist()]
