"""Venues in the demo province: markets, factories, shops, buses … in its busiest communes; two
weeks of QR check-ins of the province's people (a few venues very busy, most quiet); the last
day's F0s (and the latest of the week in each demo account's commune or district) given visits
among the crowd, and their matching run, so every tracer's queue has proposals to confirm. Bulk inserts; a second call (the demo's venues already there) does nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.db.models import Count

from chongdich.cases.models import Case
from chongdich.demo import bulk
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.people.models import Person
from chongdich.venues import domain, matching, partitions
from chongdich.venues.models import CheckIn, MatchJob, Venue, VenueKind

VENUES = 240
CHECKINS = 40_000
DAYS = 14
F0_VISITS = 3
MARK = "demo"  # the venues' note: the demo's venues are there already
NAMES = {
    VenueKind.MARKET: "Chợ", VenueKind.FACTORY: "Nhà máy", VenueKind.SHOP: "Cửa hàng",
    VenueKind.RESTAURANT: "Quán ăn", VenueKind.OFFICE: "UBND", VenueKind.SCHOOL: "Trường",
    VenueKind.HEALTH: "Trạm y tế", VenueKind.BUS: "Xe khách", VenueKind.CHECKPOINT: "Chốt kiểm soát",
}


@dataclass(frozen=True)
class VenuesDemoSummary:
    venues: int = 0
    checkins: int = 0
    f0: int = 0
    proposals: int = 0
    skipped: bool = False


def _communes(province: AdminUnit, n: int) -> list[tuple[int, int, int, str]]:
    rows = (Person.objects.filter(province=province).values("commune_id").annotate(n=Count("id"))
            .order_by("-n")[:n])
    ids = [r["commune_id"] for r in rows]
    units = AdminUnit.objects.in_bulk(ids)
    return [(u.pk, u.district_id, u.province_id, u.name) for u in (units[i] for i in ids)]


def load_demo(*, province: AdminUnit, rng, today: dt.date) -> VenuesDemoSummary:
    if Venue.objects.filter(province=province, note=MARK).exists():
        return VenuesDemoSummary(skipped=True)
    people = np.array(Person.objects.filter(province=province).values_list("pk", flat=True), dtype=np.int64)
    communes = _communes(province, 40)
    if len(people) == 0 or not communes:
        return VenuesDemoSummary()
    with transaction.atomic():
        venue_ids = _venues(rng, communes)
        checkins = _checkins(rng, venue_ids, people, today)
        f0, jobs = _f0_visits(rng, province, venue_ids, today)
    proposals = matching.run_batch(jobs)["proposals"] if jobs else 0
    return VenuesDemoSummary(venues=len(venue_ids), checkins=checkins, f0=f0, proposals=proposals)


def _venues(rng, communes) -> np.ndarray:
    kinds = [k for k in NAMES]
    weights = np.array([3, 2, 5, 4, 2, 2, 1, 1, 1], dtype=float)
    chosen = rng.choice(len(kinds), VENUES, p=weights / weights.sum())
    where = [communes[i] for i in rng.integers(0, len(communes), VENUES)]
    first = bulk.next_id(Venue)
    now = np.datetime64(dt.datetime.now(dt.UTC).replace(tzinfo=None), "s")
    capacity = np.maximum((2500 / (np.arange(VENUES) / 4 + 1)).astype(np.int64), 15)
    bulk.insert(Venue._meta.db_table, {
        "id": first + np.arange(VENUES),
        "code": [domain.new_venue_code() for _ in range(VENUES)],
        "name": [f"{NAMES[kinds[k]]} {w[3]} {i + 1}" for i, (k, w) in enumerate(zip(chosen, where, strict=True))],
        "kind": [str(kinds[k]) for k in chosen], "address": [""] * VENUES, "capacity": capacity,
        "active": ["t"] * VENUES if connection.vendor == "postgresql" else [True] * VENUES, "note": [MARK] * VENUES, "created_at": np.full(VENUES, now),
        "commune_id": np.array([w[0] for w in where]), "district_id": np.array([w[1] for w in where]),
        "province_id": np.array([w[2] for w in where]),
    })
    bulk.reset_sequences(Venue)
    return first + np.arange(VENUES)


def _local(today: dt.date, days_back: np.ndarray, hour: np.ndarray, minute: np.ndarray) -> np.ndarray:
    """Local wall times as UTC datetime64 (Vietnam is UTC+7 all year)."""
    base = np.datetime64(today, "s") - days_back.astype("timedelta64[D]")
    return base + (hour * 3600 + minute * 60 - 7 * 3600).astype("timedelta64[s]")


def _insert_checkins(venue, person, came, left, source: str = "qr") -> int:
    n = len(venue)
    first = partitions.day_of(dt.datetime.fromisoformat(str(came.min())).replace(tzinfo=dt.UTC))
    last = partitions.day_of(dt.datetime.fromisoformat(str(came.max())).replace(tzinfo=dt.UTC))
    partitions.ensure_range(first, last)
    return bulk.insert(CheckIn._meta.db_table, {
        "venue_id": venue, "person_id": person, "checked_in_at": came, "checked_out_at": left,
        "source": [source] * n,
    })


def _checkins(rng, venue_ids: np.ndarray, people: np.ndarray, today: dt.date) -> int:
    weights = 1.0 / (np.arange(len(venue_ids)) + 5.0)
    venue = venue_ids[rng.choice(len(venue_ids), CHECKINS, p=weights / weights.sum())]
    person = people[rng.integers(0, len(people), CHECKINS)]
    came = _local(today, rng.integers(0, DAYS, CHECKINS), rng.integers(6, 21, CHECKINS),
                  rng.integers(0, 60, CHECKINS))
    stay = np.clip(rng.exponential(45 * 60, CHECKINS), 300, 4 * 3600).astype("timedelta64[s]")
    left = np.where(rng.random(CHECKINS) < 0.5, came + stay, np.datetime64("NaT"))
    return _insert_checkins(venue, person, came, left)


def _f0_cases(province, today: dt.date) -> list[tuple[int, int, dt.datetime, dt.date]]:
    """The last day's F0s, and the latest F0 of the past week of each commune or district a
    demo account works in, so that every account's queue has proposals to decide."""
    from chongdich.accounts.models import User

    base = Case.objects.filter(discarded_at__isnull=True)
    fields = ("pk", "person_id", "confirmed_at", "confirmed_on")
    cases = list(base.filter(province=province, confirmed_on=today).values_list(*fields)[:200])
    seen = {c[0] for c in cases}
    units = (User.objects.filter(unit__province=province, unit__level__in=(UnitLevel.COMMUNE, UnitLevel.DISTRICT))
             .values_list("unit__level", "unit_id").distinct())
    for level, unit_id in sorted(units):
        latest = (base.filter(**{f"{level}_id": unit_id}, confirmed_on__gte=today - dt.timedelta(days=7))
                  .order_by("-confirmed_at").values_list(*fields).first())
        if latest and latest[0] not in seen:
            seen.add(latest[0])
            cases.append(latest)
    return cases


