"""What the zones tests share: geography (with coordinates, boxes and populations), personas, two
villages, a case in commune A1, and the clock on 15 December 2021 (ISO week 2021-W50)."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from chongdich.cases.models import Detection
from chongdich.cases.services import case_register
from chongdich.core import clock
from chongdich.core.testing import make_geography, personas
from chongdich.geography.models import Village
from chongdich.people.services import person_create
from chongdich.zones import hooks

# Commune centres and boxes [south, west, north, east]: A1 and A2 side by side, B1 further east.
PLACES = {
    "commune_a1": (21.01, 105.81, [21.00, 105.80, 21.02, 105.82], 10_000),
    "commune_a2": (21.01, 105.83, [21.00, 105.82, 21.02, 105.84], 6_000),
    "commune_b1": (21.01, 105.95, [21.00, 105.94, 21.02, 105.96], None),
}


def on(month: int, day: int, hour: int = 9, year: int = 2021) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))


TODAY = on(12, 15)


def world(cls) -> None:
    cls.units = units = make_geography()
    for key, (lat, lon, bbox, population) in PLACES.items():
        unit = units[key]
        unit.lat, unit.lon, unit.bbox, unit.population = lat, lon, bbox, population
        unit.save(update_fields=["lat", "lon", "bbox", "population"])
    units["district_a"].lat, units["district_a"].lon = 21.01, 105.82
    units["district_a"].save(update_fields=["lat", "lon"])
    cls.users = personas(units)
    cls.village_east = Village.objects.create(commune=units["commune_a1"], district=units["district_a"],
                                              province=units["province"], name="Thôn Đông", population=1_200)
    cls.village_west = Village.objects.create(commune=units["commune_a2"], district=units["district_a"],
                                              province=units["province"], name="Thôn Tây", population=None)
    leader = cls.users["province_leader"]
    cls.person = person_create(actor=leader, commune=units["commune_a1"], full_name="Nguyễn Văn Ca",
                               village_id=cls.village_east.pk)
    cls.case = case_register(actor=leader, person=cls.person, confirmed_at=on(12, 14),
                             detection=Detection.COMMUNITY)
    cls.person_b = person_create(actor=leader, commune=units["commune_b1"], full_name="Trần Thị Bê")
    cls.case_b = case_register(actor=leader, person=cls.person_b, confirmed_at=on(12, 14),
                               detection=Detection.COMMUNITY)


class ZonesTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        world(cls)

    def setUp(self):
        self.freeze(TODAY)
        self.area_calls: list[list[int]] = []
        self.zone_calls: list[list[int]] = []
        hooks.area_recorded_hooks.append(self.area_calls.append)
        hooks.zone_designated_hooks.append(self.zone_calls.append)
        self.addCleanup(hooks.area_recorded_hooks.remove, self.area_calls.append)
        self.addCleanup(hooks.zone_designated_hooks.remove, self.zone_calls.append)

    def freeze(self, moment: dt.datetime) -> None:
        frozen = clock.frozen_at(moment)
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)
