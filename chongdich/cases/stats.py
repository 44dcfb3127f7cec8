"""Daily figures per commune (CaseDayCount), bumped by the case services inside their transaction."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from chongdich.cases.models import Case, CaseDayCount, Detection

FIELDS = ("new_local", "new_imported", "recovered", "died")


def new_field(detection: str) -> str:
    return "new_imported" if detection == Detection.IMPORTED else "new_local"


def bump(*, commune, day: dt.date, field: str, delta: int = 1) -> None:
    assert field in FIELDS
    rows = CaseDayCount.objects.filter(commune_id=commune.pk, day=day)
    if rows.update(**{field: F(field) + delta}):
        return
    try:
        with transaction.atomic():
            CaseDayCount.objects.create(commune_id=commune.pk, district_id=commune.district_id,
                                        province_id=commune.province_id, day=day, **{field: delta})
    except IntegrityError:  # created meanwhile by a concurrent transaction
        rows.update(**{field: F(field) + delta})


@transaction.atomic
def rebuild(*, province_id: int | None = None) -> int:
    """Recount every day from the cases (after bulk loads, or to check the counters)."""
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
    CaseDayCount.objects.bulk_create([CaseDayCount(**row) for row in rows.values()], batch_size=5000)
    return len(rows)


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)
