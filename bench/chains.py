"""Transmission chains, generations and cluster sizes: `selectors.chains_for` + `cluster_sizes`
for the province leader, on 100,000 cases (70 % with an infector) and 2,000,000 contacts.

Baseline: the obvious ORM code — for each case, follow `infected_by` one query per step up to the
chain's root; for each cluster, count its cases with a query — timed on a sample, extrapolated."""

from __future__ import annotations

import time

import numpy as np

from bench import datasets
from bench.common import Result, timed
from chongdich.accounts.models import User
from chongdich.cases.models import Case, Cluster
from chongdich.cases.selectors import chains_for, cluster_sizes
from chongdich.demo.services import demo_accounts_ensure

CASES, CONTACTS = 100_000, 2_000_000
TARGET = 1.0


def _naive_generation(case_id: int) -> int:
    case, generation = Case.objects.get(pk=case_id), 1
    while case.infected_by_id is not None:
        case = Case.objects.get(pk=case.infected_by_id)
        generation += 1
    return generation


def run(scale: float, say=print) -> list[Result]:
    cases, contacts = max(1000, int(CASES * scale)), max(20_000, int(CONTACTS * scale))
    datasets.ensure({"kind": "chains", "cases": cases, "contacts": contacts, "seed": 1, "version": 2}, say)
    demo_accounts_ensure(province_code=datasets.PROVINCE)
    leader = User.objects.get(username="lanhdao")

    def both():
        return chains_for(actor=leader), cluster_sizes(actor=leader)

    runs = [timed(both) for _ in range(3)]
    figure = sorted(s for s, _ in runs)[1]
    chains, sizes = runs[0][1]
    generations = [p.generation for p in chains.values()]

    rng = np.random.default_rng(5)
    ids = rng.choice(list(Case.objects.values_list("pk", flat=True)), size=min(200, cases), replace=False)
    began = time.perf_counter()
    naive_gens = [_naive_generation(int(i)) for i in ids]
    per_case = (time.perf_counter() - began) / len(ids)
    clusters = list(Cluster.objects.values_list("pk", flat=True))
    sample = clusters[:50]
    began = time.perf_counter()
    for pk in sample:
        Case.objects.filter(cluster_id=pk, discarded_at__isnull=True).count()
    per_cluster = (time.perf_counter() - began) / max(len(sample), 1)
    assert naive_gens == [chains[int(i)].generation for i in ids], "naive walk disagrees with chains_for"
    naive = per_case * len(chains) + per_cluster * len(clusters)
    return [Result(
        name=f"chains: {cases:,} cases / {contacts:,} contacts",
        figure=figure, baseline=naive, baseline_how="ORM walk per case + count per cluster, extrapolated",
        target=TARGET, target_text="< 1 s",
        note=(f"{len({p.root for p in chains.values()}):,} chains, up to generation {max(generations)}, "
              f"{len(sizes):,} clusters (largest {max(sizes.values()) if sizes else 0:,} cases)"),
    )]
