"""Big chain computations take the NumPy path; it must give exactly what the walk gives."""

import random

from chongdich.cases import domain


def walk(links):
    """The reference: the walk alone, whatever the size."""
    saved, domain._ARRAYS_FROM = domain._ARRAYS_FROM, 10**12
    try:
        return domain.transmission_chains(links)
    finally:
        domain._ARRAYS_FROM = saved


def forest(n: int, seed: int, loops: int = 0) -> dict:
    rng = random.Random(seed)
    ids = rng.sample(range(1, 10 * n), n)
    links = {}
    for i, case in enumerate(ids):
        if i and rng.random() < 0.7:
            links[case] = ids[max(0, i - rng.randint(1, 50))]  # an earlier case
        else:
            links[case] = rng.choice([None, 10 * n + i])  # no infector, or one not among the cases
    for _ in range(loops):
        a, b = rng.sample(ids, 2)
        links[a], links[b] = b, a
    return links


def test_big_forests_get_the_same_roots_and_generations_as_the_walk():
    links = forest(5000, seed=1)
    fast = domain._chains_by_pointer_jumping(links)
    assert fast is not None and fast == walk(links)
    assert domain.transmission_chains(links) == fast
    assert max(p.generation for p in fast.values()) > 5


def test_big_inputs_with_loops_fall_back_to_the_walk_that_cuts_them():
    links = forest(5000, seed=2, loops=3)
    assert domain._chains_by_pointer_jumping(links) is None
    result = domain.transmission_chains(links)
    assert result == walk(links)
    assert any(p.in_cycle for p in result.values())


def test_ids_that_are_not_integers_are_walked():
    links = {f"c{i}": (f"c{i - 1}" if i else None) for i in range(3000)}
    assert domain._chains_by_pointer_jumping(links) is None
    assert domain.transmission_chains(links)["c2999"] == domain.ChainPosition("c0", 3000)
