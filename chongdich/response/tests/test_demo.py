"""The demo loader: varied states for the last day's F0, a running clock when live, idempotent."""

from __future__ import annotations

import datetime as dt

import numpy as np

from chongdich.cases.models import Case
from chongdich.response.demo import load_demo
from chongdich.response.models import Response, Stage
from chongdich.response.tests.base import T0, ResponseTestCase, on


class DemoTests(ResponseTestCase):
    def setUp(self):
        super().setUp()
        for i, name in enumerate(("An", "Bình", "Cường", "Dũng", "Giang")):
            self.confirm(name, at=on(8, 2, 1 + 2 * i))  # 1:00 … 9:00 on the demo's last day
        Response.objects.all().delete()  # the demo opens them itself

    def test_a_past_day_gets_responses_in_varied_states_and_a_second_load_does_nothing(self):
        self.freeze(on(8, 5))
        summary = load_demo(province=self.units["province"], rng=np.random.default_rng(3), today=dt.date(2021, 8, 2))
        assert (summary.responses, summary.live) == (5, False)
        assert summary.stages_done_on_time + summary.stages_late + summary.stages_open == 15
        assert summary.stages_done_on_time > 0
        assert load_demo(province=self.units["province"], rng=np.random.default_rng(3),
                         today=dt.date(2021, 8, 2)).skipped

    def test_a_live_demo_keeps_the_latest_response_open_with_its_clock_running(self):
        self.freeze(T0 + dt.timedelta(minutes=20))  # 9:20: the 9:00 case is 20 minutes old
        summary = load_demo(province=self.units["province"], rng=np.random.default_rng(3), today=dt.date(2021, 8, 2))
        assert summary.live
        latest = Case.objects.get(person=self.people["Giang"])
        assert not Stage.objects.filter(response__case=latest, done_at__isnull=False).exists()
        assert Response.objects.get(case=latest).closed_at is None
