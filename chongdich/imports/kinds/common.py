"""What the people and case kinds share: row errors, communes named as people write them, villages,
and finding the person a row describes among those already registered."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from chongdich.core.errors import DomainError, ProbableDuplicate
from chongdich.core.text import clean_name, fold
from chongdich.geography.models import AdminUnit, UnitLevel, Village, VillageKind
from chongdich.geography.selectors import commune_list
from chongdich.geography.services import village_create
from chongdich.imports.domain import RowOutcome
from chongdich.people import domain as people_domain
from chongdich.people.models import Person

CANDIDATES_SHOWN = 3


class RowError(Exception):
    """A row refused: which field, the value as written, why (translated)."""

    def __init__(self, field: str, value: str, reason: str):
        super().__init__(reason)
        self.field, self.value, self.reason = field, value, reason


def error_outcome(number: int, row: dict[str, str], exc: Exception,
                  fields: dict[str, str] | None = None) -> RowOutcome:
    """A RowError or a service's DomainError as the error outcome of row `number`. `fields` maps
    a service's field names to the kind's (e.g. confirmed_at → confirmed_on)."""
    if isinstance(exc, RowError):
        return RowOutcome(number, "error", column=exc.field, value=exc.value, reason=exc.reason)
    assert isinstance(exc, DomainError)
    column = (fields or {}).get(exc.field or "", exc.field or "")
    column = column if column in row else ""
    reason = exc.message
    if isinstance(exc, ProbableDuplicate) and exc.candidates:
        reason = f"{reason} {describe_candidates(exc.candidates)}"
    return RowOutcome(number, "error", column=column, value=row.get(column, ""), reason=reason)


def describe_candidates(people) -> str:
    shown = [
        _("%(name)s (sinh %(year)s, %(commune)s, mã người %(id)s)") % {
            "name": p.full_name, "year": p.birth_year or "?", "id": p.pk,
            "commune": p.commune.name_with_type if p.commune_id else "?",
        }
        for p in list(people)[:CANDIDATES_SHOWN]
    ]
    return _("Có thể trùng với: %(people)s.") % {"people": "; ".join(shown)}


# --- Communes -----------------------------------------------------------------------------------

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_COMMUNE_TYPES = ("thi tran", "phuong", "xa", "tt", "p", "x")
_DISTRICT_TYPES = ("thanh pho", "thi xa", "huyen", "quan", "tp", "tx", "h", "q")
_PROVINCE_TYPES = ("tinh",)
_PARTS = re.compile(r"[,;]|\s-\s")


def _key(text: str) -> str:
    key = _NOT_WORD.sub(" ", fold(text)).strip()
    return re.sub(r"\b0+(\d)", r"\1", key)  # "Phường 01" and "Phường 1" are one ward


def _strip_type(key: str, types: tuple[str, ...]) -> tuple[str, bool]:
    for word in types:
        if key.startswith(word + " "):
            return key[len(word) + 1:], True
    return key, False


@dataclass
class CommuneResolver:
    """Communes of the actor's jurisdiction by official code or by name (with or without
    diacritics and type: 'Xã Tam Hợp', 'tam hop', 'X. Tam Hợp'), a district to tell apart two
    communes of the same name, or a whole address ('Thôn 3, xã Tam Hợp, huyện Bình Xuyên')."""

    actor: object
    by_code: dict[str, AdminUnit] = field(default_factory=dict)
    by_name: dict[str, list[AdminUnit]] = field(default_factory=dict)

    def __post_init__(self):
        for unit in commune_list(actor=self.actor):
            self.by_code[unit.code] = unit
            for key in {_key(unit.name), _strip_type(_key(unit.name_with_type), _COMMUNE_TYPES)[0]}:
                self.by_name.setdefault(key, []).append(unit)

    @property
    def default(self) -> AdminUnit | None:
        """A commune account's own commune: where its lists live when the file does not say."""
        unit = getattr(self.actor, "unit", None)
        return unit if unit is not None and unit.level == UnitLevel.COMMUNE else None

    def resolve(self, text: str, district: str = "", *, field: str = "commune",
                typed_only: bool = False) -> AdminUnit | None:
        """The commune named by `text` (None if `text` is empty). `typed_only`: look only for
        parts marked as communes ('xã …', 'phường …'), for a free address."""
        raw = (text or "").strip()
        if not raw:
            return None
        if raw in self.by_code:
            return self.by_code[raw]
        if re.fullmatch(r"\d{5}", raw):
            raise RowError(field, raw, _("Không có xã/phường mã %(code)s trong địa bàn của bạn.")
                           % {"code": raw})
        typed, untyped, districts = [], [], [_strip_type(_key(district), _DISTRICT_TYPES)[0]]
        for part in _PARTS.split(raw):
            key = _key(part)
            if not key:
                continue
            name, is_district = _strip_type(key, _DISTRICT_TYPES)
            if is_district:
                districts.append(name)
                continue
            if _strip_type(key, _PROVINCE_TYPES)[1]:
                continue
            name, is_commune = _strip_type(key, _COMMUNE_TYPES)
            (typed if is_commune else untyped).append(name)
        names = typed if (typed or typed_only) else list(reversed(untyped))
        hints = {d for d in districts if d} | set(untyped)
        for name in names:
            units = self.by_name.get(name, [])
            if len(units) > 1:
                narrowed = [u for u in units if self._district_key(u) in hints]
                units = narrowed or units
            if len(units) == 1:
                return units[0]
            if len(units) > 1:
                places = ", ".join(sorted({u.district.name_with_type for u in units}))
                raise RowError(field, raw, _("Có nhiều xã/phường tên “%(value)s” (%(places)s): "
                                             "ghi thêm huyện hoặc dùng mã xã.")
                               % {"value": raw, "places": places})
        if typed_only:
            return None
        raise RowError(field, raw, _("Không tìm thấy xã/phường “%(value)s” trong địa bàn của bạn.")
                       % {"value": raw})

    @staticmethod
    def _district_key(unit: AdminUnit) -> str:
        district = unit.district
        return _strip_type(_key(district.name_with_type), _DISTRICT_TYPES)[0] if district else ""


