"""The quarantine demo loader: facilities, placements for the current F1 and F0, counters that
agree with the placements, scheduled tests, and a second call that does nothing."""

import datetime as dt
import random

from django.test import TestCase

from chongdich.cases.models import CaseStatus, Detection
from chongdich.cases.services import case_record_status, case_register, contact_add
from chongdich.core import clock
from chongdich.core.testing import at, make_geography, personas
from chongdich.people.services import person_create
from chongdich.quarantine.demo import load_demo
from chongdich.quarantine.models import Facility, Placement, PlacementStatus, ScheduledTest
from chongdich.quarantine.services_facilities import facility_recount

TODAY = dt.date(2021, 5, 21)


class DemoTests(TestCase):
    """Two F0 (one at tier 2) with six contacts traced on 20 May 2021, under the 21-day rule."""

    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        leader = personas(cls.units)["province_leader"]
        with clock.frozen_at(at(20)):
            people = [person_create(actor=leader, commune=cls.units[c], full_name=f"Người {i}")
                      for i, c in enumerate(["commune_a1", "commune_a2", "commune_b1"] * 3)]
            first = case_register(actor=leader, person=people[0], confirmed_at=at(18), detection=Detection.COMMUNITY)
            case_register(actor=leader, person=people[1], confirmed_at=at(19), detection=Detection.COMMUNITY,
                          status=CaseStatus.HOSPITAL_TIER2)
            for other in people[2:8]:
                contact_add(actor=leader, person=people[0], contact=other, last_contact_at=at(17))
            case_record_status(actor=leader, case=first, status=CaseStatus.HOSPITAL_TIER1, at=at(19))
        cls.summary = load_demo(province=cls.units["province"], rng=random.Random(1), today=TODAY)

    def test_every_district_gets_quarantine_facilities_and_a_hospital(self):
        kinds = set(Facility.objects.values_list("district_id", "kind"))
        for district in ("district_a", "district_b"):
            self.assertIn((self.units[district].pk, "quarantine"), kinds)
            self.assertIn((self.units[district].pk, "hospital"), kinds)
        self.assertTrue(Facility.objects.filter(kind="field_hospital", tier=1).exists())
        self.assertTrue(Facility.objects.filter(kind="hospital", tier=3).exists())

    def test_the_current_f1_and_f0_are_placed(self):
        active = Placement.objects.filter(status=PlacementStatus.ACTIVE)
        self.assertEqual(active.filter(purpose="quarantine").count(), 6)
        self.assertEqual(sorted(active.filter(purpose="isolation").values_list("facility__tier", flat=True)), [1, 2])
        self.assertEqual(self.summary.unplaced, 0)

    def test_placements_follow_the_rule_in_force_on_their_start(self):
        f1 = Placement.objects.filter(purpose="quarantine").select_related("rule__rule_set").first()
        self.assertEqual((f1.rule.rule_set.code, f1.started_on, f1.planned_end_on),
                         ("CD-600-BCD-2021", dt.date(2021, 5, 20), dt.date(2021, 6, 9)))

    def test_the_counters_agree_with_the_placements_and_no_facility_is_overbooked(self):
        self.assertEqual(facility_recount(), {})
        for facility in Facility.objects.all():
            self.assertLessEqual(facility.occupied, facility.capacity)

    def test_scheduled_tests_are_created_with_the_past_ones_mostly_done(self):
        self.assertEqual(ScheduledTest.objects.count(), self.summary.scheduled_tests)
        self.assertEqual(ScheduledTest.objects.filter(placement__purpose="quarantine").count(), 6 * 3)
        done = ScheduledTest.objects.filter(open=False)
        self.assertTrue(all(t.sample_id for t in done))

    def test_a_second_call_does_nothing(self):
        again = load_demo(province=self.units["province"], rng=random.Random(2), today=TODAY)
        self.assertTrue(again.skipped)
        self.assertEqual(Placement.objects.count(), self.summary.in_facilities + self.summary.at_home
                         + self.summary.released)
