"""JSON API of zones, mounted at /api/zones (chongdich/api.py): lockdown areas (list, record,
extend, lift), zone designations (list, designate), and the weekly map data — for officers, and
`/api/zones/public/map` for anyone without logging in (no personal data, see zones.mapdata)."""

from __future__ import annotations

from ninja import Query, Router, Status

from chongdich.core.api_support import Page, actor_of, error_responses, paginate, resolve
from chongdich.geography.api import unit_in_jurisdiction
from chongdich.zones import domain, mapdata, selectors, services
from chongdich.zones.schemas import (
    AreaDetailOut,
    AreaFiltersIn,
    AreaIn,
    AreaOut,
    DesignationFiltersIn,
    DesignationIn,
    DesignationOut,
    ExtendIn,
    LiftIn,
    MapQueryIn,
)

router = Router(tags=["zones"])


def area_row(area) -> dict:
    return {"id": area.pk, "name": area.name, "shape": area.shape, "state": selectors.area_state(area),
            "reason": area.reason, "starts_at": area.starts_at, "ends_at": area.ends_at,
            "lifted_reason": area.lifted_reason, "trigger_case_id": area.trigger_case_id,
            "trigger_case": area.trigger_case.code if area.trigger_case_id else None,
            "lat": area.lat, "lon": area.lon, "address": area.address, "province": area.province.code,
            "district": area.district.code if area.district_id else None,
            "commune": area.commune.code if area.commune_id else None}


def population_body(population: selectors.AreaPopulation) -> dict:
    estimate = population.estimate
    return {"total": population.total, "is_estimate": estimate is not None, "method": population.method,
            "missing": population.missing, "registered": population.registered,
            "density_per_km2": estimate.density_per_km2 if estimate else None,
            "rings": [r.__dict__ for r in estimate.rings] if estimate else []}


def area_detail(actor, area_id: int) -> dict:
    area = selectors.area_get(actor=actor, area_id=area_id)
    members = [{"unit": m.unit.code if m.unit_id else None,
                "unit_name": m.unit.name_with_type if m.unit_id else None,
                "village_id": m.village_id, "village": m.village.name if m.village_id else None}
               for m in selectors.area_members(area)]
    rings = [{"ring": r, "radius_m": m} for r, m in selectors.area_rings(area).items()]
    return area_row(area) | {"members": members, "rings": rings,
                             "population": population_body(selectors.area_population(area))}


def _case(actor, case_id):
    if case_id is None:
        return None
    from chongdich.cases.selectors import case_get

    return resolve("trigger_case_id", case_get, actor=actor, case_id=case_id)


def _places(actor, unit_codes: list[str], village_ids: list[int]):
    units = [unit_in_jurisdiction(actor, code, "units") for code in unit_codes]
    villages = [resolve("villages", selectors.village_get, actor=actor, village_id=pk) for pk in village_ids]
    return units, villages


def _near(actor, lat, lon):
    if lat is None or lon is None:
        return []
    return list(selectors.communes_with_boxes(actor=actor, near=(lat, lon)))


# --- Lockdown areas --------------------------------------------------------------------------


@router.get("/areas", response={200: Page[AreaOut], **error_responses(401, 422)})
def area_list(request, filters: Query[AreaFiltersIn]):
    """Lockdown areas the actor may see, newest first."""
    wanted = selectors.AreaFilters(state=filters.state, shape=filters.shape or "", search=filters.q)
    return paginate(selectors.area_list(actor=actor_of(request), filters=wanted), filters, render=area_row)


@router.get("/areas/{int:area_id}", url_name="zones_area", response={200: AreaDetailOut, **error_responses(401, 404)})
def area_get(request, area_id: int):
    """An area with its members or rings and how many people live inside (summed from
    populations, or estimated for rings, labelled so)."""
    return area_detail(actor_of(request), area_id)


@router.post("/areas", response={201: AreaDetailOut, **error_responses()})
def area_create(request, payload: AreaIn):
    actor = actor_of(request)
    common = {"actor": actor, "name": payload.name, "reason": payload.reason,
              "starts_at": payload.starts_at, "ends_at": payload.ends_at,
              "trigger_case": _case(actor, payload.trigger_case_id)}
    if payload.shape == "units":
        units, villages = _places(actor, payload.units, payload.villages)
        area = services.area_record_units(units=units, villages=villages, **common)
    else:
        rings = payload.rings.model_dump() if payload.rings else {}
        commune = unit_in_jurisdiction(actor, payload.commune, "commune")
        candidates = None if commune else _near(actor, payload.lat, payload.lon)
        area = services.area_record_point(lat=payload.lat, lon=payload.lon, rings=rings, commune=commune,
                                          address=payload.address, candidates=candidates, **common)
    return Status(201, area_detail(actor, area.pk))


