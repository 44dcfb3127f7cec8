"""Dashboard and case list response times with 1,000,000 cases: GET `/`, the dashboard's tracing
figures `/dashboard/tracing/` (F1/F2/F3 now, loaded by the dashboard right after the page) and
`/cases/` through Django's test client, logged in as the province leader (`lanhdao`), after two
warm-up requests.

Baseline: the naive way to fill the same page — fetch every case of the province as objects and
count in Python (`len(queryset)`) — timed on a sample of rows and extrapolated to all of them."""

from __future__ import annotations

import time
from collections import Counter

from django.test import Client

from bench import datasets
from bench.common import Result, percentiles, timed
from chongdich.accounts.models import User
from chongdich.cases.models import Case
from chongdich.cases.selectors import case_list
from chongdich.demo.services import demo_accounts_ensure

CASES, REQUESTS = 1_000_000, 20
TARGET = 0.300


def _naive(leader, total: int, sample: int) -> float:
    began = time.perf_counter()
    rows = list(case_list(actor=leader)[:sample])
    Counter(c.status for c in rows), len(rows)
    return (time.perf_counter() - began) * total / max(len(rows), 1)


def _measure(fn) -> list[float]:
    for _ in range(2):
        fn()
    return [timed(fn)[0] for _ in range(REQUESTS)]


def run(scale: float, say=print) -> list[Result]:
    cases = max(200, int(CASES * scale))
    datasets.ensure({"kind": "demo", "cases": cases, "seed": 1}, say)
    demo_accounts_ensure(province_code=datasets.PROVINCE)
    leader = User.objects.get(username="lanhdao")
    total = Case.objects.filter(province__code=datasets.PROVINCE).count()
    naive = _naive(leader, total, sample=min(total, max(2000, int(50_000 * scale))))
    client = Client()
    client.force_login(leader)
    results = []
    pages = (("dashboard /", "/"), ("dashboard F1/F2/F3 /dashboard/tracing/", "/dashboard/tracing/"),
             ("case list /cases/", "/cases/"))
    for label, path in pages:
        def get(path=path):
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered {response.status_code}")
            return response
        samples = _measure(get)
        p50, p95 = percentiles(samples)
        results.append(Result(
            name=f"pages: {label} ({total:,} cases)", figure=p95, baseline=naive,
            baseline_how="fetch all cases, count in Python (sampled)", target=TARGET, target_text="p95 < 300 ms",
            note=f"p50 {p50 * 1000:.0f} ms over {REQUESTS} requests",
            extra={"p50": p50, "p95": p95, "samples": samples},
        ))
    return results
