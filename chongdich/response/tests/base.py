"""What the response tests share: geography and personas (core.testing), a facility, a few
people, and a clock frozen at 9:00 on 2 August 2021 (rule set QV-5H-2021: trace +60 min, zone
+180, move +300, warnings 15 minutes before, no response for cases confirmed over 24 h ago)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.test import TestCase
from django.utils import timezone

from chongdich.cases.models import Detection
from chongdich.cases.services import case_register, contact_add
from chongdich.core import clock
from chongdich.core.testing import make_geography, personas
from chongdich.people.services import person_create
from chongdich.quarantine.models import PlacementRule, QuarantineRuleSet
from chongdich.quarantine.rule_data import load_rule_sets
from chongdich.quarantine.services import placement_create
from chongdich.quarantine.services_facilities import facility_create
from chongdich.response.models import Response, ResponseRuleSet, Stage
from chongdich.response.rule_data import load_rule_sets as load_response_rules


def on(month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment in 2021, local time."""
    return timezone.make_aware(dt.datetime(2021, month, day, hour, minute))


T0 = on(8, 2)
MINUTE = dt.timedelta(minutes=1)


def world(cls) -> None:
    load_rule_sets(QuarantineRuleSet, PlacementRule)
    load_response_rules(ResponseRuleSet)
    cls.units = units = make_geography()
    cls.users = personas(units)
    leader = cls.users["province_leader"]
    cls.camp = facility_create(actor=leader, commune=units["commune_a1"], name="KTX Trường A",
                               kind="quarantine", capacity=10)
    cls.people = {name: person_create(actor=leader, commune=units[commune], full_name=name)
                  for name, commune in (("An", "commune_a1"), ("Bình", "commune_a1"), ("Cường", "commune_a1"),
                                        ("Dũng", "commune_a2"), ("Giang", "commune_b1"))}


class ResponseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        world(cls)

    def setUp(self):
        self.freeze(T0)
        self.patch_proposals({})

    def patch_proposals(self, counts: dict[int, int]) -> None:
        """venues.selectors.open_proposal_counts answers `counts` (by default: nothing waits)."""
        patcher = mock.patch("chongdich.venues.selectors.open_proposal_counts",
                             lambda case_ids: {c: n for c, n in counts.items() if c in case_ids})
        patcher.start()
        self.addCleanup(patcher.stop)

    def freeze(self, moment: dt.datetime) -> None:
        frozen = clock.frozen_at(moment)
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)

    def confirm(self, name: str = "An", at: dt.datetime = T0):
        return case_register(actor=self.users["province_leader"], person=self.people[name], confirmed_at=at,
                             detection=Detection.COMMUNITY)

    def contact(self, case, name: str, source=None):
        return contact_add(actor=self.users["district_epi"], person=source or case.person,
                           contact=self.people[name], case=case)

    def place(self, name: str):
        return placement_create(actor=self.users["province_leader"], person=self.people[name],
                                purpose="quarantine", setting="facility", facility=self.camp)

    def response_of(self, case) -> Response:
        return Response.objects.get(case=case)

    def stage(self, case, kind: str) -> Stage:
        return Stage.objects.get(response__case=case, kind=kind)
