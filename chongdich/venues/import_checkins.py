"""Check-in files (danh sách quét mã / sổ khai báo ra vào): one row per visit — the venue's code,
who (CCCD, or phone and name, or our person id) and when they came (and left).

Set-based per chunk: venues by code, people by CCCD and by phone in one query each; the rows go
through `venues.services.checkins_record` (its checks: venue in the actor's area, times within
the retention period). People are never created from such a file: an unknown person is an
error row (register them with a people list first). A visit already stored (same venue, person
and time) is a duplicate, so the same file uploaded twice lands nothing twice.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chongdich.core.text import fold
from chongdich.imports import cells
from chongdich.imports.domain import FieldSpec, RowOutcome
from chongdich.imports.kinds.lab_results import parse_when
from chongdich.people.models import Person
from chongdich.venues import services
from chongdich.venues.models import CheckIn, CheckInSource, Venue

FIELDS = (
    FieldSpec("venue_code", gettext_lazy("Mã địa điểm"), required=True, aliases=(
        "ma dia diem", "ma qr", "ma diem", "dia diem", "venue", "venue code", "location code")),
    FieldSpec("citizen_id", gettext_lazy("Số CCCD"), aliases=("cccd", "so cccd", "can cuoc cong dan",
                                                           "cmnd", "citizen id")),
    FieldSpec("phone", gettext_lazy("Điện thoại"), aliases=("so dien thoai", "sdt", "dien thoai", "phone")),
    FieldSpec("full_name", gettext_lazy("Họ và tên"), aliases=("ho ten", "ho va ten", "ten", "name",
                                                             "full name")),
    FieldSpec("person_id", gettext_lazy("Mã người (trong hệ thống)"), aliases=("ma nguoi", "person id")),
    FieldSpec("checked_in_at", gettext_lazy("Giờ vào"), required=True, aliases=(
        "gio vao", "thoi gian vao", "thoi gian quet", "thoi diem quet", "ngay gio", "check in",
        "checked in at", "time in")),
    FieldSpec("checked_out_at", gettext_lazy("Giờ ra"), aliases=("gio ra", "thoi gian ra", "check out",
                                                              "checked out at", "time out")),
)


def _time(row: dict[str, str], field: str, required: bool):
    raw = row.get(field, "").strip()
    if not raw:
        if required:
            raise ValueError(_("Thiếu giờ vào."))
        return None
    return parse_when(raw)


class CheckInsKind:
    name = "checkins"
    label = gettext_lazy("Lượt quét mã tại địa điểm")
    fields = FIELDS
    chunk_size = 5000
    capability = "record_checkins"

    def process(self, *, actor, rows, job) -> list[RowOutcome]:
        outcomes: list[RowOutcome] = []
        codes = {r.get("venue_code", "").strip().upper() for _n, r in rows}
        venues = dict(Venue.objects.filter(code__in=codes).values_list("code", "pk"))
        ids = {cells.parse_citizen_id(r.get("citizen_id", "")) for _n, r in rows} - {""}
        by_cid = dict(Person.objects.filter(citizen_id__in=ids).values_list("citizen_id", "pk"))
        phones = {cells.parse_phone_text(r.get("phone", "")) for _n, r in rows} - {""}
        by_phone: dict[tuple[str, str], int] = {}
        for pk, phone, folded in Person.objects.filter(phone__in=phones).order_by("-pk").values_list(
                "pk", "phone", "name_folded"):
            by_phone[(phone, folded)] = pk
        parsed: list[tuple[int, dict, services.CheckInRow]] = []
        for number, row in rows:
            code = row.get("venue_code", "").strip().upper()
            if code not in venues:
                outcomes.append(RowOutcome(number, "error", "venue_code", code, _("Không tìm thấy địa điểm.")))
                continue
            person_id = self._person(row, by_cid, by_phone)
            if person_id is None:
                outcomes.append(RowOutcome(number, "error", "full_name", row.get("full_name", ""),
                                           _("Không tìm thấy người này (nhập danh sách người trước).")))
                continue
            try:
                came, left = _time(row, "checked_in_at", True), None
            except ValueError as exc:
                outcomes.append(RowOutcome(number, "error", "checked_in_at", row.get("checked_in_at", ""), str(exc)))
                continue
            try:
                left = _time(row, "checked_out_at", False)
            except ValueError as exc:
                outcomes.append(RowOutcome(number, "error", "checked_out_at", row.get("checked_out_at", ""), str(exc)))
                continue
            parsed.append((number, row, services.CheckInRow(venues[code], person_id, came, left)))
        if not parsed:
            return outcomes
        times = [p[2].checked_in_at for p in parsed]
        known = set(CheckIn.objects.filter(person_id__in={p[2].person_id for p in parsed},
                                           checked_in_at__gte=min(times), checked_in_at__lte=max(times))
                    .values_list("venue_id", "person_id", "checked_in_at"))
        fresh, seen = [], set()
        for number, row, item in parsed:
            key = (item.venue_id, item.person_id, item.checked_in_at)
            if key in known or key in seen:
                outcomes.append(RowOutcome(number, "duplicate", object_id=None))
            else:
                seen.add(key)
                fresh.append((number, row, item))
        stored, errors = services.checkins_record(actor=actor, rows=[f[2] for f in fresh], partial=True,
                                                  source=CheckInSource.FILE)
        bad = {e.index: e for e in errors}
        stored_iter = iter(stored)
        for i, (number, row, _item) in enumerate(fresh):
            if i in bad:
                field = {"venue": "venue_code", "person": "full_name"}.get(bad[i].field, bad[i].field)
                outcomes.append(RowOutcome(number, "error", field, row.get(field, ""), bad[i].message))
            else:
                outcomes.append(RowOutcome(number, "created", object_id=next(stored_iter).pk))
        return outcomes

    @staticmethod
    def _person(row: dict[str, str], by_cid: dict, by_phone: dict) -> int | None:
        raw_id = row.get("person_id", "").strip()
        if raw_id.isdigit():
            return int(raw_id) if Person.objects.filter(pk=int(raw_id)).exists() else None
        cid = cells.parse_citizen_id(row.get("citizen_id", ""))
        if cid and cid in by_cid:
            return by_cid[cid]
        phone = cells.parse_phone_text(row.get("phone", ""))
        if phone:
            return by_phone.get((phone, fold(" ".join(row.get("full_name", "").split()))))
        return None


KIND = CheckInsKind()
