"""People lists (danh sách người): returnees, workers, households, F1 lists …

Each row is one person, registered through chongdich.people.services. A row describing someone
already registered is never a new person:
- certainly the same (same CCCD; or same phone and name, nothing contradicting): the row fills
  what the record lacks ("updated"), or brings nothing new ("duplicate"); values already recorded
  are never overwritten by a file;
- probably the same (a contradiction, or the same name and birth year in the same commune):
  an error row naming the candidates — an officer decides, on the person's page.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.errors import DomainError
from chongdich.core.jurisdiction import covers
from chongdich.imports import cells
from chongdich.imports.domain import FieldSpec, RowOutcome
from chongdich.imports.kinds.common import (
    RowError,
    error_outcome,
    find_person,
    identity_of,
    probable_duplicate,
    resolver_for,
    village_id_for,
)
from chongdich.people.models import Person, Sex
from chongdich.people.services import person_create, person_update

NAME = ("full_name", _("Họ và tên"), ("ho ten", "ho va ten", "ten", "ho ten nguoi", "name",
                                        "full name"))
BIRTH_DATE = ("birth_date", _("Ngày sinh"), ("ngay sinh", "ngay thang nam sinh", "sinh ngay",
                                             "ns", "date of birth", "dob"))
BIRTH_YEAR = ("birth_year", _("Năm sinh"), ("nam sinh", "year of birth", "yob"))
SEX = ("sex", _("Giới tính"), ("gioi tinh", "gioi", "phai", "nam nu", "sex", "gender"))
PHONE = ("phone", _("Điện thoại"), ("so dien thoai", "sdt", "dien thoai", "dt", "so dt",
                                    "di dong", "phone", "phone number"))
CITIZEN_ID = ("citizen_id", _("Số CCCD"), ("cccd", "so cccd", "can cuoc cong dan",
                                           "so can cuoc", "cccd cmnd", "cmnd cccd",
                                           "so cmnd cccd", "so cccd cmnd", "citizen id"))
COMMUNE = ("commune", _("Xã/phường"), ("xa", "phuong", "xa phuong", "phuong xa",
                                       "xa phuong thi tran", "ma xa", "commune", "ward"))
DISTRICT = ("district", _("Quận/huyện"), ("huyen", "quan", "quan huyen", "huyen thi xa",
                                          "huyen thanh pho", "district"))
VILLAGE = ("village", _("Thôn/tổ dân phố"), ("thon", "to dan pho", "thon xom", "thon to",
                                             "thon to dan pho", "khu pho", "ap", "ban", "village"))
ADDRESS = ("address", _("Địa chỉ"), ("dia chi", "noi o", "cho o", "cho o hien nay",
                                     "dia chi noi o", "so nha", "address"))


def spec(entry, *, required: bool = False, help: str = "") -> FieldSpec:
    name, label, aliases = entry
    return FieldSpec(name, label, required=required, aliases=aliases, help=help)


FIELDS = (
    spec(NAME, required=True),
    spec(BIRTH_DATE, help=_("ngày/tháng/năm, hoặc chỉ năm")),
    spec(BIRTH_YEAR),
    spec(SEX, help=_("Nam / Nữ")),
    spec(PHONE),
    spec(CITIZEN_ID, help=_("12 chữ số")),
    spec(COMMUNE, help=_("tên hoặc mã xã; bỏ trống: xã của tài khoản")),
    spec(DISTRICT, help=_("khi có hai xã trùng tên")),
    spec(VILLAGE),
    spec(ADDRESS),
    FieldSpec("occupation", _("Nghề nghiệp"), aliases=("nghe nghiep", "nghe", "cong viec",
                                                       "occupation")),
    FieldSpec("workplace", _("Nơi làm việc"), aliases=("noi lam viec", "co quan",
                                                       "don vi cong tac", "noi cong tac",
                                                       "workplace")),
)
FILLABLE = ("birth_date", "birth_year", "phone", "citizen_id", "address", "occupation",
            "workplace")


def parse(row: dict[str, str], field: str, parser):
    """A parser's CellError becomes a RowError on the row's own cell."""
    raw = row.get(field, "")
    try:
        return parser(raw)
    except cells.CellError as exc:
        raise RowError(field, raw, exc.message) from exc


def commune_of(row: dict[str, str], resolver):
    """The commune column, else a commune named in the address, else the account's commune."""
    commune = resolver.resolve(row.get("commune", ""), row.get("district", ""))
    if commune is None and row.get("address"):
        commune = resolver.resolve(row["address"], row.get("district", ""), field="address",
                                   typed_only=True)
    commune = commune or resolver.default
    if commune is None:
        raise RowError("commune", "", str(_("Thiếu xã/phường nơi ở.")))
    return commune


