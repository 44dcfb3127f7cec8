"""The testing demo loader on a small province of market traders."""

import datetime as dt
import random

from chongdich.people.services import person_create
from chongdich.testing.demo import load_demo
from chongdich.testing.models import (
    CaseProposal,
    Laboratory,
    LabResult,
    Pool,
    Sample,
    ScreeningCampaign,
)
from chongdich.testing.selectors import awaiting_pools, campaign_progress, retest_due
from chongdich.testing.tests.base import TestingWorld

TODAY = dt.date(2021, 5, 20)


class DemoTests(TestingWorld):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for i in range(60):
            person_create(actor=cls.leader, commune=cls.units["commune_a2"], full_name=f"Tiểu thương {i}",
                          birth_year=1960 + i % 30, occupation="Tiểu thương", workplace="Chợ Vĩnh Yên")

    def load(self):
        return load_demo(province=self.units["province"], rng=random.Random(1), today=TODAY)

    def test_a_campaign_of_traders_with_pools_results_retests_and_a_proposal(self):
        summary = self.load()
        campaign = ScreeningCampaign.objects.get()
        self.assertEqual((campaign.unit, campaign.pool_size), (self.units["district_a"], 10))
        self.assertEqual((summary.pools, summary.proposals), (Pool.objects.count(), 1))
        self.assertEqual(CaseProposal.objects.get().status, "proposed")
        self.assertEqual(retest_due(actor=self.leader).count(), 2)
        self.assertTrue(awaiting_pools(actor=self.leader).exists())
        progress = campaign_progress(actor=self.leader, campaign=campaign)
        self.assertEqual((progress.positive_pools, progress.positives, progress.target), (1, 1, 60))

    def test_a_second_call_does_nothing(self):
        self.load()
        counts = (Sample.objects.count(), LabResult.objects.count(), Laboratory.objects.count())
        self.assertTrue(self.load().skipped)
        self.assertEqual((Sample.objects.count(), LabResult.objects.count(), Laboratory.objects.count()), counts)
