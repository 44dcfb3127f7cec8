"""Reads of lockdown areas and zone designations, scoped to the actor, and how many people live
inside an area. The map's data is in zones.mapdata.

An area is visible to the actor whose jurisdiction holds its location keys, and also to officers
of any unit it covers (a lockdown over two communes is located at their district, yet each
commune's officers must see it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.errors import NotFound
from chongdich.core.jurisdiction import ancestor_ids, covers, scope_q
from chongdich.geography.models import AdminUnit, UnitLevel, Village
from chongdich.zones import domain
from chongdich.zones.models import AreaShape, LockdownArea, LockdownMember, ZoneDesignation


def units_inside_q(actor, prefix: str = "") -> Q:
    """Records located at a unit that is the actor's unit or below it (by the unit's own keys)."""
    unit = actor.unit
    if unit is None:
        return Q() if (actor.is_superuser or actor.is_national) else Q(pk__in=[])
    q = Q(**{f"{prefix}id": unit.pk})
    if unit.level != UnitLevel.COMMUNE:
        q |= Q(**{f"{prefix}{unit.level}_id": unit.pk})
    return q


def _members_touching(unit: AdminUnit) -> QuerySet:
    """Ids of areas with a member inside `unit`, or a member covering it (its district)."""
    q = Q(unit_id=unit.pk) | Q(unit_id__in=ancestor_ids(unit)) | Q(**{f"village__{unit.level}_id": unit.pk})
    if unit.level != UnitLevel.COMMUNE:
        q |= Q(**{f"unit__{unit.level}_id": unit.pk})
    return LockdownMember.objects.filter(q).values("area_id")


def area_visible_q(actor) -> Q:
    if actor.unit is None:
        return scope_q(actor)
    return scope_q(actor) | Q(pk__in=_members_touching(actor.unit))


def area_state(area: LockdownArea, now: dt.datetime | None = None) -> str:
    """planned, active or ended (at `now`)."""
    now = now or clock.now()
    if area.starts_at > now:
        return "planned"
    if area.ends_at is not None and area.ends_at <= now:
        return "ended"
    return "active"


@dataclass(frozen=True)
class AreaFilters:
    state: str = ""  # "active", "ended", "planned" or "" for all
    shape: str = ""
    search: str = ""


def area_list(*, actor, filters: AreaFilters | None = None) -> QuerySet[LockdownArea]:
    f = filters or AreaFilters()
    now = clock.now()
    qs = (LockdownArea.objects.filter(area_visible_q(actor))
          .select_related("province", "district", "commune", "trigger_case"))
    if f.state == "active":
        qs = qs.filter(starts_at__lte=now).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
    elif f.state == "ended":
        qs = qs.filter(ends_at__lte=now)
    elif f.state == "planned":
        qs = qs.filter(starts_at__gt=now)
    if f.shape:
        qs = qs.filter(shape=f.shape)
    if f.search.strip():
        qs = qs.filter(name__icontains=f.search.strip())
    return qs.order_by("-starts_at", "-pk")


def area_get(*, actor, area_id: int) -> LockdownArea:
    area = (LockdownArea.objects.filter(area_visible_q(actor), pk=area_id)
            .select_related("province", "district", "commune", "trigger_case", "created_by").first())
    if area is None:
        raise NotFound(_("Không tìm thấy khu vực phong tỏa."))
    return area


def area_members(area: LockdownArea) -> list[LockdownMember]:
    return list(area.members.select_related("unit", "village", "village__commune").order_by("unit__code", "village__name"))


def area_rings(area: LockdownArea) -> dict[str, int]:
    rings = {r.ring: r.radius_m for r in area.rings.all()}
    return {ring: rings[ring] for ring in domain.RING_ORDER if ring in rings}


@dataclass
class AreaPopulation:
    """How many people live inside an area. For units and villages, `total` is the sum of their
    populations (`estimate` None); for a point, `estimate` holds the ring estimates."""

    total: int | None
    missing: list[str] = field(default_factory=list)
    estimate: domain.PointEstimate | None = None
    registered: int | None = None  # people registered in the system living in the covered units
    method: str = ""


def area_population(area: LockdownArea) -> AreaPopulation:
    from chongdich.people.models import Person

    if area.shape == AreaShape.POINT:
        commune = area.commune
        estimate = domain.estimate_point(area_rings(area), population=commune.population if commune else None,
                                         bbox=commune.bbox if commune else None,
                                         commune_name=commune.name_with_type if commune else "")
        return AreaPopulation(total=estimate.total, estimate=estimate, method=estimate.method)
    members = area_members(area)
    places: list[domain.PlacePopulation] = []
    person_q = Q(pk__in=[])
    for m in members:
        if m.village_id:
            places.append(domain.PlacePopulation(f"{m.village.name} ({m.village.commune.name_with_type})",
                                                 m.village.population))
            person_q |= Q(village_id=m.village_id)
        elif m.unit.level == UnitLevel.DISTRICT:
            places.extend(_district_population(m.unit))
            person_q |= Q(district_id=m.unit_id)
        else:
            places.append(domain.PlacePopulation(m.unit.name_with_type, m.unit.population))
            person_q |= Q(commune_id=m.unit_id)
    total, missing = domain.units_population(places)
    return AreaPopulation(total=total, missing=missing, registered=Person.objects.filter(person_q).count(),
                          method=_("Tổng dân số của các xã, thôn trong khu vực (dân số huyện = tổng các xã)."))


def _district_population(district: AdminUnit) -> list[domain.PlacePopulation]:
    communes = list(AdminUnit.objects.filter(district=district, level=UnitLevel.COMMUNE)
                    .values_list("name_with_type", "population"))
    if communes and any(p for _n, p in communes):
        return [domain.PlacePopulation(n, p) for n, p in communes]
    return [domain.PlacePopulation(district.name_with_type, district.population)]


def village_get(*, actor, village_id: int) -> Village:
    village = Village.objects.filter(pk=village_id).select_related("commune", "district", "province").first()
    if village is None or not covers(actor, village.commune):
        raise NotFound(_("Không tìm thấy thôn, tổ dân phố."))
    return village


NEAR_DEGREES = 0.3  # a commune's centre lies within this of any point inside it (≈ 33 km)


def communes_with_boxes(*, actor, near: tuple[float, float] | None = None) -> QuerySet[AdminUnit]:
    """The actor's communes with a bounding box: where a point may be located; `near` keeps only
    those whose centre is close to the point (no need to read ten thousand boxes)."""
    qs = AdminUnit.objects.filter(units_inside_q(actor), level=UnitLevel.COMMUNE, bbox__isnull=False)
    if near is not None:
        lat, lon = near
        qs = qs.filter(lat__range=(lat - NEAR_DEGREES, lat + NEAR_DEGREES),
                       lon__range=(lon - NEAR_DEGREES, lon + NEAR_DEGREES))
    return qs


# --- Zone designations ----------------------------------------------------------------------


@dataclass(frozen=True)
class DesignationFilters:
    on: dt.date | None = None  # in force on this day
    colour: str = ""
    unit_id: int | None = None


def designation_list(*, actor, filters: DesignationFilters | None = None) -> QuerySet[ZoneDesignation]:
    f = filters or DesignationFilters()
    qs = (ZoneDesignation.objects.filter(units_inside_q(actor, "unit__"))
          .select_related("unit", "village", "trigger_case"))
    if f.on is not None:
        qs = qs.filter(starts_on__lte=f.on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=f.on))
    if f.colour:
        qs = qs.filter(colour=f.colour)
    if f.unit_id:
        qs = qs.filter(Q(unit_id=f.unit_id) | Q(unit__district_id=f.unit_id) | Q(unit__province_id=f.unit_id))
    return qs.order_by("unit__code", "village__name", "-starts_on", "-pk")


def designations_in_week(*, monday: dt.date, unit_q: Q) -> list[ZoneDesignation]:
    """Designations in force at some time of the week (the newest per place), for the map. Zone
    colours are public: no actor scope, the caller narrows with `unit_q`."""
    sunday = monday + dt.timedelta(days=6)
    rows = (ZoneDesignation.objects.filter(unit_q, starts_on__lte=sunday)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=monday))
            .select_related("unit", "village").order_by("unit_id", "village_id", "-starts_on", "-pk"))
    newest: dict[tuple, ZoneDesignation] = {}
    for d in rows:
        newest.setdefault((d.unit_id, d.village_id), d)
    return list(newest.values())
