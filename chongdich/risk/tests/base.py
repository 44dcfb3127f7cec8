"""What the risk tests share: geography and personas (core.testing), a national epidemiologist, a
hospital in district A, and the clock in week 2021-W50 (Monday 13 December 2021, Decision 4800 in
force). Communes have 10,000 people, districts 300,000, the province 1,000,000."""

from __future__ import annotations

import datetime as dt
import itertools

from django.test import TestCase
from django.utils import timezone

from chongdich.accounts.models import User
from chongdich.cases.models import Case
from chongdich.core import clock
from chongdich.core.testing import make_geography, make_user, personas
from chongdich.people.models import Person
from chongdich.quarantine.services_facilities import facility_create
from chongdich.risk.models import RiskRuleSet
from chongdich.risk.rule_data import load_rule_sets

WEEK = dt.date(2021, 12, 13)
_codes = itertools.count(1)


def moment(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


NOW = moment(WEEK + dt.timedelta(days=8))  # Tuesday of the next week


def add_cases(commune, n: int, *, detection: str = "community", day: dt.date = WEEK, discarded: bool = False):
    """`n` confirmed cases in a commune on a day (bulk, without the case services)."""
    people = Person.objects.bulk_create([
        Person(full_name=f"Người {i}", name_folded=f"nguoi {i}", **commune.jurisdiction_keys()) for i in range(n)])
    at = moment(day)
    Case.objects.bulk_create([
        Case(code=f"RK-{next(_codes)}", person=p, confirmed_at=at, confirmed_on=day, detection=detection,
             status="recovered", status_since=at, discarded_at=at if discarded else None,
             **commune.jurisdiction_keys()) for p in people])


def world(cls) -> None:
    load_rule_sets(RiskRuleSet)  # after a flush of a transactional test
    cls.units = units = make_geography()
    cls.users = personas(units) | {
        "national_epi": make_user(None, User.Role.EPIDEMIOLOGIST, is_national=True),
        "province_epi": make_user(units["province"], User.Role.EPIDEMIOLOGIST),
        "district_b_leader": make_user(units["district_b"], User.Role.LEADER),
    }
    facility_create(actor=cls.users["province_leader"], commune=units["commune_a2"], name="BV huyện A",
                    kind="hospital", tier=2, capacity=90)


class RiskTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        world(cls)

    def setUp(self):
        frozen = clock.frozen_at(NOW)
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)