@router.post("/areas/{int:area_id}/extend", response={200: AreaDetailOut, **error_responses()})
def area_extend(request, area_id: int, payload: ExtendIn):
    actor = actor_of(request)
    area = selectors.area_get(actor=actor, area_id=area_id)
    services.area_extend(actor=actor, area=area, ends_at=payload.ends_at)
    return area_detail(actor, area_id)


@router.post("/areas/{int:area_id}/lift", response={200: AreaDetailOut, **error_responses()})
def area_lift(request, area_id: int, payload: LiftIn):
    """Lift (gỡ phong tỏa) with a reason; 409 when already lifted."""
    actor = actor_of(request)
    area = selectors.area_get(actor=actor, area_id=area_id)
    services.area_lift(actor=actor, area=area, reason=payload.reason, at=payload.at)
    return area_detail(actor, area_id)


# --- Zone designations -----------------------------------------------------------------------


def designation_row(d) -> dict:
    return {"id": d.pk, "unit": d.unit.code, "unit_name": d.unit.name_with_type, "village_id": d.village_id,
            "village": d.village.name if d.village_id else None, "colour": d.colour, "starts_on": d.starts_on,
            "ends_on": d.ends_on, "reason": d.reason, "trigger_case_id": d.trigger_case_id}


@router.get("/designations", response={200: Page[DesignationOut], **error_responses(401, 404, 422)})
def designation_list(request, filters: Query[DesignationFiltersIn]):
    actor = actor_of(request)
    unit = unit_in_jurisdiction(actor, filters.unit, "unit")
    wanted = selectors.DesignationFilters(on=filters.on, colour=filters.colour or "",
                                          unit_id=unit.pk if unit else None)
    return paginate(selectors.designation_list(actor=actor, filters=wanted), filters, render=designation_row)


@router.post("/designations", response={201: list[DesignationOut], **error_responses()})
def designation_create(request, payload: DesignationIn):
    """Designate places a colour zone from a date; the designation in force for each place ends
    the day before (409 when a place is already designated from that date or later)."""
    actor = actor_of(request)
    units, villages = _places(actor, payload.units, payload.villages)
    created = services.zone_designate(actor=actor, colour=payload.colour, starts_on=payload.starts_on,
                                      ends_on=payload.ends_on, units=units, villages=villages,
                                      reason=payload.reason, trigger_case=_case(actor, payload.trigger_case_id))
    rows = selectors.designation_list(actor=actor).filter(pk__in=[d.pk for d in created])
    return Status(201, [designation_row(d) for d in rows])


# --- The map ---------------------------------------------------------------------------------


def _map(actor, query: MapQueryIn, *, public: bool) -> dict:
    view = mapdata.resolve_view(None if public else actor, query.level, query.parent)
    week = domain.parse_week(query.week) if query.week else mapdata.slider_weeks()[-1]
    return mapdata.map_payload(actor=actor, week=week, view=view, public=public)


@router.get("/map", url_name="zones_map", response={200: dict, **error_responses(401, 404, 422)})
def map_data(request, query: Query[MapQueryIn]):
    """One week of the officers' map: units of the view with their level, source and colour;
    lockdown areas in force with their geometry, name, reason and case; zone designations."""
    return _map(actor_of(request), query, public=False)


@router.get("/public/map", auth=None, url_name="zones_public_map", response={200: dict, **error_responses(404, 422)})
def public_map_data(request, query: Query[MapQueryIn]):
    """The published level map, without logging in: levels and zones per unit, lockdown areas
    only as places and dates (no names, reasons, addresses or cases; points rounded to ≈ 100 m)."""
    return _map(None, query, public=True)


@router.get("/public/weeks", auth=None, response={200: list[str]})
def public_weeks(request):
    """The weeks on the map's slider (ISO weeks, oldest first)."""
    return [domain.week_label(w) for w in mapdata.slider_weeks()]
