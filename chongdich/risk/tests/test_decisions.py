"""The committee's decisions: confirm or override with a reason, from the level above; a raise
takes effect 48 hours after it is announced and the unit's officers are told."""

import datetime as dt
from unittest import mock

from chongdich.core.errors import InvalidInput, NotFound, PermissionDenied
from chongdich.notifications.models import Notification
from chongdich.risk import selectors, services
from chongdich.risk.models import DecisionKind
from chongdich.risk.tests.base import NOW, WEEK, RiskTestCase, add_cases

HOURS_48 = dt.timedelta(hours=48)


class DecisionTests(RiskTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        add_cases(cls.units["commune_a1"], 10)  # A1 level 4, A2 level 2 (coverage unknown), B1 3
        with mock.patch("chongdich.risk.assess._coverage", return_value=None):
            services.assessments_compute(week=WEEK, province=cls.units["province"])

    def decide(self, persona, unit, level, **kw):
        return services.level_decide(actor=self.users[persona], unit=self.units[unit], week=WEEK, level=level, **kw)

    def test_the_district_confirms_a_commune_level(self):
        decision = self.decide("district_epi", "commune_a2", 2)
        self.assertEqual((decision.kind, decision.level, decision.effective_at), (DecisionKind.CONFIRM, 2, NOW))

    def test_an_override_needs_a_reason(self):
        with self.assertRaises(InvalidInput) as caught:
            self.decide("district_epi", "commune_a1", 3)
        self.assertEqual(caught.exception.field, "reason")

    def test_a_lowering_takes_effect_at_once(self):
        decision = self.decide("district_epi", "commune_a1", 3, reason="Ổ dịch đã khoanh vùng, ca trong khu phong tỏa")
        self.assertEqual((decision.kind, decision.previous_level, decision.effective_at),
                         (DecisionKind.OVERRIDE, 4, NOW))

    def test_a_raise_takes_effect_48_hours_after_it_is_announced(self):
        early = self.decide("district_b_leader", "commune_b1", 4, reason="Chùm ca mới ở chợ đầu mối",
                            effective_at=NOW + dt.timedelta(hours=1))
        self.assertEqual((early.previous_level, early.effective_at), (3, NOW + HOURS_48))
        later = self.decide("district_b_leader", "commune_b1", 4, reason="Nhắc lại", effective_at=NOW + 3 * HOURS_48)
        self.assertEqual(later.effective_at, NOW + 3 * HOURS_48)

    def test_the_units_officers_hear_of_a_raise(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.decide("district_b_leader", "commune_b1", 4, reason="Chùm ca mới ở chợ đầu mối")
        told = Notification.objects.filter(event="risk_level_raised")
        self.assertEqual([n.recipient for n in told], [self.users["outsider"]])
        self.assertIn("lên cấp 4", told[0].subject)

    def test_the_decision_is_the_level_of_the_week_once_in_effect(self):
        self.decide("district_b_leader", "commune_b1", 4, reason="Chùm ca mới")
        b1 = self.units["commune_b1"].pk
        # announced on Tuesday of the next week: in force from Thursday, so W50 keeps its computed level
        self.assertEqual(selectors.levels_for_week(week=WEEK, unit_ids=[b1])[b1].level, 3)
        next_week = selectors.levels_for_week(week=WEEK + dt.timedelta(days=7), unit_ids=[b1])[b1]
        self.assertEqual((next_week.level, next_week.source), (4, "decision"))

    def test_the_province_decides_for_a_district_and_itself(self):
        self.decide("province_leader", "district_a", 3, reason="Nhiều xã cấp 3, 4")
        self.decide("province_leader", "province", 3)

    def test_a_district_does_not_decide_its_own_level(self):
        with self.assertRaises(PermissionDenied):
            self.decide("district_epi", "district_a", 2)

    def test_a_commune_officer_may_not_decide(self):
        with self.assertRaises(PermissionDenied):
            self.decide("commune_officer", "commune_a1", 4)

    def test_another_district_is_not_found(self):
        with self.assertRaises(NotFound):
            self.decide("district_b_leader", "commune_a1", 4)

    def test_history_keeps_every_decision(self):
        self.decide("district_epi", "commune_a1", 3, reason="Lần 1")
        self.decide("district_epi", "commune_a1", 4)
        assessments, decisions = selectors.unit_history(actor=self.users["commune_officer"],
                                                        unit=self.units["commune_a1"])
        self.assertEqual([d.level for d in decisions], [4, 3])
        self.assertEqual([a.level for a in assessments], [4])


class RuleSetVersionTests(RiskTestCase):
    def rules(self):
        return selectors.rule_set_get(code="QD-4800-BYT-2021").rules

    def test_a_national_epidemiologist_adds_a_version(self):
        rules = self.rules() | {"indicators": [{"key": "community_cases", "per": "100k", "bounds": [25, 50, 150]}]}
        created = services.rule_set_create(actor=self.users["national_epi"], code="QD-4800-v2", name="4800 sửa",
                                           legal_source="Công văn …", valid_from=dt.date(2021, 12, 1), rules=rules)
        self.assertEqual(selectors.rule_set_for_week(WEEK), created)
        self.assertEqual(selectors.rule_set_get(code="QD-4800-BYT-2021").rules["indicators"][0]["bounds"],
                         [20, 50, 150])  # the earlier version is untouched

    def test_a_province_leader_may_not(self):
        with self.assertRaises(PermissionDenied):
            services.rule_set_create(actor=self.users["province_leader"], code="X", name="X", legal_source="X",
                                     valid_from=WEEK, rules=self.rules())

    def test_broken_rules_are_refused(self):
        with self.assertRaises(InvalidInput) as caught:
            services.rule_set_create(actor=self.users["national_epi"], code="X", name="X", legal_source="X",
                                     valid_from=WEEK, rules=self.rules() | {"matrix": {"high": [1]}})
        self.assertEqual(caught.exception.field, "rules")
