"""JSON shapes of the response clock API."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from chongdich.core.api_support import PageIn


class ResponseFiltersIn(PageIn):
    district: str = Field("", description="Mã huyện")
    commune: str = Field("", description="Mã xã")
    stage: str = Field("", description="trace | zone | move: chỉ phản ứng còn giai đoạn này chưa xong")
    state: str = Field("open", description="open | late | closed | all")


class StageOut(Schema):
    id: int
    kind: str
    label: str
    due_at: dt.datetime
    warn_at: dt.datetime
    done_at: dt.datetime | None
    done_how: str
    done_by: str
    note: str
    evidence: dict
    light: str = Field(description="green | amber | red | done | done_late")
    seconds_left: int | None = Field(description="đến hạn (âm: đã quá hạn); null khi đã xong")


class ResponseOut(Schema):
    id: int
    case_id: int
    case_code: str
    person: str
    commune: str
    district: str
    confirmed_at: dt.datetime
    closed_at: dt.datetime | None
    rule_set: str
    stages: list[StageOut]


class DisinfectionOut(Schema):
    id: int
    place: str
    done_at: dt.datetime
    done_by_name: str
    note: str
    recorded_by: str


class ResponseDetailOut(ResponseOut):
    contacts: int
    waiting_proposals: int
    f1: list[dict]
    lockdown_areas: list[int]
    zone_designations: list[int]
    disinfections: list[DisinfectionOut]


class SignOffIn(Schema):
    note: str = Field(..., min_length=1, max_length=2000)


class DisinfectionIn(Schema):
    place: str = Field(..., max_length=255)
    done_by_name: str = Field(..., max_length=150)
    done_at: dt.datetime | None = None
    note: str = Field("", max_length=255)


class StageComplianceOut(Schema):
    counted: int = Field(description="giai đoạn đã xong hoặc đã quá hạn")
    on_time: int
    on_time_share: float | None
    median_minutes: float | None


class UnitComplianceOut(Schema):
    unit: str
    name: str
    responses: int
    stages: dict[str, StageComplianceOut]


class ComplianceOut(Schema):
    start: dt.date
    end: dt.date
    total: UnitComplianceOut
    units: list[UnitComplianceOut]
