"""JSON shapes of the risk API: assessments with explanations, decisions, rule sets, what-if,
capacity statements and the public level map."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from chongdich.core.api_support import PageIn

WEEK = Field("", description="Tuần ISO, ví dụ 2021-W50 (để trống: tuần trước)")


class AssessmentFiltersIn(PageIn):
    week: str = WEEK
    level: str = Field("", description="commune | district | province")
    unit: str = Field("", description="Mã đơn vị: chỉ đơn vị đó và các đơn vị trực thuộc")


class AssessmentOut(Schema):
    unit: str
    unit_name: str
    unit_level: str
    week: str
    computed_level: int
    level: int | None = Field(None, description="Cấp đang áp dụng: theo quyết định nếu có, nếu không là mức tính")
    source: str = Field("", description="decision | computed")
    explanation: str
    rule_set: str
    inputs: dict
    computed_at: dt.datetime


class RunIn(Schema):
    week: str = WEEK
    province: str = Field("", description="Mã tỉnh (để trống: tỉnh của tài khoản)")
    rule_set: str = Field("", description="Mã bộ tiêu chí (để trống: bộ có hiệu lực)")


class RunOut(Schema):
    week: str
    rule_set: str
    units: int
    by_level: dict[str, int]
    coverage_known: bool


class DecisionIn(Schema):
    unit: str = Field(..., min_length=1, max_length=5)
    week: str = WEEK
    level: int = Field(..., ge=1, le=4)
    reason: str = ""
    effective_at: dt.datetime | None = Field(None, description="Để trống: ngay (nâng cấp: sau 48 giờ)")


class DecisionFiltersIn(PageIn):
    unit: str = ""
    week: str = ""


class DecisionOut(Schema):
    id: int
    unit: str
    week: str
    kind: str
    level: int
    previous_level: int | None
    reason: str
    announced_at: dt.datetime
    effective_at: dt.datetime
    decided_by: str


class RuleSetIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    legal_source: str = Field(..., min_length=1, max_length=300)
    valid_from: dt.date
    valid_to: dt.date | None = None
    rules: dict
    needs_verification: bool = True
    is_default: bool = False
    note: str = ""


class RuleSetOut(Schema):
    code: str
    name: str
    legal_source: str
    valid_from: dt.date
    valid_to: dt.date | None
    is_default: bool
    needs_verification: bool
    note: str
    rules: dict


class WhatIfIn(Schema):
    unit: str = Field("", description="Mã đơn vị: lấy dân số và bộ tiêu chí của tuần từ đánh giá")
    week: str = WEEK
    rule_set: str = ""
    population: int | None = Field(None, ge=1)
    community_cases: int = Field(0, ge=0)
    all_cases: int | None = Field(None, ge=0)
    oxygen_cases: int | None = Field(None, ge=0)
    deaths: int | None = Field(None, ge=0)
    coverage: dict[str, float] | None = Field(None, description='{"18+|1": 72.5, "50+|full": 81}')
    capacity_met: bool | None = None


class WhatIfOut(Schema):
    level: int
    band: int
    explanation: str
    rule_set: str


class CapacityIn(Schema):
    unit: str = Field(..., min_length=1, max_length=5)
    met: bool
    as_of: dt.date | None = None
    icu_ready: bool | None = None
    oxygen_at_every_station: bool | None = None
    mobile_stations: int | None = Field(None, ge=0)
    note: str = ""


class CapacityOut(Schema):
    id: int
    unit: str
    as_of: dt.date
    met: bool
    icu_ready: bool | None
    oxygen_at_every_station: bool | None
    mobile_stations: int | None
    note: str


class PublicLevelOut(Schema):
    code: str
    name: str
    level: int | None
    source: str
    lat: float | None
    lon: float | None


class PublicLevelsOut(Schema):
    week: str
    level: str
    units: list[PublicLevelOut]
