"""Vietnamese text helpers: fold diacritics so 'Nguyễn Văn Đức' matches 'nguyen van duc'."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d), collapse white space."""
    text = unicodedata.normalize("NFD", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D").lower()
    return _SPACES.sub(" ", text).strip()


def clean_name(text: str) -> str:
    """Keep diacritics, normalise to NFC and single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()
