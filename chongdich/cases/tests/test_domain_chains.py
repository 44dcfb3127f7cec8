"""Transmission chains and generations from infector links, as tables."""

import pytest

from chongdich.cases.domain import ChainPosition, transmission_chains

CASES = [
    # (infector_of, expected {case: (root, generation)})
    ({1: None}, {1: (1, 1)}),
    ({1: None, 2: 1, 3: 2, 4: 2}, {1: (1, 1), 2: (1, 2), 3: (1, 3), 4: (1, 3)}),
    ({1: None, 2: 1, 10: None, 11: 10}, {1: (1, 1), 2: (1, 2), 10: (10, 1), 11: (10, 2)}),
    # an infector that is not among the cases (discarded, or outside the view) ends the chain
    ({5: 99, 6: 5}, {5: (5, 1), 6: (5, 2)}),
    # order of the input does not matter
    ({3: 2, 2: 1, 1: None}, {1: (1, 1), 2: (1, 2), 3: (1, 3)}),
]


@pytest.mark.parametrize(("links", "expected"), CASES)
def test_chain_roots_and_generations(links, expected):
    result = transmission_chains(links)
    assert {case: (p.root, p.generation) for case, p in result.items()} == expected
    assert not any(p.in_cycle for p in result.values())


def test_a_loop_of_infector_links_is_cut_at_its_smallest_case_and_flagged():
    # 2 infected by 3, 3 by 4, 4 by 2: a data error; 5 hangs off the loop.
    result = transmission_chains({2: 3, 3: 4, 4: 2, 5: 4})
    assert result[2] == ChainPosition(root=2, generation=1, in_cycle=True)
    assert result[4] == ChainPosition(root=2, generation=2, in_cycle=True)
    assert result[3] == ChainPosition(root=2, generation=3, in_cycle=True)
    assert result[5] == ChainPosition(root=2, generation=3, in_cycle=True)


def test_a_case_that_names_itself_as_infector_is_its_own_root():
    assert transmission_chains({7: 7}) == {7: ChainPosition(root=7, generation=1, in_cycle=True)}


def test_long_chains_do_not_recurse():
    links = {i: (i - 1 if i else None) for i in range(50_000)}
    result = transmission_chains(links)
    assert result[49_999] == ChainPosition(root=0, generation=50_000)
