"""JSON shapes for venues, check-ins and exposure proposals."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from chongdich.core.api_support import PageIn
from chongdich.geography.schemas import UnitRef
from chongdich.venues.models import ProposalStatus, VenueKind


class VenueIn(Schema):
    commune: str = Field(..., min_length=1, max_length=5, description="Mã xã/phường")
    name: str = Field(..., min_length=1, max_length=200)
    kind: VenueKind
    address: str = Field("", max_length=255)
    capacity: int | None = Field(None, ge=1, description="Quy mô: số người thường có mặt / lượt mỗi ngày")
    note: str = Field("", max_length=255)


class VenuePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: VenueKind | None = None
    address: str | None = Field(None, max_length=255)
    capacity: int | None = Field(None, ge=1)
    active: bool | None = None
    note: str | None = Field(None, max_length=255)


class VenueFiltersIn(PageIn):
    kind: VenueKind | None = None
    district: str = Field("", description="Mã huyện")
    q: str = Field("", description="Tên, địa chỉ hoặc mã địa điểm")


class VenueOut(Schema):
    id: int
    code: str
    name: str
    kind: VenueKind
    address: str
    capacity: int | None
    active: bool
    commune: UnitRef
    checkin_url: str = ""


class CheckInIn(Schema):
    venue_id: int
    person_id: int
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None = None


class CheckInBatchIn(Schema):
    rows: list[CheckInIn] = Field(..., min_length=1, max_length=50_000)


class CheckInOut(Schema):
    id: int
    venue_id: int
    person_id: int
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None


class BatchOut(Schema):
    stored: int


class ProposalFiltersIn(PageIn):
    venue_id: int | None = None
    case_id: int | None = None
    margin: int | None = Field(None, ge=0, le=1440, description="Chỉ lấy đề xuất có khoảng cách ≤ số phút này")
    status: ProposalStatus = ProposalStatus.PENDING


class GroupOut(Schema):
    venue_id: int
    venue_name: str
    venue_kind: str
    venue_capacity: int | None
    slot_start: dt.datetime
    people: int
    best_overlap: int
    least_gap: int
    cases: int


class EvidenceOut(Schema):
    venue_id: int
    venue_name: str
    source_in: dt.datetime
    source_out: dt.datetime
    visit_in: dt.datetime
    visit_out: dt.datetime
    overlap_minutes: int
    gap_minutes: int


class ProposalOut(Schema):
    id: int
    case_id: int
    case_code: str
    source_id: int
    person_id: int
    person_name: str
    phone: str = Field("", description="Chỉ hiện 3 số cuối")
    generation: int
    status: ProposalStatus
    venue_id: int
    venue_name: str
    slot_start: dt.datetime
    overlap_minutes: int
    gap_minutes: int
    visits: int
    last_visit_at: dt.datetime
    evidence: list[EvidenceOut] = []


class DecideIn(Schema):
    ids: list[int] = Field(..., min_length=1, max_length=10_000)
    action: str = Field(..., pattern="^(confirm|dismiss)$")


class DecideOut(Schema):
    decided: int
    skipped: int
    cases: list[int]


class MatchOut(Schema):
    jobs: int
    matches: int
    proposals: int
    pending: int
