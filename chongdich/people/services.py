from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.errors import InvalidInput, ProbableDuplicate
from chongdich.core.jurisdiction import require_write
from chongdich.geography.models import AdminUnit, UnitLevel, Village
from chongdich.people import domain
from chongdich.people.models import Person, Sex

EDITABLE = ("full_name", "birth_date", "birth_year", "sex", "phone", "citizen_id", "address",
            "occupation", "workplace")


def _identity(data: dict) -> domain.Identity:
    try:
        return domain.clean_identity(
            full_name=data.get("full_name", ""), birth_date=data.get("birth_date"),
            birth_year=data.get("birth_year"), phone=data.get("phone") or "",
            citizen_id=data.get("citizen_id") or "", sex=data.get("sex") or "", today=clock.today(),
        )
    except domain.IdentityError as exc:
        raise InvalidInput(exc.message, field=exc.field) from exc


def person_find_duplicates(identity: domain.Identity, *, exclude_pk: int | None = None) -> list[Person]:
    """People already registered who are probably the same (anywhere: identity is national)."""
    found: list[Person] = []
    if identity.citizen_id:
        found += Person.objects.filter(citizen_id=identity.citizen_id)
    if identity.phone and identity.birth_year:
        found += Person.objects.filter(
            name_folded=identity.name_folded, birth_year=identity.birth_year, phone=identity.phone
        )
    unique = {p.pk: p for p in found if p.pk != exclude_pk}
    return list(unique.values())


def _commune(commune: AdminUnit | None) -> AdminUnit:
    if commune is None or commune.level != UnitLevel.COMMUNE:
        raise InvalidInput(_("Cần chọn xã/phường nơi ở."), field="commune")
    return commune


def _village(village_id, commune: AdminUnit) -> Village | None:
    if not village_id:
        return None
    village = Village.objects.filter(pk=village_id, commune=commune).first()
    if village is None:
        raise InvalidInput(_("Thôn/tổ dân phố không thuộc xã đã chọn."), field="village")
    return village


@transaction.atomic
def person_create(
    *, actor, commune: AdminUnit, full_name: str, birth_date: dt.date | None = None,
    birth_year: int | None = None, sex: str = Sex.UNKNOWN, phone: str = "", citizen_id: str = "",
    address: str = "", occupation: str = "", workplace: str = "", village_id: int | None = None,
    confirm_new: bool = False,
) -> Person:
    """Register a person. If someone probably the same exists, raise ProbableDuplicate with the
    candidates; `confirm_new=True` registers anyway, except over an identical citizen ID."""
    commune = _commune(commune)
    require_write(actor, commune, "register_person")
    if sex not in Sex.values:
        raise InvalidInput(_("Giới tính không hợp lệ: %(value)s") % {"value": sex}, field="sex")
    identity = _identity({"full_name": full_name, "birth_date": birth_date, "birth_year": birth_year,
                          "phone": phone, "citizen_id": citizen_id, "sex": sex})
    candidates = person_find_duplicates(identity)
    same_id = [p for p in candidates if identity.citizen_id and p.citizen_id == identity.citizen_id]
    if same_id or (candidates and not confirm_new):
        raise ProbableDuplicate(
            _("Số CCCD này đã có người đăng ký.") if same_id else _("Người này có thể đã được đăng ký."),
            candidates=same_id or candidates, field="citizen_id" if same_id else "full_name",
        )
    person = Person(
        full_name=identity.full_name, name_folded=identity.name_folded, birth_date=identity.birth_date,
        birth_year=identity.birth_year, sex=sex, phone=identity.phone, citizen_id=identity.citizen_id,
        address=address.strip(), occupation=occupation.strip(), workplace=workplace.strip(),
        village=_village(village_id, commune), created_by=actor, **commune.jurisdiction_keys(),
    )
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # a concurrent registration of the same CCCD
        raise ProbableDuplicate(_("Số CCCD này đã có người đăng ký."), field="citizen_id",
                                candidates=Person.objects.filter(citizen_id=identity.citizen_id)) from exc
    return person


@transaction.atomic
def person_update(*, actor, person: Person, commune: AdminUnit | None = None,
                  village_id: int | None = None, **changes) -> Person:
    require_write(actor, person.commune, "edit_person")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(_("Không sửa được: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    data = {f: getattr(person, f) for f in EDITABLE} | changes
    if data["sex"] not in Sex.values:
        raise InvalidInput(_("Giới tính không hợp lệ: %(value)s") % {"value": data["sex"]}, field="sex")
    if changes.get("birth_date") and "birth_year" not in changes:
        data["birth_year"] = None
    identity = _identity(data)
    if identity.citizen_id and Person.objects.filter(citizen_id=identity.citizen_id).exclude(pk=person.pk).exists():
        raise ProbableDuplicate(_("Số CCCD này đã có người đăng ký."), field="citizen_id",
                                candidates=Person.objects.filter(citizen_id=identity.citizen_id))
    if commune is not None and commune.pk != person.commune_id:
        commune = _commune(commune)
        require_write(actor, commune, "edit_person")
        for key, value in commune.jurisdiction_keys().items():
            setattr(person, key, value)
        person.village = None
    if village_id is not None:
        person.village = _village(village_id, person.commune)
    person.full_name, person.name_folded = identity.full_name, identity.name_folded
    person.birth_date, person.birth_year = identity.birth_date, identity.birth_year
    person.phone, person.citizen_id = identity.phone, identity.citizen_id
    person.sex = data["sex"]
    for field in ("address", "occupation", "workplace"):
        setattr(person, field, (data[field] or "").strip())
    person.save()
    return person
