"""The demo loader: venues, two weeks of check-ins, the last day's F0s matched; once only."""

import datetime as dt

import numpy as np

from chongdich.core import clock
from chongdich.venues import demo
from chongdich.venues.models import CheckIn, MatchJob, Proposal, Venue
from chongdich.venues.tests.base import NOW, VenuesTestCase


class DemoTests(VenuesTestCase):
    def test_loads_once_with_proposals_for_the_last_days_f0(self):
        self.confirm("An", at=NOW)
        with clock.frozen_at(NOW):
            summary = demo.load_demo(province=self.units["province"], rng=np.random.default_rng(1),
                                     today=NOW.date())
        self.assertEqual((summary.venues, summary.f0), (demo.VENUES, 1))
        self.assertEqual(CheckIn.objects.count(), demo.CHECKINS + demo.F0_VISITS)
        self.assertGreater(Proposal.objects.count(), 0)
        self.assertEqual(summary.proposals, Proposal.objects.count())
        again = demo.load_demo(province=self.units["province"], rng=np.random.default_rng(1), today=NOW.date())
        self.assertTrue(again.skipped)
        self.assertEqual(Venue.objects.filter(province=self.units["province"]).count(), demo.VENUES + 3)

    def test_a_demo_account_s_area_gets_its_latest_f0_of_the_week(self):
        """Bình lives in the tracer's commune and was confirmed three days ago, not on the last
        day: his F0 is matched too, with visits inside his window, so the tracer's queue is not
        empty. (Hà, the last day's F0, lives in another commune.)"""
        from chongdich.core.jurisdiction import scope_path_q

        self.confirm("Hà", at=NOW)
        binh = self.confirm("Bình", at=NOW - dt.timedelta(days=3))
        with clock.frozen_at(NOW):
            summary = demo.load_demo(province=self.units["province"], rng=np.random.default_rng(1),
                                     today=NOW.date())
        self.assertEqual(summary.f0, 2)
        job = MatchJob.objects.get(case=binh)
        inside = CheckIn.objects.filter(person=self.people["Bình"], checked_in_at__gte=job.window_start,
                                        checked_in_at__lt=job.window_end)
        self.assertGreaterEqual(inside.count(), demo.F0_VISITS)  # his, and the crowd's days he is in
        self.assertTrue(Proposal.objects.filter(scope_path_q(self.users["tracer"]), case=binh).exists())
