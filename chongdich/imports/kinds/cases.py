"""Case line lists (danh sách ca bệnh) as health authorities publish them: a patient number
(BN3214), the patient number of the case that infected them, age or birth year, sex, place,
confirmation and onset dates, how the case was found, notes.

Each new patient number becomes a person and an F0 through chongdich.cases.services, so ranks and
daily counters move as for a case registered by hand. The patient number is kept as
`Case.external_ref`: a number already recorded is a duplicate (or an update when the file now
names an infector the case lacked). A row whose infector is not known yet is deferred: lists are
often newest first, so the infector comes further down; the runner hands it back once the file is
read, and only an infector found neither in the file nor among the actor's cases makes it an error.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chongdich.cases.models import Case, CaseStatus
from chongdich.cases.services import case_register, case_register_new_person, case_update
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
from chongdich.imports.kinds.people import (
    ADDRESS,
    CITIZEN_ID,
    DISTRICT,
    NAME,
    PHONE,
    SEX,
    VILLAGE,
    commune_of,
    parse,
    spec,
)

FIELDS = (
    FieldSpec("external_ref", gettext_lazy("Mã bệnh nhân"), required=True,
              aliases=("ma bn", "ma benh nhan", "bn", "benh nhan", "so bn", "ma so bn",
                       "so hieu benh nhan", "ma ca", "ma ca benh", "patient", "patient number",
                       "case number"),
              help=gettext_lazy("ví dụ BN3214")),
    FieldSpec("infected_by", gettext_lazy("Lây từ ca"),
              aliases=("lay tu", "lay tu ca", "lay tu bn", "nguon lay", "ca nguon", "f0 nguon",
                       "tiep xuc voi", "tiep xuc voi bn", "lien quan", "lien quan den",
                       "lien quan ca", "lien quan toi", "infected by", "source case"),
              help=gettext_lazy("mã bệnh nhân nguồn lây, ví dụ BN3100")),
    spec(NAME),
    FieldSpec("birth_year", gettext_lazy("Năm sinh"),
              aliases=("nam sinh", "ngay sinh", "year of birth", "yob")),
    FieldSpec("age", gettext_lazy("Tuổi"), aliases=("tuoi", "age")),
    spec(SEX),
    spec(PHONE),
    spec(CITIZEN_ID),
    FieldSpec("commune", gettext_lazy("Xã/phường, nơi ở"),
              aliases=("xa", "phuong", "xa phuong", "xa phuong thi tran", "ma xa", "noi o",
                       "dia chi", "dia diem", "noi cu tru", "tru tai", "dia phuong", "commune",
                       "place", "address"),
              help=gettext_lazy("tên hoặc mã xã, hoặc cả địa chỉ")),
    spec(DISTRICT),
    spec(VILLAGE),
    FieldSpec(ADDRESS[0], ADDRESS[1], aliases=("so nha", "dia chi chi tiet", "dia chi cu the")),
    FieldSpec("confirmed_on", gettext_lazy("Ngày xác nhận"), required=True,
              aliases=("ngay xac nhan", "ngay cong bo", "ngay co ket qua", "ngay duong tinh",
                       "ngay phat hien", "ngay xn duong tinh", "ngay xac dinh", "confirmed",
                       "confirmation date", "date confirmed")),
    FieldSpec("onset_on", gettext_lazy("Ngày khởi phát"),
              aliases=("ngay khoi phat", "khoi phat", "ngay co trieu chung", "onset",
                       "onset date")),
    FieldSpec("detection", gettext_lazy("Phát hiện qua"),
              aliases=("phat hien", "phat hien qua", "noi phat hien", "hinh thuc phat hien",
                       "phan loai", "detection"),
              help=gettext_lazy("cộng đồng, khu cách ly, có triệu chứng, nhập cảnh")),
    FieldSpec("note", gettext_lazy("Ghi chú"),
              aliases=("ghi chu", "lich trinh", "dien bien", "thong tin", "mo ta", "note",
                       "notes")),
)
# A service's field names → ours.
SERVICE_FIELDS = {"confirmed_at": "confirmed_on", "person": "full_name", "code": "external_ref",
                  "infected_by": "infected_by", "onset_on": "onset_on",
                  "detection": "detection", "commune": "commune"}


def cases_by_ref(refs: set[str]) -> dict[str, Case]:
    """Cases known by a published patient number or by our own code, in one or two queries."""
    refs = {r for r in refs if r}
    if not refs:
        return {}
    rows = Case.objects.select_related("commune").filter(external_ref__in=refs)
    found = {case.external_ref: case for case in rows}
    own = [r for r in refs if r not in found and cells.OWN_CODE.fullmatch(r)]
    if own:
        found |= {case.code: case for case in Case.objects.select_related("commune")
                  .filter(code__in=own)}
    return found


def infectors_first(rows, refs: dict[int, str], infector_refs: dict[int, str]):
    """The rows in an order where a row comes after the row of its infector (when both are in
    `rows`), so a chain listed newest first is registered in one pass."""
    by_ref = {refs[n]: (n, row) for n, row in rows if refs[n]}
    ordered, placed = [], set()
    for n, row in rows:
        chain, seen = [], set()  # up the chain to an infector already placed (or a cycle)
        node = (n, row)
        while node is not None and node[0] not in placed and node[0] not in seen:
            chain.append(node)
            seen.add(node[0])
            node = by_ref.get(infector_refs[node[0]])
        for item in reversed(chain):
            placed.add(item[0])
            ordered.append(item)
    return ordered


class CasesKind:
    name = "cases"
    label = gettext_lazy("Danh sách ca bệnh (F0)")
    fields = FIELDS
    chunk_size = 500
    capability = "register_case"

    def process(self, *, actor, rows, job) -> list[RowOutcome]:
        return self._rows(actor, rows, job, final=False)

    def settle(self, *, actor, rows, job) -> list[RowOutcome]:
        return self._rows(actor, rows, job, final=True)

    def _rows(self, actor, rows, job, *, final: bool) -> list[RowOutcome]:
        resolver = resolver_for(actor, job)
        refs = {n: cells.patient_ref(row.get("external_ref", "")) for n, row in rows}
        infector_refs = {n: cells.find_patient_ref(row.get("infected_by", "")) for n, row in rows}
        known = cases_by_ref(set(refs.values()) | set(infector_refs.values()))
        outcomes = []
        for number, row in infectors_first(rows, refs, infector_refs):
            try:
                with transaction.atomic():
                    outcomes.append(self._one(actor, resolver, number, row, refs[number],
                                              infector_refs[number], known, final))
            except (RowError, DomainError) as exc:
                outcomes.append(error_outcome(number, row, exc, SERVICE_FIELDS))
        return outcomes

    def _one(self, actor, resolver, number, row, ref, infector_ref, known, final) -> RowOutcome:
        raw_ref = row.get("external_ref", "")
        if not ref:
            raise RowError("external_ref", raw_ref, _("Thiếu mã bệnh nhân."))
        if len(ref) > 40:
            raise RowError("external_ref", raw_ref, _("Mã bệnh nhân quá dài."))
        infector = None
        if infector_ref:
            if infector_ref == ref:
                raise RowError("infected_by", row.get("infected_by", ""),
                               _("Ca bệnh không thể lây từ chính mình."))
            infector = known.get(infector_ref)
            if infector is not None and not covers(actor, infector.commune):
                infector = None
        existing = known.get(ref)
        if existing is not None:
            return self._again(actor, number, existing, infector)
        if infector_ref and infector is None:
            if not final:
                return RowOutcome(number, "deferred")
            raise RowError("infected_by", row.get("infected_by", ""), _(
                "Không tìm thấy ca nguồn lây %(ref)s trong tệp hay trong các ca thuộc địa bàn của "
                "bạn. Nhập ca đó trước (hoặc xoá ô này), rồi tải lại dòng này.") % {"ref": infector_ref})
        case = self._register(actor, resolver, row, ref, infector)
        known[ref] = case
        return RowOutcome(number, "created", object_id=case.pk)

    def _again(self, actor, number, case: Case, infector: Case | None) -> RowOutcome:
        """A patient number already recorded: link the infector the file now names, if the case
        has none yet and the actor may; otherwise nothing to do."""
        may_link = (infector is not None and case.infected_by_id is None
                    and infector.pk != case.pk and case.discarded_at is None
                    and actor.can("update_case") and covers(actor, case.commune))
        if not may_link:
            return RowOutcome(number, "duplicate", object_id=case.pk)
        case_update(actor=actor, case=case, infected_by=infector)
        return RowOutcome(number, "updated", object_id=case.pk)

    def _register(self, actor, resolver, row, ref: str, infector: Case | None) -> Case:
        confirmed = parse(row, "confirmed_on", cells.parse_datetime)
        if confirmed is None:
            raise RowError("confirmed_on", "", _("Thiếu ngày xác nhận."))
        day, time = confirmed
        confirmed_at = timezone.make_aware(dt.datetime.combine(day, time or dt.time(0, 0)))
        onset_on = parse(row, "onset_on", cells.parse_date)
        detection = parse(row, "detection", cells.parse_detection)
        sex = parse(row, "sex", cells.parse_sex)
        _birth_date, birth_year = parse(row, "birth_year", cells.parse_birth)
        age = parse(row, "age", cells.parse_age)
        if birth_year is None and age is not None:
            birth_year = day.year - age
        commune = commune_of(row, resolver)
        name = row.get("full_name", "").strip()
        identity = identity_of(
            row, full_name=name or ref, birth_date=None, birth_year=birth_year,
            phone=cells.parse_phone_text(row.get("phone", "")),
            citizen_id=cells.parse_citizen_id(row.get("citizen_id", "")), sex=sex,
            today=clock.today(),
        )
        found = find_person(identity, sex=sex, commune=commune, name_known=bool(name))
        if found.candidates:
            raise probable_duplicate(found)
        note = row.get("note", "").strip()
        infected_text = row.get("infected_by", "").strip()
        if infected_text and infector is None:  # "chưa rõ nguồn lây" and the like: keep it
            note = " · ".join(t for t in (note, infected_text) if t)
        case_fields = {
            "confirmed_at": confirmed_at, "detection": detection, "infected_by": infector,
            "status": CaseStatus.HOME_CARE, "onset_on": onset_on, "note": note,
            "external_ref": ref,
        }
        if found.person is not None:
            if not covers(actor, found.person.commune):
                raise RowError("full_name", name, _(
                    "Người này (trùng CCCD hoặc điện thoại) đã được đăng ký ở %(place)s, ngoài địa "
                    "bàn của bạn: nhờ đơn vị đó xác nhận ca bệnh.")
                    % {"place": found.person.commune.name_with_type})
            return case_register(actor=actor, person=found.person, **case_fields)
        place = row.get("commune", "").strip()
        address = row.get("address", "").strip() or (place if "," in place else "")
        person = {
            "commune": commune, "full_name": identity.full_name, "birth_year": identity.birth_year,
            "sex": sex, "phone": identity.phone, "citizen_id": identity.citizen_id,
            "address": address[:255],
            "village_id": village_id_for(actor, commune, row.get("village", "")),
        }
        return case_register_new_person(actor=actor, person=person, **case_fields)


KIND = CasesKind()
