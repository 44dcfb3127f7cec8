"""The demo loader: 8 weeks assessed, a few decisions, nothing twice."""

import datetime as dt
from unittest import mock

import numpy as np

from chongdich.risk.demo import load_demo
from chongdich.risk.models import Assessment, DecisionKind, LevelDecision
from chongdich.risk.tests.base import WEEK, RiskTestCase, add_cases


class DemoTests(RiskTestCase):
    def test_weeks_and_decisions_once(self):
        add_cases(self.units["commune_a1"], 12)
        today = WEEK + dt.timedelta(days=9)
        with mock.patch("chongdich.risk.assess._coverage", return_value=None):
            summary = load_demo(province=self.units["province"], rng=np.random.default_rng(1), today=today)
            again = load_demo(province=self.units["province"], rng=np.random.default_rng(1), today=today)
        self.assertEqual((summary.weeks, summary.assessments), (8, 48))
        self.assertEqual(Assessment.objects.filter(unit=self.units["province"]).count(), 8)
        self.assertTrue(again.skipped)
        kinds = sorted(LevelDecision.objects.values_list("kind", flat=True))
        self.assertEqual(kinds, [DecisionKind.CONFIRM, DecisionKind.OVERRIDE, DecisionKind.OVERRIDE])
        self.assertTrue(all(d.reason for d in LevelDecision.objects.filter(kind=DecisionKind.OVERRIDE)))
