"""Writes of zoning: record a lockdown area (a set of units/villages, or a point with rings),
extend it, lift it; designate colour zones. Each write is atomic, checked against the actor's
jurisdiction with the `manage_zones` capability, and tells the hooks (zones.hooks) what it
recorded inside the same transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.errors import Conflict, InvalidInput
from chongdich.core.jurisdiction import require_write
from chongdich.geography.models import AdminUnit, UnitLevel, Village
from chongdich.zones import domain, hooks
from chongdich.zones.models import (
    AreaShape,
    LockdownArea,
    LockdownMember,
    LockdownRing,
    ZoneColour,
    ZoneDesignation,
)

CAPABILITY = "manage_zones"


def _text(value: str, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("Cần nhập thông tin này."), field=field)
    return value


def _check_case(actor, trigger_case):
    """The triggering case must be one the actor can see (services get it from a selector; a
    case passed from elsewhere is checked again)."""
    if trigger_case is None:
        return None
    from chongdich.cases.selectors import case_get
    from chongdich.core.errors import NotFound

    try:
        return case_get(actor=actor, case_id=trigger_case.pk)
    except NotFound as exc:
        raise NotFound(exc.message, field="trigger_case") from exc


def area_location(units: list[AdminUnit]) -> dict:
    """The keys of an area made of these units (communes, districts, or the communes of
    villages): the lowest unit covering all of them, lower keys empty."""
    provinces = {u.province_id if u.level != UnitLevel.PROVINCE else u.pk for u in units}
    if len(provinces) != 1:
        raise InvalidInput(_("Một khu vực phong tỏa chỉ gồm các địa bàn trong cùng một tỉnh."), field="units")
    keys = {"province_id": provinces.pop(), "district_id": None, "commune_id": None}
    districts = {u.pk if u.level == UnitLevel.DISTRICT else u.district_id for u in units}
    if len(districts) == 1 and None not in districts:
        keys["district_id"] = districts.pop()
        communes = {u.pk if u.level == UnitLevel.COMMUNE else None for u in units}
        if len(communes) == 1 and None not in communes:
            keys["commune_id"] = communes.pop()
    return keys


def location_unit(area: LockdownArea) -> AdminUnit:
    return area.commune or area.district or area.province


def _period(starts_at: dt.datetime | None, ends_at: dt.datetime | None) -> dt.datetime:
    starts_at = starts_at or clock.now()
    domain.validate_period(starts_at, ends_at)
    return starts_at


@transaction.atomic
def area_record_units(*, actor, name: str, reason: str, units: list[AdminUnit] = (),
                      villages: list[Village] = (), starts_at: dt.datetime | None = None,
                      ends_at: dt.datetime | None = None, trigger_case=None) -> LockdownArea:
    """A lockdown area made of communes/districts and/or villages."""
    units, villages = list(dict.fromkeys(units)), list(dict.fromkeys(villages))
    if not units and not villages:
        raise InvalidInput(_("Chọn ít nhất một xã, huyện hoặc thôn."), field="units")
    for unit in units:
        if unit.level == UnitLevel.PROVINCE:
            raise InvalidInput(_("Khu vực phong tỏa gồm xã, huyện hoặc thôn, không phải cả tỉnh."), field="units")
        require_write(actor, unit, CAPABILITY)
    for village in villages:
        require_write(actor, village.commune, CAPABILITY)
    units_ids = {u.pk for u in units}
    inside_chosen = [v.name for v in villages if v.commune_id in units_ids]
    if inside_chosen:
        raise InvalidInput(_("Thôn %(name)s đã nằm trong xã được chọn.") % {"name": inside_chosen[0]},
                           field="villages")
    keys = area_location(units + [v.commune for v in villages])
    area = LockdownArea.objects.create(
        name=_text(name, "name"), shape=AreaShape.UNITS, reason=_text(reason, "reason"),
        trigger_case=_check_case(actor, trigger_case), starts_at=_period(starts_at, ends_at),
        ends_at=ends_at, created_by=actor, **keys)
    LockdownMember.objects.bulk_create([LockdownMember(area=area, unit=u) for u in units]
                                       + [LockdownMember(area=area, village=v) for v in villages])
    hooks.run_area_recorded([area.pk])
    return area


@transaction.atomic
def area_record_point(*, actor, name: str, reason: str, lat, lon, rings: dict[str, int | None],
                      commune: AdminUnit | None = None, address: str = "",
                      starts_at: dt.datetime | None = None, ends_at: dt.datetime | None = None,
                      trigger_case=None, candidates: list[AdminUnit] | None = None) -> LockdownArea:
    """A small-point lockdown: a point (lat/lon, address) with rings core < buffer < watch. The
    commune is the one given, or the commune (among `candidates`, the actor's) whose box holds
    the point."""
    lat, lon = domain.validate_point(lat, lon)
    radii = domain.validate_rings(rings)
    if commune is None:
        boxes = [domain.CommuneBox(c.pk, c.lat, c.lon, c.bbox) for c in candidates or []]
        found = domain.commune_for_point(lat, lon, boxes)
        if found is None:
            raise InvalidInput(_("Không xác định được xã chứa điểm này; hãy chọn xã."), field="commune")
        commune = next(c for c in candidates if c.pk == found)
    if commune.level != UnitLevel.COMMUNE:
        raise InvalidInput(_("Điểm phong tỏa phải thuộc một xã/phường."), field="commune")
    require_write(actor, commune, CAPABILITY)
    outside = domain.distance_outside_km(lat, lon, commune.bbox)
    if outside is not None and outside > domain.POINT_MARGIN_KM:
        raise InvalidInput(_("Điểm nằm ngoài %(name)s khoảng %(km)s km; kiểm tra toạ độ hoặc xã.")
                           % {"name": commune.name_with_type, "km": f"{outside:.1f}"}, field="lat")
    area = LockdownArea.objects.create(
        name=_text(name, "name"), shape=AreaShape.POINT, reason=_text(reason, "reason"),
        trigger_case=_check_case(actor, trigger_case), starts_at=_period(starts_at, ends_at),
        ends_at=ends_at, lat=lat, lon=lon, address=_text(address, "address", required=False),
        created_by=actor, **commune.jurisdiction_keys())
    LockdownRing.objects.bulk_create([LockdownRing(area=area, ring=r, radius_m=m) for r, m in radii.items()])
    hooks.run_area_recorded([area.pk])
    return area


def _locked(area: LockdownArea) -> LockdownArea:
    return LockdownArea.objects.select_for_update(of=("self",)).select_related("province", "district", "commune").get(pk=area.pk)


def _ended(area: LockdownArea) -> bool:
    return area.ends_at is not None and area.ends_at <= clock.now()


@transaction.atomic
def area_extend(*, actor, area: LockdownArea, ends_at: dt.datetime | None) -> LockdownArea:
    """Extend an area still in force: a later end, or no end (open until lifted)."""
    area = _locked(area)
    require_write(actor, location_unit(area), CAPABILITY)
    if _ended(area):
        raise Conflict(_("Khu vực đã kết thúc phong tỏa; hãy ghi một khu vực mới."), field="ends_at")
    if ends_at is not None:
        domain.validate_period(area.starts_at, ends_at)
        if ends_at <= clock.now():
            raise InvalidInput(_("Gia hạn đến một thời điểm trong tương lai; để dừng, hãy gỡ phong tỏa."),
                               field="ends_at")
        if area.ends_at is not None and ends_at <= area.ends_at:
            raise InvalidInput(_("Thời điểm gia hạn phải sau thời điểm kết thúc hiện tại."), field="ends_at")
    area.ends_at = ends_at
    area.save(update_fields=["ends_at"])
    return area


@transaction.atomic
def area_lift(*, actor, area: LockdownArea, reason: str, at: dt.datetime | None = None) -> LockdownArea:
    """Lift (gỡ phong tỏa) an area in force, now or at a given moment, with the reason."""
    area = _locked(area)
    require_write(actor, location_unit(area), CAPABILITY)
    if _ended(area):
        raise Conflict(_("Khu vực này đã được gỡ phong tỏa."))
    at = at or clock.now()
    if at > clock.now() + dt.timedelta(minutes=5):
        raise InvalidInput(_("Thời điểm gỡ phong tỏa không được ở tương lai."), field="at")
    if at <= area.starts_at:
        raise InvalidInput(_("Thời điểm gỡ phải sau khi bắt đầu phong tỏa."), field="at")
    area.ends_at, area.lifted_reason = at, _text(reason, "reason")
    area.save(update_fields=["ends_at", "lifted_reason"])
    return area


@transaction.atomic
def zone_designate(*, actor, colour: str, starts_on: dt.date, units: list[AdminUnit] = (),
                   villages: list[Village] = (), ends_on: dt.date | None = None, reason: str = "",
                   trigger_case=None) -> list[ZoneDesignation]:
    """Designate units (communes, districts) and/or villages a colour zone from a date. The
    designation of the same place in force on that date ends the day before; a place already
    designated from that date or later is refused (correct that one instead)."""
    if colour not in ZoneColour.values:
        raise InvalidInput(_("Màu vùng không hợp lệ: %(value)s") % {"value": colour}, field="colour")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(_("Ngày kết thúc phải từ ngày bắt đầu trở đi."), field="ends_on")
    places = [(u, None) for u in dict.fromkeys(units)] + [(v.commune, v) for v in dict.fromkeys(villages)]
    if not places:
        raise InvalidInput(_("Chọn ít nhất một xã, huyện hoặc thôn."), field="units")
    for unit in {unit for unit, _village in places}:
        require_write(actor, unit, CAPABILITY)
    case = _check_case(actor, trigger_case)
    created = []
    for unit, village in places:
        same = ZoneDesignation.objects.select_for_update().filter(unit=unit, village=village)
        later = same.filter(starts_on__gte=starts_on).order_by("starts_on").first()
        if later is not None:
            raise Conflict(_("%(place)s đã có phân vùng từ ngày %(date)s; phân vùng mới phải bắt đầu sau ngày đó.")
                           % {"place": village.name if village else unit.name_with_type,
                              "date": later.starts_on.strftime("%d/%m/%Y")}, field="starts_on")
        (same.filter(starts_on__lt=starts_on)
         .exclude(ends_on__lt=starts_on).update(ends_on=starts_on - dt.timedelta(days=1)))
        created.append(ZoneDesignation(unit=unit, village=village, colour=colour, starts_on=starts_on,
                                       ends_on=ends_on, reason=(reason or "").strip(), trigger_case=case,
                                       created_by=actor))
    created = ZoneDesignation.objects.bulk_create(created)
    hooks.run_zone_designated([d.pk for d in created])
    return created
