"""Reading the values of cells as people type them in Vietnamese spreadsheets — pure.

Each parser takes the text of one cell and returns a value, or raises `CellError` with a message
for the error report. Empty cells are the caller's business (most parsers answer None).
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from chongdich.core.text import fold


class CellError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})")
_YMD = re.compile(r"(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})")
_TIME = re.compile(r"(\d{1,2})\s*[:hH]\s*(\d{2})(?:\s*:\s*(\d{2}))?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _date(year: int, month: int, day: int, raw: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(_("Ngày không tồn tại: %(value)s") % {"value": raw}) from None


def parse_date(raw: str) -> dt.date | None:
    """'20/05/2021', '20-5-2021', '20.05.2021', '2021-05-20' (XLSX dates arrive so), or an Excel
    day number ('44336', from a CSV saved out of Excel). Day before month, as Vietnam writes."""
    text = (raw or "").strip()
    if not text:
        return None
    if match := _YMD.match(text):
        y, m, d = (int(g) for g in match.groups())
        return _date(y, m, d, raw)
    if match := _DMY.match(text):
        d, m, y_text = match.groups()
        if len(y_text) != 4:
            raise CellError(_("Năm cần đủ 4 chữ số: %(value)s") % {"value": raw})
        return _date(int(y_text), int(m), int(d), raw)
    if re.fullmatch(r"\d{5}(\.0+)?", text) and 20000 <= float(text) <= 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    raise CellError(_("Không đọc được ngày: %(value)s (ghi theo dạng ngày/tháng/năm)")
                    % {"value": raw})


def parse_datetime(raw: str) -> tuple[dt.date, dt.time | None] | None:
    """A date with an optional time of day ('20/05/2021 14:30', '2021-05-20 14:30:00')."""
    day = parse_date(raw)
    if day is None:
        return None
    text = raw.strip()
    date_part = _YMD.match(text) or _DMY.match(text)
    rest = text[date_part.end():] if date_part else ""
    if match := _TIME.search(rest):
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise CellError(_("Giờ không hợp lệ: %(value)s") % {"value": raw})
        return day, dt.time(hour, minute)
    return day, None


def parse_year(raw: str) -> int | None:
    text = (raw or "").strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}(\.0+)?", text):
        return int(float(text))
    raise CellError(_("Năm sinh cần 4 chữ số: %(value)s") % {"value": raw})


def parse_birth(raw: str) -> tuple[dt.date | None, int | None]:
    """A 'date of birth' column often holds only the year: (date, year) — one of them or none."""
    text = (raw or "").strip()
    if re.fullmatch(r"\d{4}(\.0+)?", text):
        return None, int(float(text))
    day = parse_date(text)
    return day, (day.year if day else None)


_AGE = re.compile(r"(\d{1,3})(?:[.,]0+)?\s*(tuoi|t|thang|th|ngay)?")


def parse_age(raw: str) -> int | None:
    """'35', '35 tuổi', '6 tháng' (→ 0 years)."""
    text = fold(raw)
    if not text:
        return None
    match = _AGE.fullmatch(text)
    if match is None:
        raise CellError(_("Tuổi không hợp lệ: %(value)s") % {"value": raw})
    unit = match.group(2) or ""
    age = 0 if unit in ("thang", "th", "ngay") else int(match.group(1))
    if age > 120:
        raise CellError(_("Tuổi không hợp lý: %(value)s") % {"value": raw})
    return age


_SEX = {
    "nam": "male", "m": "male", "male": "male", "trai": "male", "gioi tinh nam": "male",
    "nu": "female", "f": "female", "female": "female", "gai": "female", "gioi tinh nu": "female",
    "": "unknown", "khong ro": "unknown", "chua ro": "unknown", "?": "unknown", "-": "unknown",
}


def parse_sex(raw: str) -> str:
    key = fold(raw).strip(". ")
    try:
        return _SEX[key]
    except KeyError:
        raise CellError(_("Giới tính không rõ: %(value)s (ghi Nam hoặc Nữ)") % {"value": raw}) \
            from None


def parse_citizen_id(raw: str) -> str:
    """Digits only. A CCCD stored as a number in Excel loses its leading zero (every CCCD starts
    with 0, the province code), so 11 digits get it back."""
    digits = re.sub(r"[\s.\-]", "", raw or "")
    if digits.endswith(".0"):
        digits = digits[:-2]
    if re.fullmatch(r"\d{11}", digits):
        digits = "0" + digits
    return digits


_PHONE_AS_NUMBER = re.compile(r"\d{9}(\.0+)?")


def parse_phone_text(raw: str) -> str:
    """A phone number stored as a number in Excel loses its leading zero: '912345678' → '0912…'."""
    text = (raw or "").strip()
    if _PHONE_AS_NUMBER.fullmatch(text):
        return "0" + text.split(".")[0]
    return text


OWN_CODE = re.compile(r"BN\d{2}-\d+")
_REF = re.compile(r"BN\s*[-.#:]?\s*(\d+)")


def patient_ref(raw: str) -> str:
    """A published patient number in one spelling: 'bn 3214', 'BN-3214', '3214' → 'BN3214'.
    Our own case codes ('BN26-000123') stay as they are."""
    text = re.sub(r"\s+", " ", (raw or "").strip().upper())
    if not text:
        return ""
    if OWN_CODE.fullmatch(text):
        return text
    if re.fullmatch(r"\d+(\.0+)?", text):
        return "BN" + text.split(".")[0]
    if match := _REF.fullmatch(text):
        return "BN" + match.group(1)
    return text.replace(" ", "")


def find_patient_ref(raw: str) -> str:
    """The patient number inside an 'infected by' cell such as 'F1 của BN3100' or 'BN3100,
    BN3101' (the first one); '' when the cell names none (e.g. 'chưa rõ nguồn lây')."""
    text = (raw or "").strip().upper()
    if not text:
        return ""
    if match := OWN_CODE.search(text):
        return match.group(0)
    if match := _REF.search(text):
        return "BN" + match.group(1)
    if re.fullmatch(r"\d+(\.0+)?", text):
        return "BN" + text.split(".")[0]
    return ""


_DETECTION = (
    ("imported", ("nhap canh", "ngoai tinh", "tinh khac", "tu tinh", "tu nuoc ngoai", "imported")),
    ("quarantine", ("cach ly", "phong toa", "quarantine")),
    ("symptoms", ("trieu chung", "tu den", "kham", "symptom")),
    ("community", ("cong dong", "sang loc", "tam soat", "xet nghiem dien rong", "community")),
)


def parse_detection(raw: str, default: str = "community") -> str:
    key = fold(raw)
    if not key:
        return default
    for value, words in _DETECTION:
        if any(word in key for word in words):
            return value
    raise CellError(
        _("Không rõ phát hiện qua đâu: %(value)s (ghi: cộng đồng, khu cách ly, có triệu chứng, "
          "nhập cảnh)") % {"value": raw}
    )
