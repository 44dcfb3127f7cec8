"""The 5-hour response clock at a bad day's scale: 5,000 new F0 in province 26.

- open: `responses_open` (the case_confirmed hook) for the whole day's F0 in one call — one insert
  of responses, one of stages — against the same work one case at a time (the hook called per
  case, as 5,000 separate registrations would), on the same cases;
- recheck: `stages_recheck` of every open response (what the cron sweep does, 500 at a time)
  against a recheck per response;
- board: p95 of 20 requests (after two warm-ups) of the board page `/responses/` (60 cards) and of
  `/api/responses` (50 items) for the province leader, against reading the same page of responses
  with one query for each response's stages (N+1).

The synthetic people and cases (occupation / code marked) and their responses are removed after
the run."""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection, transaction
from django.test import Client

from bench import datasets
from bench.common import Result, percentiles, timed
from chongdich.accounts.models import User
from chongdich.cases.models import Case
from chongdich.core import clock
from chongdich.demo.services import demo_accounts_ensure
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.people.models import Person
from chongdich.response import services
from chongdich.response.models import Response, Stage

CASES, REQUESTS = 5_000, 20
MARK = "bench-response"


def _cleanup() -> None:
    marked = f"SELECT id FROM {Case._meta.db_table} WHERE code LIKE %s"
    responses = f"SELECT id FROM {Response._meta.db_table} WHERE case_id IN ({marked})"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Stage._meta.db_table} WHERE response_id IN ({responses})", [MARK + "%"])
        cursor.execute(f"DELETE FROM {Response._meta.db_table} WHERE case_id IN ({marked})", [MARK + "%"])
        cursor.execute(f"DELETE FROM {Case._meta.db_table} WHERE code LIKE %s", [MARK + "%"])
        cursor.execute(f"DELETE FROM {Person._meta.db_table} WHERE occupation = %s", [MARK])


def _load(n: int, now: dt.datetime) -> list[int]:
    communes = list(AdminUnit.objects.filter(province__code=datasets.PROVINCE, level=UnitLevel.COMMUNE)
                    .values("pk", "district_id", "province_id"))
    people = Person.objects.bulk_create([
        Person(full_name=f"Bench {i}", name_folded=f"bench {i}", occupation=MARK,
               commune_id=communes[i % len(communes)]["pk"], district_id=communes[i % len(communes)]["district_id"],
               province_id=communes[i % len(communes)]["province_id"]) for i in range(n)], batch_size=2000)
    cases = Case.objects.bulk_create([
        Case(code=f"{MARK}-{i}", person=p, confirmed_at=now - dt.timedelta(minutes=i % 240),
             confirmed_on=now.date(), detection="community", status_since=now, commune_id=p.commune_id,
             district_id=p.district_id, province_id=p.province_id) for i, p in enumerate(people)], batch_size=2000)
    return [c.pk for c in cases]


def run(scale: float, say=print) -> list[Result]:
    n = max(int(CASES * scale), 50)
    _cleanup()
    now = clock.now()
    say(f"  loading {n:,} F0")
    case_ids = _load(n, now)
    try:
        return _measure(case_ids, say)
    finally:
        _cleanup()


def _measure(case_ids: list[int], say) -> list[Result]:
    n = len(case_ids)
    results = []
    with transaction.atomic():
        one_by_one, _ = timed(lambda: [services.responses_open([c]) for c in case_ids])
    Response.objects.filter(case_id__in=case_ids).delete()
    with transaction.atomic():
        at_once, _ = timed(services.responses_open, case_ids)
    say(f"  open {n:,}: {at_once:.3f} s at once, {one_by_one:.3f} s one by one")
    results.append(Result(f"response: open {n:,} responses (hook)", at_once, one_by_one,
                          "the hook called once per case", note=f"{Stage.objects.filter(response__case_id__in=case_ids).count():,} stages"))

    ids = list(Response.objects.filter(case_id__in=case_ids).values_list("pk", flat=True))
    sweep, _ = timed(lambda: [services.stages_recheck(ids[i:i + 500]) for i in range(0, len(ids), 500)])
    sample = ids[: min(len(ids), 500)]
    each, _ = timed(lambda: [services.stages_recheck([i]) for i in sample])
    each_all = each * len(ids) / len(sample)
    say(f"  recheck {len(ids):,}: {sweep:.3f} s set-based, {each_all:.3f} s one by one (extrapolated from {len(sample)})")
    results.append(Result(f"response: recheck {len(ids):,} open responses", sweep, each_all,
                          f"one recheck per response (timed on {len(sample)}, scaled)"))

    demo_accounts_ensure(province_code=datasets.PROVINCE)
    leader = User.objects.filter(unit__code=datasets.PROVINCE, role=User.Role.LEADER).order_by("pk").first()
    client = Client()
    client.force_login(leader)
    for label, url in (("board page /responses/", "/responses/"), ("API /api/responses", "/api/responses")):
        samples = []
        for i in range(REQUESTS + 2):
            began = time.perf_counter()
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            if i >= 2:
                samples.append(time.perf_counter() - began)
        _p50, p95 = percentiles(samples)

        def naive():
            rows = list(Response.objects.filter(province__code=datasets.PROVINCE, closed_at__isnull=True)
                        .order_by("-confirmed_at")[:60])
            return [list(Stage.objects.filter(response=r)) for r in rows]

        naive_samples = [timed(naive)[0] for _ in range(REQUESTS)]
        say(f"  {label}: p95 {p95 * 1000:.1f} ms")
        results.append(Result(f"response: {label} p95 ({len(ids):,} open)", p95, percentiles(naive_samples)[1],
                              "reading the page's responses with one stages query each (no rendering)"))
    return results
