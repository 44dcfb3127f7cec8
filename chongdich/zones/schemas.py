"""JSON shapes for lockdown areas, zone designations and the map."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from chongdich.core.api_support import PageIn
from chongdich.zones.models import AreaShape, Ring, ZoneColour


class RingsIn(Schema):
    core: int = Field(..., ge=1, description="Bán kính vùng lõi (m)")
    buffer: int | None = Field(None, ge=1, description="Bán kính vùng đệm (m), lớn hơn vùng lõi")
    watch: int | None = Field(None, ge=1, description="Bán kính vùng giám sát (m), lớn hơn vùng đệm")


class AreaIn(Schema):
    """A set of units (`units`: commune/district codes) and/or villages (`villages`: ids), or a
    point (`lat`, `lon`, `rings`, optional `commune` code: found from the point when omitted)."""

    shape: AreaShape
    name: str = Field(..., min_length=1, max_length=200)
    reason: str = Field(..., min_length=1)
    starts_at: dt.datetime | None = Field(None, description="Mặc định: bây giờ")
    ends_at: dt.datetime | None = Field(None, description="Để trống: đến khi gỡ phong tỏa")
    trigger_case_id: int | None = None
    units: list[str] = Field([], description="Mã xã/huyện (shape=units)")
    villages: list[int] = Field([], description="Mã thôn (shape=units)")
    lat: float | None = None
    lon: float | None = None
    address: str = Field("", max_length=255)
    commune: str = Field("", max_length=5)
    rings: RingsIn | None = None


class ExtendIn(Schema):
    ends_at: dt.datetime | None = Field(..., description="Thời điểm kết thúc mới; null: đến khi gỡ")


class LiftIn(Schema):
    reason: str = Field(..., min_length=1)
    at: dt.datetime | None = Field(None, description="Mặc định: bây giờ")


class AreaFiltersIn(PageIn):
    state: str = Field("", description="active, planned, ended")
    shape: AreaShape | None = None
    q: str = ""


class RingOut(Schema):
    ring: Ring
    radius_m: int


class MemberOut(Schema):
    unit: str | None = None
    unit_name: str | None = None
    village_id: int | None = None
    village: str | None = None


class RingEstimateOut(Schema):
    ring: str
    radius_m: int
    area_km2: float
    people: int
    people_within: int


class PopulationOut(Schema):
    total: int | None
    is_estimate: bool
    method: str
    missing: list[str] = []
    registered: int | None = None
    density_per_km2: float | None = None
    rings: list[RingEstimateOut] = []


class AreaOut(Schema):
    id: int
    name: str
    shape: AreaShape
    state: str
    reason: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    lifted_reason: str
    trigger_case_id: int | None
    trigger_case: str | None = None
    lat: float | None
    lon: float | None
    address: str
    province: str
    district: str | None = None
    commune: str | None = None


class AreaDetailOut(AreaOut):
    members: list[MemberOut] = []
    rings: list[RingOut] = []
    population: PopulationOut


class DesignationIn(Schema):
    colour: ZoneColour
    starts_on: dt.date
    ends_on: dt.date | None = None
    units: list[str] = Field([], description="Mã xã/huyện")
    villages: list[int] = Field([], description="Mã thôn")
    reason: str = ""
    trigger_case_id: int | None = None


class DesignationFiltersIn(PageIn):
    on: dt.date | None = Field(None, description="Có hiệu lực vào ngày")
    colour: ZoneColour | None = None
    unit: str = Field("", description="Mã đơn vị (và các đơn vị trực thuộc)")


class DesignationOut(Schema):
    id: int
    unit: str
    unit_name: str
    village_id: int | None
    village: str | None
    colour: ZoneColour
    starts_on: dt.date
    ends_on: dt.date | None
    reason: str
    trigger_case_id: int | None


class MapQueryIn(Schema):
    week: str = Field("", description="Tuần ISO, ví dụ 2021-W50 (hoặc một ngày); mặc định tuần mới nhất")
    level: str = Field("", description="province, district hoặc commune")
    parent: str = Field("", description="Mã đơn vị chứa các đơn vị hiển thị")
