"""JSON shapes for administrative units and villages."""

from __future__ import annotations

from ninja import Field, Schema

from chongdich.core.api_support import PageIn
from chongdich.geography.models import UnitLevel, VillageKind


class UnitRef(Schema):
    code: str
    name: str = Field(..., alias="name_with_type")


class UnitOut(Schema):
    code: str
    level: UnitLevel
    kind: str
    name: str
    name_with_type: str
    parent_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    population_source: str = ""

    @staticmethod
    def resolve_parent_code(unit) -> str | None:
        return unit.parent.code if unit.parent_id else None


class UnitDetailOut(UnitOut):
    province_code: str | None = None
    district_code: str | None = None
    bbox: list[float] | None = Field(None, description="[south, west, north, east]")
    population_note: str = ""

    @staticmethod
    def resolve_province_code(unit) -> str | None:
        return unit.province.code if unit.province_id else None

    @staticmethod
    def resolve_district_code(unit) -> str | None:
        return unit.district.code if unit.district_id else None


class UnitFilters(PageIn):
    level: UnitLevel | None = None
    parent: str = Field("", description="Mã đơn vị cấp trên")
    q: str = Field("", description="Tìm theo tên, có hoặc không dấu")


class PopulationIn(Schema):
    population: int = Field(..., ge=0)
    note: str = Field("", max_length=200)


class VillageIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    kind: VillageKind = VillageKind.VILLAGE
    population: int | None = Field(None, ge=0)


class VillageOut(Schema):
    id: int
    name: str
    kind: VillageKind
    population: int | None = None
    commune_code: str

    @staticmethod
    def resolve_commune_code(village) -> str:
        return village.commune.code
