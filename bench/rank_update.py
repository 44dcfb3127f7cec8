"""Rank update after a new F0: `ranks.after_new_source(person)` on PostgreSQL, in a graph of
1,000,000 people and 3,000,000 contacts with 1 % active F0 (ranks current). Each of 50 random
people (not already F0) is made a source inside a savepoint that is then rolled back.

Baseline: a full recomputation in the same run, `ranks.rebuild_all()` (reads the whole graph,
one multi-source search with SciPy, writes what differs)."""

from __future__ import annotations

import numpy as np
from django.db import transaction

from bench import datasets
from bench.common import Result, percentiles, timed
from chongdich.cases import ranks
from chongdich.people.models import Person

PEOPLE, CONTACTS, SAMPLES = 1_000_000, 3_000_000, 50
TARGET = 0.200


def run(scale: float, say=print) -> list[Result]:
    people, contacts = max(2000, int(PEOPLE * scale)), max(6000, int(CONTACTS * scale))
    datasets.ensure({"kind": "graph", "people": people, "contacts": contacts, "seed": 1}, say)
    rng = np.random.default_rng(11)
    candidates = rng.choice(np.arange(1, people + 1), size=SAMPLES * 3, replace=False).tolist()
    not_f0 = set(Person.objects.filter(pk__in=candidates).exclude(rank=0).values_list("pk", flat=True))
    sample = [pk for pk in candidates if pk in not_f0][:SAMPLES]
    durations, changed = [], []
    with transaction.atomic():
        for pk in sample:
            point = transaction.savepoint()
            seconds, changes = timed(ranks.after_new_source, pk)
            transaction.savepoint_rollback(point)
            durations.append(seconds)
            changed.append(len(changes))
    p50, p95 = percentiles(durations)
    full, report = timed(ranks.rebuild_all)
    return [Result(
        name=f"ranks: new F0 in {people:,} people / {contacts:,} contacts",
        figure=p95, baseline=full, baseline_how="ranks.rebuild_all() (full recomputation)",
        target=TARGET, target_text="p95 < 200 ms",
        note=f"p50 {p50 * 1000:.1f} ms over {len(sample)} people, {np.mean(changed):.0f} ranks changed on "
             f"average; full recomputation changed {report['changed']}",
        extra={"p50": p50, "p95": p95, "samples": durations},
    )]
