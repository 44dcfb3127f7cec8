"""What the vaccination tests share: geography and personas (core.testing), a few people of
known ages in communes A1, A2 and B1, the shipped products and age groups, and the clock on
15 December 2021 (the day of the Vĩnh Phúc report in the seeds)."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from chongdich.core import clock
from chongdich.core.testing import make_geography, personas
from chongdich.people.models import Person
from chongdich.vaccination.models import CoverageConfig, VaccineProduct
from chongdich.vaccination.reference_data import load_reference_data

TODAY = timezone.make_aware(dt.datetime(2021, 12, 15, 9, 0))


def day(month: int, d: int, year: int = 2021) -> dt.date:
    return dt.date(year, month, d)


def make_person(commune, name: str, *, birth_date=None, birth_year=None) -> Person:
    return Person.objects.create(full_name=name, name_folded=name.lower(), birth_date=birth_date,
                                 birth_year=birth_year or (birth_date.year if birth_date else None),
                                 **commune.jurisdiction_keys())


class VaccinationTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_reference_data(VaccineProduct, CoverageConfig)  # after a flush of a transactional test
        cls.units = units = make_geography()
        cls.users = personas(units)
        cls.products = {p.code: p for p in VaccineProduct.objects.all()}
        a1, a2, b1 = units["commune_a1"], units["commune_a2"], units["commune_b1"]
        cls.people = {
            "An": make_person(a1, "An", birth_date=dt.date(1950, 6, 1)),  # 71: all, 18+, 50+, 65+
            "Bình": make_person(a1, "Bình", birth_date=dt.date(2004, 12, 20)),  # 16 → 17 on 20/12
            "Cường": make_person(a2, "Cường", birth_year=1990),  # 31
            "Dũng": make_person(a1, "Dũng"),  # age unknown: only "all"
            "Giang": make_person(b1, "Giang", birth_year=1980),
        }

    def setUp(self):
        frozen = clock.frozen_at(TODAY)
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)
