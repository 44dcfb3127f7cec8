"""What the investigations of a synthetic outbreak find: clusters (ổ dịch) named after the places
where cases caught it, and each case's contacts — the household, some colleagues, some people met
at the market or on the road — plus some contacts' household members, so F2 appear. Pure NumPy."""

from __future__ import annotations

import numpy as np

from chongdich.demo.codes import HOUSEHOLD, OTHER, TRANSPORT, VENUE, WORKPLACE
from chongdich.demo.population import Population

F2_SHARE = 0.08  # contacts whose household is traced as well


def within_period(start: np.ndarray, when: np.ndarray, days: float, rng) -> np.ndarray:
    """`when`, or for those after the period's end a moment between `start` and the end."""
    late = when >= days
    return np.where(late, start + (days - start) * (0.2 + 0.8 * rng.random(len(when))), when)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def clusters(pop: Population, person, setting, parent, infector, local) -> dict:
    """Cases infected at the same workplace (a whole industrial park counts as one place) or market
    form a cluster once there are enough of them; the case that brought it in and the cases its
    members infected join it; what is left groups by commune as community clusters."""
    n = len(person)
    parks, wps, venues, communes = pop.parks, pop.workplaces, pop.venues, pop.communes
    P, W, V = len(parks), len(wps.name), len(venues.name)
    key = np.full(n, -1, dtype=np.int64)
    src = person[np.maximum(parent, 0)]
    wp = pop.workplace[src]
    at_work = (setting == WORKPLACE) & (parent >= 0) & (wp >= 0)
    park = wps.park[np.maximum(wp, 0)]
    key[at_work] = np.where(park[at_work] >= 0, park[at_work], P + wp[at_work])
    at_market = (setting == VENUE) & (parent >= 0)
    key[at_market] = P + W + pop.venue[src[at_market]]
    min_size = 5 if n >= 1000 else 3
    total = P + W + V + len(communes)
    counts = np.bincount(key[key >= 0], minlength=total)
    key = np.where((key >= 0) & (counts[np.maximum(key, 0)] >= min_size), key, -1)
    members = np.nonzero(key >= 0)[0]
    brought_in = parent[members]
    joins = (brought_in >= 0) & (key[np.maximum(brought_in, 0)] < 0)
    key[brought_in[joins]] = key[members[joins]]
    while True:
        follow = (key < 0) & (infector >= 0) & (key[np.maximum(infector, 0)] >= 0)
        if not follow.any():
            break
        key[follow] = key[infector[follow]]
    rest = (key < 0) & local
    community = P + W + V + pop.commune[person]
    counts = np.bincount(community[rest], minlength=total)
    grouped = rest & (counts[community] >= 2 * min_size)
    key[grouped] = community[grouped]

    clustered = np.nonzero(key >= 0)[0]
    keys, first = np.unique(key[clustered], return_index=True)
    by_first = np.argsort(clustered[first], kind="stable")
    keys, first_case = keys[by_first], clustered[first][by_first]
    index_of = np.full(total, -1, dtype=np.int64)
    index_of[keys] = np.arange(len(keys))
    of_case = np.where(key >= 0, index_of[np.maximum(key, 0)], -1)
    last_case = np.full(len(keys), -1, dtype=np.int64)
    np.maximum.at(last_case, of_case[clustered], clustered)

    name, place, commune = [], [], np.empty(len(keys), dtype=np.int64)
    seen: dict[str, int] = {}
    for i, k in enumerate(keys.tolist()):
        if k < P:
            label, c = parks[k]
        elif k < P + W:
            label, c = wps.name[k - P], int(wps.commune[k - P])
        elif k < P + W + V:
            label, c = venues.name[k - P - W], int(venues.commune[k - P - W])
        else:
            c = k - P - W - V
            label = f"cộng đồng {_lower_first(communes[c].name_with_type)}"
        where = f"{communes[c].name_with_type}, {communes[c].district_name}"
        title = f"Ổ dịch {_lower_first(label) if label.startswith('Chợ') else label}"
        seen[title] = seen.get(title, 0) + 1
        name.append(title if seen[title] == 1 else f"{title} ({seen[title]})")
        place.append(where if k >= P + W + V else f"{label}, {where}")
        commune[i] = c
    return {"of_case": of_case, "name": name, "place": place, "commune": commune,
            "first": first_case, "last": last_case}