def row_person(row: dict[str, str], resolver):
    """Who a row names: its identity read by the people rules, its commune, sex, and the person
    it matches (None: nobody yet). Several close matches: a probable duplicate, the row's error."""
    birth_date, year_from_date = parse(row, "birth_date", cells.parse_birth)
    birth_year = parse(row, "birth_year", cells.parse_year) or year_from_date
    sex = parse(row, "sex", cells.parse_sex)
    commune = commune_of(row, resolver)
    identity = identity_of(
        row, full_name=row.get("full_name", ""), birth_date=birth_date, birth_year=birth_year,
        phone=cells.parse_phone_text(row.get("phone", "")),
        citizen_id=cells.parse_citizen_id(row.get("citizen_id", "")), sex=sex,
        today=clock.today(),
    )
    found = find_person(identity, sex=sex, commune=commune)
    if found.candidates:
        raise probable_duplicate(found)
    return identity, commune, sex, found.person


class PeopleKind:
    name = "people"
    label = _("Danh sách người")
    fields = FIELDS
    chunk_size = 500
    capability = "register_person"

    def process(self, *, actor, rows, job) -> list[RowOutcome]:
        resolver = resolver_for(actor, job)
        outcomes = []
        for number, row in rows:
            try:
                with transaction.atomic():
                    outcomes.append(self._one(actor, resolver, number, row))
            except (RowError, DomainError) as exc:
                outcomes.append(error_outcome(number, row, exc))
        return outcomes

    def _one(self, actor, resolver, number: int, row: dict[str, str]) -> RowOutcome:
        identity, commune, sex, known = row_person(row, resolver)
        needs_village = known is None or (known.commune_id == commune.pk and not known.village_id)
        village_id = village_id_for(actor, commune, row.get("village", "")) if needs_village else None
        values = {
            "birth_date": identity.birth_date, "birth_year": identity.birth_year,
            "phone": identity.phone, "citizen_id": identity.citizen_id,
            "address": row.get("address", "").strip(), "occupation": row.get("occupation", "").strip(),
            "workplace": row.get("workplace", "").strip(),
        }
        if known is not None:
            return self._fill(actor, number, known, values, sex, village_id, commune)
        person = person_create(
            actor=actor, commune=commune, full_name=identity.full_name, sex=sex,
            village_id=village_id, **values,
        )
        return RowOutcome(number, "created", object_id=person.pk)

    def _fill(self, actor, number: int, person: Person, values: dict, sex: str,
              village_id: int | None, commune) -> RowOutcome:
        """Fill in what the record lacks; never overwrite what it has."""
        changes = {f: values[f] for f in FILLABLE if values[f] and not getattr(person, f)}
        if sex != Sex.UNKNOWN and person.sex == Sex.UNKNOWN:
            changes["sex"] = sex
        if "birth_date" in changes and person.birth_year:
            changes["birth_year"] = person.birth_year
        fill_village = village_id if (village_id and not person.village_id
                                      and person.commune_id == commune.pk) else None
        may_edit = actor.can("edit_person") and covers(actor, person.commune)
        if not (changes or fill_village) or not may_edit:
            return RowOutcome(number, "duplicate", object_id=person.pk)
        person_update(actor=actor, person=person, village_id=fill_village, **changes)
        return RowOutcome(number, "updated", object_id=person.pk)


KIND = PeopleKind()
