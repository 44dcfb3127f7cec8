"""Identity rules as tables: phones, citizen IDs, names, probable duplicates."""

import datetime as dt

import pytest

from chongdich.core.text import fold
from chongdich.people.domain import (
    IdentityError,
    clean_identity,
    is_probable_duplicate,
    normalise_phone,
    validate_citizen_id,
)

PHONES = [
    ("0912345678", "0912345678"),
    ("0912 345 678", "0912345678"),
    ("0912.345.678", "0912345678"),
    ("+84 912 345 678", "0912345678"),
    ("84912345678", "0912345678"),
    ("(+84) 386-123-456", "0386123456"),
    ("0243 826 1234", "02438261234"),  # Hà Nội landline
    ("", ""),
]


@pytest.mark.parametrize(("raw", "normalised"), PHONES)
def test_vietnamese_phone_numbers_are_normalised(raw, normalised):
    assert normalise_phone(raw) == normalised


@pytest.mark.parametrize("raw", ["12345", "0912", "+1 212 555 0100", "abc", "09123456789012"])
def test_invalid_phone_numbers_are_refused_naming_the_field(raw):
    with pytest.raises(IdentityError) as err:
        normalise_phone(raw)
    assert err.value.field == "phone"


CITIZEN_IDS = [
    # (raw, birth_year, sex, valid?)
    ("026090001234", 1990, "male", True),  # Vĩnh Phúc, 20th century, male
    ("026190001234", 1990, "female", True),
    ("026205001234", 2005, "male", True),  # 21st century, male
    ("026305001234", 2005, "female", True),
    ("026 090 001 234", None, "", True),  # spaces are ignored
    ("02609000123", None, "", False),  # 11 digits
    ("0260900012345", None, "", False),  # 13 digits
    ("03A090001234", None, "", False),
    ("003090001234", None, "", False),  # 03 is not a province code
    ("026090001234", 1991, "", False),  # encodes 1990
    ("026090001234", None, "female", False),  # encodes male
]


@pytest.mark.parametrize(("raw", "birth_year", "sex", "valid"), CITIZEN_IDS)
def test_citizen_ids_are_checked_against_the_record(raw, birth_year, sex, valid):
    if valid:
        assert validate_citizen_id(raw, birth_year=birth_year, sex=sex) == raw.replace(" ", "")
    else:
        with pytest.raises(IdentityError):
            validate_citizen_id(raw, birth_year=birth_year, sex=sex)


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Nguyễn Văn Đức", "nguyen van duc"), ("  TRẦN   thị  Hằng ", "tran thi hang"),
     ("Đặng Ngọc Ánh", "dang ngoc anh"), ("Lê Quý Đôn", "le quy don")],
)
def test_names_fold_to_plain_lower_case(text, folded):
    assert fold(text) == folded


def identity(**kw):
    base = {"full_name": "Nguyễn Văn An", "birth_year": 1985, "phone": "0912345678", "today": dt.date(2021, 6, 1)}
    return clean_identity(**(base | kw))


def test_a_birth_date_sets_the_birth_year():
    assert identity(birth_year=None, birth_date=dt.date(1985, 3, 2)).birth_year == 1985


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"full_name": " "}, "full_name"), ({"birth_year": 1850}, "birth_year"),
     ({"birth_date": dt.date(2030, 1, 1), "birth_year": None}, "birth_date"),
     ({"birth_date": dt.date(1984, 1, 1)}, "birth_year")],
)
def test_impossible_identities_are_refused(changes, field):
    with pytest.raises(IdentityError) as err:
        identity(**changes)
    assert err.value.field == field


DUPLICATES = [
    ({}, {"full_name": "Nguyen Van An"}, True),  # same without diacritics
    ({}, {"full_name": "Nguyễn  văn   an", "phone": "+84912345678"}, True),
    ({}, {"birth_year": 1986}, False),
    ({}, {"phone": "0987654321"}, False),
    ({"phone": ""}, {"phone": ""}, False),  # no phone: not enough to call it the same
    ({"citizen_id": "026085001234"}, {"full_name": "Trần Bình", "citizen_id": "026085001234", "phone": ""}, True),
]


@pytest.mark.parametrize(("a", "b", "same"), DUPLICATES)
def test_probable_duplicates(a, b, same):
    assert is_probable_duplicate(identity(**a), identity(**b)) is same
