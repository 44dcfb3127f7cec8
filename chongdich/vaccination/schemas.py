"""JSON shapes for doses, coverage and aggregate reports."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from chongdich.geography.schemas import UnitRef


class ProductOut(Schema):
    code: str
    name: str
    manufacturer: str
    series_doses: int


class DoseIn(Schema):
    person_id: int
    product: str = Field(..., description="Mã vắc xin, ví dụ AZ, PFIZER, VEROCELL, JANSSEN")
    dose_number: int = Field(..., ge=1, le=10)
    given_on: dt.date
    site: str = Field("", max_length=200, description="Điểm tiêm")
    site_unit: str = Field("", max_length=5, description="Mã xã/huyện của điểm tiêm")
    batch: str = Field("", max_length=40, description="Số lô")


class DoseOut(Schema):
    id: int
    person_id: int
    product: str = Field(..., alias="product.code")
    dose_number: int
    given_on: dt.date
    site: str
    batch: str
    source: str


class DoseBatchIn(Schema):
    items: list[DoseIn] = Field(..., min_length=1, max_length=5000)


class DoseBatchItemOut(Schema):
    index: int
    status: str = Field(..., description="created | duplicate | error")
    id: int | None = None
    field: str = ""
    message: str = ""


class DoseBatchOut(Schema):
    created: int
    duplicate: int
    error: int
    items: list[DoseBatchItemOut]


class DoseCountOut(Schema):
    people: int | None
    pct: float | None = Field(None, description="% of the group's population; null if unknown")


class GroupCoverageOut(Schema):
    group: str
    label: str
    population: int | None
    doses: dict[str, DoseCountOut] = Field(..., description='keys "1", "full", "booster"')


class CoverageOut(Schema):
    unit: UnitRef
    level: str
    as_of: dt.date
    source: str = Field(..., description="records | aggregate | none")
    population_source: str = Field(..., description="report | estimate | mixed | ''")
    counted_through: dt.date | None = None
    parts: dict[str, int] = Field(default_factory=dict, description="communes by source (parents)")
    groups: list[GroupCoverageOut]


class CoverageTreeOut(CoverageOut):
    children: list[CoverageOut] = []


class ReportIn(Schema):
    unit: str = Field(..., min_length=1, max_length=5, description="Mã đơn vị báo cáo")
    as_of: dt.date
    group: str = Field(..., description='"all", "18+", "12-17", "50+", "65+"')
    population: int | None = Field(None, ge=0)
    one_dose: int = Field(..., ge=0)
    full_series: int = Field(..., ge=0)
    booster: int | None = Field(None, ge=0)
    source: str = Field("", max_length=200)
    note: str = ""


class ReportOut(Schema):
    id: int
    unit: UnitRef
    as_of: dt.date
    group: str = Field(..., alias="grp")
    population: int | None
    one_dose: int
    full_series: int
    booster: int | None
    source: str
    note: str
