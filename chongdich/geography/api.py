"""/api/units: administrative units (public geography), their populations and villages."""

from __future__ import annotations

from ninja import Query, Router, Status

from chongdich.core.api_support import (
    Page,
    PageIn,
    actor_of,
    error_responses,
    paginate,
    resolve,
)
from chongdich.geography import selectors, services
from chongdich.geography.models import AdminUnit
from chongdich.geography.schemas import (
    PopulationIn,
    UnitDetailOut,
    UnitFilters,
    UnitOut,
    VillageIn,
    VillageOut,
)

router = Router(tags=["units"])


def unit_in_jurisdiction(actor, code: str | None, field: str) -> AdminUnit | None:
    """A unit named by code in a request: unknown or outside the actor's jurisdiction, both are
    the same 404 naming `field`."""
    return resolve(field, selectors.unit_get, actor=actor, code=code) if code else None


@router.get("", response={200: Page[UnitOut], **error_responses(401, 404, 422)})
def unit_list(request, filters: Query[UnitFilters]):
    """All units of the country (public geography), filtered by level, parent code and name."""
    parent = selectors.unit_get_public(code=filters.parent) if filters.parent else None
    units = selectors.unit_list_public(level=filters.level, parent=parent, search=filters.q)
    return paginate(units, filters)


@router.get("/{code}", response={200: UnitDetailOut, **error_responses(401, 404)})
def unit_get(request, code: str):
    return selectors.unit_get_public(code=code)


@router.patch("/{code}/population", response={200: UnitDetailOut, **error_responses()})
def unit_set_population(request, code: str, payload: PopulationIn):
    actor = actor_of(request)
    unit = selectors.unit_get(actor=actor, code=code)
    return services.unit_set_population(
        actor=actor, unit=unit, population=payload.population, note=payload.note
    )


@router.get("/{code}/villages", response={200: Page[VillageOut], **error_responses(401, 404, 422)})
def village_list(request, code: str, page: Query[PageIn]):
    """Villages and residential groups of a commune inside the actor's jurisdiction."""
    actor = actor_of(request)
    commune = selectors.unit_get(actor=actor, code=code)
    return paginate(selectors.village_list(actor=actor, commune=commune).select_related("commune"), page)


@router.post("/{code}/villages", response={201: VillageOut, **error_responses()})
def village_create(request, code: str, payload: VillageIn):
    actor = actor_of(request)
    commune = selectors.unit_get(actor=actor, code=code)
    village = services.village_create(
        actor=actor, commune=commune, name=payload.name, kind=payload.kind, population=payload.population,
    )
    return Status(201, village)
