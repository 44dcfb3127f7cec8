"""The demo loader: teams, households and a week of checks, left as the services would leave them."""

import datetime as dt
import random

import numpy as np
from django.test import TestCase

from chongdich.core.testing import at, make_geography, personas
from chongdich.monitoring import demo
from chongdich.monitoring.models import (
    CommunityTeam,
    DailyCheck,
    Escalation,
    HouseholdMember,
    MonitoringState,
    TeamMember,
)
from chongdich.monitoring.tests.factories import home_placement, released_placement
from chongdich.people.services import person_create

TODAY = dt.date(2021, 5, 20)


class DemoLoader(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)
        leader = cls.users["province_leader"]
        cls.people = []
        for i in range(40):
            commune = ("commune_a1", "commune_a2", "commune_b1")[i % 3]
            person = person_create(actor=leader, commune=cls.units[commune], full_name=f"Người {i}",
                                   address=f"Số {i} Đường Làng")
            cls.people.append(person)
            if i % 2 == 0:
                home_placement(person, started_at=at(10 + i % 8, 8), purpose="isolation" if i % 4 else "quarantine")
            elif i % 5 == 0:
                released_placement(person, ended_at=at(15, 10))

    def load(self, rng=None):
        return demo.load_demo(province=self.units["province"], rng=rng or random.Random(7), today=TODAY)

    def test_teams_cover_the_monitored_people_of_the_chosen_communes(self):
        summary = self.load()
        self.assertGreaterEqual(summary.teams, 3)
        monitored_a1 = [p for i, p in enumerate(self.people) if i % 3 == 0 and (i % 2 == 0 or i % 5 == 0)]
        linked = set(HouseholdMember.objects.filter(person__in=monitored_a1).values_list("person_id", flat=True))
        self.assertEqual(linked, {p.pk for p in monitored_a1})

    def test_the_commune_tracer_leads_a_team(self):
        self.load()
        member = TeamMember.objects.get(user=self.users["tracer"])
        self.assertTrue(member.is_leader)

    def test_each_persons_state_is_their_latest_check(self):
        summary = self.load()
        self.assertGreater(summary.checks, 0)
        for state in MonitoringState.objects.all():
            latest = DailyCheck.objects.filter(person_id=state.person_id).order_by("-checked_at").first()
            self.assertEqual(state.last_check_id, latest.pk)

    def test_open_escalations_are_the_ones_in_the_states(self):
        self.load(np.random.default_rng(3))
        open_ids = set(Escalation.objects.filter(status="open").values_list("pk", flat=True))
        self.assertEqual(open_ids, set(MonitoringState.objects.exclude(open_escalation=None)
                                       .values_list("open_escalation_id", flat=True)))

    def test_a_second_call_does_nothing(self):
        self.load()
        teams = CommunityTeam.objects.count()
        self.assertTrue(self.load().skipped)
        self.assertEqual(CommunityTeam.objects.count(), teams)
