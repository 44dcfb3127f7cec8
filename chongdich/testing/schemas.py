"""JSON shapes for samples, pools, results, case proposals, screening campaigns and laboratories."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from chongdich.cases.models import CaseStatus, Detection
from chongdich.core.api_support import PageIn
from chongdich.geography.schemas import UnitRef
from chongdich.testing.models import ProposalStatus, Result, SampleKind, SampleReason, TargetGroup
from chongdich.testing.selectors import outcome_of, result_of

BATCH_LIMIT = 5000  # result rows per batch request; a lab file goes through the import instead


class TestedPersonOut(Schema):
    id: int
    full_name: str
    birth_year: int | None = None
    rank_label: str = Field("", description="F0, F1 … hoặc rỗng")


# --- Results ----------------------------------------------------------------------------------


class ResultOut(Schema):
    id: int
    sample_id: int | None = None
    pool_id: int | None = None
    result: Result
    result_label: str
    ct_value: Decimal | None = None
    resulted_at: dt.datetime
    laboratory: str | None = Field(None, description="Mã phòng xét nghiệm")
    external_ref: str

    @staticmethod
    def resolve_result_label(record) -> str:
        return record.get_result_display()

    @staticmethod
    def resolve_laboratory(record) -> str | None:
        return record.laboratory.code if record.laboratory_id else None


class ResultIn(Schema):
    """One result for one tube, named by code (`tube_code`: a sample or a pool) or by id."""

    tube_code: str = Field("", max_length=40, description="Mã ống mẫu (mẫu đơn hoặc mẫu gộp)")
    sample_id: int | None = None
    pool_id: int | None = None
    result: str = Field(..., min_length=1, max_length=40,
                        description="positive / negative / invalid, hoặc 'Dương tính', 'Âm tính', 'P', 'N'…")
    resulted_at: dt.datetime | None = Field(None, description="Mặc định: bây giờ")
    ct_value: Decimal | None = Field(None, ge=0, le=50)
    laboratory: str = Field("", max_length=32, description="Mã phòng xét nghiệm")
    external_ref: str = Field("", max_length=64)


class ResultRowIn(Schema):
    sample_code: str = Field("", max_length=40)
    pool_code: str = Field("", max_length=40)
    result: str = Field(..., max_length=40)
    resulted_at: dt.datetime
    ct_value: Decimal | None = None
    laboratory_code: str = Field("", max_length=32)
    external_ref: str = Field("", max_length=64)


class ResultsBatchIn(Schema):
    rows: list[ResultRowIn] = Field(..., min_length=1, max_length=BATCH_LIMIT)


class RowErrorOut(Schema):
    row: int = Field(..., description="Vị trí trong danh sách gửi lên, bắt đầu từ 1")
    column: str
    value: str
    reason: str


class ResultsBatchOut(Schema):
    created: int
    duplicate: int
    error: int
    errors: list[RowErrorOut]


# --- Samples and pools ------------------------------------------------------------------------


class SampleOut(Schema):
    id: int
    code: str
    person: TestedPersonOut
    kind: SampleKind
    reason: SampleReason
    taken_at: dt.datetime
    taken_on: dt.date
    place: str
    commune: UnitRef
    campaign_id: int | None = None
    pool_id: int | None = None
    pool_code: str | None = None
    retest_of_id: int | None = None
    retest_requested_at: dt.datetime | None = None
    result: ResultOut | None = Field(None, description="Kết quả của chính ống mẫu này")
    outcome: str = Field(..., description="Kết quả áp dụng cho người: positive, negative, invalid, "
                                          "retest (mẫu gộp dương tính), awaiting")

    @staticmethod
    def resolve_pool_code(sample) -> str | None:
        return sample.pool.code if sample.pool_id else None

    @staticmethod
    def resolve_result(sample):
        return result_of(sample)

    @staticmethod
    def resolve_outcome(sample) -> str:
        return str(outcome_of(sample))


class SampleIn(Schema):
    person_id: int
    taken_at: dt.datetime | None = Field(None, description="Mặc định: bây giờ")
    reason: SampleReason
    kind: SampleKind | None = Field(None, description="Mặc định: của chiến dịch, hoặc RT-PCR")
    code: str = Field("", max_length=40, description="Mã ống mẫu; để trống: cấp tự động")
    commune: str = Field("", max_length=5, description="Mã xã/phường nơi lấy mẫu; mặc định: nơi ở")
    place: str = Field("", max_length=255)
    campaign_id: int | None = None


class SampleBatchIn(Schema):
    """A sampling team's round at one site: individual samples, or one pool (`pool: true`)."""

    person_ids: list[int] = Field(..., min_length=1, max_length=500)
    commune: str = Field(..., min_length=1, max_length=5, description="Mã xã/phường nơi lấy mẫu")
    taken_at: dt.datetime | None = Field(None, description="Mặc định: bây giờ")
    reason: SampleReason = SampleReason.SCREENING
    kind: SampleKind | None = None
    codes: list[str] | None = Field(None, description="Mã ống mẫu theo thứ tự người (mẫu đơn)")
    place: str = Field("", max_length=255)
    campaign_id: int | None = None
    pool: bool = Field(False, description="Gộp các mẫu này thành một mẫu gộp (5–15 người)")
    pool_code: str = Field("", max_length=40)


