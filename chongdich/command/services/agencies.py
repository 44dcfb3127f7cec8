"""Writes for agencies: the bodies that receive tasks, their heads and their accounts."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.command import domain
from chongdich.command.access import require_agency_visible
from chongdich.command.models import Agency, AgencyKind, unit_keys
from chongdich.core.errors import Conflict, InvalidInput, NotFound
from chongdich.core.jurisdiction import covers, require_write


def _check_people(actor, agency_unit, head_account, members: Sequence) -> None:
    """Accounts named on an agency must be ones the actor can see: in the agency's unit or below
    (its staff), or above it (a leader who also heads a body)."""
    for person in [head_account, *members]:
        if person is None:
            continue
        if person.unit_id is None or not (covers(actor, person.unit) or person.unit_id in
                                          (agency_unit.pk, agency_unit.province_id, agency_unit.district_id)):
            raise NotFound(_("Không tìm thấy tài khoản %(name)s.") % {"name": person.username},
                           field="head_account" if person is head_account else "members")


def _check_superior(actor, agency: Agency | None, superior: Agency | None) -> None:
    if superior is None:
        return
    require_agency_visible(actor, superior, field="superior")
    node, seen = superior, set()
    while node is not None and node.pk not in seen:
        if agency is not None and node.pk == agency.pk:
            raise InvalidInput(_("Cơ quan cấp trên tạo thành vòng lặp."), field="superior")
        seen.add(node.pk)
        node = node.superior


@transaction.atomic
def agency_create(*, actor, unit, name: str, kind: str = AgencyKind.OTHER, short_name: str = "",
                  head_name: str = "", head_title: str = "", head_account=None, superior: Agency | None = None,
                  members: Sequence = ()) -> Agency:
    require_write(actor, unit, "manage_agencies")
    name = domain.normalise_name(name)
    if not name:
        raise InvalidInput(_("Cần nhập tên cơ quan, đơn vị."), field="name")
    if kind not in AgencyKind.values:
        raise InvalidInput(_("Loại cơ quan không hợp lệ: %(value)s") % {"value": kind}, field="kind")
    if Agency.objects.filter(unit=unit, name__iexact=name).exists():
        raise Conflict(_("%(unit)s đã có cơ quan “%(name)s”.") % {"unit": unit.name_with_type, "name": name},
                       field="name")
    _check_people(actor, unit, head_account, members)
    _check_superior(actor, None, superior)
    agency = Agency.objects.create(
        unit=unit, name=name, kind=kind, short_name=short_name.strip(), head_name=head_name.strip(),
        head_title=head_title.strip(), head_account=head_account, superior=superior, **unit_keys(unit),
    )
    agency.members.set(members)
    return agency


EDITABLE = {"name", "kind", "short_name", "head_name", "head_title", "head_account", "superior",
            "members", "is_active"}


@transaction.atomic
def agency_update(*, actor, agency: Agency, **changes) -> Agency:
    """Rename, change the head or the superior, set the member accounts, or retire the agency."""
    require_write(actor, agency.unit, "manage_agencies")
    if unknown := set(changes) - EDITABLE:
        raise InvalidInput(_("Không sửa được: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "name" in changes:
        changes["name"] = domain.normalise_name(changes["name"])
        if not changes["name"]:
            raise InvalidInput(_("Cần nhập tên cơ quan, đơn vị."), field="name")
        if Agency.objects.filter(unit=agency.unit, name__iexact=changes["name"]).exclude(pk=agency.pk).exists():
            raise Conflict(_("Đã có cơ quan cùng tên."), field="name")
    if "kind" in changes and changes["kind"] not in AgencyKind.values:
        raise InvalidInput(_("Loại cơ quan không hợp lệ: %(value)s") % {"value": changes["kind"]}, field="kind")
    _check_people(actor, agency.unit, changes.get("head_account"), changes.get("members", ()))
    if "superior" in changes:
        _check_superior(actor, agency, changes["superior"])
    members = changes.pop("members", None)
    for field, value in changes.items():
        setattr(agency, field, value.strip() if isinstance(value, str) else value)
    if changes:
        agency.save(update_fields=list(changes))
    if members is not None:
        agency.members.set(members)
    return agency