def resolver_for(actor, job) -> CommuneResolver:
    """One resolver per job (built once, reused by every chunk); a fresh one without a job."""
    if job is None:
        return CommuneResolver(actor)
    resolver = getattr(job, "_commune_resolver", None)
    if resolver is None:
        resolver = CommuneResolver(actor)
        job._commune_resolver = resolver
    return resolver


def village_id_for(actor, commune: AdminUnit, raw: str) -> int | None:
    """The village of `commune` named `raw`, added to the commune when the actor's role may add
    villages (they are added by users as lists come in); otherwise an error on the row."""
    name = clean_name(raw)
    if not name:
        return None
    wanted = fold(name)
    for village in Village.objects.filter(commune=commune).only("pk", "name"):
        if fold(village.name) == wanted:
            return village.pk
    if not actor.can("edit_units"):
        raise RowError("village", raw, _("Thôn/tổ dân phố “%(name)s” chưa có trong %(commune)s; "
                                         "nhờ cán bộ xã thêm trước.")
                       % {"name": name, "commune": commune.name_with_type})
    kind = (VillageKind.RESIDENTIAL_GROUP if wanted.startswith(("to dan pho", "tdp", "to ", "khu pho"))
            else VillageKind.VILLAGE)
    try:
        return village_create(actor=actor, commune=commune, name=name, kind=kind).pk
    except DomainError as exc:
        raise RowError("village", raw, exc.message) from exc


# --- Identity -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    person: Person | None = None  # certainly this person
    candidates: tuple[Person, ...] = ()  # probably one of these: not sure enough to decide


def _agree(person: Person, identity: people_domain.Identity, sex: str) -> bool:
    if person.birth_year and identity.birth_year and person.birth_year != identity.birth_year:
        return False
    return not (sex in ("male", "female") and person.sex in ("male", "female") and person.sex != sex)


def _identical(person: Person, identity: people_domain.Identity) -> bool:
    """Nothing tells them apart: same birth year, phone and CCCD (all possibly empty)."""
    dates_differ = person.birth_date and identity.birth_date and person.birth_date != identity.birth_date
    return (person.birth_year == identity.birth_year and person.phone == identity.phone
            and person.citizen_id == identity.citizen_id and not dates_differ)


def find_person(identity: people_domain.Identity, *, sex: str, commune: AdminUnit,
                name_known: bool = True) -> Match:
    """The registered person a row describes.
    Certain: the same CCCD; or the same phone and name; or, in the same commune, the same name
    with nothing at all to tell them apart (so uploading a list again adds nobody) — each with
    nothing contradicting (birth year, sex).
    Probable: one of those with a contradiction, or the same name in the same commune with a
    birth year that does not contradict."""
    people = Person.objects.select_related("commune")
    if identity.citizen_id:
        same = people.filter(citizen_id=identity.citizen_id).first()
        if same is not None:
            if not name_known or (same.name_folded == identity.name_folded
                                  and _agree(same, identity, sex)):
                return Match(person=same)
            return Match(candidates=(same,))
    if not name_known:
        return Match()
    if identity.phone:
        same = list(people.filter(phone=identity.phone, name_folded=identity.name_folded)[:5])
        sure = [p for p in same if _agree(p, identity, sex)
                and not (p.citizen_id and identity.citizen_id)]
        if len(same) == 1 and sure:
            return Match(person=same[0])
        if same:
            return Match(candidates=tuple(same))
    neighbours = people.filter(name_folded=identity.name_folded, commune=commune)
    if identity.citizen_id:  # a different CCCD on record: a different person
        neighbours = neighbours.filter(citizen_id="")
    neighbours = list(neighbours[:20])
    identical = [p for p in neighbours if _identical(p, identity)]
    if len(identical) == 1 and _agree(identical[0], identity, sex):
        return Match(person=identical[0])
    similar = [p for p in neighbours if not (p.birth_year and identity.birth_year)
               or p.birth_year == identity.birth_year]
    if similar:
        return Match(candidates=tuple(similar[:5]))
    return Match()


def probable_duplicate(match: Match) -> RowError:
    return RowError("full_name", "", _("Người này có thể đã được đăng ký; hãy kiểm tra rồi nhập "
                                       "tay nếu là người khác.") + " "
                    + describe_candidates(match.candidates))


def identity_of(row: dict[str, str], *, full_name: str, birth_date, birth_year, phone: str,
                citizen_id: str, sex: str, today) -> people_domain.Identity:
    """The people rules on a row's identity; a refusal names the row's own cell."""
    try:
        return people_domain.clean_identity(full_name=full_name, birth_date=birth_date,
                                            birth_year=birth_year, phone=phone,
                                            citizen_id=citizen_id, sex=sex, today=today)
    except people_domain.IdentityError as exc:
        column = exc.field if exc.field in row else ""
        raise RowError(column, row.get(column, ""), exc.message) from exc
