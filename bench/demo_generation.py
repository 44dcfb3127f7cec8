"""Demo generation: `chongdich demo --cases 1,000,000` on PostgreSQL, timed end to end (population,
transmission, contacts, COPY, indexes, ranks, daily counters).

Baseline: the same generator writing its rows one `Model.save()` at a time — what a loader
written the obvious way does — on a small sample, extrapolated linearly to the same size."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import numpy as np
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from bench import datasets
from bench.common import Result, human, timed
from chongdich.demo import services

FULL = 1_000_000
SAMPLE = 1_000
TARGET = 600.0  # "minutes, not hours": ten minutes


def _python(value):
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        if value.dtype == np.dtype("datetime64[D]"):
            return value.astype(dt.date)
        return timezone.make_aware(value.astype("datetime64[us]").astype(dt.datetime), dt.UTC)
    if isinstance(value, np.integer):
        return None if value < 0 else int(value)
    return value


def row_by_row_insert(table: str, columns) -> int:
    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    names = list(columns)
    count = len(columns[names[0]])
    for i in range(count):
        model(**{n: _python(columns[n][i]) for n in names}).save(force_insert=True)
    return count


class _Rollback(Exception):
    pass


def _naive(cases: int) -> float:
    datasets.wipe()
    try:
        with transaction.atomic(), mock.patch.object(services.bulk, "insert", row_by_row_insert):
            seconds, _ = timed(services.demo_build, province_code=datasets.PROVINCE, cases=cases, seed=1)
            raise _Rollback
    except _Rollback:
        pass
    return seconds


def run(scale: float, say=print) -> list[Result]:
    cases = max(200, int(FULL * scale))
    sample = max(100, min(cases // 10, int(SAMPLE * max(scale, 0.1))))
    say(f"  row-by-row save() of {sample:,} cases …")
    naive = _naive(sample) * cases / sample
    say(f"  generating {cases:,} cases …")
    datasets.wipe()
    seconds, summary = timed(services.demo_build, province_code=datasets.PROVINCE, cases=cases, seed=1)
    datasets._mark({"kind": "demo", "cases": cases, "seed": 1})
    return [Result(
        name=f"demo: generate {cases:,} cases",
        figure=seconds, baseline=naive, baseline_how=f"save() per row, {sample:,} cases × {cases // sample}",
        target=TARGET if cases >= FULL else None,
        target_text=f"< {human(TARGET)}" if cases >= FULL else "(at 1,000,000)",
        note=(f"{summary.people:,} people, {summary.contacts:,} contacts, {summary.clusters:,} clusters, "
              f"{summary.status_events:,} status events"),
    )]
