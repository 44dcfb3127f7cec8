from __future__ import annotations

from collections import Counter
from math import cos, hypot, radians
from statistics import median

from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.core.errors import InvalidInput
from chongdich.core.jurisdiction import require_write
from chongdich.core.text import clean_name, fold
from chongdich.geography import sources
from chongdich.geography.models import AdminUnit, PopulationSource, UnitLevel, Village

CENSUS_NOTE = "Tổng điều tra dân số 01/4/2019 (TCTK)"
CENSUS_UNVERIFIED_NOTE = "Tổng điều tra 01/4/2019 — chưa đối chiếu được với nguồn công bố, cần kiểm tra"
ESTIMATE_NOTE = "Ước tính: dân số tỉnh (TĐT 2019) chia đều cho các xã; sửa khi có số liệu thật"


@transaction.atomic
def units_load(*, province_code: str | None = None) -> dict[str, int]:
    """Create or update the administrative units (all, or one province) with coordinates and
    populations. Idempotent; populations typed in by users (source 'user') are kept."""
    rows = list(sources.iter_units(province_code))
    if province_code and not rows:
        raise InvalidInput(_("Không có tỉnh/thành phố mã %(code)s.") % {"code": province_code}, field="province")
    coords = sources.coordinates()
    census = sources.census_2019()
    existing = {u.code: u for u in AdminUnit.objects.filter(code__in=[r.code for r in rows])}
    ids: dict[str, int] = {u.code: u.pk for u in existing.values()}
    parents: dict[str, AdminUnit] = {}
    counts: Counter = Counter()
    communes_per_province: Counter = Counter()
    province_of: dict[str, str] = {}
    for row in rows:
        if row.level == "province":
            province_of[row.code] = row.code
        else:
            province_of[row.code] = province_of.get(row.parent_code) or _province_code_of(row.parent_code)
        if row.level == "commune":
            communes_per_province[province_of[row.code]] += 1

    for level in (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        batch_new, batch_old = [], []
        for row in (r for r in rows if r.level == level):
            lat, lon, bbox = coords.get(row.code, (None, None, None))
            parent = parents.get(row.parent_code) if row.parent_code else None
            if row.parent_code and parent is None:
                parent = AdminUnit.objects.get(code=row.parent_code)
            unit = existing.get(row.code) or AdminUnit(code=row.code)
            unit.level, unit.kind, unit.name = level, row.kind, row.name
            unit.name_with_type, unit.name_folded = row.name_with_type, fold(row.name_with_type)
            unit.parent = parent
            unit.province = None if level == UnitLevel.PROVINCE else (parent.province or parent)
            unit.district = parent if level == UnitLevel.COMMUNE else None
            unit.lat, unit.lon, unit.bbox = lat, lon, bbox
            if unit.population_source != PopulationSource.USER:
                pcode = province_of[row.code]
                if level == UnitLevel.PROVINCE and pcode in census:
                    unit.population, verified = census[pcode]
                    unit.population_source = PopulationSource.CENSUS_2019
                    unit.population_note = CENSUS_NOTE if verified else CENSUS_UNVERIFIED_NOTE
                elif level == UnitLevel.COMMUNE and pcode in census:
                    unit.population = census[pcode][0] // max(communes_per_province[pcode], 1)
                    unit.population_source, unit.population_note = PopulationSource.ESTIMATE, ESTIMATE_NOTE
            (batch_old if unit.pk else batch_new).append(unit)
        AdminUnit.objects.bulk_create(batch_new, batch_size=2000)
        fields = ["level", "kind", "name", "name_with_type", "name_folded", "parent", "province",
                  "district", "lat", "lon", "bbox", "population", "population_source", "population_note"]
        AdminUnit.objects.bulk_update(batch_old, fields, batch_size=2000)
        for unit in AdminUnit.objects.filter(level=level, code__in=[r.code for r in rows if r.level == level]):
            parents[unit.code] = unit
            ids[unit.code] = unit.pk
        counts[level] = len(batch_new) + len(batch_old)
    _sum_district_estimates(province_code)
    _pull_in_stray_communes(province_code)
    return dict(counts)


STRAY_KM = 60
STRAY_NOTE = "Toạ độ gốc cách trung tâm huyện hơn {km} km (nghi sai); dùng tạm tâm huyện"


def _pull_in_stray_communes(province_code: str | None) -> None:
    """The geocoded points of a few communes land in another province (a namesake elsewhere).
    A commune more than STRAY_KM from the median point of its district's communes is put at
    that median and marked approximate, rather than drawn in the wrong place."""
    communes = AdminUnit.objects.filter(level=UnitLevel.COMMUNE, lat__isnull=False)
    if province_code:
        communes = communes.filter(province__code=province_code)
    by_district: dict[int, list[AdminUnit]] = {}
    for unit in communes.only("pk", "lat", "lon", "district_id", "coordinates_note"):
        by_district.setdefault(unit.district_id, []).append(unit)
    strays = []
    for units in by_district.values():
        lat, lon = median(u.lat for u in units), median(u.lon for u in units)
        for unit in units:
            km = hypot(unit.lat - lat, (unit.lon - lon) * cos(radians(lat))) * 111.2
            if km > STRAY_KM:
                unit.lat, unit.lon, unit.bbox = lat, lon, None
                unit.coordinates_note = STRAY_NOTE.format(km=STRAY_KM)
                strays.append(unit)
    AdminUnit.objects.bulk_update(strays, ["lat", "lon", "bbox", "coordinates_note"])


def _province_code_of(code: str | None) -> str:
    unit = AdminUnit.objects.select_related("province").get(code=code)
    return (unit.province or unit).code


def _sum_district_estimates(province_code: str | None) -> None:
    districts = AdminUnit.objects.filter(level=UnitLevel.DISTRICT)
    if province_code:
        districts = districts.filter(province__code=province_code)
    for district in districts.exclude(population_source=PopulationSource.USER):
        total = sum(c.population or 0 for c in AdminUnit.objects.filter(parent=district).only("population"))
        district.population = total or None
        district.population_source = PopulationSource.ESTIMATE
        district.population_note = "Tổng ước tính của các xã"
        district.save(update_fields=["population", "population_source", "population_note"])


@transaction.atomic
def unit_set_population(*, actor, unit: AdminUnit, population: int, note: str = "") -> AdminUnit:
    require_write(actor, unit, "edit_units")
    if population < 0:
        raise InvalidInput(_("Dân số không được âm."), field="population")
    unit.population = population
    unit.population_source = PopulationSource.USER
    unit.population_note = note[:200]
    unit.save(update_fields=["population", "population_source", "population_note"])
    return unit


@transaction.atomic
def village_create(*, actor, commune: AdminUnit, name: str, kind: str, population: int | None = None) -> Village:
    if commune.level != UnitLevel.COMMUNE:
        raise InvalidInput(_("Thôn/tổ dân phố phải thuộc một xã/phường."), field="commune")
    require_write(actor, commune, "edit_units")
    name = clean_name(name)
    if not name:
        raise InvalidInput(_("Tên thôn/tổ dân phố không được để trống."), field="name")
    if any(fold(v.name) == fold(name) for v in Village.objects.filter(commune=commune).only("name")):
        raise InvalidInput(_("Xã này đã có thôn/tổ dân phố cùng tên."), field="name")
    return Village.objects.create(
        commune=commune, district_id=commune.district_id, province_id=commune.province_id,
        name=name, kind=kind, population=population,
    )