def contacts(pop: Population, rng, person, conf, inf, infector, setting, days: int) -> dict:
    """Contacts found by each case's investigation; each pair of people appears once, in the
    earliest investigation that found it."""
    n = len(person)
    idx = np.arange(n)
    parts: list[tuple] = []  # (case, a, b, setting, last_t, created_t)

    def traced(case, b, kind, lag_hours=(1, 10)):
        last = np.maximum(conf[case] - 2.5 * rng.random(len(case)), 0)
        lo, hi = lag_hours
        created = conf[case] + (lo + (hi - lo) * rng.random(len(case))) / 24
        parts.append((case, person[case], b, np.full(len(case), kind), last, created))

    # The infection itself, when the investigation found the infector.
    child = np.nonzero(infector >= 0)[0]
    src = infector[child]
    last = np.minimum(np.maximum(conf[src] - 1.5 * rng.random(len(child)), inf[child]), conf[src] + 0.2)
    parts.append((src, person[src], person[child], setting[child], last,
                  conf[src] + (1 + 9 * rng.random(len(child))) / 24))
    # Everyone in the household.
    hh = pop.household[person]
    size, start = pop.hh_size[hh], pop.hh_start[hh]
    case = np.repeat(idx, size)
    b = start[case] + np.arange(size.sum()) - np.repeat(np.cumsum(size) - size, size)
    traced(case, b, HOUSEHOLD)
    # Some colleagues (or classmates).
    wp = pop.workplace[person]
    worker = np.nonzero(wp >= 0)[0]
    k = rng.negative_binomial(0.8, 0.8 / 5.8, len(worker))
    k = np.minimum(k, np.minimum(pop.wp_members.size[wp[worker]] - 1, 60))
    case = np.repeat(worker, k)
    traced(case, pop.wp_members.draw(rng, wp[case]), WORKPLACE)
    # Some people met at the market; traders meet many more.
    mean = np.where(pop.trader[person], 8.0, 3.0)
    k = np.minimum(rng.negative_binomial(0.7, 0.7 / (0.7 + mean)), 50)
    case = np.repeat(idx, k)
    traced(case, pop.venue_members.draw(rng, pop.venue[person[case]]), VENUE)
    # A few on the road or elsewhere in the district.
    k = rng.poisson(0.6, n)
    case = np.repeat(idx, k)
    district = pop.district_of_commune[pop.commune[person[case]]]
    far = np.where(rng.random(len(case)) < 0.5, TRANSPORT, OTHER)
    parts.append((case, person[case], pop.district_members.draw(rng, district), far,
                  np.maximum(conf[case] - 3 * rng.random(len(case)), 0),
                  conf[case] + (2 + 20 * rng.random(len(case))) / 24))

    case, a, b, kind, last, created = (np.concatenate(x) for x in zip(*parts, strict=True))
    # Households of some contacts who are not cases themselves: their F1s are the case's F2s.
    is_case = np.zeros(pop.n, dtype=bool)
    is_case[person] = True
    pick = np.nonzero(~is_case[b] & (rng.random(len(b)) < F2_SHARE))[0]
    f1 = b[pick]
    hh = pop.household[f1]
    size, start = pop.hh_size[hh], pop.hh_start[hh]
    rep = np.repeat(np.arange(len(f1)), size)
    member = start[rep] + np.arange(size.sum()) - np.repeat(np.cumsum(size) - size, size)
    f2_case = case[pick][rep]
    case = np.concatenate([case, f2_case])
    a = np.concatenate([a, f1[rep]])
    b = np.concatenate([b, member])
    kind = np.concatenate([kind, np.full(len(rep), HOUSEHOLD)])
    last = np.concatenate([last, np.maximum(conf[f2_case] - 3 * rng.random(len(rep)), 0)])
    created = np.concatenate([created, conf[f2_case] + (4 + 26 * rng.random(len(rep))) / 24])

    keep = np.nonzero(a != b)[0]
    keep = keep[np.argsort(case[keep], kind="stable")]
    lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    _, first = np.unique(lo * np.int64(pop.n) + hi, return_index=True)
    keep = keep[np.sort(first)]
    # A record cannot come after the end of the period: those that would are put at a random
    # moment between the case's confirmation and the end (no pile-up on the last second).
    created = within_period(conf[case[keep]], created[keep], days, rng)
    return {"case": case[keep], "a": a[keep], "b": b[keep], "setting": kind[keep],
            "last_t": np.minimum(last[keep], created), "created_t": created}
