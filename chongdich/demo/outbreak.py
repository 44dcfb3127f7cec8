"""A seeded outbreak over a synthetic population: who infected whom, when each case was confirmed
and how it was found, clusters, treatment histories and traced contacts. Pure NumPy, no database.

The transmission process is a branching process in continuous time, stepped one day at a time.
Each case draws its number of infections from a negative binomial (mean R, dispersion k = 0.4:
most cases infect nobody, a few infect many), R falling as measures take effect. Each infection
happens in a setting — household, workplace, market, transport — and picks its target among the
infector's household, colleagues, market or district; a target already infected is spared.
Cases are kept in order of confirmation until exactly the requested number, then the timeline is
stretched to the requested number of days. Times are in days from the start (local midnight).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chongdich.demo import tracing
from chongdich.demo.codes import (
    COMMUNITY,
    DETECTED_IMPORTED,
    DIED,
    FACILITY,
    HOME,
    HOUSEHOLD,
    IMPORTED,
    OTHER,
    QUARANTINE,
    RECOVERED,
    SYMPTOMS,
    TIER1,
    TIER2,
    TIER3,
    TRANSPORT,
    VENUE,
    WORKPLACE,
)
from chongdich.demo.population import Population

DISPERSION = 0.4
R_START, R_MEASURES = 2.4, 0.75
# Share of infections whose infector the investigation finds, by setting.
KNOWN_INFECTOR = np.array([0.92, 0.78, 0.5, 0.45, 0.45])


def default_days(cases: int) -> int:
    """Eight weeks for the 2,000-case default, a week more for every doubling, within 4–20 weeks."""
    return int(np.clip(round(56 + 7 * np.log2(max(cases, 1) / 2000)), 28, 140))


@dataclass
class Outbreak:
    days: int
    # Cases, in order of confirmation.
    person: np.ndarray
    infected_t: np.ndarray
    confirmed_t: np.ndarray
    onset_t: np.ndarray  # NaN when unknown (no symptoms reported)
    detection: np.ndarray
    infector: np.ndarray  # case index when the investigation found it, else -1
    setting: np.ndarray  # where the case was infected, IMPORTED for imported cases
    cluster: np.ndarray  # cluster index or -1
    status: np.ndarray  # current status
    status_t: np.ndarray
    # Treatment status events.
    event_case: np.ndarray
    event_status: np.ndarray
    event_t: np.ndarray
    # Contacts: `a` is the person investigated (in case `contact_case`), `b` the contact.
    contact_case: np.ndarray
    contact_a: np.ndarray
    contact_b: np.ndarray
    contact_setting: np.ndarray
    contact_last_t: np.ndarray
    contact_created_t: np.ndarray
    # Clusters.
    cluster_name: list[str]
    cluster_place: list[str]
    cluster_commune: np.ndarray
    cluster_first_case: np.ndarray
    cluster_last_case: np.ndarray
    cluster_source_case: np.ndarray  # root of the first case's chain


def _r(share: float) -> float:
    """R by the share of the requested size infected so far: measures bite as the wave grows."""
    if share < 0.1:
        return R_START
    if share < 0.55:
        return R_START + (R_MEASURES - R_START) * (share - 0.1) / 0.45
    return R_MEASURES


def _targets(pop: Population, rng, source: np.ndarray, setting: np.ndarray) -> np.ndarray:
    """A random person met by each `source` person in `setting` (-1 when there is nobody)."""
    target = np.full(len(source), -1, dtype=np.int64)
    hh = setting == HOUSEHOLD
    if hh.any():
        s = source[hh]
        household = pop.household[s]
        size, start = pop.hh_size[household], pop.hh_start[household]
        offset = (rng.random(len(s)) * (size - 1)).astype(np.int64)
        offset += offset >= s - start  # skip the source itself
        target[hh] = np.where(size > 1, start + offset, -1)
    wp = (setting == WORKPLACE) & (pop.workplace[source] >= 0)
    if wp.any():
        target[wp] = pop.wp_members.draw(rng, pop.workplace[source[wp]])
    venue = setting == VENUE
    if venue.any():
        target[venue] = pop.venue_members.draw(rng, pop.venue[source[venue]])
    far = (setting == TRANSPORT) | (setting == OTHER)
    if far.any():
        districts = pop.district_of_commune[pop.commune[source[far]]]
        target[far] = pop.district_members.draw(rng, districts)
    return target


def _settings(pop: Population, rng, source: np.ndarray) -> np.ndarray:
    worker = pop.workplace[source] >= 0
    trader = pop.trader[source]
    u = rng.random(len(source))
    worker_s = np.searchsorted(np.cumsum([0.35, 0.40, 0.17, 0.04]), u, side="right")
    trader_s = np.searchsorted(np.cumsum([0.35, 0.0, 0.55, 0.05]), u, side="right")
    other_s = np.searchsorted(np.cumsum([0.55, 0.0, 0.33, 0.06]), u, side="right")
    return np.where(worker, worker_s, np.where(trader, trader_s, other_s)).astype(np.int64)


def _transmit(pop: Population, rng, n_cases: int, ref_year: int) -> dict[str, np.ndarray]:
    """Run the process until `n_cases` confirmations are final; all cases, in creation order."""
    infected = np.zeros(pop.n, dtype=bool)
    age = ref_year - pop.birth_year
    adults = np.nonzero((age >= 18) & (age <= 65))[0]  # who comes back from elsewhere
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("person", "t", "conf", "parent", "setting")}
    pending: dict[int, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    person_of = np.empty(0, dtype=np.int64)
    conf_of = np.empty(0)
    count = 0
    seeds = int(min(20, 2 + n_cases // 500))
    import_rate = max(0.02, 0.0002 * n_cases)
    for day in range(5000):
        imports = seeds if day == 0 else int(rng.poisson(import_rate))
        batch = pending.pop(day, [])
        batch.append((day + rng.random(imports), np.full(imports, -1), np.full(imports, IMPORTED)))
        t, parent, setting = (np.concatenate(x) for x in zip(*batch, strict=True))
        source = np.where(parent >= 0, person_of[np.maximum(parent, 0)] if count else -1, -1)
        target = np.where(parent < 0, adults[rng.integers(0, len(adults), len(t))], -1)
        local = parent >= 0
        for _ in range(2):  # a second try for those who met nobody or someone already infected
            retry = local & ((target < 0) | infected[np.maximum(target, 0)])
            if retry.any():
                target[retry] = _targets(pop, rng, source[retry], setting[retry])
        ok = np.nonzero((target >= 0) & ~infected[np.maximum(target, 0)] & (target != source))[0]
        ok = ok[np.argsort(t[ok], kind="stable")]
        _, first = np.unique(target[ok], return_index=True)
        ok = np.sort(ok[first])
        t, parent, setting, target = t[ok], parent[ok], setting[ok], target[ok]
        infected[target] = True
        m = len(t)
        delay = np.where(parent < 0, 0.5 + 2.5 * rng.random(m), 0.5 + rng.gamma(2.0, 2.2, m))
        conf = t + delay
        if count and m:
            after_parent = conf_of[np.maximum(parent, 0)] + 0.05 + 0.75 * rng.random(m)
            conf = np.where(parent >= 0, np.maximum(conf, after_parent), conf)
        for key, value in zip(cols, (target, t, conf, parent, setting), strict=True):
            cols[key].append(value)
        person_of = np.concatenate([person_of, target])
        conf_of = np.concatenate([conf_of, conf])
        ids = np.arange(count, count + m)
        count += m
        # Offspring of today's cases; infection stops soon after isolation (confirmation).
        final = int((conf_of < day + 1).sum())
        r = _r(count / n_cases)
        if count + sum(len(p[0]) for v in pending.values() for p in v) < 1.05 * n_cases:
            r = max(r, 1.15)  # never fizzle out before the requested size: the wave drags on
        kids = rng.negative_binomial(DISPERSION, DISPERSION / (DISPERSION + r), m)
        if kids.sum():
            k_parent = np.repeat(ids, kids)
            k_t = np.repeat(t, kids) + np.maximum(0.3, rng.gamma(4.0, 1.25, kids.sum()))
            k_setting = _settings(pop, rng, person_of[k_parent])
            cap = conf_of[k_parent] + np.where(k_setting == HOUSEHOLD, 1.0, 0.3)
            k_t = np.minimum(k_t, np.maximum(cap, np.repeat(t, kids) + 0.3))
            k_day = np.floor(k_t).astype(np.int64)
            for d in np.unique(k_day):
                sel = k_day == d
                pending.setdefault(int(d), []).append((k_t[sel], k_parent[sel], k_setting[sel]))
        if final >= n_cases:
            break
    return {k: np.concatenate(v) for k, v in cols.items()}


def _fit_timeline(rng, inf, conf, parent, days: int):
    """Stretch the times into `days`, move confirmations into office hours, keep infectors first."""
    lo, hi = inf.min(), conf.max()
    scale = (days - 1.0) / max(hi - lo, 1e-9)
    inf = (inf - lo) * scale + 0.2
    conf = (conf - lo) * scale + 0.2
    conf = np.floor(conf) + (7 + 14 * rng.random(len(conf))) / 24
    has = parent >= 0
    for _ in range(len(conf)):
        bad = np.nonzero(has & (conf <= conf[np.maximum(parent, 0)]))[0]
        if not len(bad):
            break
        conf[bad] = conf[parent[bad]] + 2 / 1440
    inf = np.minimum(inf, conf - 0.25)
    return np.maximum(inf, 0.0), conf


def _roots(parent: np.ndarray) -> np.ndarray:
    root = np.arange(len(parent))
    while True:
        up = parent[root]
        move = up >= 0
        if not move.any():
            return root
        root = np.where(move, up, root)


def simulate(pop: Population, rng: np.random.Generator, *, cases: int, days: int | None = None,
             ref_year: int) -> Outbreak:
    days = days or default_days(cases)
    raw = _transmit(pop, rng, cases, ref_year)
    order = np.argsort(raw["conf"], kind="stable")[:cases]
    new_index = np.full(len(raw["conf"]), -1)
    new_index[order] = np.arange(cases)
    person, setting = raw["person"][order], raw["setting"][order]
    parent = np.where(raw["parent"][order] >= 0, new_index[np.maximum(raw["parent"][order], 0)], -1)
    assert (parent < np.arange(cases)).all() and ((parent >= 0) | (setting == IMPORTED)).all()
    inf, conf = _fit_timeline(rng, raw["t"][order], raw["conf"][order], parent, days)
    resort = np.argsort(conf, kind="stable")
    if (resort != np.arange(cases)).any():
        inverse = np.empty(cases, dtype=np.int64)
        inverse[resort] = np.arange(cases)
        person, setting, inf, conf = person[resort], setting[resort], inf[resort], conf[resort]
        parent = np.where(parent[resort] >= 0, inverse[np.maximum(parent[resort], 0)], -1)

    local = setting != IMPORTED
    known = local & (rng.random(cases) < KNOWN_INFECTOR[np.maximum(setting, 0)])
    infector = np.where(known, parent, -1)
    quarantined = known & (rng.random(cases) < 0.35 + 0.45 * conf / days)
    symptoms = rng.random(cases) < 0.4
    detection = np.select([~local, quarantined, symptoms], [DETECTED_IMPORTED, QUARANTINE, SYMPTOMS],
                          default=COMMUNITY)
    onset = np.where(detection == SYMPTOMS, np.maximum(inf + 0.5, conf - 3 * rng.random(cases)), np.nan)

    statuses = _treatment(rng, ref_year - pop.birth_year[person], conf, days)
    clusters = tracing.clusters(pop, person, setting, parent, infector, local)
    contacts = tracing.contacts(pop, rng, person, conf, inf, infector, setting, days)
    return Outbreak(
        days=days, person=person, infected_t=inf, confirmed_t=conf, onset_t=onset,
        detection=detection, infector=infector, setting=setting, cluster=clusters["of_case"],
        status=statuses["status"], status_t=statuses["status_t"], event_case=statuses["case"],
        event_status=statuses["event"], event_t=statuses["t"],
        contact_case=contacts["case"], contact_a=contacts["a"], contact_b=contacts["b"],
        contact_setting=contacts["setting"], contact_last_t=contacts["last_t"],
        contact_created_t=contacts["created_t"],
        cluster_name=clusters["name"], cluster_place=clusters["place"], cluster_commune=clusters["commune"],
        cluster_first_case=clusters["first"], cluster_last_case=clusters["last"],
        cluster_source_case=_roots(infector)[clusters["first"]] if len(clusters["first"]) else clusters["first"],
    )


def _treatment(rng, age: np.ndarray, conf: np.ndarray, days: int) -> dict[str, np.ndarray]:
    """Status histories: a first placement by age, sometimes a worse tier, then recovery after
    10–21 days or, rarely and more often when old, death. Events after the period are not known yet."""
    n = len(age)
    old, middle = age >= 65, (age >= 50) & (age < 65)
    p_t3 = np.select([old, middle], [0.06, 0.02], 0.004)
    p_t2 = np.select([old, middle], [0.25, 0.15], 0.07)
    p_home = np.where(age < 50, 0.03 + 0.2 * conf / days, 0.01)
    u = rng.random(n)
    rest = np.where(rng.random(n) < 0.45, FACILITY, TIER1)
    first = np.select([u < p_t3, u < p_t3 + p_t2, u < p_t3 + p_t2 + p_home], [TIER3, TIER2, HOME], rest)
    to_t2 = (first < TIER2) & (rng.random(n) < np.where(age >= 50, 0.1, 0.04))
    t2_t = np.where(to_t2, conf + 1 + 4 * rng.random(n), np.nan)
    reached_t2 = (first == TIER2) | to_t2
    to_t3 = reached_t2 & (rng.random(n) < np.select([old, middle], [0.3, 0.15], 0.06))
    t3_t = np.where(to_t3, np.where(to_t2, t2_t, conf) + 1 + 3 * rng.random(n), np.nan)
    in_t3 = (first == TIER3) | to_t3
    dies = in_t3 & (rng.random(n) < np.select([old, middle], [0.55, 0.35], 0.2))
    last = np.fmax(np.fmax(conf, np.nan_to_num(t2_t, nan=-1)), np.nan_to_num(t3_t, nan=-1))
    end_t = np.where(dies, last + 2 + 12 * rng.random(n),
                     np.maximum(conf + 10 + 11 * rng.random(n) + 3 * reached_t2 + 7 * in_t3, last + 1))
    end = np.where(dies, DIED, RECOVERED)
    idx = np.arange(n)
    case = np.concatenate([idx, idx[to_t2], idx[to_t3], idx])
    event = np.concatenate([first, np.full(to_t2.sum(), TIER2), np.full(to_t3.sum(), TIER3), end])
    t = np.concatenate([conf, t2_t[to_t2], t3_t[to_t3], end_t])
    later = np.arange(len(t)) >= n  # not the first placement: move into working hours
    t = np.where(later, np.floor(t) + (7 + 13 * rng.random(len(t))) / 24, t)
    keep = t <= days
    case, event, t = case[keep], event[keep], t[keep]
    order = np.lexsort((t, case))
    case, event, t = case[order], event[order], t[order]
    last_of_case = np.r_[case[1:] != case[:-1], True]
    status, status_t = np.empty(n, dtype=np.int64), np.empty(n)
    status[case[last_of_case]] = event[last_of_case]
    status_t[case[last_of_case]] = t[last_of_case]
    return {"case": case, "event": event, "t": t, "status": status, "status_t": status_t}

