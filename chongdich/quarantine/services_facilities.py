"""Writes for facilities (create, update, close, recount) and rule sets (add a version).

A facility's `occupied` is never written from a Python object: updates name their fields, so a
concurrent admission's `occupied + 1` is never overwritten by a stale value, and the CHECK
`occupied <= capacity` refuses a capacity below the people inside."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from chongdich.core.errors import Conflict, InvalidInput, PermissionDenied
from chongdich.core.jurisdiction import may_add_national_rules, require_write
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.people.domain import IdentityError, normalise_phone
from chongdich.quarantine import domain
from chongdich.quarantine.models import (
    Facility,
    FacilityKind,
    FacilityStatus,
    Placement,
    PlacementRule,
    PlacementStatus,
    QuarantineRuleSet,
)
from chongdich.quarantine.services import OVERBOOKED

FACILITY_FIELDS = ("name", "kind", "tier", "address", "capacity", "staff_name", "staff_phone",
                   "status", "note")


def _clean(data: dict) -> dict:
    """Checks that hold for a new facility and for every change (field-named errors)."""
    out = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    if "name" in out and not out["name"]:
        raise InvalidInput(_("Tên cơ sở không được để trống."), field="name")
    if "kind" in out and out["kind"] not in FacilityKind.values:
        raise InvalidInput(_("Loại cơ sở không hợp lệ: %(value)s") % {"value": out["kind"]}, field="kind")
    if "capacity" in out and (out["capacity"] is None or int(out["capacity"]) < 1):
        raise InvalidInput(_("Số chỗ phải lớn hơn 0."), field="capacity")
    if "status" in out and out["status"] not in (FacilityStatus.READY, FacilityStatus.ACTIVE):
        raise InvalidInput(_("Trạng thái không hợp lệ (đóng cơ sở bằng thao tác “Đóng cơ sở”)."),
                           field="status")
    if out.get("staff_phone"):
        try:
            out["staff_phone"] = normalise_phone(out["staff_phone"])
        except IdentityError as exc:
            raise InvalidInput(exc.message, field="staff_phone") from exc
    return out


def _next_code(province: AdminUnit, attempt: int) -> str:
    prefix = f"CS{province.code}-"
    last = (Facility.objects.filter(code__startswith=prefix).order_by("-pk")
            .values_list("code", flat=True).first())
    number = last[len(prefix):] if last else ""
    return f"{prefix}{(int(number) if number.isdigit() else 0) + 1 + attempt:04d}"


@transaction.atomic
def facility_create(*, actor, commune: AdminUnit, name: str, kind: str, capacity: int,
                    tier: int | None = None, code: str = "", address: str = "", staff_name: str = "",
                    staff_phone: str = "", status: str = FacilityStatus.READY, note: str = "") -> Facility:
    if commune is None or commune.level != UnitLevel.COMMUNE:
        raise InvalidInput(_("Cần chọn xã/phường nơi đặt cơ sở."), field="commune")
    require_write(actor, commune, "manage_facilities")
    data = _clean({"name": name, "kind": kind, "tier": tier, "address": address, "capacity": capacity,
                   "staff_name": staff_name, "staff_phone": staff_phone, "status": status, "note": note})
    if error := domain.tier_error(data["kind"], data["tier"]):
        raise InvalidInput(error, field="tier")
    facility = Facility(created_by=actor, **data, **commune.jurisdiction_keys())
    for attempt in range(5):
        facility.code = code.strip() or _next_code(commune.province, attempt)
        try:
            with transaction.atomic():
                facility.save()
            return facility
        except IntegrityError as exc:
            if code.strip() or attempt == 4:
                raise Conflict(_("Mã cơ sở %(code)s đã có.") % {"code": facility.code}, field="code") from exc
    raise AssertionError("unreachable")


@transaction.atomic
def facility_update(*, actor, facility: Facility, **changes) -> Facility:
    """Correct a facility's details or change its places. Fewer places than people inside is
    refused by the database (Conflict); a facility with people inside keeps its kind."""
    require_write(actor, facility.commune, "manage_facilities")
    if unknown := set(changes) - set(FACILITY_FIELDS):
        raise InvalidInput(_("Không sửa được: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    data = _clean(changes)
    current = Facility.objects.get(pk=facility.pk)
    kind, tier = data.get("kind", current.kind), data.get("tier", current.tier)
    if error := domain.tier_error(kind, tier):
        raise InvalidInput(error, field="tier")
    if kind != current.kind and current.occupied:
        raise Conflict(_("Cơ sở đang có người: không đổi được loại cơ sở."), field="kind")
    for name, value in data.items():
        setattr(facility, name, value)
    try:
        with transaction.atomic():
            facility.save(update_fields=list(data))
    except IntegrityError as exc:
        if OVERBOOKED not in str(exc):
            raise
        occupied = Facility.objects.values_list("occupied", flat=True).get(pk=facility.pk)
        raise Conflict(_("Số chỗ không thể ít hơn số người đang ở (%(n)s).") % {"n": occupied},
                       field="capacity") from exc
    facility.occupied = Facility.objects.values_list("occupied", flat=True).get(pk=facility.pk)
    return facility


@transaction.atomic
def facility_close(*, actor, facility: Facility) -> Facility:
    """Close an empty facility (it then offers no places). A facility with people inside is
    refused: transfer or release them first."""
    require_write(actor, facility.commune, "manage_facilities")
    closed = (Facility.objects.filter(pk=facility.pk, occupied=0)
              .update(status=FacilityStatus.CLOSED))
    if not closed:
        occupied = Facility.objects.values_list("occupied", flat=True).get(pk=facility.pk)
        raise Conflict(_("Cơ sở còn %(n)s người đang cách ly/điều trị: chuyển hoặc kết thúc trước khi đóng.")
                       % {"n": occupied}, field="status")
    facility.status, facility.occupied = FacilityStatus.CLOSED, 0
    return facility


@transaction.atomic
def facility_recount(*, facility_ids: list[int] | None = None) -> dict[int, tuple[int, int]]:
    """Rebuild the counters from the active placements (under row locks, so no admission slips
    between the count and the write). Returns the drift found: {facility id: (was, is)}."""
    facilities = Facility.objects.select_for_update().order_by("pk")
    if facility_ids is not None:
        facilities = facilities.filter(pk__in=facility_ids)
    current = dict(facilities.values_list("pk", "occupied"))
    counted = dict(Placement.objects.filter(status=PlacementStatus.ACTIVE, facility_id__in=list(current))
                   .values("facility_id").annotate(n=Count("pk")).values_list("facility_id", "n").order_by())
    drift = {pk: (was, counted.get(pk, 0)) for pk, was in current.items() if was != counted.get(pk, 0)}
    for pk, (_was, now) in drift.items():
        try:
            with transaction.atomic():
                Facility.objects.filter(pk=pk).update(occupied=now)
        except IntegrityError as exc:
            raise Conflict(_("Cơ sở số %(id)s có %(n)s người, nhiều hơn số chỗ: cần kiểm tra dữ liệu.")
                           % {"id": pk, "n": now}) from exc
    return drift


# --- Rule sets --------------------------------------------------------------------------------


may_add_rule_sets = may_add_national_rules  # the pages ask this app's services


@transaction.atomic
def rule_set_create(*, actor, code: str, name: str, legal_source: str, valid_from: dt.date,
                    rules: list[domain.Rule], needs_verification: bool = True, note: str = ""
                    ) -> QuarantineRuleSet:
    """Add a version of the rules. Versions are never edited once loaded: a change of rules is a
    new set with its own legal source and the date it applies from; placements that started
    under an earlier set keep its rule."""
    if not may_add_rule_sets(actor):
        raise PermissionDenied(_("Bộ quy định áp dụng cho cả nước: chỉ lãnh đạo hoặc cán bộ dịch tễ "
                                 "cấp quốc gia được thêm phiên bản mới."))
    code, name, legal_source = code.strip(), name.strip(), legal_source.strip()
    for field, value in (("code", code), ("name", name), ("legal_source", legal_source)):
        if not value:
            raise InvalidInput(_("Trường này không được để trống."), field=field)
    if valid_from is None:
        raise InvalidInput(_("Cần ngày bắt đầu áp dụng."), field="valid_from")
    if errors := domain.rule_set_errors(rules):
        field, message = errors[0]
        raise InvalidInput(message, field=field)
    if QuarantineRuleSet.objects.filter(code=code).exists():
        raise Conflict(_("Mã bộ quy định %(code)s đã có.") % {"code": code}, field="code")
    if QuarantineRuleSet.objects.filter(valid_from=valid_from).exists():
        raise Conflict(_("Đã có bộ quy định áp dụng từ ngày %(day)s.")
                       % {"day": valid_from.strftime("%d/%m/%Y")}, field="valid_from")
    rule_set = QuarantineRuleSet.objects.create(
        code=code, name=name, legal_source=legal_source[:255], valid_from=valid_from,
        needs_verification=needs_verification, note=note.strip(), created_by=actor)
    PlacementRule.objects.bulk_create([
        PlacementRule(rule_set=rule_set, purpose=r.purpose, condition=r.condition, setting=r.setting,
                      stay_days=r.stay_days, monitoring_days=r.monitoring_days,
                      test_days=list(r.test_days), release_needs_negative=r.release_needs_negative)
        for r in rules
    ])
    return rule_set
