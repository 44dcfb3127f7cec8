"""The data behind the map, per ISO week: the units of a view (communes, districts or provinces)
at their coordinates, each coloured by its own level for the week (risk.selectors), the lockdown
areas in force that week with their geometry, and the zone designations in force.

Two audiences. Officers get their lockdown areas in full (name, reason, case link when they may
see the case). The public gets levels and zones (public data) and lockdown areas as places and
dates only: no name, reason, address or case; a point's coordinates rounded to 0.001° (≈ 100 m)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.errors import InvalidInput, NotFound
from chongdich.core.jurisdiction import covers
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.risk.selectors import levels_for_week
from chongdich.zones import domain, selectors
from chongdich.zones.models import AreaShape, LockdownArea

LEVELS = (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)
CHILD = {UnitLevel.PROVINCE: UnitLevel.DISTRICT, UnitLevel.DISTRICT: UnitLevel.COMMUNE}
WEEKS_ON_SLIDER = 12
PUBLIC_DECIMALS = 3


@dataclass(frozen=True)
class View:
    level: str  # the level of the units drawn
    parent: AdminUnit | None  # the unit they are inside (None: the whole country)


def _unit(code: str) -> AdminUnit:
    unit = AdminUnit.objects.filter(code=code.strip()).select_related("province", "district").first()
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị hành chính."), field="parent")
    return unit


def default_view(actor) -> View:
    """Officers start at their own area: a province's communes, a district's communes, a
    commune's neighbours in its district; national accounts and the public at the provinces."""
    unit = getattr(actor, "unit", None) if actor is not None else None
    if unit is None:
        return View(UnitLevel.PROVINCE, None)
    if unit.level == UnitLevel.COMMUNE:
        return View(UnitLevel.COMMUNE, unit.district)
    return View(UnitLevel.COMMUNE, unit)


def resolve_view(actor, level: str = "", parent: str = "") -> View:
    """A view from request parameters: `level` of the units drawn, `parent` the code of the unit
    they are inside. Units and levels are public geography, so any unit may be viewed; the
    commune view needs a parent (ten thousand communes are not one map)."""
    if not level and not parent:
        return default_view(actor)
    parent_unit = _unit(parent) if parent else None
    if not level:
        level = CHILD.get(parent_unit.level, UnitLevel.COMMUNE)
    if level not in LEVELS:
        raise InvalidInput(_("Cấp hiển thị không hợp lệ: %(value)s") % {"value": level}, field="level")
    if parent_unit is not None and LEVELS.index(parent_unit.level) >= LEVELS.index(level):
        raise InvalidInput(_("Đơn vị cha phải ở cấp trên cấp hiển thị."), field="parent")
    if level == UnitLevel.COMMUNE and parent_unit is None:
        raise InvalidInput(_("Chọn tỉnh hoặc huyện để xem các xã."), field="parent")
    return View(level, parent_unit)


def view_units(view: View) -> list[AdminUnit]:
    qs = AdminUnit.objects.filter(level=view.level)
    if view.parent is not None:
        qs = qs.filter(Q(parent=view.parent) | Q(**{f"{view.parent.level}_id": view.parent.pk}))
    return list(qs.only("pk", "code", "name_with_type", "level", "lat", "lon", "district_id", "province_id")
                .order_by("code"))


def slider_weeks(*, until: dt.date | None = None) -> list[dt.date]:
    """The Mondays on the week slider: WEEKS_ON_SLIDER weeks ending at `until`, else at the
    newest week assessed (not after this week), else this week."""
    from chongdich.risk.models import Assessment

    this_week = domain.monday(clock.today())
    if until is None:
        until = Assessment.objects.filter(week__lte=this_week).aggregate(m=Max("week"))["m"] or this_week
    return domain.weeks_ending(until, WEEKS_ON_SLIDER)


def crumbs(view: View) -> list[dict]:
    """The way up from the view: the country, then the parent's province and district."""
    out = [{"code": "", "name": _("Toàn quốc"), "level": UnitLevel.PROVINCE}]
    parent = view.parent
    if parent is not None:
        chain = [u for u in (parent.province, parent.district) if u is not None] + [parent]
        out += [{"code": u.code, "name": u.name_with_type, "level": CHILD.get(u.level, UnitLevel.COMMUNE)}
                for u in chain]
    return out


