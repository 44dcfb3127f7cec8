"""JSON shapes for facilities, the facility board, placements, scheduled tests and rule sets."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import BaseModel

from chongdich.core.api_support import PageIn
from chongdich.geography.schemas import UnitRef
from chongdich.quarantine import domain
from chongdich.quarantine.models import (
    Condition,
    FacilityKind,
    FacilityStatus,
    PlacementStatus,
    Purpose,
    Setting,
)

# --- Facilities ------------------------------------------------------------------------------


class FacilityIn(Schema):
    commune: str = Field(..., min_length=1, max_length=5, description="Mã xã/phường nơi đặt cơ sở")
    name: str = Field(..., min_length=1, max_length=200)
    kind: FacilityKind
    tier: int | None = Field(None, ge=1, le=3, description="Tầng điều trị (chỉ bệnh viện, BV dã chiến)")
    capacity: int = Field(..., ge=1, description="Số chỗ")
    code: str = Field("", max_length=32, description="Để trống: cấp mã tự động")
    address: str = Field("", max_length=255)
    staff_name: str = Field("", max_length=150)
    staff_phone: str = Field("", max_length=20)
    status: FacilityStatus = FacilityStatus.READY
    note: str = ""


class FacilityPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: FacilityKind | None = None
    tier: int | None = Field(None, ge=1, le=3)
    capacity: int | None = Field(None, ge=1)
    address: str | None = Field(None, max_length=255)
    staff_name: str | None = Field(None, max_length=150)
    staff_phone: str | None = Field(None, max_length=20)
    status: FacilityStatus | None = Field(None, description="ready hoặc active; đóng cơ sở: POST …/close")
    note: str | None = None


class FacilityFiltersIn(PageIn):
    kind: FacilityKind | None = None
    district: str = Field("", description="Mã huyện")
    status: str = Field("", description="ready, active, closed, hoặc open (chưa đóng)")
    q: str = Field("", description="Mã hoặc tên cơ sở")


class FacilityOut(Schema):
    id: int
    code: str
    name: str
    kind: FacilityKind
    kind_label: str
    tier: int | None = None
    commune: UnitRef
    district: UnitRef
    address: str
    capacity: int
    occupied: int = Field(..., description="Số người đang ở (từ các lượt cách ly đang hoạt động)")
    free: int
    percent_full: float
    status: FacilityStatus
    staff_name: str
    staff_phone: str
    note: str

    @staticmethod
    def resolve_kind_label(facility) -> str:
        return facility.get_kind_display()

    @staticmethod
    def resolve_percent_full(facility) -> float:
        return domain.fullness(facility.occupied, facility.capacity)


class BoardGroupOut(Schema):
    label: str
    facilities: int
    capacity: int
    occupied: int
    free: int
    percent: float


class BoardDistrictOut(BoardGroupOut):
    district_id: int

    @staticmethod
    def resolve_district_id(group) -> int:
        return group.key


class BoardKindOut(BoardGroupOut):
    kind: str
    tier: int | None = None

    @staticmethod
    def resolve_kind(group) -> str:
        return group.key[0]

    @staticmethod
    def resolve_tier(group) -> int | None:
        return group.key[1]


class BoardFacilityOut(BaseModel):
    """A plain pydantic model (not a ninja Schema): the board's hundreds of rows are dicts already,
    and skip ninja's per-object attribute resolution."""

    id: int
    code: str
    name: str
    kind: FacilityKind
    tier: int | None = None
    district_id: int
    status: FacilityStatus
    capacity: int
    occupied: int
    free: int
    percent_full: float


class BoardOut(Schema):
    total: BoardGroupOut
    by_district: list[BoardDistrictOut]
    by_kind: list[BoardKindOut]
    at_home: dict[str, int] = Field(..., description="Đang cách ly/điều trị tại nhà, theo mục đích")
    facilities: list[BoardFacilityOut]


# --- Placements ------------------------------------------------------------------------------


