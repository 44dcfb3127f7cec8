"""JSON shapes for cases (F0), contacts and clusters (ổ dịch)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

from chongdich.cases.models import CaseStatus, ContactSetting, Detection
from chongdich.core.api_support import PageIn
from chongdich.geography.schemas import UnitRef
from chongdich.people.schemas import ContactPersonOut, PersonIn

CaseRef = int | str  # a case id, or its code such as "BN26-000123"


# --- Cases --------------------------------------------------------------------------------


class CaseFiltersIn(PageIn):
    unit: str = Field("", description="Mã đơn vị (tỉnh, huyện hoặc xã)")
    confirmed_from: dt.date | None = None
    confirmed_to: dt.date | None = None
    status: str = Field(
        "", description="Một trạng thái điều trị, hoặc 'active' (đang điều trị), 'discarded' (đã loại)"
    )
    detection: Detection | None = None
    cluster: int | None = Field(None, description="Mã số ổ dịch")
    q: str = Field("", description="Mã ca bệnh, hoặc họ tên (có hoặc không dấu)")

    @field_validator("status")
    @classmethod
    def known_status(cls, value: str) -> str:
        if value and value not in (*CaseStatus.values, "active", "discarded"):
            raise ValueError(_("trạng thái không hợp lệ: %(value)s") % {"value": value})
        return value


class CaseIn(Schema):
    """Register an F0: either an existing `person_id`, or a new `person` to register."""

    person_id: int | None = None
    person: PersonIn | None = None
    confirmed_at: dt.datetime | None = Field(None, description="Mặc định: bây giờ")
    detection: Detection
    code: str = Field("", max_length=32, description="Để trống: cấp mã tự động")
    infected_by: CaseRef | None = Field(None, description="Ca nguồn lây: mã số hoặc mã ca bệnh")
    cluster_id: int | None = None
    status: CaseStatus = CaseStatus.HOME_CARE
    onset_on: dt.date | None = None
    note: str = ""


class CasePatch(Schema):
    infected_by: CaseRef | None = None
    cluster_id: int | None = None
    onset_on: dt.date | None = None
    note: str | None = None


class StatusIn(Schema):
    status: CaseStatus
    at: dt.datetime | None = Field(None, description="Mặc định: bây giờ")
    note: str = Field("", max_length=255)


class DiscardIn(Schema):
    reason: str = Field(..., min_length=1, max_length=255)


class CasePersonOut(Schema):
    id: int
    full_name: str
    birth_year: int | None = None
    rank_label: str


class CaseOut(Schema):
    id: int
    code: str
    person: CasePersonOut
    commune: UnitRef
    confirmed_at: dt.datetime
    onset_on: dt.date | None = None
    detection: Detection
    detection_label: str
    status: CaseStatus
    status_label: str
    status_since: dt.datetime
    ended_on: dt.date | None = None
    is_active: bool
    discarded_at: dt.datetime | None = None
    infected_by: str | None = Field(None, description="Mã ca nguồn lây")
    cluster_id: int | None = None

    @staticmethod
    def resolve_detection_label(case) -> str:
        return case.get_detection_display()

    @staticmethod
    def resolve_status_label(case) -> str:
        return case.get_status_display()

    @staticmethod
    def resolve_infected_by(case) -> str | None:
        return case.infected_by.code if case.infected_by_id else None


class StatusEventOut(Schema):
    status: CaseStatus
    status_label: str
    at: dt.datetime
    note: str
    recorded_by: str | None = None

    @staticmethod
    def resolve_status_label(event) -> str:
        return event.get_status_display()

    @staticmethod
    def resolve_recorded_by(event) -> str | None:
        return event.recorded_by.username if event.recorded_by_id else None


class CaseDetailOut(CaseOut):
    district: UnitRef
    province: UnitRef
    discard_reason: str
    note: str
    generation: int = Field(..., description="1 = ca đầu chuỗi")
    chain_root: str = Field(..., description="Mã ca đầu chuỗi lây nhiễm")
    in_cycle: bool = Field(False, description="Các liên kết nguồn lây tạo vòng lặp: cần sửa dữ liệu")
    history: list[StatusEventOut]


class ChainNodeOut(Schema):
    id: int
    label: str
    rank: int | None = None
    case: str | None = None
    centre: bool


class ChainEdgeOut(Schema):
    source: int
    target: int
    kind: str = Field(..., description="contact hoặc infection")
    setting: str | None = None


class ChainOut(Schema):
    nodes: list[ChainNodeOut]
    edges: list[ChainEdgeOut]


# --- Contacts -----------------------------------------------------------------------------


class ContactIn(Schema):
    """An exposure between `person_id` and either an existing `contact_id` or a new `contact`."""

    person_id: int
    contact_id: int | None = None
    contact: PersonIn | None = None
    last_contact_at: dt.datetime | None = None
    setting: ContactSetting = ContactSetting.OTHER
    note: str = Field("", max_length=255)
    case_id: int | None = None


class ContactFilters(PageIn):
    since: dt.datetime | None = Field(None, description="Chỉ các tiếp xúc ghi nhận từ thời điểm này")


class ContactOut(Schema):
    id: int
    person: ContactPersonOut
    contact: ContactPersonOut
    last_contact_at: dt.datetime | None = None
    setting: ContactSetting
    note: str
    case_id: int | None = None
    created_at: dt.datetime


class ContactAddedOut(Schema):
    contact: ContactOut
    contact_rank: int | None = Field(None, description="Hạng của người tiếp xúc sau khi ghi nhận")
    contact_rank_label: str


# --- Clusters -----------------------------------------------------------------------------


class ClusterIn(Schema):
    commune: str = Field(..., min_length=1, max_length=5, description="Mã xã/phường")
    name: str = Field(..., min_length=1, max_length=200)
    place: str = Field("", max_length=255)
    source: str = Field("", max_length=255, description="Nguồn lây")
    started_on: dt.date | None = None
    note: str = ""


class ClusterPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    place: str | None = Field(None, max_length=255)
    source: str | None = Field(None, max_length=255)
    started_on: dt.date | None = None
    closed_on: dt.date | None = None
    note: str | None = None


class ClusterOut(Schema):
    id: int
    name: str
    commune: UnitRef
    place: str
    source: str
    started_on: dt.date | None = None
    closed_on: dt.date | None = None
    note: str
    size: int = Field(0, description="Số ca bệnh (không tính ca đã loại)")
