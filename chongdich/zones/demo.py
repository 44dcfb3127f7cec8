"""Zoning in the demo province: a small-point lockdown with rings around each of the two most
recent cases (still in force), an earlier lockdown of the villages (or communes) of the commune
hardest hit a month ago, lifted after 14 days without new cases, and red/orange/yellow zone
designations of the communes with the most cases in the last two weeks, over green designations of
the month before.

Bulk inserts shaped as the services leave them; the hooks hear of the areas and designations as
they would from the services. A second call (areas already in the province) does nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from chongdich.cases.models import Case
from chongdich.geography.models import AdminUnit, UnitLevel, Village
from chongdich.zones import hooks
from chongdich.zones.models import (
    AreaShape,
    LockdownArea,
    LockdownMember,
    LockdownRing,
    ZoneDesignation,
)

POINT_RINGS = (("core", 100), ("buffer", 300), ("watch", 1000))
COLOUR_BANDS = (("red", 3), ("orange", 5), ("yellow", 8))  # the communes with the most cases first


@dataclass(frozen=True)
class ZonesDemoSummary:
    point_areas: int = 0
    unit_areas: int = 0
    designations: int = 0
    skipped: bool = False


def _at(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _cases_by_commune(province, since: dt.date, until: dt.date) -> list[int]:
    return list(Case.objects.filter(province=province, discarded_at__isnull=True, confirmed_on__gte=since,
                                    confirmed_on__lte=until)
                .values("commune_id").annotate(n=Count("pk")).order_by("-n", "commune_id")
                .values_list("commune_id", flat=True))


def _point_areas(province, rng, today: dt.date) -> list[LockdownArea]:
    recent = list(Case.objects.filter(province=province, discarded_at__isnull=True, confirmed_on__lte=today,
                                      commune__lat__isnull=False)
                  .select_related("commune").order_by("-confirmed_at", "-pk")[:2])
    areas = []
    for case in recent:
        c = case.commune
        lat = c.lat + float(rng.uniform(-0.003, 0.003))
        lon = c.lon + float(rng.uniform(-0.003, 0.003))
        area = LockdownArea.objects.create(
            name=f"Phong tỏa điểm quanh nơi ở ca {case.code}", shape=AreaShape.POINT,
            reason=f"Ca F0 {case.code} phát hiện ngày {case.confirmed_on:%d/%m/%Y}; khoanh vùng theo "
                   "nguyên tắc phong tỏa điểm nhỏ.",
            trigger_case=case, starts_at=case.confirmed_at + dt.timedelta(hours=3), lat=lat, lon=lon,
            address=f"Khu dân cư {c.name_with_type}", **c.jurisdiction_keys())
        LockdownRing.objects.bulk_create([LockdownRing(area=area, ring=r, radius_m=m) for r, m in POINT_RINGS])
        areas.append(area)
    return areas


def _lifted_area(province, today: dt.date) -> LockdownArea | None:
    start, end = today - dt.timedelta(days=35), today - dt.timedelta(days=14)
    hardest = _cases_by_commune(province, start - dt.timedelta(days=14), start)
    if not hardest:
        return None
    commune = AdminUnit.objects.get(pk=hardest[0])
    villages = list(Village.objects.filter(commune=commune).order_by("name")[:3])
    members: list[LockdownMember] = []
    if villages:
        keys = commune.jurisdiction_keys()
        names = ", ".join(v.name for v in villages)
        members = [LockdownMember(village=v) for v in villages]
    else:
        communes = list(AdminUnit.objects.filter(pk__in=hardest[:4], district_id=commune.district_id))
        keys = {"province_id": commune.province_id, "district_id": commune.district_id,
                "commune_id": commune.pk if len(communes) == 1 else None}
        names = ", ".join(c.name_with_type for c in communes)
        members = [LockdownMember(unit=c) for c in communes]
    area = LockdownArea.objects.create(
        name=f"Phong tỏa {names}", shape=AreaShape.UNITS,
        reason=f"Ổ dịch cộng đồng tại {commune.name_with_type}.", starts_at=_at(start), ends_at=_at(end, 18),
        lifted_reason="Sau 14 ngày không ghi nhận ca mắc mới trong khu vực phong tỏa.", **keys)
    for m in members:
        m.area = area
    LockdownMember.objects.bulk_create(members)
    return area


def _designations(province, today: dt.date) -> list[ZoneDesignation]:
    recent_from = today - dt.timedelta(days=14)
    hot = _cases_by_commune(province, recent_from, today)
    earlier = today - dt.timedelta(days=42)
    rows, n = [], 0
    coloured: set[int] = set()
    for colour, count in COLOUR_BANDS:
        for commune_id in hot[n:n + count]:
            rows.append(ZoneDesignation(unit_id=commune_id, colour="green", starts_on=earlier,
                                        ends_on=recent_from - dt.timedelta(days=1),
                                        reason="Không có ca mắc trong 14 ngày."))
            rows.append(ZoneDesignation(unit_id=commune_id, colour=colour, starts_on=recent_from,
                                        reason=f"Xếp vùng theo số ca mắc 14 ngày qua (đến {today:%d/%m/%Y})."))
            coloured.add(commune_id)
        n += count
    quiet = (AdminUnit.objects.filter(province=province, level=UnitLevel.COMMUNE).exclude(pk__in=coloured)
             .order_by("code").values_list("pk", flat=True)[:10])
    rows += [ZoneDesignation(unit_id=pk, colour="green", starts_on=recent_from,
                             reason="Không có ca mắc trong 14 ngày.") for pk in quiet]
    return ZoneDesignation.objects.bulk_create(rows)


@transaction.atomic
def load_demo(*, province, rng, today: dt.date) -> ZonesDemoSummary:
    if LockdownArea.objects.filter(province=province).exists():
        return ZonesDemoSummary(skipped=True)
    points = _point_areas(province, rng, today)
    lifted = _lifted_area(province, today)
    designations = _designations(province, today)
    hooks.run_area_recorded([a.pk for a in points] + ([lifted.pk] if lifted else []))
    hooks.run_zone_designated([d.pk for d in designations])
    return ZonesDemoSummary(point_areas=len(points), unit_areas=1 if lifted else 0,
                            designations=len(designations))