class PlacementIn(Schema):
    person_id: int
    purpose: Purpose
    setting: Setting
    facility_id: int | None = Field(None, description="Bắt buộc khi setting = facility")
    condition: Condition = Condition.STANDARD
    started_at: dt.datetime | None = Field(None, description="Mặc định: bây giờ")
    case_id: int | None = Field(None, description="F0: ca bệnh (mặc định: ca đang điều trị của người này)")
    note: str = Field("", max_length=255)


class TransferIn(Schema):
    facility_id: int | None = Field(..., description="Cơ sở mới; null = về cách ly tại nhà")
    at: dt.datetime | None = None
    note: str = Field("", max_length=255)


class ReleaseIn(Schema):
    override_reason: str = Field(
        "", max_length=255,
        description="Chỉ khi chưa đủ điều kiện theo quy định: lý do, do lãnh đạo/cán bộ dịch tễ quyết định")
    at: dt.datetime | None = None
    note: str = Field("", max_length=255)


class PlacementFiltersIn(PageIn):
    status: str = Field("active", description="active, transferred, released, hoặc để trống: tất cả")
    ending: str = Field("", description="today (kết thúc hôm nay), week (7 ngày tới), due (đã đến hạn)")
    facility_id: int | None = None
    setting: Setting | None = None
    purpose: Purpose | None = None
    unit: str = Field("", description="Mã đơn vị")
    q: str = Field("", description="Họ tên (có hoặc không dấu)")


class PlacementPersonOut(Schema):
    id: int
    full_name: str
    birth_year: int | None = None
    rank_label: str


class FacilityRef(Schema):
    id: int
    code: str
    name: str


class RuleOut(Schema):
    id: int
    purpose: Purpose
    condition: Condition
    setting: Setting
    stay_days: int
    monitoring_days: int
    test_days: list[int]
    release_needs_negative: bool


class PlacementOut(Schema):
    id: int
    person: PlacementPersonOut
    purpose: Purpose
    setting: Setting
    condition: Condition
    facility: FacilityRef | None = None
    case_id: int | None = None
    commune: UnitRef
    rule_set: str = Field(..., description="Mã bộ quy định áp dụng")
    rule: RuleOut
    started_at: dt.datetime
    started_on: dt.date
    planned_end_on: dt.date
    monitoring_until: dt.date
    status: PlacementStatus
    ended_at: dt.datetime | None = None
    end_reason: str
    override_by: str | None = None
    override_reason: str
    previous_id: int | None = None
    note: str

    @staticmethod
    def resolve_rule_set(placement) -> str:
        return placement.rule.rule_set.code

    @staticmethod
    def resolve_override_by(placement) -> str | None:
        return placement.override_by.username if placement.override_by_id else None


class ScheduledTestOut(Schema):
    id: int
    placement_id: int
    person: PlacementPersonOut
    facility: FacilityRef | None = None
    day: int
    due_on: dt.date
    overdue_days: int = Field(..., description="Số ngày quá hạn (0 = đến hạn hôm nay)")

    @staticmethod
    def resolve_person(test):
        return test.placement.person

    @staticmethod
    def resolve_facility(test):
        return test.placement.facility


class ReleaseCheckOut(Schema):
    allowed: bool
    reasons: list[str] = Field(..., description="Vì sao chưa đủ điều kiện (rỗng khi đủ)")
    release_test_due: dt.date | None = None


class PlacementDetailOut(PlacementOut):
    release_check: ReleaseCheckOut
    tests: list[ScheduledTestOut]


class DueFiltersIn(PageIn):
    on: dt.date | None = Field(None, description="Đến hạn đến hết ngày này (mặc định: hôm nay)")
    facility_id: int | None = None
    setting: Setting | None = None


# --- Rule sets -------------------------------------------------------------------------------


class RuleSetOut(Schema):
    id: int
    code: str
    name: str
    legal_source: str
    valid_from: dt.date
    needs_verification: bool
    note: str
    in_force: bool = Field(False, description="Đang có hiệu lực hôm nay")
    rules: list[RuleOut]

    @staticmethod
    def resolve_rules(rule_set) -> list:
        return list(rule_set.rules.all())
