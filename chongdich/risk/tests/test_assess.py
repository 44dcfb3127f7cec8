"""The weekly assessment of every unit from cases, coverage and capacity (set-based)."""

import datetime as dt
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chongdich.core.errors import NotFound, PermissionDenied
from chongdich.risk import selectors, services
from chongdich.risk.models import Assessment
from chongdich.risk.tests.base import WEEK, RiskTestCase, add_cases

HIGH = {"18+|1": 90.0, "50+|full": 85.0}


class AssessmentTests(RiskTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        u = cls.units
        add_cases(u["commune_a1"], 7)
        add_cases(u["commune_a1"], 5, detection="quarantine")
        add_cases(u["commune_a1"], 3, detection="symptoms")  # walked in with symptoms: community
        add_cases(u["commune_a1"], 4, discarded=True)
        add_cases(u["commune_a1"], 9, day=WEEK - dt.timedelta(days=1))  # the Sunday before
        add_cases(u["commune_a2"], 2)

    def run_week(self, coverage=None, **kw):
        with mock.patch("chongdich.risk.assess._coverage", return_value=coverage):
            return services.assessments_compute(week=WEEK, province=self.units["province"], **kw)

    def level(self, key):
        return Assessment.objects.get(unit=self.units[key], week=WEEK).level

    def test_every_unit_of_the_province_gets_a_level(self):
        run = self.run_week()
        self.assertEqual(run.units, 6)
        self.assertEqual(run.rule_set.code, "QD-4800-BYT-2021")
        # A1: 10 community cases/10,000 = 100/100,000 (band 3), coverage unknown → low → 4
        # A2: exactly 20/100,000 (band 2) → 3; B1: no case → 2, district B's capacity short → 3
        self.assertEqual({k: self.level(k) for k in ("commune_a1", "commune_a2", "commune_b1", "district_a",
                                                     "district_b", "province")},
                         {"commune_a1": 4, "commune_a2": 3, "commune_b1": 3, "district_a": 2,
                          "district_b": 3, "province": 3})

    def test_the_explanation_gives_the_figures(self):
        self.run_week()
        a1 = Assessment.objects.get(unit=self.units["commune_a1"], week=WEEK)
        self.assertTrue(a1.explanation.startswith(
            "Cấp 4: 100 ca mắc mới trong cộng đồng/100.000 dân trong tuần (bậc 3), "
            "chưa có số liệu bao phủ vắc xin (coi là thấp); đáp ứng năng lực điều trị (30 giường"), a1.explanation)
        self.assertEqual((a1.inputs["all_cases"], a1.inputs["community_cases"]), (15, 10))

    def test_high_coverage_lowers_the_level(self):
        coverage = {u.pk: (HIGH, "records") for u in self.units.values()}
        self.run_week(coverage)
        self.assertEqual((self.level("commune_a1"), self.level("commune_a2")), (3, 2))
        self.assertIn("độ bao phủ vắc xin cao (theo sổ tiêm chủng)",
                      Assessment.objects.get(unit=self.units["commune_a1"], week=WEEK).explanation)

    def test_a_capacity_statement_wins_over_beds(self):
        services.capacity_record(actor=self.users["district_b_leader"], unit=self.units["commune_b1"], met=True,
                                 as_of=WEEK, oxygen_at_every_station=True, mobile_stations=2)
        self.run_week()
        b1 = Assessment.objects.get(unit=self.units["commune_b1"], week=WEEK)
        self.assertEqual(b1.level, 2)
        self.assertIn("đáp ứng năng lực điều trị (theo ghi nhận của Ban chỉ đạo)", b1.explanation)

    def test_running_again_updates_the_rows(self):
        self.run_week()
        add_cases(self.units["commune_b1"], 20)
        self.run_week()
        self.assertEqual(Assessment.objects.filter(week=WEEK).count(), 6)
        self.assertEqual(self.level("commune_b1"), 4)

    def test_one_query_per_input_whatever_the_number_of_units(self):
        with CaptureQueriesContext(connection) as queries:
            self.run_week()
        sql = [q["sql"][:80] for q in queries if "SAVEPOINT" not in q["sql"]]
        self.assertLessEqual(len(sql), 10, sql)

    def test_a_rule_set_can_be_chosen(self):
        run = self.run_week(rule_set=selectors.rule_set_get(code="QD-2686-BCDQG-2021"))
        self.assertEqual(run.rule_set.code, "QD-2686-BCDQG-2021")
        self.assertEqual((self.level("commune_a1"), self.level("commune_b1")), (4, 1))
        self.assertTrue(Assessment.objects.get(unit=self.units["commune_b1"], week=WEEK)
                        .explanation.startswith("Cấp 1 (xanh):"))

    def test_the_english_explanation_is_rendered_from_the_inputs(self):
        from django.utils import translation

        self.run_week()
        a2 = Assessment.objects.select_related("rule_set").get(unit=self.units["commune_a2"], week=WEEK)
        with translation.override("en"):
            text = selectors.explanation_of(a2)
        with translation.override("vi"):
            self.assertEqual(selectors.explanation_of(a2), a2.explanation)
        self.assertTrue(text.startswith("Cấp 3") or text.startswith("Level 3"), text)


class AssessmentRunAccessTests(RiskTestCase):
    def test_a_province_epidemiologist_runs_their_province(self):
        run = services.assessment_run(actor=self.users["province_epi"], week=WEEK)
        self.assertEqual(run.units, 6)

    def test_a_district_account_may_not_run_it(self):
        with self.assertRaises(PermissionDenied):
            services.assessment_run(actor=self.users["district_epi"], week=WEEK, province=self.units["province"])

    def test_another_province_is_not_found(self):
        from chongdich.core.testing import make_geography

        other = make_geography()["province"]
        with self.assertRaises(NotFound):
            services.assessment_run(actor=self.users["province_epi"], week=WEEK, province=other)


class RuleSetChoiceTests(RiskTestCase):
    def test_the_set_in_force_on_the_monday(self):
        for day, code in ((WEEK, "QD-4800-BYT-2021"), (dt.date(2021, 7, 5), "QD-2686-BCDQG-2021"),
                          (dt.date(2021, 10, 11), "QD-2686-BCDQG-2021"), (dt.date(2021, 10, 18), "QD-4800-BYT-2021"),
                          (dt.date(2022, 2, 7), "QD-218-BYT-2022"), (dt.date(2021, 1, 4), "QD-4800-BYT-2021")):
            with self.subTest(day=day):
                self.assertEqual(selectors.rule_set_for_week(day).code, code)