def _week_bounds(monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    return start, start + dt.timedelta(days=7)


def _areas_in_week(monday: dt.date, view: View, actor) -> list[LockdownArea]:
    start, end = _week_bounds(monday)
    qs = LockdownArea.objects.filter(starts_at__lt=end).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=start))
    if actor is not None:
        qs = qs.filter(selectors.area_visible_q(actor))
    if view.parent is not None:
        province_id = view.parent.province_id or view.parent.pk
        qs = qs.filter(province_id=province_id)
    return list(qs.select_related("commune", "district", "province", "trigger_case")
                .prefetch_related("rings", "members__unit__province", "members__unit__district", "members__village__commune",
                                  "members__village__district", "members__village__province")
                .order_by("starts_at", "pk")[:500])


def area_codes(area: LockdownArea) -> tuple[list[str], list[dict]]:
    """Codes of the units an area covers (member units and the units above them; a district's
    communes), and its villages."""
    codes: set[str] = set()
    villages = []
    districts = []
    for m in area.members.all():
        if m.village_id:
            v = m.village
            codes.update({v.commune.code, v.district.code, v.province.code})
            villages.append({"name": v.name, "commune": v.commune.code})
        else:
            codes.add(m.unit.code)
            codes.update(u.code for u in (m.unit.province, m.unit.district) if u is not None)
            if m.unit.level == UnitLevel.DISTRICT:
                districts.append(m.unit.pk)
    if districts:
        codes.update(AdminUnit.objects.filter(district_id__in=districts).values_list("code", flat=True))
    return sorted(codes), villages


def _area_json(area: LockdownArea, actor, public: bool) -> dict:
    place = area.commune or area.district or area.province
    out: dict = {"shape": area.shape, "kind": area.get_shape_display(),
                 "starts_on": timezone.localtime(area.starts_at).date().isoformat(),
                 "ends_on": timezone.localtime(area.ends_at).date().isoformat() if area.ends_at else None,
                 "state": selectors.area_state(area), "place": place.name_with_type}
    if area.shape == AreaShape.POINT:
        lat, lon = area.lat, area.lon
        if public:
            lat, lon = round(lat, PUBLIC_DECIMALS), round(lon, PUBLIC_DECIMALS)
        out.update(lat=lat, lon=lon, codes=[c.code for c in (area.province, area.district, area.commune) if c],
                   rings=[{"ring": r, "label": domain.ring_label(r), "radius_m": m}
                          for r, m in selectors.area_rings(area).items()], villages=[])
    else:
        out["codes"], out["villages"] = area_codes(area)
        out["rings"] = []
    if public:
        return out
    case = area.trigger_case
    out.update(id=area.pk, name=area.name, reason=area.reason, address=area.address,
               url=reverse("zones:area", args=[area.pk]),
               case=case.code if case and covers(actor, case.commune) else None,
               case_url=reverse("cases:detail", args=[case.pk]) if case and covers(actor, case.commune) else None)
    return out


def _zones_json(monday: dt.date, units: list[AdminUnit]) -> list[dict]:
    ids = [u.pk for u in units]
    code = {u.pk: u.code for u in units}
    out = []
    for d in selectors.designations_in_week(monday=monday, unit_q=Q(unit_id__in=ids)):
        out.append({"code": code[d.unit_id], "colour": d.colour, "hex": domain.ZONE_COLOURS[d.colour],
                    "label": d.get_colour_display(), "village": d.village.name if d.village_id else None,
                    "starts_on": d.starts_on.isoformat(), "ends_on": d.ends_on.isoformat() if d.ends_on else None})
    return out


def map_payload(*, actor, week: dt.date, view: View, public: bool) -> dict:
    """Everything one week of the map needs, as plain JSON values."""
    monday = domain.monday(week)
    units = view_units(view)
    levels = levels_for_week(week=monday, unit_ids=[u.pk for u in units])
    child = CHILD.get(view.level)
    rows = []
    for u in units:
        level = levels[u.pk]
        rows.append({"code": u.code, "name": u.name_with_type, "lat": u.lat, "lon": u.lon,
                     "level": level.level, "source": level.source, "colour": domain.level_colour(level.level),
                     "explanation": level.explanation, "drill": child})
    return {
        "week": domain.week_label(monday), "monday": monday.isoformat(),
        "sunday": (monday + dt.timedelta(days=6)).isoformat(),
        "view": {"level": view.level, "parent": view.parent.code if view.parent else "",
                 "parent_name": view.parent.name_with_type if view.parent else _("Toàn quốc")},
        "crumbs": crumbs(view),
        "units": rows,
        "areas": [_area_json(a, None if public else actor, public) for a in _areas_in_week(monday, view, None if public else actor)],
        "zones": _zones_json(monday, units),
        "public": public,
    }

