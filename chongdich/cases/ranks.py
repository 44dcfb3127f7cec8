"""Keeping every person's rank (F0, F1, F2 …) current: the database side of cases.domain.

Each breadth-first level costs one query for neighbours; writes are one UPDATE per rank value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import numpy as np
from django.conf import settings
from django.db.models import Q
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

from chongdich.cases import domain
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


def apply(changes: Mapping[int, int | None]) -> int:
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


def rebuild_all(*, province_id: int | None = None) -> dict[str, int]:
    """Recompute every rank from scratch (repair, demo data). Contacts cross provinces, so the
    whole graph is read; `province_id` only limits which people are written."""
    ids = np.fromiter(
        Person.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=50000), dtype=np.int64
    )
    pairs = Contact.objects.values_list("person_id", "contact_id").iterator(chunk_size=50000)
    edges = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
    active = Case.objects.filter(active_cases_q()).values_list("person_id", flat=True).iterator()
    srcs = np.fromiter(active, dtype=np.int64)
    ranks = full_ranks_arrays(
        len(ids), np.searchsorted(ids, edges[:, 0]), np.searchsorted(ids, edges[:, 1]),
        np.searchsorted(ids, srcs), max_rank(),
    )
    people = Person.objects.all() if province_id is None else Person.objects.filter(province_id=province_id)
    existing = dict(people.exclude(rank=None).values_list("pk", "rank"))
    ranked = np.nonzero(ranks >= 0)[0]
    wanted = dict(zip(ids[ranked].tolist(), ranks[ranked].tolist(), strict=True))
    if province_id is not None:
        allowed = set(people.values_list("pk", flat=True))
        wanted = {pk: r for pk, r in wanted.items() if pk in allowed}
    changes: dict[int, int | None] = {pk: None for pk in existing if pk not in wanted}
    changes.update({pk: r for pk, r in wanted.items() if existing.get(pk) != r})
    return {"people": len(ids), "contacts": len(edges), "sources": len(srcs), "changed": apply(changes)}
