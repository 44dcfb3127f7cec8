"""Who sees what in testing, beyond `core.jurisdiction`.

Samples, pools and case proposals carry the usual jurisdiction keys and use `scope_q`. Campaigns
and laboratories belong to a unit of any level and are seen both from above (the province sees
its districts' campaigns) and from below: a commune's sampling team works in the district's
campaign and sends tubes to the province's laboratory.
"""

from __future__ import annotations

from django.db.models import Q

from chongdich.core.errors import NotFound
from chongdich.core.jurisdiction import ancestor_ids, covers


def _national(actor) -> bool:
    return actor.is_superuser or actor.is_national


def unit_area_q(actor, prefix: str = "unit__") -> Q:
    """Records whose unit is inside the actor's unit or one of its ancestors."""
    unit = actor.unit
    if unit is None:
        return Q() if _national(actor) else Q(pk__in=[])
    ancestors = ancestor_ids(unit)
    inside = (Q(**{f"{prefix}pk": unit.pk}) | Q(**{f"{prefix}province_id": unit.pk})
              | Q(**{f"{prefix}district_id": unit.pk}))
    return inside | Q(**{f"{prefix}pk__in": ancestors}) if ancestors else inside


def unit_in_area(actor, unit) -> bool:
    """The Python twin of `unit_area_q` for one unit."""
    if unit is None:
        return False
    if actor.unit is None:
        return _national(actor)
    return covers(actor, unit) or unit.pk in ancestor_ids(actor.unit)


def require_in_area(actor, unit) -> None:
    if not unit_in_area(actor, unit):
        raise NotFound()


def person_visible(actor, person) -> bool:
    """`covers(actor, person.commune)` from the person's keys, without loading the commune."""
    unit = actor.unit
    if unit is None:
        return _national(actor)
    return getattr(person, f"{unit.level}_id") == unit.pk


def commune_inside(commune, unit) -> bool:
    """Is the commune `unit` itself or below it?"""
    return unit.pk in (commune.pk, commune.district_id, commune.province_id)
