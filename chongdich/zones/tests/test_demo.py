"""The zones demo: point lockdowns on the newest cases, a lifted lockdown of the commune hardest
hit a month ago, zone designations; a second call does nothing."""

from __future__ import annotations

import datetime as dt

import numpy as np

from chongdich.cases.models import Detection
from chongdich.cases.services import case_register
from chongdich.people.services import person_create
from chongdich.zones import demo, selectors
from chongdich.zones.models import LockdownArea, ZoneDesignation
from chongdich.zones.tests.base import ZonesTestCase, on


class DemoTests(ZonesTestCase):
    def test_the_demo_records_areas_and_designations_once(self):
        leader = self.users["province_leader"]
        earlier = person_create(actor=leader, commune=self.units["commune_a2"], full_name="Lê Văn Sớm")
        case_register(actor=leader, person=earlier, confirmed_at=on(11, 5), detection=Detection.COMMUNITY)
        summary = demo.load_demo(province=self.units["province"], rng=np.random.default_rng(1),
                                 today=dt.date(2021, 12, 15))
        self.assertEqual((summary.point_areas, summary.unit_areas, summary.skipped), (2, 1, False))
        points = LockdownArea.objects.filter(shape="point")
        self.assertEqual({a.trigger_case_id for a in points}, {self.case.pk, self.case_b.pk})
        self.assertTrue(all(selectors.area_rings(a) == {"core": 100, "buffer": 300, "watch": 1000} for a in points))
        lifted = LockdownArea.objects.get(shape="units")
        self.assertEqual(selectors.area_state(lifted), "ended")
        self.assertEqual([m.village for m in lifted.members.all()], [self.village_west])
        self.assertEqual(len(self.area_calls[0]), 3)
        self.assertEqual(ZoneDesignation.objects.count(), summary.designations)
        in_force = selectors.designation_list(actor=leader, filters=selectors.DesignationFilters(on=dt.date(2021, 12, 15)))
        self.assertEqual(sorted(d.colour for d in in_force), ["green", "red", "red"])  # A1, B1 had cases
        again = demo.load_demo(province=self.units["province"], rng=np.random.default_rng(1),
                               today=dt.date(2021, 12, 15))
        self.assertTrue(again.skipped)
        self.assertEqual(LockdownArea.objects.count(), 3)
