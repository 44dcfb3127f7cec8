"""Venues in the demo province: markets, factories, shops, buses … in its busiest communes; two
weeks of QR check-ins of the province's people (a few venues very busy, most quiet); the last
day's F0s given visits among the crowd, and their matching run, so the tracer's queue has
proposals to confirm. Bulk inserts; a second call (the demo's venues already there) does nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.db.models import Count

from chongdich.cases.models import Case
from chongdich.demo import bulk
from chongdich.geography.models import AdminUnit
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


def _f0_visits(rng, province, venue_ids: np.ndarray, today: dt.date) -> tuple[int, list[int]]:
    """The last day's F0s: visits to the busiest venues in the two days before, and their jobs."""
    cases = list(Case.objects.filter(province=province, confirmed_on=today, discarded_at__isnull=True)
                 .values_list("pk", "person_id", "confirmed_at")[:200])
    if not cases:
        return 0, []
    n = len(cases) * F0_VISITS
    person = np.repeat(np.array([c[1] for c in cases], dtype=np.int64), F0_VISITS)
    venue = venue_ids[rng.integers(0, 12, n)]
    came = _local(today, rng.integers(1, 3, n), rng.integers(7, 19, n), rng.integers(0, 60, n))
    _insert_checkins(venue, person, came, came + np.timedelta64(3600, "s"))
    now = min(c[2] for c in cases)
    MatchJob.objects.bulk_create([MatchJob(case_id=pk, source_id=person_id, requested_at=now)
                                  for pk, person_id, _at in cases], ignore_conflicts=True)
    jobs = list(MatchJob.objects.filter(case_id__in=[c[0] for c in cases], status="queued")
                .values_list("pk", flat=True))
    return len(cases), jobs
