"""The pages: the week's table, a unit's page with its what-if, deciding inline, history, rule sets."""

from unittest import mock

from chongdich.risk import services
from chongdich.risk.models import LevelDecision
from chongdich.risk.tests.base import WEEK, RiskTestCase, add_cases


class RiskPageTests(RiskTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        add_cases(cls.units["commune_a1"], 10)
        with mock.patch("chongdich.risk.assess._coverage", return_value=None):
            services.assessments_compute(week=WEEK, province=cls.units["province"])

    def test_the_week_table_shows_levels_and_explanations(self):
        self.client.force_login(self.users["district_epi"])
        page = self.client.get("/risk/?week=2021-W50&level=commune").content.decode()
        self.assertIn('class="lvl lvl-4"', page)
        self.assertIn("100 ca mắc mới trong cộng đồng/100.000 dân", page)
        self.assertIn("inline-decide", page)  # the district decides for its communes

    def test_a_commune_officer_sees_no_decide_form(self):
        self.client.force_login(self.users["commune_officer"])
        page = self.client.get("/risk/?week=2021-W50").content.decode()
        self.assertNotIn("inline-decide", page)

    def test_deciding_inline_returns_the_row(self):
        self.client.force_login(self.users["district_epi"])
        code = self.units["commune_a1"].code
        response = self.client.post(f"/risk/units/{code}/decide/", {"week": "2021-W50", "level": 3, "row": "1",
                                                                     "reason": "Khoanh vùng xong"}, HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'id="row-{code}"', response.content.decode())
        self.assertEqual(LevelDecision.objects.get(unit=self.units["commune_a1"]).level, 3)

    def test_what_if_gives_the_level_without_saving(self):
        self.client.force_login(self.users["commune_officer"])
        code = self.units["commune_a1"].code
        response = self.client.post(f"/risk/units/{code}/whatif/", {
            "week": "2021-W50", "population": 10000, "community_cases": 1, "all_cases": 1,
            "cov_18_1": 80, "cov_50_full": 90}, HTTP_HX_REQUEST="true")
        body = response.content.decode()
        self.assertIn('class="lvl lvl-1"', body)
        self.assertIn("Cấp 1: 10 ca mắc mới trong cộng đồng/100.000 dân", body)
        self.assertNotIn("<html", body)

    def test_the_unit_page_and_history(self):
        self.client.force_login(self.users["commune_officer"])
        code = self.units["commune_a1"].code
        self.assertContains(self.client.get(f"/risk/units/{code}/?week=2021-W50"), "Thử thay đổi số liệu")
        self.assertContains(self.client.get(f"/risk/units/{code}/history/"), "2021-W50")

    def test_an_outsider_gets_not_found(self):
        self.client.force_login(self.users["outsider"])
        self.assertEqual(self.client.get(f"/risk/units/{self.units['commune_a1'].code}/").status_code, 404)

    def test_the_rule_sets_page_offers_a_new_version_only_to_national_accounts(self):
        self.client.force_login(self.users["province_leader"])
        page = self.client.get("/risk/rules/")
        self.assertContains(page, "Quyết định 4800/QĐ-BYT")
        self.assertNotContains(page, "Thêm phiên bản mới")
        self.client.force_login(self.users["national_epi"])
        self.assertContains(self.client.get("/risk/rules/"), "Thêm phiên bản mới")

    def test_a_province_epidemiologist_reruns_the_week_from_the_page(self):
        self.client.force_login(self.users["province_epi"])
        response = self.client.post("/risk/run/", {"week": "2021-W50"}, follow=True)
        self.assertContains(response, "Đã đánh giá 6 đơn vị cho tuần 2021-W50.")

    def test_a_capacity_statement_from_the_unit_page(self):
        self.client.force_login(self.users["district_b_leader"])
        code = self.units["commune_b1"].code
        response = self.client.post(f"/risk/units/{code}/capacity/", {
            "week": "2021-W50", "met": "yes", "as_of": "2021-12-13", "oxygen_at_every_station": "on",
            "mobile_stations": "2"}, follow=True)
        self.assertContains(response, "mọi trạm y tế xã có oxy")
        self.client.force_login(self.users["viewer"])
        refused = self.client.post(f"/risk/units/{code}/capacity/", {"week": "2021-W50", "met": "no"})
        self.assertEqual(refused.status_code, 422)
