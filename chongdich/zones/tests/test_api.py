"""The JSON API: lockdown areas, designations, and the weekly map for officers and the public
(no login, no personal data)."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.utils import timezone

from chongdich.risk.models import Assessment, LevelDecision, RiskRuleSet
from chongdich.zones import services
from chongdich.zones.tests.base import ZonesTestCase, on

W49, W50 = dt.date(2021, 12, 6), dt.date(2021, 12, 13)


def make_levels(units) -> None:
    """Week 49: A1 level 1, A2 level 2; week 50: A1 level 4 (computed), A2 decided 3;
    district A level 3 in week 50; B1 never assessed."""
    rules = RiskRuleSet.objects.create(code="test-4800", name="Thử", legal_source="QĐ 4800/QĐ-BYT",
                                       valid_from=dt.date(2021, 10, 12), rules={})
    rows = [("commune_a1", W49, 1), ("commune_a2", W49, 2), ("commune_a1", W50, 4), ("commune_a2", W50, 2),
            ("district_a", W50, 3)]
    for key, week, level in rows:
        Assessment.objects.create(unit=units[key], week=week, rule_set=rules, level=level,
                                  explanation=f"cấp {level}: thử", computed_at=timezone.now())
    LevelDecision.objects.create(unit=units["commune_a2"], week=W50, kind="override", level=3,
                                 reason="Ổ dịch chợ", announced_at=on(12, 11), effective_at=on(12, 13, 0))


class ApiTestCase(ZonesTestCase):
    def client_for(self, persona: str) -> Client:
        client = Client()
        client.force_login(self.users[persona])
        return client

    def post(self, persona: str, url: str, body: dict):
        return self.client_for(persona).post(url, json.dumps(body, default=str), content_type="application/json")


class AreaApiTests(ApiTestCase):
    def test_record_a_point_area_and_read_its_estimate(self):
        response = self.post("commune_officer", "/api/zones/areas", {
            "shape": "point", "name": "Ngõ 5", "reason": "F0", "lat": 21.005, "lon": 105.805,
            "rings": {"core": 100, "buffer": 300, "watch": 1000}, "trigger_case_id": self.case.pk})
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["commune"], body["trigger_case"]), (self.units["commune_a1"].code, self.case.code))
        self.assertTrue(body["population"]["is_estimate"])
        self.assertEqual(body["population"]["total"], 6789)
        self.assertEqual([r["ring"] for r in body["population"]["rings"]], ["core", "buffer", "watch"])
        self.assertEqual(len(self.area_calls), 1)

    def test_record_units_area_list_and_lift(self):
        response = self.post("district_epi", "/api/zones/areas", {
            "shape": "units", "name": "Hai xã", "reason": "Ổ dịch", "starts_at": "2021-12-10T08:00:00+07:00",
            "units": [self.units["commune_a1"].code, self.units["commune_a2"].code]})
        self.assertEqual(response.status_code, 201, response.content)
        area_id = response.json()["id"]
        self.assertEqual(response.json()["population"]["total"], 16_000)
        listed = self.client_for("commune_officer").get("/api/zones/areas?state=active").json()
        self.assertEqual([a["id"] for a in listed["items"]], [area_id])
        lifted = self.post("district_epi", f"/api/zones/areas/{area_id}/lift", {"reason": "Hết ca mới"})
        self.assertEqual(lifted.status_code, 200, lifted.content)
        self.assertEqual(lifted.json()["state"], "ended")
        again = self.post("district_epi", f"/api/zones/areas/{area_id}/lift", {"reason": "Lại"})
        self.assertEqual(again.status_code, 409)

    def test_errors_name_their_field(self):
        response = self.post("commune_officer", "/api/zones/areas", {
            "shape": "point", "name": "X", "reason": "F0", "lat": 21.005, "lon": 105.805,
            "rings": {"core": 300, "buffer": 200}})
        self.assertEqual((response.status_code, response.json()["field"]), (422, "buffer_m"))

    def test_the_outsider_gets_not_found(self):
        response = self.post("outsider", "/api/zones/areas", {
            "shape": "units", "name": "X", "reason": "Y", "units": [self.units["commune_a1"].code]})
        self.assertEqual((response.status_code, response.json()["field"]), (404, "units"))
        self.assertEqual(self.client_for("outsider").get("/api/zones/areas").json()["count"], 0)

    def test_the_viewer_is_refused(self):
        response = self.post("viewer", "/api/zones/areas", {
            "shape": "units", "name": "X", "reason": "Y", "units": [self.units["commune_a1"].code]})
        self.assertEqual(response.status_code, 403)

    def test_anonymous_officer_endpoints_need_login(self):
        self.assertEqual(Client().get("/api/zones/areas").status_code, 401)
        self.assertEqual(Client().get("/api/zones/map").status_code, 401)


class DesignationApiTests(ApiTestCase):
    def test_designate_and_list(self):
        response = self.post("district_epi", "/api/zones/designations", {
            "colour": "red", "starts_on": "2021-12-01", "units": [self.units["commune_a1"].code],
            "villages": [self.village_west.pk]})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(sorted(d["colour"] for d in response.json()), ["red", "red"])
        self.assertEqual(len(self.zone_calls), 1)
        listed = self.client_for("district_epi").get("/api/zones/designations?on=2021-12-05&colour=red").json()
        self.assertEqual(listed["count"], 2)
        again = self.post("district_epi", "/api/zones/designations", {
            "colour": "yellow", "starts_on": "2021-11-20", "units": [self.units["commune_a1"].code]})
        self.assertEqual(again.status_code, 409)


class MapApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_levels(cls.units)
        leader = cls.users["province_leader"]
        with_clock = on(12, 15)
        from chongdich.core import clock

        with clock.frozen_at(with_clock):
            cls.point = services.area_record_point(
                actor=leader, name="Nhà ông Ca, ngõ 5", reason="Ca F0 Nguyễn Văn Ca", lat=21.0051234,
                lon=105.8054321, address="Số 7 ngõ 5", rings={"core": 100, "buffer": 300},
                commune=cls.units["commune_a1"], trigger_case=cls.case, starts_at=on(12, 14))
            cls.old = services.area_record_units(actor=leader, name="Thôn Đông cũ", reason="Ổ dịch tháng 11",
                                                 villages=[cls.village_east], starts_at=on(11, 1),
                                                 ends_at=on(11, 20))
            services.zone_designate(actor=leader, colour="orange", starts_on=dt.date(2021, 12, 1),
                                    units=[cls.units["commune_a2"]], reason="Bí mật nội bộ")

    def map(self, client, path="/api/zones/map", **params):
        query = {"level": "commune", "parent": self.units["district_a"].code} | params
        response = client.get(path, query)
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def test_the_week_gives_each_commune_its_level_and_colour(self):
        client = self.client_for("commune_officer")
        w50 = {u["code"]: (u["level"], u["source"], u["colour"]) for u in self.map(client, week="2021-W50")["units"]}
        w49 = {u["code"]: (u["level"], u["source"], u["colour"]) for u in self.map(client, week="2021-W49")["units"]}
        a1, a2 = self.units["commune_a1"].code, self.units["commune_a2"].code
        self.assertEqual(w50, {a1: (4, "computed", "#d7191c"), a2: (3, "decision", "#f07d00")})
        self.assertEqual(w49, {a1: (1, "computed", "#2e9e4f"), a2: (2, "computed", "#f2c200")})

    def test_districts_are_coloured_by_their_own_level(self):
        data = self.map(self.client_for("province_leader"), week="2021-W50", level="district",
                        parent=self.units["province"].code)
        levels = {u["code"]: (u["level"], u["drill"]) for u in data["units"]}
        self.assertEqual(levels, {self.units["district_a"].code: (3, "commune"),
                                  self.units["district_b"].code: (None, "commune")})
        self.assertEqual([c["code"] for c in data["crumbs"]], ["", self.units["province"].code])

    def test_officers_see_areas_in_force_that_week_with_their_details(self):
        areas = self.map(self.client_for("commune_officer"), week="2021-W50")["areas"]
        self.assertEqual(len(areas), 1)
        area = areas[0]
        self.assertEqual((area["name"], area["case"], area["lat"]), (self.point.name, self.case.code, 21.0051234))
        self.assertEqual([r["radius_m"] for r in area["rings"]], [100, 300])
        november = self.map(self.client_for("commune_officer"), week="2021-W45")["areas"]
        self.assertEqual([a["name"] for a in november], ["Thôn Đông cũ"])
        self.assertIn(self.units["commune_a1"].code, november[0]["codes"])

    def test_the_outsider_sees_the_levels_but_not_the_areas_of_another_commune(self):
        data = self.map(self.client_for("outsider"), week="2021-W50")
        self.assertEqual(len(data["units"]), 2)
        self.assertEqual(data["areas"], [])

    def test_a_case_the_officer_cannot_see_is_not_linked(self):
        from chongdich.accounts.models import User
        from chongdich.core.testing import make_user

        a2_officer = make_user(self.units["commune_a2"], User.Role.OFFICER)
        services.area_record_units(actor=self.users["district_epi"], name="Hai xã", reason="Ổ dịch",
                                   units=[self.units["commune_a1"], self.units["commune_a2"]],
                                   trigger_case=self.case, starts_at=on(12, 13))
        client = Client()
        client.force_login(a2_officer)
        areas = self.map(client, week="2021-W50")["areas"]
        self.assertEqual([(a["name"], a["case"], a["case_url"]) for a in areas], [("Hai xã", None, None)])

    def test_the_public_map_needs_no_login_and_holds_no_personal_data(self):
        client = Client()
        data = self.map(client, "/api/zones/public/map", week="2021-W50")
        self.assertEqual({u["level"] for u in data["units"]}, {3, 4})
        area = data["areas"][0]
        self.assertEqual((area["lat"], area["lon"]), (21.005, 105.805))
        for key in ("name", "reason", "address", "case", "case_url", "url", "id"):
            self.assertNotIn(key, area)
        text = json.dumps(data, ensure_ascii=False)
        for secret in ("Nguyễn Văn Ca", self.case.code, "Số 7 ngõ 5", "Bí mật nội bộ", "ngõ 5", "Ca F0"):
            self.assertNotIn(secret, text)
        self.assertEqual([z["colour"] for z in data["zones"]], ["orange"])

    def test_the_public_starts_at_the_provinces_and_may_drill_down(self):
        data = Client().get("/api/zones/public/map").json()
        self.assertEqual(data["view"]["level"], "province")
        self.assertIn(self.units["province"].code, [u["code"] for u in data["units"]])
        self.assertEqual(Client().get("/api/zones/public/weeks").json()[-1], "2021-W50")

    def test_bad_views_and_weeks_are_refused(self):
        client = Client()
        for params, field in (({"week": "2021-W60"}, "week"), ({"level": "commune"}, "parent"),
                              ({"level": "village"}, "level"),
                              ({"level": "province", "parent": self.units["province"].code}, "parent")):
            with self.subTest(params=params):
                response = client.get("/api/zones/public/map", params)
                self.assertEqual((response.status_code, response.json()["field"]), (422, field))
        self.assertEqual(client.get("/api/zones/public/map", {"parent": "zzzzz"}).status_code, 404)
