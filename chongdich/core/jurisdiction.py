"""Who may see and change what: every read is scoped to the actor's unit and the units below it.

Records that live somewhere carry three denormalised keys — `province_id`, `district_id`,
`commune_id` — so a scope is a single indexed equality, whatever the actor's level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from chongdich.core.errors import NotFound, PermissionDenied

if TYPE_CHECKING:
    from chongdich.accounts.models import User
    from chongdich.geography.models import AdminUnit


def scope_q(actor: User, prefix: str = "") -> Q:
    """A filter for records inside the actor's jurisdiction (no unit: the whole country)."""
    unit = actor.unit
    if unit is None:
        if actor.is_superuser or actor.is_national:
            return Q()
        return Q(pk__in=[])
    return Q(**{f"{prefix}{unit.level}_id": unit.pk})


def scope_path_q(actor: User, prefix: str = "") -> Q:
    """`scope_q` with the levels above the actor's unit too (province, then district): the same
    rows, for a table indexed on (province, district, commune, …), which a filter on the district
    or the commune alone could not use."""
    unit = actor.unit
    if unit is None:
        return scope_q(actor, prefix)
    path = {"province": unit.province_id, "district": unit.district_id}
    path[unit.level] = unit.pk
    levels = ("province", "district", "commune")
    wanted = levels[:levels.index(unit.level) + 1] if unit.level in levels else (unit.level,)
    return Q(**{f"{prefix}{level}_id": path[level] for level in wanted if path.get(level)})


def ancestor_ids(unit: AdminUnit) -> list[int]:
    """The units above `unit`: its province and district, as far as they exist."""
    return [pk for pk in (unit.province_id, unit.district_id) if pk]


def unit_within(unit: AdminUnit, ancestor: AdminUnit) -> bool:
    """Is `unit` the same as `ancestor` or below it?"""
    return unit.pk == ancestor.pk or ancestor.pk in (unit.province_id, unit.district_id)


def covers(actor: User, unit: AdminUnit | None) -> bool:
    """Is `unit` (a commune, district or province) inside the actor's jurisdiction?"""
    if unit is None:
        return False
    if actor.unit is None:
        return actor.is_superuser or actor.is_national
    return unit_within(unit, actor.unit)


def require_visible(actor: User, unit: AdminUnit | None) -> None:
    if not covers(actor, unit):
        raise NotFound()


def require_write(actor: User, unit: AdminUnit | None, capability: str) -> None:
    """Writes: the unit must be visible (else 'not found') and the role must allow it."""
    require_visible(actor, unit)
    if not actor.can(capability):
        raise PermissionDenied(
            _("Vai trò của bạn không được phép thực hiện thao tác này (%(capability)s).")
            % {"capability": capability}
        )


def is_national(actor: User) -> bool:
    """An account over the whole country: no unit, and national (or a superuser)."""
    return actor.unit_id is None and (actor.is_superuser or actor.is_national)


def may_add_national_rules(actor: User) -> bool:
    """Rule sets from the Ministry's texts apply to every province: only national accounts of a
    role that may manage rule sets add versions; a province's leaders read them."""
    return actor.can("manage_rule_sets") and is_national(actor)
