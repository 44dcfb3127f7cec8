"""Counters the dashboard reads instead of counting millions of rows: daily figures per commune
(CaseDayCount), bumped by the case services, and people per commune per rank (RankCount), bumped by
cases.ranks — each inside the transaction of the change it counts, and each rebuildable."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from chongdich.cases.models import Case, CaseDayCount, Contact, Detection, RankCount
from chongdich.people.models import Person

FIELDS = ("new_local", "new_imported", "recovered", "died", "contacts")


def new_field(detection: str) -> str:
    return "new_imported" if detection == Detection.IMPORTED else "new_local"


def _upsert_add(model, *, conflict: tuple[str, ...], field: str, rows: list[dict]) -> None:
    """Add each row's `field` to the counter row with the same `conflict` key, creating it if need
    be: one INSERT … ON CONFLICT DO UPDATE (PostgreSQL and SQLite), safe under concurrency."""
    if not rows:
        return
    columns = list(rows[0])
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(field)
    values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) "
            f"VALUES {values} ON CONFLICT ({', '.join(conflict)}) "
            f"DO UPDATE SET {column} = {table}.{column} + excluded.{column}",
            [row[c] for row in rows for c in columns],
        )


def bump(*, commune, day: dt.date, field: str, delta: int = 1) -> None:
    assert field in FIELDS
    row = {**commune.jurisdiction_keys(), "day": day, **dict.fromkeys(FIELDS, 0), field: delta}
    _upsert_add(CaseDayCount, conflict=("commune_id", "day"), field=field, rows=[row])


def bump_ranks(deltas: dict[tuple[int, int, int, int], int]) -> None:
    """deltas: (commune_id, district_id, province_id, rank) → change in the number of people."""
    keys = ("commune_id", "district_id", "province_id", "rank")
    rows = [{**dict(zip(keys, key, strict=True)), "people": delta}
            for key, delta in sorted(deltas.items()) if delta]
    _upsert_add(RankCount, conflict=("commune_id", "rank"), field="people", rows=rows)


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