class SampleFiltersIn(PageIn):
    campaign: int | None = None
    taken_from: dt.date | None = None
    taken_to: dt.date | None = None
    reason: SampleReason | None = None
    code: str = ""
    awaiting: bool = Field(False, description="Chỉ mẫu đơn chưa có kết quả")


class PoolOut(Schema):
    id: int
    code: str
    kind: SampleKind
    taken_at: dt.datetime
    commune: UnitRef
    campaign_id: int | None = None
    size: int
    result: ResultOut | None = None

    @staticmethod
    def resolve_result(pool):
        return result_of(pool)


class PoolDetailOut(PoolOut):
    members: list[SampleOut]

    @staticmethod
    def resolve_members(pool) -> list:
        return getattr(pool, "members_list", [])


class PoolIn(Schema):
    """Pool samples already taken (by id or code): 5–15, same day, same site."""

    sample_ids: list[int] = Field(default_factory=list, max_length=15)
    sample_codes: list[str] = Field(default_factory=list, max_length=15)
    code: str = Field("", max_length=40)


class BatchOut(Schema):
    samples: list[SampleOut]
    pool: PoolOut | None = None


# --- Case proposals ---------------------------------------------------------------------------


class ProposalSampleOut(Schema):
    id: int
    code: str
    reason: SampleReason
    taken_at: dt.datetime
    result: ResultOut | None = None

    @staticmethod
    def resolve_result(sample):
        return result_of(sample)


class ProposalOut(Schema):
    id: int
    person: TestedPersonOut
    commune: UnitRef
    sample: ProposalSampleOut
    status: ProposalStatus
    proposed_at: dt.datetime
    case_id: int | None = None
    decided_at: dt.datetime | None = None
    reason: str


class ProposalFiltersIn(PageIn):
    status: ProposalStatus | None = Field(ProposalStatus.PROPOSED, description="Mặc định: chờ xác nhận")


class ConfirmIn(Schema):
    confirmed_at: dt.datetime | None = Field(None, description="Mặc định: lúc lấy mẫu dương tính")
    detection: Detection | None = Field(None, description="Mặc định: theo lý do lấy mẫu")
    status: CaseStatus = CaseStatus.HOME_CARE
    note: str = ""


class ConfirmedOut(Schema):
    proposal: ProposalOut
    case_id: int
    case_code: str


class DismissIn(Schema):
    reason: str = Field(..., min_length=1, max_length=255)


# --- Campaigns --------------------------------------------------------------------------------


class CampaignIn(Schema):
    unit: str = Field(..., min_length=1, max_length=5, description="Mã tỉnh, huyện hoặc xã")
    name: str = Field(..., min_length=1, max_length=200)
    target_group: TargetGroup
    target_note: str = Field("", max_length=255)
    starts_on: dt.date
    ends_on: dt.date
    target_headcount: int | None = Field(None, ge=0)
    pool_size: int | None = Field(None, ge=5, le=15)
    sample_kind: SampleKind = SampleKind.RT_PCR
    note: str = ""


class CampaignPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    target_group: TargetGroup | None = None
    target_note: str | None = Field(None, max_length=255)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    target_headcount: int | None = Field(None, ge=0)
    pool_size: int | None = Field(None, ge=5, le=15)
    sample_kind: SampleKind | None = None
    note: str | None = None


class CampaignOut(Schema):
    id: int
    name: str
    target_group: TargetGroup
    target_group_label: str
    target_note: str
    unit: UnitRef
    starts_on: dt.date
    ends_on: dt.date
    target_headcount: int | None = None
    member_count: int = 0
    pool_size: int | None = None
    sample_kind: SampleKind
    note: str

    @staticmethod
    def resolve_target_group_label(campaign) -> str:
        return campaign.get_target_group_display()


class MembersIn(Schema):
    person_ids: list[int] = Field(..., min_length=1, max_length=5000)


class MembersOut(Schema):
    added: int
    member_count: int


class DayProgressOut(Schema):
    day: dt.date
    sampled: int
    pooled: int
    pools: int
    results: int
    positives: int
    positive_pools: int
    sampled_to_date: int
    coverage: float | None = None


class ProgressOut(Schema):
    target: int | None = None
    sampled: int
    pooled: int
    pools: int
    results: int = Field(..., description="Người có kết quả cuối cùng (mẫu đơn, hoặc mẫu gộp âm tính)")
    positives: int
    positive_pools: int
    awaiting: int
    coverage: float | None = Field(None, description="% mục tiêu đã lấy mẫu")
    days: list[DayProgressOut]


# --- Laboratories -----------------------------------------------------------------------------


class LaboratoryIn(Schema):
    code: str = Field(..., min_length=1, max_length=32)
    name: str = Field(..., min_length=1, max_length=200)
    unit: str = Field(..., min_length=1, max_length=5)


class LaboratoryOut(Schema):
    id: int
    code: str
    name: str
    unit: UnitRef
