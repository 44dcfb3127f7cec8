"""A small testing world: commune A1 with a dozen people, commune B1 with one (outside A1's view),
a province laboratory and a lab account, time frozen on 20 May 2021."""

from __future__ import annotations

from django.test import TestCase

from chongdich.accounts.models import User
from chongdich.core import clock
from chongdich.core.testing import at, make_geography, make_user, personas
from chongdich.people.services import person_create
from chongdich.testing.models import Laboratory, SampleReason
from chongdich.testing.services import pool_take, result_record, sample_take

NAMES = ["An", "Bình", "Cường", "Dũng", "Em", "Giang", "Hà", "Hùng", "Khánh", "Lan", "Minh", "Nga"]


class TestingWorld(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)
        cls.users["lab"] = make_user(cls.units["province"], User.Role.LAB)
        cls.leader = cls.users["province_leader"]
        cls.officer = cls.users["commune_officer"]
        cls.lab_user = cls.users["lab"]
        cls.people = [person_create(actor=cls.leader, commune=cls.units["commune_a1"],
                                    full_name=f"Nguyễn {name}", birth_year=1970 + i)
                      for i, name in enumerate(NAMES)]
        cls.stranger = person_create(actor=cls.leader, commune=cls.units["commune_b1"], full_name="Lê Xa")
        cls.lab = Laboratory.objects.create(code="CDC", name="CDC tỉnh", unit=cls.units["province"])

    def setUp(self):
        frozen = clock.frozen_at(at(20))
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)

    # Small verbs for readable tests.
    def take(self, person, actor=None, reason=SampleReason.SYMPTOMS, day=18, **kw):
        return sample_take(actor=actor or self.officer, person=person, taken_at=at(day),
                           reason=reason, **kw)

    def pool(self, people=None, actor=None, day=18, **kw):
        return pool_take(actor=actor or self.officer, people=people or self.people[:5],
                         commune=self.units["commune_a1"], taken_at=at(day), **kw)

    def result(self, tube, value, day=19, actor=None, **kw):
        key = "pool" if tube.__class__.__name__ == "Pool" else "sample"
        return result_record(actor=actor or self.lab_user, result=value, resulted_at=at(day),
                             laboratory=self.lab, **{key: tube}, **kw)
