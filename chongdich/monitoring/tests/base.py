"""A small home-monitoring world for tests, on 20 May 2021 at 9:00 (local).

Commune A1: team "Tổ 1" (the tracer is a member) covers the household at "12 Đường Đông" of
An (F1 at home since 15 May) and Bình (F1 at home since 18 May), and the household of Chi (not
monitored). Commune A2: Dũng, F0 treated at home, in no household. Commune B1 (the outsider's):
Giang, F1 at home.
"""

from __future__ import annotations

from django.test import TestCase

from chongdich.core import clock
from chongdich.core.testing import at, make_geography, personas
from chongdich.monitoring import services
from chongdich.monitoring.tests.factories import home_placement
from chongdich.people.services import person_create


class MonitoringWorld(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)
        leader = cls.users["province_leader"]
        a1 = cls.units["commune_a1"]

        def person(name, commune="commune_a1", **extra):
            return person_create(actor=leader, commune=cls.units[commune], full_name=name, **extra)

        cls.an = person("Nguyễn Văn An", phone="0912345678")
        cls.binh = person("Trần Thị Bình")
        cls.chi = person("Lê Thị Chi")
        cls.dung = person("Phạm Dũng", "commune_a2")
        cls.giang = person("Võ Giang", "commune_b1")
        cls.an_at_home = home_placement(cls.an, started_at=at(15, 8))
        cls.binh_at_home = home_placement(cls.binh, started_at=at(18, 8))
        home_placement(cls.dung, started_at=at(16, 8), purpose="isolation")
        home_placement(cls.giang, started_at=at(17, 8))
        cls.team = services.team_create(actor=cls.users["commune_officer"], commune=a1, name="Tổ 1")
        services.team_member_add(actor=cls.users["commune_officer"], team=cls.team, user=cls.users["tracer"],
                                 is_leader=True)
        cls.home = services.household_create(actor=cls.users["commune_officer"], commune=a1,
                                              address="12 Đường Đông", members=[cls.an, cls.binh],
                                              head=cls.an, team=cls.team)
        cls.chi_home = services.household_create(actor=cls.users["commune_officer"], commune=a1,
                                                  address="3 Ngõ Tây", members=[cls.chi], team=cls.team)

    def setUp(self):
        frozen = clock.frozen_at(at(20))
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)

    def at_time(self, moment):
        """Move the frozen clock for the rest of the test."""
        frozen = clock.frozen_at(moment)
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)

    def check(self, person, persona="tracer", **reading):
        return services.check_record(actor=self.users[persona], person=person, **reading)
