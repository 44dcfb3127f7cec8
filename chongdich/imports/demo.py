"""Imports in the demo province: the column mappings its sources use, saved as an officer would
have saved them after a first upload, so a file from those sources maps itself. Call once after
the case demo: a second call does nothing."""

from __future__ import annotations

from chongdich.imports.models import ColumnMapping

MAPPINGS = (
    ("CDC tỉnh — danh sách ca bệnh công bố", "cases", {
        "external_ref": "Mã BN", "infected_by": "Liên quan đến BN", "birth_year": "Năm sinh",
        "sex": "Giới tính", "commune": "Địa chỉ", "confirmed_on": "Ngày có KQ dương tính",
        "onset_on": "Ngày khởi phát", "detection": "Nơi phát hiện", "note": "Lịch trình",
    }),
    ("Trạm y tế xã — danh sách người về từ vùng dịch", "people", {
        "full_name": "Họ và tên", "birth_date": "Ngày tháng năm sinh", "sex": "Giới tính",
        "phone": "SĐT liên hệ", "citizen_id": "Số CCCD/CMND", "commune": "Xã/Phường",
        "village": "Thôn/Tổ dân phố", "address": "Chỗ ở hiện nay",
    }),
)


def load_demo(*, province, rng=None, today=None) -> int:
    """The province's saved mappings; returns how many were added."""
    added = 0
    for name, kind, columns in MAPPINGS:
        _mapping, created = ColumnMapping.objects.get_or_create(
            unit=province, kind=kind, name=name, defaults={"columns": columns})
        added += created
    return added
