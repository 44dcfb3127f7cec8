"""Pure rules for cases and contacts: ranks in the contact graph, transmission chains.

No ORM here. The graph is reached through `Graph`, batched by frontier, so the database
adapter (cases.ranks) answers one level of a breadth-first search with one query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

ENDED_STATUSES = ("recovered", "died")

Node = Hashable


def is_infectious(*, status: str, discarded: bool) -> bool:
    """An F0 counts as a source of ranks while it is neither discarded nor ended."""
    return not discarded and status not in ENDED_STATUSES


class Graph(Protocol):
    def neighbours(self, nodes: Iterable[Node]) -> Mapping[Node, set[Node]]: ...
    def ranks(self, nodes: Iterable[Node]) -> Mapping[Node, int | None]: ...
    def sources(self, nodes: Iterable[Node]) -> set[Node]: ...


def propagate_decrease(graph: Graph, seeds: Mapping[Node, int], max_rank: int) -> dict[Node, int]:
    """Ranks that fall when `seeds` get the given ranks (a new F0 is the seed {person: 0}; a new
    contact a–b seeds b with rank(a)+1 and a with rank(b)+1). Returns only the changes."""
    current = dict(graph.ranks(seeds))
    changes: dict[Node, int] = {}
    buckets: dict[int, set[Node]] = defaultdict(set)
    for node, rank in seeds.items():
        old = current.get(node)
        if rank <= max_rank and (old is None or rank < old):
            changes[node] = rank
            buckets[rank].add(node)
    for rank in range(max_rank):
        frontier = {n for n in buckets.get(rank, ()) if changes.get(n) == rank}
        if not frontier:
            continue
        adjacency = graph.neighbours(frontier)
        reached = set().union(*adjacency.values()) if adjacency else set()
        unknown = [n for n in reached if n not in changes and n not in current]
        current.update(graph.ranks(unknown))
        for node in reached:
            best = changes.get(node, current.get(node))
            if best is None or rank + 1 < best:
                changes[node] = rank + 1
                buckets[rank + 1].add(node)
    return changes


def recompute_around(graph: Graph, centres: Iterable[Node], max_rank: int) -> dict[Node, int | None]:
    """Ranks around `centres` after they stop being sources (discarded, recovered, died) or lose an
    edge. Only nodes within `max_rank` of a centre can change; nodes outside keep valid ranks and
    act as boundary sources. Returns only the changes (None = no longer within max_rank)."""
    ball: dict[Node, int] = {c: 0 for c in centres}
    frontier = set(ball)
    adjacency: dict[Node, set[Node]] = {}
    for distance in range(1, max_rank + 2):
        if not frontier:
            break
        found = graph.neighbours(frontier)
        adjacency.update({n: set(found.get(n, ())) for n in frontier})
        if distance > max_rank:
            break
        frontier = {m for n in frontier for m in adjacency[n] if m not in ball}
        ball.update({m: distance for m in frontier})
    outside = {m for n in ball for m in adjacency.get(n, ()) if m not in ball}
    outside_ranks = graph.ranks(outside)
    sources = graph.sources(ball)
    best: dict[Node, int] = {}
    for node in ball:
        if node in sources:
            best[node] = 0
            continue
        via = [outside_ranks[u] + 1 for u in adjacency.get(node, ()) if outside_ranks.get(u) is not None]
        if via:
            best[node] = min(via)
    # Unit weights with several starting values: a bucket queue keeps it linear.
    buckets: dict[int, list[Node]] = defaultdict(list)
    for node, rank in best.items():
        buckets[rank].append(node)
    for rank in range(max_rank + 1):
        for node in buckets.get(rank, ()):
            if best.get(node) != rank:
                continue
            for m in adjacency.get(node, ()):
                if m in ball and (m not in best or best[m] > rank + 1):
                    best[m] = rank + 1
                    buckets[rank + 1].append(m)
    old = graph.ranks(ball)
    changes: dict[Node, int | None] = {}
    for node in ball:
        new = best.get(node)
        new = new if new is not None and new <= max_rank else None
        if old.get(node) != new:
            changes[node] = new
    return changes


def full_ranks(adjacency: Mapping[Node, Iterable[Node]], sources: Iterable[Node], max_rank: int) -> dict[Node, int]:
    """Every rank from scratch: a multi-source breadth-first search (the reference and the repair)."""
    ranks: dict[Node, int] = {s: 0 for s in sources}
    frontier = list(ranks)
    for rank in range(1, max_rank + 1):
        nxt = []
        for node in frontier:
            for m in adjacency.get(node, ()):
                if m not in ranks:
                    ranks[m] = rank
                    nxt.append(m)
        frontier = nxt
    return ranks


class MemoryGraph:
    """A Graph over an edge list held in memory (tests, benchmarks, repair)."""

    def __init__(self, edges: Iterable[tuple[Node, Node]], sources: Iterable[Node] = (), ranks=None):
        self.adjacency: dict[Node, set[Node]] = defaultdict(set)
        for a, b in edges:
            self.adjacency[a].add(b)
            self.adjacency[b].add(a)
        self.source_set = set(sources)
        self.rank_of: dict[Node, int] = dict(ranks or {})

    def neighbours(self, nodes):
        return {n: self.adjacency.get(n, set()) for n in nodes}

    def ranks(self, nodes):
        return {n: self.rank_of.get(n) for n in nodes}

    def sources(self, nodes):
        return {n for n in nodes if n in self.source_set}

    def apply(self, changes: Mapping[Node, int | None]) -> None:
        for node, rank in changes.items():
            if rank is None:
                self.rank_of.pop(node, None)
            else:
                self.rank_of[node] = rank


@dataclass(frozen=True)
class ChainPosition:
    root: Node
    generation: int  # the root (index case of the chain) is generation 1
    in_cycle: bool = False  # the infector links loop: data to correct


def transmission_chains(infector_of: Mapping[Node, Node | None]) -> dict[Node, ChainPosition]:
    """Chain root and generation for every case from its infector link. Links to unknown cases
    end the chain there; a loop of links is cut at its smallest member, which becomes the root."""
    if len(infector_of) >= _ARRAYS_FROM:
        found = _chains_by_pointer_jumping(infector_of)
        if found is not None:
            return found
    result: dict[Node, ChainPosition] = {}
    for start in infector_of:
        if start in result:
            continue
        path: list[Node] = []
        on_path: dict[Node, int] = {}
        node = start
        while node not in result:
            on_path[node] = len(path)
            path.append(node)
            parent = infector_of.get(node)
            if parent is None or parent not in infector_of:
                result[node] = ChainPosition(root=node, generation=1)
                path.pop()
                break
            if parent in on_path:
                loop = path[on_path[parent]:]
                root = min(loop, key=lambda n: (str(type(n)), n))
                # generations along the loop: from the root, each member's infectee follows it
                order = [root]
                while len(order) < len(loop):
                    order.append(next(m for m in loop if infector_of.get(m) == order[-1]))
                for g, member in enumerate(order, start=1):
                    result[member] = ChainPosition(root=root, generation=g, in_cycle=True)
                del path[on_path[parent]:]
                break
            node = parent
        for member in reversed(path):
            parent_pos = result[infector_of[member]]
            result[member] = ChainPosition(parent_pos.root, parent_pos.generation + 1, parent_pos.in_cycle)
    return result


_ARRAYS_FROM = 2000  # below this the walk above is as fast


def _chains_by_pointer_jumping(infector_of: Mapping[Node, Node | None]) -> dict[Node, ChainPosition] | None:
    """The same answer as the walk for integer ids without loops, in NumPy: each case jumps to its
    ancestor twice as far each round, adding up the distance, until all stand on a root
    (log2(depth) rounds). None when the ids are not integers or the links loop (then walk)."""
    import numpy as np

    n = len(infector_of)
    try:
        keys = np.fromiter(infector_of.keys(), dtype=np.int64, count=n)
        has = np.fromiter((v is not None for v in infector_of.values()), dtype=bool, count=n)
        parents = np.fromiter((0 if v is None else v for v in infector_of.values()), dtype=np.int64, count=n)
    except (TypeError, ValueError, OverflowError):
        return None
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    at = np.minimum(np.searchsorted(sorted_keys, parents), n - 1)
    known = has & (sorted_keys[at] == parents)
    jump = np.where(known, order[at], np.arange(n))
    is_root = ~known
    depth = known.astype(np.int64)
    for _ in range(int(np.ceil(np.log2(n))) + 2):
        if is_root[jump].all():
            roots = keys[jump].tolist()
            return {k: ChainPosition(r, g) for k, r, g in zip(keys.tolist(), roots, (depth + 1).tolist(), strict=True)}
        depth = depth + depth[jump]
        jump = jump[jump]
    return None  # some links loop: the walk cuts the loops
