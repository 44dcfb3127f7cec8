"""What the quarantine tests share: geography and personas (core.testing) plus facility staff,
three facilities, a few people, and the clock on 2 August 2021 (rule set CV-5599-BYT-MT-2021:
F1 14 days + 14 at home, tests on days 1, 7, 14; F1 home quarantine allowed; F0 only in
treatment facilities)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.test import TestCase
from django.utils import timezone

from chongdich.accounts.models import User
from chongdich.cases.models import Detection
from chongdich.cases.services import case_register
from chongdich.core import clock
from chongdich.core.testing import make_geography, make_user, personas
from chongdich.people.services import person_create
from chongdich.quarantine.models import PlacementRule, QuarantineRuleSet
from chongdich.quarantine.rule_data import load_rule_sets
from chongdich.quarantine.services import placement_create
from chongdich.quarantine.services_facilities import facility_create
from chongdich.testing.models import LabResult, Pool, Sample

_codes = itertools.count(1)


def on(month: int, day: int, hour: int = 9) -> dt.datetime:
    """A moment in 2021, local time."""
    return timezone.make_aware(dt.datetime(2021, month, day, hour, 0))


TODAY = on(8, 2)


def world(cls) -> None:
    """Geography, personas, facilities and people, set on `cls` (for setUpTestData or setUp)."""
    load_rule_sets(QuarantineRuleSet, PlacementRule)  # after a flush of a transactional test
    cls.units = units = make_geography()
    cls.users = personas(units) | {
        "facility_staff": make_user(units["district_a"], User.Role.FACILITY),
        "facility_staff_b": make_user(units["district_b"], User.Role.FACILITY),
        "national_epi": make_user(None, User.Role.EPIDEMIOLOGIST, is_national=True),
    }
    leader = cls.users["province_leader"]
    cls.camp = facility_create(actor=leader, commune=units["commune_a1"], name="KTX Trường A",
                               kind="quarantine", capacity=2)
    cls.camp_b = facility_create(actor=leader, commune=units["commune_b1"], name="Doanh trại B",
                                 kind="quarantine", capacity=10)
    cls.hospital = facility_create(actor=leader, commune=units["commune_a2"], name="BV đa khoa huyện A",
                                   kind="hospital", tier=2, capacity=5)
    cls.people = {name: person_create(actor=leader, commune=units[commune], full_name=name)
                  for name, commune in (("An", "commune_a1"), ("Bình", "commune_a1"),
                                        ("Cường", "commune_a2"), ("Dũng", "commune_a1"),
                                        ("Giang", "commune_b1"))}


class QuarantineTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        world(cls)

    def setUp(self):
        self.freeze(TODAY)

    def freeze(self, moment: dt.datetime) -> None:
        frozen = clock.frozen_at(moment)
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)

    def admit(self, name: str = "An", *, actor: str = "commune_officer", facility="camp", **kw):
        data = {"purpose": "quarantine", "setting": "facility" if facility else "home",
                "facility": getattr(self, facility) if facility else None} | kw
        return placement_create(actor=self.users[actor], person=self.people[name], **data)

    def make_f0(self, name: str, day: dt.datetime | None = None):
        return case_register(actor=self.users["province_leader"], person=self.people[name],
                             confirmed_at=day or on(8, 1), detection=Detection.QUARANTINE)

    def sample(self, name: str, taken: dt.datetime, result: str | None = None) -> Sample:
        person = self.people[name]
        sample = Sample.objects.create(
            code=f"QT-{next(_codes)}", person=person, kind="rt_pcr", reason="quarantine",
            taken_at=taken, taken_on=timezone.localdate(taken), **person.commune.jurisdiction_keys())
        if result:
            LabResult.objects.create(sample=sample, result=result, resulted_at=taken + dt.timedelta(hours=6))
        return sample

    def pooled_sample(self, name: str, taken: dt.datetime, pool_result: str) -> Sample:
        person = self.people[name]
        pool = Pool.objects.create(code=f"GP-{next(_codes)}", taken_at=taken, taken_on=timezone.localdate(taken),
                                   **person.commune.jurisdiction_keys())
        LabResult.objects.create(pool=pool, result=pool_result, resulted_at=taken + dt.timedelta(hours=6))
        sample = self.sample(name, taken)
        sample.pool = pool
        sample.save(update_fields=["pool"])
        return sample

    def refresh(self, *objects):
        for obj in objects:
            obj.refresh_from_db()
        return objects[0] if len(objects) == 1 else objects
