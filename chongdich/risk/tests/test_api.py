"""/api/risk: the same services and refusals as the pages, and the public level map."""

import json
from unittest import mock

from chongdich.risk import services
from chongdich.risk.tests.base import NOW, WEEK, RiskTestCase, add_cases


class RiskApiTests(RiskTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        add_cases(cls.units["commune_a1"], 10)
        with mock.patch("chongdich.risk.assess._coverage", return_value=None):
            services.assessments_compute(week=WEEK, province=cls.units["province"])

    def as_user(self, persona):
        self.client.force_login(self.users[persona])

    def post(self, url, body):
        return self.client.post(url, json.dumps(body, default=str), content_type="application/json")

    def json(self, response, status):
        self.assertEqual(response.status_code, status, response.content.decode()[:500])
        return response.json()

    def test_assessments_of_a_week_with_explanations(self):
        self.as_user("district_epi")
        body = self.json(self.client.get("/api/risk/assessments?week=2021-W50&level=commune"), 200)
        self.assertEqual(body["count"], 2)  # district A's communes only
        a1 = next(i for i in body["items"] if i["unit"] == self.units["commune_a1"].code)
        self.assertEqual((a1["computed_level"], a1["level"], a1["source"], a1["week"]), (4, 4, "computed", "2021-W50"))
        self.assertTrue(a1["explanation"].startswith("Cấp 4: 100 ca mắc mới trong cộng đồng"))

    def test_a_decision_through_the_api(self):
        self.as_user("district_epi")
        body = self.json(self.post("/api/risk/decisions", {"unit": self.units["commune_a1"].code, "week": "2021-W50",
                                                           "level": 3, "reason": "Ca trong khu phong tỏa"}), 201)
        self.assertEqual((body["kind"], body["previous_level"]), ("override", 4))
        listed = self.json(self.client.get(f"/api/risk/decisions?unit={self.units['commune_a1'].code}"), 200)
        self.assertEqual([d["level"] for d in listed["items"]], [3])

    def test_an_override_without_reason_names_the_field(self):
        self.as_user("district_epi")
        body = self.json(self.post("/api/risk/decisions", {"unit": self.units["commune_a1"].code, "week": "2021-W50",
                                                           "level": 2}), 422)
        self.assertEqual(body["field"], "reason")

    def test_an_outsider_cannot_decide(self):
        self.as_user("outsider")
        body = self.json(self.post("/api/risk/decisions", {"unit": self.units["commune_a1"].code, "level": 3,
                                                           "reason": "x"}), 404)
        self.assertEqual(body["field"], "unit")

    def test_what_if_uses_the_same_rule(self):
        self.as_user("commune_officer")
        body = self.json(self.post("/api/risk/whatif", {"unit": self.units["commune_a1"].code, "week": "2021-W50",
                                                        "community_cases": 5,
                                                        "coverage": {"18+|1": 75, "50+|full": 85}}), 200)
        self.assertEqual((body["level"], body["band"], body["rule_set"]), (3, 3, "QD-4800-BYT-2021"))
        self.assertIn("50 ca mắc mới trong cộng đồng/100.000 dân", body["explanation"])

    def test_rule_sets_are_listed_and_only_national_accounts_add(self):
        self.as_user("province_leader")
        sets = self.json(self.client.get("/api/risk/rule-sets"), 200)
        self.assertEqual({s["code"] for s in sets}, {"QD-2686-BCDQG-2021", "QD-4800-BYT-2021", "QD-218-BYT-2022"})
        rules = next(s["rules"] for s in sets if s["code"] == "QD-4800-BYT-2021")
        new = {"code": "QD-X", "name": "X", "legal_source": "Y", "valid_from": "2021-12-20", "rules": rules}
        self.json(self.post("/api/risk/rule-sets", new), 403)
        self.as_user("national_epi")
        self.assertEqual(self.json(self.post("/api/risk/rule-sets", new), 201)["code"], "QD-X")

    def test_a_run_through_the_api(self):
        self.as_user("province_epi")
        body = self.json(self.post("/api/risk/assessments/run", {"week": "2021-W50"}), 200)
        self.assertEqual((body["units"], body["rule_set"]), (6, "QD-4800-BYT-2021"))

    def test_the_public_reads_levels_without_logging_in(self):
        body = self.json(self.client.get(
            f"/api/risk/public/levels?week=2021-W50&level=commune&province={self.units['province'].code}"), 200)
        rows = {r["code"]: r for r in body["units"]}
        self.assertEqual(rows[self.units["commune_a1"].code]["level"], 4)
        self.assertEqual(set(rows[self.units["commune_a1"].code]), {"code", "name", "level", "source", "lat", "lon"})

    def test_other_api_calls_need_a_login(self):
        self.json(self.client.get("/api/risk/assessments"), 401)

    def test_capacity_statement(self):
        self.as_user("commune_officer")
        body = self.json(self.post("/api/risk/capacity", {"unit": self.units["commune_a1"].code, "met": False,
                                                          "oxygen_at_every_station": False}), 201)
        self.assertEqual((body["met"], body["as_of"]), (False, str(NOW.date())))

    def test_the_public_endpoint_refuses_an_unknown_level(self):
        body = self.json(self.client.get("/api/risk/public/levels?level=village"), 422)
        self.assertEqual(body["field"], "level")
