"""JSON shapes for home monitoring: rule sets, teams, households, checks, escalations, lists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from chongdich.core.api_support import PageIn
from chongdich.geography.schemas import UnitRef
from chongdich.monitoring.domain import Symptom
from chongdich.monitoring.models import CheckSource, EscalationAction, EscalationStatus

# --- Rule sets ----------------------------------------------------------------------------


class RuleSetOut(Schema):
    code: str
    name: str
    legal_source: str
    valid_from: dt.date
    needs_verification: bool
    silence_hours: int = Field(..., description="Không có lần theo dõi nào trong chừng ấy giờ → không báo cáo")
    spo2_escalate_below: int = Field(..., description="SpO2 (%) dưới ngưỡng này → cần xử trí")
    fever_from: Decimal = Field(..., description="Nhiệt độ (°C) từ ngưỡng này → sốt")
    danger_symptoms: list[str]
    note: str


class SymptomOut(Schema):
    code: str
    label: str
    danger: bool = Field(..., description="Là dấu hiệu cần xử trí theo bộ quy tắc đang áp dụng")


# --- Teams --------------------------------------------------------------------------------


class TeamIn(Schema):
    commune: str = Field(..., min_length=1, max_length=5, description="Mã xã/phường")
    name: str = Field(..., min_length=1, max_length=150)
    village_id: int | None = None
    note: str = Field("", max_length=255)


class TeamPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=150)
    village_id: int | None = None
    note: str | None = Field(None, max_length=255)
    active: bool | None = None


class MemberIn(Schema):
    """An account (`user_id`) or a named volunteer (`full_name`, `phone`)."""

    user_id: int | None = None
    full_name: str = Field("", max_length=150)
    phone: str = Field("", max_length=20)
    is_leader: bool = False


class MemberOut(Schema):
    id: int
    user_id: int | None = None
    full_name: str
    phone: str
    is_leader: bool


class TeamOut(Schema):
    id: int
    name: str
    commune: UnitRef
    village: str | None = None
    active: bool
    note: str
    household_count: int = 0
    monitored_count: int = Field(0, description="Số người đang được theo dõi trong các hộ của tổ")
    members: list[MemberOut] = []

    @staticmethod
    def resolve_village(team) -> str | None:
        return team.village.name if team.village_id else None

    @staticmethod
    def resolve_members(team) -> list:
        return getattr(team, "member_list", [])


class AssignIn(Schema):
    household_ids: list[int] = Field(..., min_length=1, max_length=500)


class AssignOut(Schema):
    assigned: int


# --- Households ---------------------------------------------------------------------------


class HouseholdIn(Schema):
    commune: str = Field(..., min_length=1, max_length=5, description="Mã xã/phường")
    address: str = Field(..., min_length=1, max_length=255)
    village_id: int | None = None
    member_ids: list[int] = Field([], max_length=50, description="Mã số những người trong hộ")
    head_id: int | None = Field(None, description="Chủ hộ (sẽ được thêm vào hộ nếu chưa có)")
    team_id: int | None = None
    note: str = Field("", max_length=255)


class HouseholdPatch(Schema):
    address: str | None = Field(None, min_length=1, max_length=255)
    village_id: int | None = None
    head_id: int | None = None
    team_id: int | None = None
    note: str | None = Field(None, max_length=255)


class MemberPersonIn(Schema):
    person_id: int


class HouseholdPersonOut(Schema):
    id: int
    full_name: str
    birth_year: int | None = None
    rank_label: str


class HouseholdOut(Schema):
    id: int
    address: str
    commune: UnitRef
    village: str | None = None
    head_id: int | None = None
    team_id: int | None = None
    team: str | None = None
    note: str
    members: list[HouseholdPersonOut] = []

    @staticmethod
    def resolve_village(household) -> str | None:
        return household.village.name if household.village_id else None

    @staticmethod
    def resolve_team(household) -> str | None:
        return household.team.name if household.team_id else None

    @staticmethod
    def resolve_members(household) -> list:
        return getattr(household, "people", [])


class HouseholdFiltersIn(PageIn):
    unit: str = Field("", description="Mã đơn vị (tỉnh, huyện hoặc xã)")
    team: int | None = Field(None, description="Mã số tổ")
    unassigned: bool = Field(False, description="Chỉ các hộ chưa thuộc tổ nào")
    q: str = Field("", description="Địa chỉ hoặc tên người trong hộ")


# --- Checks -------------------------------------------------------------------------------


class ReadingIn(Schema):
    temperature: Decimal | None = Field(None, description="°C, ví dụ 37.2")
    spo2: int | None = Field(None, description="%")
    symptoms: list[Symptom] = []
    note: str = Field("", max_length=255)


class CheckIn(ReadingIn):
    person_id: int
    checked_at: dt.datetime | None = Field(None, description="Mặc định: bây giờ")
    source: CheckSource | None = Field(None, description="team hoặc health; mặc định theo tài khoản")


class BatchIn(Schema):
    items: list[CheckIn] = Field(..., min_length=1, max_length=200)


class CheckOut(Schema):
    id: int
    person_id: int
    checked_at: dt.datetime
    temperature: Decimal | None = None
    spo2: int | None = None
    symptoms: list[str]
    level: str = Field(..., description="normal, fever hoặc escalate")
    reasons: list[str]
    note: str
    source: CheckSource
    recorded_by: str | None = None
    rule_set: str

    @staticmethod
    def resolve_recorded_by(check) -> str | None:
        return check.recorded_by.display_name if check.recorded_by_id else None

    @staticmethod
    def resolve_rule_set(check) -> str:
        return check.rule_set.code


class BatchItemOut(Schema):
    index: int
    ok: bool
    check: CheckOut | None = None
    error: str | None = None
    message: str | None = None
    field: str | None = None


class BatchOut(Schema):
    recorded: int
    failed: int
    items: list[BatchItemOut]


class SelfReportIn(ReadingIn):
    pass


class SelfReportOut(Schema):
    level: str
    message: str


class ReportLinkOut(Schema):
    prefix: str
    created_at: dt.datetime
    key: str = Field(..., description="Chỉ trả về một lần; gửi cho người được theo dõi")
    url: str


# --- Lists --------------------------------------------------------------------------------


class MonitoredPersonOut(Schema):
    person_id: int
    full_name: str
    phone: str
    household_id: int | None = None
    address: str
    team_id: int | None = None
    team: str | None = None
    kind: str
    since: dt.datetime
    until: dt.date
    days_left: int
    state: str = Field(..., description="ok, not_reporting hoặc needs_escalation")
    silent_since: dt.datetime | None = None
    last_checked_at: dt.datetime | None = None
    last_level: str
    last_temperature: Decimal | None = None
    last_spo2: int | None = None
    checked_today: bool
    open_escalation_id: int | None = None


class MonitoredFiltersIn(PageIn):
    unit: str = Field("", description="Mã đơn vị (tỉnh, huyện hoặc xã)")
    team: int | None = Field(None, description="Mã số tổ")
    state: str = Field("", description="ok, not_reporting, needs_escalation, unchecked_today hoặc no_team")
    q: str = Field("", description="Họ tên (có hoặc không dấu)")


class CountsOut(Schema):
    monitored: int
    not_reporting: int
    needs_escalation: int
    no_team: int


class EscalationOut(Schema):
    id: int
    person_id: int
    full_name: str
    phone: str
    address: str
    commune: UnitRef
    opened_at: dt.datetime
    reasons: list[str]
    check_count: int
    last_check: CheckOut
    status: EscalationStatus
    resolved_at: dt.datetime | None = None
    officer_name: str
    action: str
    action_note: str


class EscalationFiltersIn(PageIn):
    status: EscalationStatus = EscalationStatus.OPEN
    unit: str = Field("", description="Mã đơn vị (tỉnh, huyện hoặc xã)")


class ResolveIn(Schema):
    action: EscalationAction
    note: str = Field(..., min_length=1, max_length=500)
    officer_name: str = Field("", max_length=150, description="Mặc định: tên tài khoản")