def _f0_visits(rng, province, venue_ids: np.ndarray, today: dt.date) -> tuple[int, list[int]]:
    """The F0s of `_f0_cases`: their jobs, and visits to the busiest venues inside each one's
    infectious window (an F0 found in quarantine has a window that ended when it was placed),
    in the daytime when the window allows."""
    cases = _f0_cases(province, today)
    if not cases:
        return 0, []
    now = max(c[2] for c in cases)
    MatchJob.objects.bulk_create([MatchJob(case_id=pk, source_id=person_id, requested_at=now)
                                  for pk, person_id, _at, _on in cases], ignore_conflicts=True)
    jobs = list(MatchJob.objects.filter(case_id__in=[c[0] for c in cases], status="queued"))
    matching.prepare(jobs)
    person, came = [], []
    for job in jobs:
        start, end = job.window_start, job.window_end - dt.timedelta(hours=1)
        if end <= start:
            continue
        days = max((end - start).days, 1)
        for _ in range(F0_VISITS):
            local = (start + dt.timedelta(days=int(rng.integers(0, days)))).astimezone(partitions.zone())
            moment = local.replace(hour=int(rng.integers(7, 19)), minute=int(rng.integers(0, 60)), second=0)
            moment = min(max(moment, start), end)
            person.append(job.source_id)
            came.append(np.datetime64(moment.astimezone(dt.UTC).replace(tzinfo=None), "s"))
    if person:
        came_at = np.array(came, dtype="datetime64[s]")
        _insert_checkins(venue_ids[rng.integers(0, 12, len(person))], np.array(person, dtype=np.int64),
                         came_at, came_at + np.timedelta64(3600, "s"))
    return len(cases), [j.pk for j in jobs]
