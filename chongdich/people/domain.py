"""Identity rules for people, pure: phone numbers, citizen IDs, names, probable duplicates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import phonenumbers
from django.utils.translation import gettext as _

from chongdich.core.text import clean_name, fold

# GSO province codes, which are also the first three digits of a CCCD (e.g. 026 Vĩnh Phúc).
PROVINCE_CODES = frozenset(
    "01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42 44 45 46 "
    "48 49 51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 86 87 89 91 92 93 94 95 96".split()
)


class IdentityError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_phone(raw: str) -> str:
    """'+84 912 345 678', '0912.345.678', '84912345678' → '0912345678'. Empty stays empty."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    digits = re.sub(r"[^\d+]", "", raw)
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "+" + digits
    try:
        number = phonenumbers.parse(digits, "VN")
    except phonenumbers.NumberParseException as exc:
        raise IdentityError("phone", _("Số điện thoại không hợp lệ: %(value)s") % {"value": raw}) from exc
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise IdentityError("phone", _("Số điện thoại không hợp lệ: %(value)s") % {"value": raw})
    return "0" + str(number.national_number)


def validate_citizen_id(raw: str, *, birth_year: int | None = None, sex: str = "") -> str:
    """A CCCD has 12 digits: province of registration (3), century+sex (1), year of birth (2), serial (6).
    Checks what can be checked against the rest of the record."""
    cid = re.sub(r"\s", "", raw or "")
    if not cid:
        return ""
    if not re.fullmatch(r"\d{12}", cid):
        raise IdentityError("citizen_id", _("Số CCCD phải gồm đúng 12 chữ số."))
    if cid[1:3] not in PROVINCE_CODES or cid[0] != "0":
        raise IdentityError(
            "citizen_id",
            _("Số CCCD bắt đầu bằng mã tỉnh không tồn tại (%(code)s).") % {"code": cid[:3]},
        )
    century_sex = int(cid[3])
    century = 1900 + 100 * (century_sex // 2)
    encoded_sex = "female" if century_sex % 2 else "male"
    if birth_year is not None and century + int(cid[4:6]) != birth_year:
        raise IdentityError(
            "citizen_id",
            _("Số CCCD ghi năm sinh %(encoded)s, hồ sơ ghi %(recorded)s.")
            % {"encoded": century + int(cid[4:6]), "recorded": birth_year},
        )
    if sex in ("male", "female") and sex != encoded_sex:
        raise IdentityError("citizen_id", _("Số CCCD không khớp giới tính trong hồ sơ."))
    return cid


@dataclass(frozen=True)
class Identity:
    full_name: str
    name_folded: str
    birth_year: int | None
    birth_date: dt.date | None
    phone: str
    citizen_id: str


def clean_identity(
    *, full_name: str, birth_date: dt.date | None = None, birth_year: int | None = None,
    phone: str = "", citizen_id: str = "", sex: str = "", today: dt.date | None = None,
) -> Identity:
    name = clean_name(full_name)
    if len(name) < 2:
        raise IdentityError("full_name", _("Họ tên không được để trống."))
    today = today or dt.date.today()
    if birth_date:
        if birth_date > today:
            raise IdentityError("birth_date", _("Ngày sinh ở tương lai."))
        if birth_year and birth_year != birth_date.year:
            raise IdentityError("birth_year", _("Năm sinh không khớp ngày sinh."))
        birth_year = birth_date.year
    if birth_year is not None and not (today.year - 120 <= birth_year <= today.year):
        raise IdentityError("birth_year", _("Năm sinh không hợp lý: %(year)s.") % {"year": birth_year})
    return Identity(
        full_name=name,
        name_folded=fold(name),
        birth_year=birth_year,
        birth_date=birth_date,
        phone=normalise_phone(phone),
        citizen_id=validate_citizen_id(citizen_id, birth_year=birth_year, sex=sex),
    )


def is_probable_duplicate(a: Identity, b: Identity) -> bool:
    """Same citizen ID, or the same folded name, birth year and phone."""
    if a.citizen_id and a.citizen_id == b.citizen_id:
        return True
    return (
        a.name_folded == b.name_folded
        and a.birth_year is not None
        and a.birth_year == b.birth_year
        and bool(a.phone)
        and a.phone == b.phone
    )
