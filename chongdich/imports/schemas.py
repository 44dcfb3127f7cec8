"""JSON shapes for imports: kinds and their fields, jobs and their progress, row errors, saved
column mappings."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from chongdich.core.api_support import PageIn


class FieldOut(Schema):
    name: str
    label: str
    required: bool
    help: str = ""


class KindOut(Schema):
    name: str
    label: str
    fields: list[FieldOut]


class JobFilters(PageIn):
    kind: str = Field("", description="people, cases, lab_results")


class JobOut(Schema):
    id: int
    kind: str
    original_name: str
    sha256: str
    size: int
    status: str = Field(..., description="mapping (chờ ghép cột), queued, running, done, failed")
    status_label: str
    total_rows: int | None = Field(None, description="đếm khi bắt đầu chạy")
    processed_rows: int
    percent: int
    created_count: int
    updated_count: int
    duplicate_count: int
    error_count: int
    summary: str
    headers: list[str] = Field(..., description="các cột của tệp")
    columns: dict[str, str] = Field(..., description="{trường: cột của tệp}")
    missing: list[str] = Field(..., description="trường bắt buộc chưa có cột (khi chờ ghép cột)")
    mapping_id: int | None = None
    created_by: str
    created_at: dt.datetime
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    same_file_before: int | None = Field(
        None, description="lần nhập trước đó của cùng tệp (cùng SHA-256), nếu có")


class MappingSetIn(Schema):
    columns: dict[str, str] = Field(..., description="{trường: cột của tệp}")
    save_as: str = Field("", max_length=150, description="lưu cách ghép cột cho nguồn này, với tên")


class RowErrorOut(Schema):
    row: int = Field(..., description="số dòng trong tệp (dòng tiêu đề là 1)")
    column: str = Field(..., description="trường")
    header: str = Field(..., description="cột của tệp")
    value: str
    reason: str
    values: list[str] = Field(..., description="cả dòng như trong tệp")


class MappingIn(Schema):
    name: str = Field(..., min_length=1, max_length=150,
                      description="ví dụ: CDC Vĩnh Phúc — danh sách F0")
    kind: str
    columns: dict[str, str]


class MappingPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=150)
    columns: dict[str, str] | None = None


class MappingOut(Schema):
    id: int
    name: str
    kind: str
    columns: dict[str, str]
    unit: str | None = Field(None, description="mã đơn vị sở hữu; trống: toàn quốc")
    unit_name: str = ""
    created_at: dt.datetime
    updated_at: dt.datetime
