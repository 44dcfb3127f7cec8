"""Reads for administrative units and villages, scoped to the actor's jurisdiction."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from chongdich.core.errors import NotFound
from chongdich.core.jurisdiction import covers
from chongdich.core.text import fold
from chongdich.geography.models import AdminUnit, UnitLevel, Village


def _inside_q(actor) -> Q:
    """Units that are the actor's unit or below it (no unit: the whole country, for national
    accounts and superusers; nothing for anyone else)."""
    unit = actor.unit
    if unit is None:
        return Q() if (actor.is_superuser or actor.is_national) else Q(pk__in=[])
    if unit.level == UnitLevel.COMMUNE:
        return Q(pk=unit.pk)
    return Q(pk=unit.pk) | Q(**{f"{unit.level}_id": unit.pk})


def _filtered(qs: QuerySet[AdminUnit], level: str | None, parent: AdminUnit | None,
              search: str) -> QuerySet[AdminUnit]:
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if search:
        qs = qs.filter(name_folded__contains=fold(search))
    return qs.order_by("code")


def _by_code(code: str) -> AdminUnit | None:
    return (AdminUnit.objects.filter(code=(code or "").strip())
            .select_related("parent", "province", "district").first())


def unit_list(*, actor, level: str | None = None, parent: AdminUnit | None = None,
              search: str = "") -> QuerySet[AdminUnit]:
    return _filtered(AdminUnit.objects.filter(_inside_q(actor)), level, parent, search)


def unit_get(*, actor, code: str) -> AdminUnit:
    """The unit with this official code, if inside the actor's jurisdiction; else 'not found'."""
    unit = _by_code(code)
    if unit is None or not covers(actor, unit):
        raise NotFound(_("Không tìm thấy đơn vị hành chính."))
    return unit


def unit_get_by_id(*, actor, unit_id: int) -> AdminUnit:
    unit = AdminUnit.objects.filter(pk=unit_id).select_related("parent", "province", "district").first()
    if unit is None or not covers(actor, unit):
        raise NotFound(_("Không tìm thấy đơn vị hành chính."))
    return unit


def commune_list(*, actor) -> QuerySet[AdminUnit]:
    """Communes the actor may place people and clusters in, with their district, in code order."""
    return unit_list(actor=actor, level=UnitLevel.COMMUNE).select_related("district")


def village_list(*, actor, commune: AdminUnit) -> QuerySet[Village]:
    if not covers(actor, commune):
        raise NotFound(_("Không tìm thấy đơn vị hành chính."))
    return Village.objects.filter(commune=commune).order_by("name")


def unit_list_public(*, level: str | None = None, parent: AdminUnit | None = None,
                     search: str = "") -> QuerySet[AdminUnit]:
    """Every unit of the country: units are public geography (names, codes, populations), so any
    signed-in account may browse them, e.g. through the JSON API. Records *in* a unit stay scoped."""
    return _filtered(AdminUnit.objects.select_related("parent"), level, parent, search)


def unit_get_public(*, code: str) -> AdminUnit:
    """Any unit by its official code (public geography, see unit_list_public)."""
    unit = _by_code(code)
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị hành chính."))
    return unit


def unit_picker(*, actor) -> list[AdminUnit]:
    """The units an actor can narrow a page to, in reading order: for a province account each
    district followed by its communes; for a district its communes; for national accounts the
    provinces."""
    unit = actor.unit
    if unit is None:
        return list(unit_list(actor=actor, level=UnitLevel.PROVINCE))
    if unit.level == UnitLevel.COMMUNE:
        return []
    below = list(AdminUnit.objects.filter(**{f"{unit.level}_id": unit.pk}).order_by("code"))
    districts = {u.pk: u for u in below if u.level == UnitLevel.DISTRICT}
    return sorted(
        below,
        key=lambda u: (districts[u.district_id].code if u.district_id in districts else u.code,
                       u.level != UnitLevel.DISTRICT, u.code),
    )
