"""Vaccination lists (danh sách tiêm chủng): one row per dose — who (CCCD, phone, name, birth,
commune, or our person number), which vaccine, which dose, when, where, which batch.

The person is found as the people kind finds them (same CCCD; same phone and name; in the same
commune the same name with nothing to tell them apart) and registered when not found (if the
actor's role may register people); a probable match is an error naming the candidates. The doses
of a chunk are then stored together by `services.dose_record_bulk`, which writes them and moves the
coverage counters set-based. A dose already recorded (same person and dose number, same vaccine
and date) is a duplicate, so uploading a file again lands nothing twice; the same dose with
another vaccine or date is an error, never an overwrite.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chongdich.core.errors import DomainError
from chongdich.core.text import fold
from chongdich.imports import cells
from chongdich.imports.domain import FieldSpec, RowOutcome
from chongdich.imports.kinds.common import (
    RowError,
    error_outcome,
    resolver_for,
)
from chongdich.imports.kinds.people import (
    ADDRESS,
    BIRTH_DATE,
    BIRTH_YEAR,
    CITIZEN_ID,
    DISTRICT,
    NAME,
    PHONE,
    SEX,
    parse,
    row_person,
    spec,
)
from chongdich.people.models import Person
from chongdich.people.services import person_create
from chongdich.vaccination.models import DoseSource, VaccineProduct
from chongdich.vaccination.services import RECORD, DoseIn, dose_record_bulk

FIELDS = (
    FieldSpec("person_id", gettext_lazy("Mã người"), aliases=("ma nguoi", "id nguoi", "person id")),
    spec(NAME),
    spec(BIRTH_DATE, help=gettext_lazy("ngày/tháng/năm, hoặc chỉ năm")),
    spec(BIRTH_YEAR),
    spec(SEX),
    spec(PHONE),
    spec(CITIZEN_ID, help=gettext_lazy("12 chữ số")),
    spec(("commune", gettext_lazy("Xã/phường nơi ở"), ("xa", "phuong", "xa phuong", "xa phuong thi tran",
                                                        "ma xa", "noi o", "commune", "ward"))),
    spec(DISTRICT),
    spec(ADDRESS),
    FieldSpec("product", gettext_lazy("Loại vắc xin"), required=True, aliases=(
        "vac xin", "vaccine", "ten vac xin", "loai vac xin", "loai vaccine", "ten vaccine",
        "san pham", "product")),
    FieldSpec("dose_number", gettext_lazy("Mũi thứ"), required=True, aliases=(
        "mui", "mui thu", "mui tiem", "so mui", "lan tiem", "dose", "dose number"),
        help=gettext_lazy("1, 2, 3 … hoặc “nhắc lại”")),
    FieldSpec("given_on", gettext_lazy("Ngày tiêm"), required=True, aliases=(
        "ngay tiem", "ngay tiem chung", "thoi gian tiem", "date", "vaccination date")),
    FieldSpec("site", gettext_lazy("Điểm tiêm"), aliases=(
        "diem tiem", "noi tiem", "co so tiem", "co so tiem chung", "don vi tiem", "site")),
    FieldSpec("batch", gettext_lazy("Số lô"), aliases=("so lo", "lo", "lo vac xin", "batch", "lot")),
)

_WORD = re.compile(r"[^0-9a-z]+")
_BOOSTER_WORDS = ("nhac lai", "bo sung", "tang cuong", "booster")


def _key(text: str) -> str:
    return _WORD.sub(" ", fold(text or "")).strip()


def products_by_name() -> dict[str, VaccineProduct]:
    """Every spelling of every product (code, name, aliases), folded."""
    out: dict[str, VaccineProduct] = {}
    for product in VaccineProduct.objects.all():
        for text in (product.code, product.name, *product.aliases):
            out.setdefault(_key(text), product)
    return out


def read_product(raw: str, products: dict[str, VaccineProduct]) -> VaccineProduct:
    key = _key(raw)
    if not key:
        raise RowError("product", raw, _("Thiếu loại vắc xin."))
    product = products.get(key) or products.get(key.split(" ")[0])
    if product is None:
        raise RowError("product", raw, _("Không rõ loại vắc xin: %(value)s") % {"value": raw})
    return product


def read_dose_number(raw: str, product: VaccineProduct) -> int:
    key = _key(raw)
    digits = re.search(r"\d+", key)
    if digits:
        return int(digits.group())
    if any(word in key for word in _BOOSTER_WORDS):
        return product.series_doses + 1
    raise RowError("dose_number", raw, _("Không rõ mũi thứ mấy: %(value)s") % {"value": raw} if raw
                   else _("Thiếu mũi thứ."))


class VaccinationsKind:
    name = "vaccinations"
    label = gettext_lazy("Danh sách tiêm chủng")
    fields = FIELDS
    chunk_size = 500
    capability = RECORD

    def process(self, *, actor, rows, job) -> list[RowOutcome]:
        products = getattr(job, "_vaccine_products", None) or products_by_name()
        if job is not None:
            job._vaccine_products = products
        resolver = resolver_for(actor, job)
        outcomes: list[RowOutcome] = []
        items: list[tuple[int, dict[str, str], DoseIn]] = []
        for number, row in rows:
            try:
                with transaction.atomic():
                    items.append((number, row, self._dose(actor, resolver, products, row)))
            except (RowError, DomainError) as exc:
                outcomes.append(error_outcome(number, row, exc))
        stored = dose_record_bulk(actor=actor, items=[item for _, _, item in items], source=DoseSource.IMPORT)
        for (number, row, _item), result in zip(items, stored, strict=True):
            if result.status == "error":
                column = {"given_on": "given_on", "dose_number": "dose_number"}.get(result.field, "")
                outcomes.append(RowOutcome(number, "error", column, row.get(column, ""), result.message,
                                           result.dose.pk if result.dose else None))
            else:
                outcomes.append(RowOutcome(number, result.status, object_id=result.dose.pk))
        return outcomes

    def _dose(self, actor, resolver, products, row: dict[str, str]) -> DoseIn:
        product = read_product(row.get("product", ""), products)
        dose_number = read_dose_number(row.get("dose_number", ""), product)
        given_on = parse(row, "given_on", cells.parse_date)
        if given_on is None:
            raise RowError("given_on", "", _("Thiếu ngày tiêm."))
        person = self._person(actor, resolver, row)
        return DoseIn(person, product, dose_number, given_on, row.get("site", "")[:200],
                      None, row.get("batch", "")[:40])

    def _person(self, actor, resolver, row: dict[str, str]) -> Person:
        raw_id = row.get("person_id", "").strip()
        if raw_id:
            from chongdich.people.selectors import person_get

            if not raw_id.isdigit():
                raise RowError("person_id", raw_id, _("Mã người phải là số."))
            try:
                return person_get(actor=actor, person_id=int(raw_id))
            except DomainError as exc:
                raise RowError("person_id", raw_id, exc.message) from exc
        identity, commune, sex, known = row_person(row, resolver)
        if known is not None:
            return known
        if not actor.can("register_person"):
            raise RowError("full_name", row.get("full_name", ""),
                           _("Người này chưa có trong hệ thống; vai trò của bạn không được đăng ký người mới."))
        return person_create(actor=actor, commune=commune, full_name=identity.full_name, sex=sex,
                             birth_date=identity.birth_date, birth_year=identity.birth_year,
                             phone=identity.phone, citizen_id=identity.citizen_id,
                             address=row.get("address", "").strip())


KIND = VaccinationsKind()
