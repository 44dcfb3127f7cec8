"""/api/vaccination: the same services and refusals as the pages."""

import json

from chongdich.vaccination.tests.base import VaccinationTestCase


class VaccinationApiTests(VaccinationTestCase):
    def as_user(self, persona: str):
        self.client.force_login(self.users[persona])

    def post(self, url: str, body: dict):
        return self.client.post(url, json.dumps(body, default=str), content_type="application/json")

    def json(self, response, status: int):
        self.assertEqual(response.status_code, status, response.content.decode()[:500])
        return response.json()

    def dose(self, name="An", number=1, **kw):
        return {"person_id": self.people[name].pk, "product": "AZ", "dose_number": number,
                "given_on": "2021-07-01"} | kw

    def test_a_commune_officer_records_a_dose_and_reads_it_back(self):
        self.as_user("commune_officer")
        body = self.json(self.post("/api/vaccination/doses", self.dose(batch="AZ-01")), 201)
        self.assertEqual((body["product"], body["dose_number"], body["batch"]), ("AZ", 1, "AZ-01"))
        doses = self.json(self.client.get(f"/api/vaccination/doses?person_id={self.people['An'].pk}"), 200)
        self.assertEqual([d["id"] for d in doses], [body["id"]])

    def test_another_date_for_the_same_dose_is_a_conflict(self):
        self.as_user("commune_officer")
        self.json(self.post("/api/vaccination/doses", self.dose()), 201)
        body = self.json(self.post("/api/vaccination/doses", self.dose(given_on="2021-07-02")), 409)
        self.assertEqual(body["field"], "dose_number")

    def test_a_batch_answers_one_outcome_per_item(self):
        self.as_user("province_leader")
        body = self.json(self.post("/api/vaccination/doses/batch", {"items": [
            self.dose(), self.dose(), self.dose("Cường", product="XYZ"), self.dose("Giang", given_on="2030-01-01"),
            {**self.dose(), "person_id": 999_999},
        ]}), 200)
        self.assertEqual((body["created"], body["duplicate"], body["error"]), (1, 1, 3))
        self.assertEqual([i["field"] for i in body["items"]], ["", "", "product", "given_on", "person_id"])

    def test_coverage_of_a_district_with_its_communes_and_the_source(self):
        self.as_user("district_epi")
        self.json(self.post("/api/vaccination/doses", self.dose()), 201)
        body = self.json(self.client.get(f"/api/vaccination/coverage/{self.units['district_a'].code}"
                                         "?as_of=2021-12-15&children=true"), 200)
        self.assertEqual(body["source"], "records")
        adults = next(g for g in body["groups"] if g["group"] == "18+")
        self.assertEqual(adults["doses"]["1"]["people"], 1)
        self.assertEqual({c["unit"]["code"]: c["source"] for c in body["children"]},
                         {self.units["commune_a1"].code: "records", self.units["commune_a2"].code: "none"})

    def test_an_aggregate_report_is_created_then_replaced(self):
        self.as_user("province_leader")
        report = {"unit": self.units["commune_b1"].code, "as_of": "2021-12-14", "group": "12-17",
                  "population": 900, "one_dose": 380, "full_series": 100}
        self.json(self.post("/api/vaccination/reports", report), 201)
        self.json(self.post("/api/vaccination/reports", report | {"one_dose": 400}), 200)
        body = self.json(self.client.get(f"/api/vaccination/coverage/{self.units['commune_b1'].code}"
                                         "?as_of=2021-12-15"), 200)
        teens = next(g for g in body["groups"] if g["group"] == "12-17")
        self.assertEqual((body["source"], teens["doses"]["1"]["pct"]), ("aggregate", 44.4))

    def test_an_outsider_neither_sees_the_coverage_nor_records_for_a1(self):
        self.as_user("outsider")
        self.json(self.client.get(f"/api/vaccination/coverage/{self.units['commune_a1'].code}"), 404)
        body = self.json(self.post("/api/vaccination/doses", self.dose()), 404)
        self.assertEqual(body["field"], "person_id")

    def test_a_viewer_is_refused_a_report(self):
        self.as_user("viewer")
        self.json(self.post("/api/vaccination/reports", {
            "unit": self.units["commune_b1"].code, "as_of": "2021-12-14", "group": "18+",
            "one_dose": 1, "full_series": 1}), 403)
