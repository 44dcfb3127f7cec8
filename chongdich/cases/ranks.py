"""Keeping every person's rank (F0, F1, F2 …) current: the database side of cases.domain.

Each breadth-first level costs one query for neighbours; writes are one UPDATE per rank value.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Q
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

from chongdich.cases import domain, stats
from chongdich.cases.domain import ENDED_STATUSES
from chongdich.cases.models import Case, Contact
from chongdich.core import clock
from chongdich.people.models import Person

CHUNK = 5000


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def max_rank() -> int:
    return settings.TRACE_DEPTH


def active_cases_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}discarded_at__isnull": True}) & ~Q(**{f"{prefix}status__in": ENDED_STATUSES})


class DatabaseGraph:
    def neighbours(self, nodes: Iterable[int]) -> dict[int, set[int]]:
        out: dict[int, set[int]] = defaultdict(set)
        for chunk in _chunks(list(nodes)):
            for a, b in Contact.objects.filter(person_id__in=chunk).values_list("person_id", "contact_id"):
                out[a].add(b)
            for a, b in Contact.objects.filter(contact_id__in=chunk).values_list("person_id", "contact_id"):
                out[b].add(a)
        return out

    def ranks(self, nodes: Iterable[int]) -> dict[int, int | None]:
        out: dict[int, int | None] = {}
        for chunk in _chunks(list(nodes)):
            out.update(Person.objects.filter(pk__in=chunk).values_list("pk", "rank"))
        return out

    def sources(self, nodes: Iterable[int]) -> set[int]:
        out: set[int] = set()
        for chunk in _chunks(list(nodes)):
            out.update(Case.objects.filter(active_cases_q(), person_id__in=chunk).values_list("person_id", flat=True))
        return out


def apply(changes: Mapping[int, int | None], *, count: bool = True) -> int:
    """Write rank changes; with `count`, move the people between the per-commune rank counters."""
    if count:
        deltas: Counter = Counter()
        fields = ("pk", "commune_id", "district_id", "province_id", "rank")
        for chunk in _chunks(list(changes)):
            for pk, *place, old in Person.objects.filter(pk__in=chunk).values_list(*fields):
                new = changes[pk]
                if old != new:
                    if old is not None:
                        deltas[(*place, old)] -= 1
                    if new is not None:
                        deltas[(*place, new)] += 1
        stats.bump_ranks(deltas)
    by_rank: dict[int | None, list[int]] = defaultdict(list)
    for person_id, rank in changes.items():
        by_rank[rank].append(person_id)
    now = clock.now()
    for rank, ids in by_rank.items():
        for chunk in _chunks(ids):
            Person.objects.filter(pk__in=chunk).update(rank=rank, rank_changed_at=now)
    return len(changes)


def after_new_source(person_id: int) -> dict[int, int | None]:
    changes = domain.propagate_decrease(DatabaseGraph(), {person_id: 0}, max_rank())
    apply(changes)
    return changes


def after_new_contact(a: int, b: int) -> dict[int, int | None]:
    graph = DatabaseGraph()
    current = graph.ranks([a, b])
    seeds = {}
    if current.get(a) is not None:
        seeds[b] = current[a] + 1
    if current.get(b) is not None:
        seeds[a] = current[b] + 1
    changes = domain.propagate_decrease(graph, seeds, max_rank()) if seeds else {}
    apply(changes)
    return changes


def after_source_removed(person_id: int) -> dict[int, int | None]:
    changes = domain.recompute_around(DatabaseGraph(), [person_id], max_rank())
    apply(changes)
    return changes


def full_ranks_arrays(n: int, a: np.ndarray, b: np.ndarray, sources: np.ndarray, depth: int) -> np.ndarray:
    """Ranks for nodes 0..n-1 from edge arrays (a[i]–b[i]) and source nodes; -1 = no rank.
    A virtual node n joined to every source turns the multi-source search into one Dijkstra."""
    virtual = np.full(len(sources), n, dtype=np.int64)
    rows = np.concatenate([a, b, virtual])
    cols = np.concatenate([b, a, sources])
    graph = coo_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n + 1, n + 1)).tocsr()
    dist = dijkstra(graph, directed=False, indices=n, unweighted=True, limit=depth + 1.5)[:n] - 1
    out = np.where(np.isfinite(dist), dist, -1).astype(np.int64)
    out[out > depth] = -1
    return out


def _int_columns(queryset, *fields: str) -> np.ndarray:
    """Integer columns of a queryset as one array (rows × fields). On PostgreSQL the server packs
    the rows into one bytea of big-endian int8s: millions of ids without a Python object each
    (a bytea holds at most 1 GB: some 60 million pairs, far beyond a province's records)."""
    qs = queryset.order_by().values_list(*fields)
    if connection.vendor == "postgresql":
        sql, params = qs.query.sql_with_params()
        names = [f"c{i}" for i in range(len(fields))]
        packed = " || ".join(f"int8send({n}::bigint)" for n in names)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT string_agg({packed}, ''::bytea) FROM ({sql}) AS q({', '.join(names)})", params)
            data = cursor.fetchone()[0] or b""
        return np.frombuffer(bytes(data), dtype=">i8").astype(np.int64).reshape(-1, len(fields))
    out = np.array(list(qs.iterator(chunk_size=50000)), dtype=np.int64)
    return out.reshape(-1, len(fields))


def rebuild_all(*, province_id: int | None = None) -> dict[str, int]:
    """Recompute every rank from scratch (repair, demo data). Contacts cross provinces, so the
    whole graph is read; `province_id` only limits which people are written."""
    ids = np.sort(_int_columns(Person.objects.all(), "pk")[:, 0])
    edges = _int_columns(Contact.objects.all(), "person_id", "contact_id")
    srcs = _int_columns(Case.objects.filter(active_cases_q()), "person_id")[:, 0]
    ranks = full_ranks_arrays(
        len(ids), np.searchsorted(ids, edges[:, 0]), np.searchsorted(ids, edges[:, 1]),
        np.searchsorted(ids, srcs), max_rank(),
    )
    people = Person.objects.all() if province_id is None else Person.objects.filter(province_id=province_id)
    existing = _int_columns(people.exclude(rank=None), "pk", "rank")
    current = np.full(len(ids), -1, dtype=np.int64)
    current[np.searchsorted(ids, existing[:, 0])] = existing[:, 1]
    in_scope = np.ones(len(ids), dtype=bool)
    if province_id is not None:
        in_scope = np.isin(ids, _int_columns(people, "pk")[:, 0])
    changed = np.nonzero(in_scope & (ranks != current))[0]
    changes: dict[int, int | None] = {
        pk: (None if r < 0 else r) for pk, r in zip(ids[changed].tolist(), ranks[changed].tolist(), strict=True)
    }
    changed_count = apply(changes, count=False)
    stats.rebuild_ranks()
    return {"people": len(ids), "contacts": len(edges), "sources": len(srcs), "changed": changed_count}
