"""The demo loader gives the province the seeds' coverage, from records in a few communes and
reports elsewhere, and does nothing the second time."""

import numpy as np

from chongdich.geography.models import AdminUnit
from chongdich.vaccination import counters, demo
from chongdich.vaccination.selectors import coverage_for_units
from chongdich.vaccination.tests.base import VaccinationTestCase, day


class VaccinationDemoTests(VaccinationTestCase):
    def test_the_demo_province_gets_realistic_coverage_from_both_sources(self):
        AdminUnit.objects.filter(province=self.units["province"], level="commune").update(population=600)
        demo.RECORD_COMMUNES = 2
        self.addCleanup(setattr, demo, "RECORD_COMMUNES", 3)
        summary = demo.load_demo(province=self.units["province"], rng=np.random.default_rng(5), today=day(12, 15))
        self.assertEqual((summary.record_communes, summary.reports), (2, 4))
        ids = [self.units[k].pk for k in ("commune_a1", "commune_a2", "commune_b1", "province")]
        found = coverage_for_units(unit_ids=ids, as_of=day(12, 15))
        self.assertEqual(sorted(found[i].source for i in ids[:3]), ["aggregate", "records", "records"])
        province = found[ids[3]]
        self.assertGreater(province.pct("18+", "1"), 90)
        self.assertTrue(70 < province.pct("18+", "full") < 92, province.pct("18+", "full"))
        self.assertTrue(25 < province.pct("12-17", "1") < 60, province.pct("12-17", "1"))
        kept = counters.snapshot()
        counters.rebuild()
        self.assertEqual(kept, counters.snapshot())
        again = demo.load_demo(province=self.units["province"], rng=np.random.default_rng(5), today=day(12, 15))
        self.assertTrue(again.skipped)
