"""The data the benchmarks run on, in the benchmark database, reused between runs.

A one-row table `bench_dataset` says what is loaded; a benchmark asks for a dataset by name and
parameters and gets it loaded only if something else is there. Besides the demo outbreak
(`chongdich demo`), two plain graphs are generated straight into the tables with COPY:
- "graph": N people and M contacts, 1 % of the people active F0, ranks set (the rank benchmark);
- "chains": cases with infector links and clusters, plus M contacts (the chain benchmark).
"""

from __future__ import annotations

import json
import time

import numpy as np
from django.db import connection, transaction

from chongdich.cases import ranks
from chongdich.cases.models import Case, CaseStatusEvent, Cluster, Contact
from chongdich.demo import bulk, names
from chongdich.demo.services import LOADED_TABLES, demo_build
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.people.models import Person

PROVINCE = "26"
START = np.datetime64("2021-05-01T00:00:00", "s")


def _marker_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_dataset (id int PRIMARY KEY, spec text NOT NULL)")


def loaded() -> dict | None:
    _marker_table()
    with connection.cursor() as cursor:
        cursor.execute("SELECT spec FROM bench_dataset WHERE id = 1")
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def _mark(spec: dict | None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_dataset")
        if spec is not None:
            cursor.execute("INSERT INTO bench_dataset (id, spec) VALUES (1, %s)", [json.dumps(spec, sort_keys=True)])


def wipe() -> None:
    _marker_table()
    tables = ["cases_casedaycount", *LOADED_TABLES]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    _mark(None)


def ensure(spec: dict, say=print) -> float:
    """Load the dataset `spec` unless it is what is there. Returns the seconds spent loading."""
    if loaded() == spec:
        say(f"  (réutilise / reusing dataset {spec})")
        return 0.0
    say(f"  loading dataset {spec} …")
    began = time.perf_counter()
    wipe()
    if spec["kind"] == "demo":
        demo_build(province_code=PROVINCE, cases=spec["cases"], seed=spec["seed"])
    elif spec["kind"] == "graph":
        _graph(spec["people"], spec["contacts"], spec["seed"])
    elif spec["kind"] == "chains":
        _chains(spec["cases"], spec["contacts"], spec["seed"])
    else:
        raise ValueError(spec)
    _mark(spec)
    return time.perf_counter() - began


def _communes():
    rows = AdminUnit.objects.filter(province__code=PROVINCE, level=UnitLevel.COMMUNE).values_list(
        "pk", "district_id", "province_id")
    return np.array(list(rows), dtype=np.int64)


def _people(rng, n: int, base: int = 1, rank: np.ndarray | None = None) -> None:
    communes = _communes()
    where = communes[rng.integers(0, len(communes), n)]
    fam = np.array([f for f, _ in names.FAMILY_NAMES], dtype=object)[rng.integers(0, len(names.FAMILY_NAMES), n)]
    given = np.array(names.MALE_GIVEN + names.FEMALE_GIVEN, dtype=object)[rng.integers(0, 100, n)]
    full = (fam + " Văn " + given).tolist()
    from chongdich.core.text import fold

    folded_cache: dict[str, str] = {}
    folded = [folded_cache.get(x) or folded_cache.setdefault(x, fold(x)) for x in full]
    columns = {
        "id": base + np.arange(n), "full_name": full, "name_folded": folded,
        "birth_year": rng.integers(1940, 2020, n), "sex": np.where(rng.random(n) < 0.5, "male", "female").tolist(),
        "phone": [f"09{d:08d}" for d in rng.integers(60_000_000, 89_999_999, n).tolist()],
        "citizen_id": [""] * n, "commune_id": where[:, 0], "district_id": where[:, 1], "province_id": where[:, 2],
        "address": [""] * n, "occupation": [""] * n, "workplace": [""] * n,
        "created_at": START + rng.integers(0, 60 * 86400, n).astype("timedelta64[s]"),
    }
    if rank is not None:
        columns["rank"] = rank
        columns["rank_changed_at"] = np.where(rank >= 0, START, np.datetime64("NaT")).astype("datetime64[s]")
    bulk.insert(Person._meta.db_table, columns)


def _pairs(rng, people: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct unordered pairs, mostly between neighbours (households, villages), some far."""
    a = rng.integers(0, people, int(count * 1.1) + 100)
    near = rng.random(len(a)) < 0.7
    step = np.where(near, rng.geometric(0.05, len(a)), rng.integers(1, people, len(a)))
    b = (a + step) % people
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = np.unique(lo * people + hi)
    key = key[rng.permutation(len(key))[:count]]
    return key // people, key % people


def _cases(rng, people: np.ndarray, infected_by: np.ndarray, cluster: np.ndarray, active: np.ndarray) -> None:
    n = len(people)
    communes = _communes()
    where = communes[rng.integers(0, len(communes), n)]
    confirmed = START + np.sort(rng.integers(0, 90 * 86400, n)).astype("timedelta64[s]")
    status = np.where(active, "hospital_t1", "recovered").astype(object)
    ended = np.where(active, np.datetime64("NaT"), (confirmed + np.timedelta64(14, "D")).astype("datetime64[D]"))
    bulk.insert(Case._meta.db_table, {
        "id": 1 + np.arange(n), "code": [f"BN26-{i:06d}" for i in range(1, n + 1)], "person_id": people,
        "confirmed_at": confirmed, "confirmed_on": confirmed.astype("datetime64[D]"),
        "onset_on": np.full(n, np.datetime64("NaT"), dtype="datetime64[D]"),
        "detection": np.where(infected_by >= 0, "quarantine", "community").tolist(),
        "infected_by_id": infected_by, "cluster_id": cluster, "status": status,
        "status_since": np.where(active, confirmed, confirmed + np.timedelta64(14, "D")),
        "ended_on": ended.astype("datetime64[D]"),
        "discarded_at": np.full(n, np.datetime64("NaT"), dtype="datetime64[s]"),
        "discard_reason": [""] * n, "note": [""] * n, "created_at": confirmed,
        "commune_id": where[:, 0], "district_id": where[:, 1], "province_id": where[:, 2],
    })
    bulk.insert(CaseStatusEvent._meta.db_table, {
        "case_id": 1 + np.arange(n), "status": ["hospital_t1"] * n, "at": confirmed, "note": [""] * n,
        "recorded_at": confirmed,
    })


def _contacts(rng, a: np.ndarray, b: np.ndarray) -> None:
    m = len(a)
    when = START + rng.integers(0, 90 * 86400, m).astype("timedelta64[s]")
    settings = np.array(["household", "workplace", "venue", "transport", "other"], dtype=object)
    bulk.insert(Contact._meta.db_table, {
        "person_id": a, "contact_id": b, "last_contact_at": when,
        "setting": settings[rng.integers(0, 5, m)], "note": [""] * m,
        "case_id": np.full(m, -1), "created_at": when + np.timedelta64(6, "h"),
    })


def _graph(people: int, contacts: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = _pairs(rng, people, contacts)
    sources = rng.choice(people, size=max(1, people // 100), replace=False)
    rank = ranks.full_ranks_arrays(people, a, b, np.sort(sources), ranks.max_rank())
    with transaction.atomic(), bulk.indexes_dropped(LOADED_TABLES):
        _people(rng, people, rank=rank)
        n = len(sources)
        _cases(rng, 1 + np.sort(sources), np.full(n, -1), np.full(n, -1), np.ones(n, dtype=bool))
        _contacts(rng, 1 + a, 1 + b)
        bulk.reset_sequences(Person, Case, CaseStatusEvent, Contact)


def _chains(cases: int, contacts: int, seed: int) -> None:
    """`cases` cases among 4× as many people: each case's infector (70 %) is an earlier case, most
    often a recent one; 60 % of the cases in clusters of a few to a few hundred."""
    rng = np.random.default_rng(seed)
    people = 4 * cases
    case_people = 1 + np.sort(rng.choice(people, size=cases, replace=False))
    idx = np.arange(cases)
    back = np.minimum(rng.geometric(0.002, cases), idx)
    infected_by = np.where((rng.random(cases) < 0.7) & (idx > 0), 1 + idx - np.maximum(back, 1), -1)
    k = max(1, cases // 200)
    weight = rng.lognormal(0, 1.2, k)
    cluster = np.where(rng.random(cases) < 0.6, 1 + rng.choice(k, size=cases, p=weight / weight.sum()), -1)
    communes = _communes()
    where = communes[rng.integers(0, len(communes), k)]
    a, b = _pairs(rng, people, contacts)
    active = rng.random(cases) < 0.2
    rank = ranks.full_ranks_arrays(people, a, b, case_people[active] - 1, ranks.max_rank())
    with transaction.atomic(), bulk.indexes_dropped(LOADED_TABLES):
        _people(rng, people, rank=rank)
        bulk.insert(Cluster._meta.db_table, {
            "id": 1 + np.arange(k), "name": [f"Ổ dịch số {i}" for i in range(1, k + 1)], "place": [""] * k,
            "source": [""] * k, "started_on": np.full(k, START.astype("datetime64[D]")),
            "closed_on": np.full(k, np.datetime64("NaT"), dtype="datetime64[D]"), "note": [""] * k,
            "created_at": np.full(k, START), "commune_id": where[:, 0], "district_id": where[:, 1],
            "province_id": where[:, 2],
        })
        _cases(rng, case_people, infected_by, cluster, active)
        _contacts(rng, 1 + a, 1 + b)
        bulk.reset_sequences(Person, Case, CaseStatusEvent, Cluster, Contact)
