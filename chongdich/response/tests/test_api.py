"""/api/responses: the list with clocks, one response, sign-off and disinfection — the same
services and refusals as the pages."""

from __future__ import annotations

import json

from chongdich.response.tests.base import MINUTE, T0, ResponseTestCase


class ResponseApiTests(ResponseTestCase):
    def setUp(self):
        super().setUp()
        self.case = self.confirm(at=T0 - 50 * MINUTE)
        self.other = self.confirm("Giang", at=T0 - 10 * MINUTE)  # in commune B1
        self.response = self.response_of(self.case)

    def as_user(self, persona: str):
        self.client.force_login(self.users[persona])

    def post(self, url: str, body: dict):
        return self.client.post(url, json.dumps(body, default=str), content_type="application/json")

    def json(self, response, status: int):
        assert response.status_code == status, response.content.decode()[:500]
        return response.json()

    def test_the_list_shows_the_responses_in_the_jurisdiction_with_their_lights(self):
        self.as_user("commune_officer")
        body = self.json(self.client.get("/api/responses"), 200)
        assert [r["case_code"] for r in body["items"]] == [self.case.code]
        trace = body["items"][0]["stages"][0]
        assert (trace["kind"], trace["light"], trace["seconds_left"]) == ("trace", "amber", 600)

    def test_the_province_filters_by_district_and_stage(self):
        self.as_user("province_leader")
        body = self.json(self.client.get("/api/responses", {"district": self.units["district_b"].code}), 200)
        assert [r["case_code"] for r in body["items"]] == [self.other.code]
        self.contact(self.case, "Bình")
        body = self.json(self.client.get("/api/responses", {"stage": "trace"}), 200)
        assert [r["case_code"] for r in body["items"]] == [self.other.code]
        assert self.json(self.client.get("/api/responses", {"stage": "nope"}), 422)["field"] == "stage"

    def test_detail_lists_the_evidence(self):
        self.contact(self.case, "Bình")
        self.as_user("district_epi")
        body = self.json(self.client.get(f"/api/responses/{self.response.pk}"), 200)
        assert (body["contacts"], [f["full_name"] for f in body["f1"]]) == (1, ["Bình"])
        assert body["f1"][0]["placement_id"] is None

    def test_an_outsider_gets_not_found(self):
        self.as_user("outsider")
        self.json(self.client.get(f"/api/responses/{self.response.pk}"), 404)
        self.json(self.post(f"/api/responses/{self.response.pk}/stages/zone/sign-off", {"note": "x"}), 404)

    def test_an_officer_signs_a_stage_off(self):
        self.as_user("commune_officer")
        body = self.json(self.post(f"/api/responses/{self.response.pk}/stages/zone/sign-off",
                                   {"note": "Đã phong tỏa thôn Đông"}), 200)
        zone = next(s for s in body["stages"] if s["kind"] == "zone")
        assert (zone["done_how"], zone["light"], zone["note"]) == ("sign_off", "done", "Đã phong tỏa thôn Đông")
        assert zone["done_by"] == self.users["commune_officer"].display_name
        again = self.post(f"/api/responses/{self.response.pk}/stages/zone/sign-off", {"note": "x"})
        assert self.json(again, 409)["error"] == "conflict"

    def test_a_viewer_may_not_sign_off(self):
        self.as_user("viewer")
        self.json(self.post(f"/api/responses/{self.response.pk}/stages/zone/sign-off", {"note": "x"}), 403)

    def test_a_tracer_records_a_disinfection(self):
        self.as_user("tracer")
        body = self.json(self.post(f"/api/responses/{self.response.pk}/disinfections",
                                   {"place": "Chợ Đông", "done_by_name": "Đội y tế xã"}), 201)
        assert (body["place"], body["recorded_by"]) == ("Chợ Đông", self.users["tracer"].username)

    def test_without_login_the_api_answers_401(self):
        self.json(self.client.get("/api/responses"), 401)
