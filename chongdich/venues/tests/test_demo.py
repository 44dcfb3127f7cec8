"""The demo loader: venues, two weeks of check-ins, the last day's F0s matched; once only."""

import numpy as np

from chongdich.core import clock
from chongdich.venues import demo
from chongdich.venues.models import CheckIn, Proposal, Venue
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
