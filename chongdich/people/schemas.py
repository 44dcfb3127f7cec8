"""JSON shapes for people. `PersonIn` is also nested in case and contact registration."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import field_validator

from chongdich.core.api_support import PageIn
from chongdich.geography.schemas import UnitRef
from chongdich.people.models import Sex


class PersonIn(Schema):
    commune: str = Field(..., description="Mã xã/phường nơi ở", min_length=1, max_length=5)
    full_name: str = Field(..., min_length=1, max_length=150)
    birth_date: dt.date | None = None
    birth_year: int | None = None
    sex: Sex = Sex.UNKNOWN
    phone: str = Field("", max_length=20)
    citizen_id: str = Field("", max_length=20, description="CCCD, 12 chữ số")
    address: str = Field("", max_length=255)
    occupation: str = Field("", max_length=100)
    workplace: str = Field("", max_length=200)
    village_id: int | None = None
    confirm_new: bool = Field(
        False, description="Vẫn tạo người mới dù có hồ sơ có thể trùng (không áp dụng khi trùng CCCD)"
    )


class PersonPatch(Schema):
    """Only the fields sent are changed."""

    commune: str | None = Field(None, max_length=5)
    full_name: str | None = Field(None, min_length=1, max_length=150)
    birth_date: dt.date | None = None
    birth_year: int | None = None
    sex: Sex | None = None
    phone: str | None = Field(None, max_length=20)
    citizen_id: str | None = Field(None, max_length=20)
    address: str | None = Field(None, max_length=255)
    occupation: str | None = Field(None, max_length=100)
    workplace: str | None = Field(None, max_length=200)
    village_id: int | None = None


class PersonFilters(PageIn):
    q: str = Field("", description="Họ tên (có hoặc không dấu), số điện thoại hoặc CCCD")
    rank: int | None = Field(None, ge=0, description="0 = F0, 1 = F1 … (chấp nhận cả 'F1')")
    unit: str = Field("", description="Mã đơn vị (tỉnh, huyện hoặc xã)")

    @field_validator("rank", mode="before")
    @classmethod
    def rank_label(cls, value):
        if isinstance(value, str) and value[:1] in ("F", "f"):
            return value[1:]
        return None if value in ("", None) else value


class PersonOut(Schema):
    id: int
    full_name: str
    birth_year: int | None = None
    sex: Sex
    phone: str
    commune: UnitRef
    rank: int | None = None
    rank_label: str = Field("", description="F0, F1, F2 … hoặc rỗng")


class PersonDetailOut(PersonOut):
    birth_date: dt.date | None = None
    citizen_id: str
    district: UnitRef
    province: UnitRef
    village_id: int | None = None
    address: str
    occupation: str
    workplace: str
    rank_changed_at: dt.datetime | None = None
    active_case: str | None = Field(None, description="Mã ca bệnh đang điều trị, nếu là F0")
    created_at: dt.datetime


class ContactPersonOut(Schema):
    id: int
    full_name: str
    rank: int | None = None
    rank_label: str
    commune: UnitRef


class PersonContactOut(Schema):
    """One exposure of a person, seen from that person: `other` is the one on the other side."""

    id: int
    other: ContactPersonOut
    last_contact_at: dt.datetime | None = None
    setting: str
    note: str
    case_id: int | None = None
