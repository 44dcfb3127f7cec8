"""Rank rules as tables: each row is a graph, what happens, and the ranks that must follow.
No database: the rules run on MemoryGraph."""

import random

import pytest

from chongdich.cases.domain import MemoryGraph, full_ranks, propagate_decrease, recompute_around

DEPTH = 3

# A chain a–b–c–d–e, a triangle x–y–z joined to c, and a cycle p–q–r–s–p.
EDGES = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("x", "y"), ("y", "z"), ("z", "x"),
         ("c", "x"), ("p", "q"), ("q", "r"), ("r", "s"), ("s", "p")]


def graph_with(sources):
    g = MemoryGraph(EDGES, sources=sources)
    g.rank_of = full_ranks(g.adjacency, sources, DEPTH)
    return g


NEW_SOURCE_CASES = [
    # (existing sources, new F0, expected ranks afterwards)
    ((), "a", {"a": 0, "b": 1, "c": 2, "d": 3, "x": 3}),
    (("a",), "e", {"a": 0, "b": 1, "c": 2, "d": 1, "e": 0, "x": 3}),
    (("a",), "c", {"a": 0, "b": 1, "c": 0, "d": 1, "e": 2, "x": 1, "y": 2, "z": 2}),
    ((), "p", {"p": 0, "q": 1, "s": 1, "r": 2}),  # a cycle: r is two away both ways
]


@pytest.mark.parametrize(("sources", "new", "expected"), NEW_SOURCE_CASES)
def test_a_new_f0_lowers_ranks_around_it(sources, new, expected):
    g = graph_with(sources)
    g.apply(propagate_decrease(g, {new: 0}, DEPTH))
    g.source_set.add(new)
    assert g.rank_of == expected


REMOVAL_CASES = [
    # (sources before, the F0 that recovers or is discarded, expected ranks afterwards)
    (("a",), "a", {}),
    (("a", "e"), "a", {"e": 0, "d": 1, "c": 2, "b": 3, "x": 3}),
    (("a", "e"), "e", {"a": 0, "b": 1, "c": 2, "d": 3, "x": 3}),
    (("a", "c"), "c", {"a": 0, "b": 1, "c": 2, "d": 3, "x": 3}),
    (("p", "r"), "p", {"r": 0, "q": 1, "s": 1, "p": 2}),
]


@pytest.mark.parametrize(("sources", "removed", "expected"), REMOVAL_CASES)
def test_an_f0_that_stops_being_infectious_raises_ranks_around_it(sources, removed, expected):
    g = graph_with(sources)
    g.source_set.discard(removed)
    g.apply(recompute_around(g, [removed], DEPTH))
    assert g.rank_of == expected


def test_a_new_contact_of_an_f1_becomes_f2():
    g = graph_with(["a"])
    g.adjacency["b"].add("new")
    g.adjacency["new"].add("b")
    g.apply(propagate_decrease(g, {"new": g.rank_of["b"] + 1}, DEPTH))
    assert g.rank_of["new"] == 2


def test_a_contact_between_two_chains_lowers_the_far_side():
    g = graph_with(["a", "p"])
    g.adjacency["b"].add("r")
    g.adjacency["r"].add("b")
    g.apply(propagate_decrease(g, {"r": g.rank_of["b"] + 1, "b": g.rank_of["r"] + 1}, DEPTH))
    assert (g.rank_of["r"], g.rank_of["b"]) == (2, 1)


def test_an_f1_who_becomes_f0_moves_their_contacts_up_one_rank():
    g = graph_with(["a"])
    assert (g.rank_of["b"], g.rank_of["c"], g.rank_of["d"]) == (1, 2, 3)
    g.apply(propagate_decrease(g, {"b": 0}, DEPTH))
    assert (g.rank_of["b"], g.rank_of["c"], g.rank_of["d"], g.rank_of["e"]) == (0, 1, 2, 3)


def test_ranks_stop_at_the_trace_depth():
    g = graph_with([])
    g.apply(propagate_decrease(g, {"a": 0}, 1))
    assert g.rank_of == {"a": 0, "b": 1}


@pytest.mark.parametrize("seed", range(20))
def test_incremental_updates_match_a_full_recomputation_on_random_graphs(seed):
    rng = random.Random(seed)
    n = 60
    edges = {tuple(sorted(rng.sample(range(n), 2))) for _ in range(90)}
    g = MemoryGraph(edges)
    sources: set[int] = set()
    for _ in range(40):
        node = rng.randrange(n)
        if node in sources and rng.random() < 0.5:
            sources.discard(node)
            g.source_set = set(sources)
            g.apply(recompute_around(g, [node], DEPTH))
        elif node not in sources:
            sources.add(node)
            g.apply(propagate_decrease(g, {node: 0}, DEPTH))
            g.source_set = set(sources)
        assert g.rank_of == full_ranks(g.adjacency, sources, DEPTH)
