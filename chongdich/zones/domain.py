"""Pure rules of zoning: ring validation and areas, population estimates inside rings, the
commune a point falls in, level colours and ISO weeks. No ORM here; tested without a database."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from chongdich.core.errors import InvalidInput

RING_ORDER = ("core", "buffer", "watch")
MAX_RADIUS_M = 20_000  # a "small point" lockdown; wider areas are recorded as sets of units
KM_PER_DEGREE = 111.32  # length of one degree of latitude (and of longitude at the equator)
POINT_MARGIN_KM = 1.0  # a point may lie this far outside its commune's bounding box

# Resolution 128 colours of levels 1–4, and grey for "not assessed".
LEVEL_COLOURS = {1: "#2e9e4f", 2: "#f2c200", 3: "#f07d00", 4: "#d7191c"}
NO_LEVEL_COLOUR = "#9e9e9e"
ZONE_COLOURS = {"red": "#d7191c", "orange": "#f07d00", "yellow": "#f2c200", "green": "#2e9e4f"}


def level_colour(level: int | None) -> str:
    return LEVEL_COLOURS.get(level or 0, NO_LEVEL_COLOUR)


# --- Rings ----------------------------------------------------------------------------------


def validate_rings(radii: dict[str, int | None]) -> dict[str, int]:
    """The rings given, in order core < buffer < watch, each a whole number of metres between 1
    and MAX_RADIUS_M; the core ring is required, buffer and watch are optional. Returns the
    rings present ({ring: radius})."""
    unknown = set(radii) - set(RING_ORDER)
    if unknown:
        raise InvalidInput(_("Vòng không hợp lệ: %(ring)s") % {"ring": ", ".join(sorted(unknown))}, field="rings")
    present = {ring: radii[ring] for ring in RING_ORDER if radii.get(ring) not in (None, "")}
    if "core" not in present:
        raise InvalidInput(_("Cần bán kính vùng lõi."), field="core_m")
    previous_ring, previous = None, 0
    for ring, radius in present.items():
        if not isinstance(radius, int) or isinstance(radius, bool) or radius <= 0:
            raise InvalidInput(_("Bán kính phải là số mét nguyên dương."), field=f"{ring}_m")
        if radius > MAX_RADIUS_M:
            raise InvalidInput(_("Bán kính tối đa %(max)s m; vùng rộng hơn hãy ghi theo xã, thôn.")
                               % {"max": MAX_RADIUS_M}, field=f"{ring}_m")
        if radius <= previous:
            raise InvalidInput(_("Bán kính %(ring)s (%(radius)s m) phải lớn hơn bán kính %(inner)s (%(inner_radius)s m).")
                               % {"ring": ring_label(ring), "radius": radius,
                                  "inner": ring_label(previous_ring), "inner_radius": previous},
                               field=f"{ring}_m")
        previous_ring, previous = ring, radius
    return present


def ring_label(ring: str | None) -> str:
    return {"core": _("vùng lõi"), "buffer": _("vùng đệm"), "watch": _("vùng giám sát")}.get(ring or "", ring or "")


def disc_area_km2(radius_m: float) -> float:
    return math.pi * (radius_m / 1000) ** 2


def ring_areas_km2(rings: dict[str, int]) -> dict[str, float]:
    """The area of each ring itself: the core a disc, the buffer and watch the annuli between
    their radius and the next ring inside."""
    out, inner = {}, 0.0
    for ring in RING_ORDER:
        if ring in rings:
            out[ring] = disc_area_km2(rings[ring]) - disc_area_km2(inner)
            inner = rings[ring]
    return out


# --- Population estimates -------------------------------------------------------------------


def bbox_area_km2(bbox) -> float | None:
    """Area of a bounding box [south, west, north, east] in km² (equirectangular, at its middle
    latitude). None when the box is missing or empty."""
    if not bbox or len(bbox) != 4:
        return None
    south, west, north, east = (float(v) for v in bbox)
    height = (north - south) * KM_PER_DEGREE
    width = (east - west) * KM_PER_DEGREE * math.cos(math.radians((north + south) / 2))
    area = height * width
    return area if area > 0 else None


@dataclass(frozen=True)
class RingEstimate:
    ring: str
    radius_m: int
    area_km2: float
    people: int  # estimated people living in this ring (not counting the rings inside)
    people_within: int  # estimated people within the radius (this ring and those inside)

    @property
    def label(self) -> str:
        return ring_label(self.ring)


@dataclass(frozen=True)
class PointEstimate:
    """People living inside a point's rings, estimated from the density of its commune. Density
    comes from the commune's population over its bounding box, which is larger than the commune,
    so the density (and the estimate) tends to be low: it is an estimate, labelled as such."""

    density_per_km2: float | None
    rings: list[RingEstimate]
    method: str

    @property
    def total(self) -> int | None:
        return self.rings[-1].people_within if self.rings and self.density_per_km2 is not None else None


def density_per_km2(population: int | None, bbox) -> float | None:
    area = bbox_area_km2(bbox)
    if not population or not area:
        return None
    return population / area


def estimate_point(rings: dict[str, int], *, population: int | None, bbox, commune_name: str = "") -> PointEstimate:
    density = density_per_km2(population, bbox)
    if density is None:
        return PointEstimate(None, [], _("Không ước tính được: xã %(name)s chưa có dân số hoặc khung toạ độ.")
                             % {"name": commune_name})
    estimates, within = [], 0.0
    for ring, area in ring_areas_km2(rings).items():
        within += density * area
        estimates.append(RingEstimate(ring, rings[ring], round(area, 4), round(density * area), round(within)))
    method = _("Ước tính: mật độ dân số của %(name)s (%(population)s người / %(area)s km² khung toạ độ "
               "= %(density)s người/km²) × diện tích vòng. Khung toạ độ rộng hơn địa giới thật nên "
               "con số thường thấp hơn thực tế.") % {
        "name": commune_name, "population": f"{population:,}".replace(",", "."),
        "area": f"{bbox_area_km2(bbox):.1f}", "density": f"{density:,.0f}".replace(",", ".")}
    return PointEstimate(round(density, 1), estimates, method)


@dataclass(frozen=True)
class PlacePopulation:
    name: str
    population: int | None


def units_population(places: list[PlacePopulation]) -> tuple[int, list[str]]:
    """People living in a set of units or villages: the sum of their populations, and the names
    of places whose population is unknown (not counted)."""
    total = sum(p.population for p in places if p.population)
    missing = [p.name for p in places if not p.population]
    return total, missing


# --- Where a point is -----------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneBox:
    id: int
    lat: float | None
    lon: float | None
    bbox: list | None


def distance_outside_km(lat: float, lon: float, bbox) -> float | None:
    """How far a point lies outside a bounding box, in km (0 inside; None without a box)."""
    if not bbox or len(bbox) != 4:
        return None
    south, west, north, east = bbox
    dlat = max(south - lat, 0, lat - north) * KM_PER_DEGREE
    dlon = max(west - lon, 0, lon - east) * KM_PER_DEGREE * math.cos(math.radians(lat))
    return math.hypot(dlat, dlon)


def commune_for_point(lat: float, lon: float, communes: list[CommuneBox]) -> int | None:
    """The commune whose bounding box holds the point; where boxes overlap, the one whose centre
    is nearest. None when no box holds it."""
    best, best_distance = None, math.inf
    for c in communes:
        if distance_outside_km(lat, lon, c.bbox) != 0:
            continue
        if c.lat is None or c.lon is None:
            distance = math.inf
        else:
            distance = math.hypot(c.lat - lat, (c.lon - lon) * math.cos(math.radians(lat)))
        if best is None or distance < best_distance:
            best, best_distance = c.id, distance
    return best


def validate_point(lat, lon) -> tuple[float, float]:
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise InvalidInput(_("Cần vĩ độ và kinh độ của điểm phong tỏa."), field="lat") from None
    if not -90 <= lat <= 90:
        raise InvalidInput(_("Vĩ độ phải trong khoảng -90 đến 90."), field="lat")
    if not -180 <= lon <= 180:
        raise InvalidInput(_("Kinh độ phải trong khoảng -180 đến 180."), field="lon")
    return lat, lon


# --- Time -----------------------------------------------------------------------------------


def validate_period(starts_at: dt.datetime, ends_at: dt.datetime | None) -> None:
    if ends_at is not None and ends_at <= starts_at:
        raise InvalidInput(_("Thời điểm kết thúc phải sau thời điểm bắt đầu."), field="ends_at")


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


WEEK_RE = re.compile(r"^(\d{4})-W(\d{1,2})$")


def parse_week(text: str) -> dt.date:
    """'2021-W50' or a date '2021-12-15' → the Monday of that ISO week."""
    text = (text or "").strip()
    match = WEEK_RE.match(text)
    try:
        if match:
            return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        return monday(dt.date.fromisoformat(text))
    except ValueError:
        raise InvalidInput(_("Tuần không hợp lệ: %(value)s (ví dụ 2021-W50).") % {"value": text},
                           field="week") from None


def week_label(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def weeks_ending(last: dt.date, count: int) -> list[dt.date]:
    end = monday(last)
    return [end - dt.timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def in_force(starts: dt.date, ends: dt.date | None, first: dt.date, last: dt.date) -> bool:
    """Does a period [starts, ends] (ends inclusive, None open) overlap [first, last]?"""
    return starts <= last and (ends is None or ends >= first)
