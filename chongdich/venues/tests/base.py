"""What the venues tests share: geography and personas (core.testing), two venues in commune A1
(a factory and a bus), people, and the clock on 10 May 2021 (rule PC-COVID-1H-2021: ±60 minutes,
15 for a bus, a visit without check-out lasts 60 minutes)."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from chongdich.cases.models import Detection
from chongdich.cases.services import case_register
from chongdich.core import clock
from chongdich.core.testing import make_geography, personas
from chongdich.people.services import person_create
from chongdich.venues import services
from chongdich.venues.models import ExposureRuleSet
from chongdich.venues.rule_data import load_rule_sets


def on(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment in May 2021, local time."""
    return timezone.make_aware(dt.datetime(2021, 5, day, hour, minute))


NOW = on(10, 12)
NAMES = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khoa")


def world(cls) -> None:
    load_rule_sets(ExposureRuleSet)  # after a flush of a transactional test
    cls.units = units = make_geography()
    cls.users = personas(units)
    leader = cls.users["province_leader"]
    cls.factory = services.venue_create(actor=leader, commune=units["commune_a1"], name="Nhà máy May 10",
                                        kind="factory", capacity=800)
    cls.bus = services.venue_create(actor=leader, commune=units["commune_a1"], name="Xe khách 29B",
                                    kind="bus", capacity=45)
    cls.market = services.venue_create(actor=leader, commune=units["commune_b1"], name="Chợ B",
                                       kind="market", capacity=3000)
    cls.people = {name: person_create(actor=leader, commune=units["commune_a1" if i < 5 else "commune_b1"],
                                      full_name=f"Nguyễn Văn {name}", birth_year=1980 + i)
                  for i, name in enumerate(NAMES)}


class VenuesTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        with clock.frozen_at(NOW):
            world(cls)

    def setUp(self):
        self.clock = clock.frozen_at(NOW)
        self.clock.__enter__()
        self.addCleanup(self.clock.__exit__, None, None, None)

    def visit(self, name, venue, start, end=None, **kw):
        return services.checkin_record(actor=self.users["province_leader"], venue=venue,
                                       person=self.people[name], checked_in_at=start, checked_out_at=end)

    def confirm(self, name, at=None, onset_on=None):
        return case_register(actor=self.users["province_leader"], person=self.people[name],
                             confirmed_at=at or on(10, 8), detection=Detection.COMMUNITY,
                             onset_on=onset_on)
