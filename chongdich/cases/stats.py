"""Counters the dashboard reads instead of counting millions of rows: daily figures per commune
(CaseDayCount), bumped by the case services, and people per commune per rank (RankCount), bumped by
cases.ranks — each inside the transaction of the change it counts, and each rebuildable."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from chongdich.cases.models import Case, CaseDayCount, Contact, Detection, RankCount
from chongdich.people.models import Person

FIELDS = ("new_local", "new_imported", "recovered", "died", "contacts")


def new_field(detection: str) -> str:
    return "new_imported" if detection == Detection.IMPORTED else "new_local"


def _bump(model, *, place: dict, key: dict, field: str, delta: int) -> None:
    """Add `delta` to `field` of the counter row at `key`, creating it if need be."""
    rows = model.objects.filter(commune_id=place["commune_id"], **key)
    if rows.update(**{field: F(field) + delta}):
        return
    try:
        with transaction.atomic():
            model.objects.create(**place, **key, **{field: delta})
    except IntegrityError:  # created meanwhile by a concurrent transaction
        rows.update(**{field: F(field) + delta})


def bump(*, commune, day: dt.date, field: str, delta: int = 1) -> None:
    assert field in FIELDS
    _bump(CaseDayCount, place=commune.jurisdiction_keys(), key={"day": day}, field=field, delta=delta)


def bump_ranks(deltas: dict[tuple[int, int, int, int], int]) -> None:
    """deltas: (commune_id, district_id, province_id, rank) → change in the number of people.
    One upsert for all of them (PostgreSQL and SQLite both speak INSERT … ON CONFLICT)."""
    rows = [(*key, delta) for key, delta in sorted(deltas.items()) if delta]
    if not rows:
        return
    table = connection.ops.quote_name(RankCount._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (commune_id, district_id, province_id, rank, people) VALUES {values} "
            f"ON CONFLICT (commune_id, rank) DO UPDATE SET people = {table}.people + excluded.people",
            [v for row in rows for v in row],
        )


@transaction.atomic
def rebuild_ranks() -> int:
    """Recount people per commune per rank from Person.rank."""
    RankCount.objects.all().delete()
    rows = (Person.objects.exclude(rank=None).order_by()
            .values("commune_id", "district_id", "province_id", "rank").annotate(n=Count("*")))
    RankCount.objects.bulk_create(
        [RankCount(commune_id=r["commune_id"], district_id=r["district_id"], province_id=r["province_id"],
                   rank=r["rank"], people=r["n"]) for r in rows],
        batch_size=5000,
    )
    return len(rows)


@transaction.atomic
def rebuild(*, province_id: int | None = None) -> int:
    """Recount every day from the cases and contacts (after bulk loads, or to check the counters)."""
    cases = Case.objects.filter(discarded_at__isnull=True)
    counts = CaseDayCount.objects.all()
    if province_id is not None:
        cases, counts = cases.filter(province_id=province_id), counts.filter(province_id=province_id)
    counts.delete()
    rows: dict[tuple, dict] = {}

    def add(commune_id, district_id, prov_id, day, field, n):
        key = (commune_id, day)
        row = rows.setdefault(key, {"commune_id": commune_id, "district_id": district_id,
                                    "province_id": prov_id, "day": day})
        row[field] = row.get(field, 0) + n

    keys = ("commune_id", "district_id", "province_id")
    for r in cases.values(*keys, "confirmed_on").annotate(
        local=Count("pk", filter=~Q(detection=Detection.IMPORTED)),
        imported=Count("pk", filter=Q(detection=Detection.IMPORTED)),
    ):
        add(*(r[k] for k in keys), r["confirmed_on"], "new_local", r["local"])
        add(*(r[k] for k in keys), r["confirmed_on"], "new_imported", r["imported"])
    for status in ("recovered", "died"):
        for r in cases.filter(status=status).values(*keys, "ended_on").annotate(n=Count("pk")):
            add(*(r[k] for k in keys), r["ended_on"], status, r["n"])
    contacts = Contact.objects.all()
    if province_id is not None:
        contacts = contacts.filter(person__province_id=province_id)
    person_keys = tuple(f"person__{k}" for k in keys)
    for r in (contacts.order_by().annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
              .values(*person_keys, "day").annotate(n=Count("pk"))):
        add(*(r[k] for k in person_keys), r["day"], "contacts", r["n"])
    CaseDayCount.objects.bulk_create([CaseDayCount(**row) for row in rows.values()], batch_size=5000)
    return len(rows)


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)
