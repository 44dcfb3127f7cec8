"""/api/facilities, /api/placements, /api/quarantine-rule-sets: the same services and refusals as the pages."""

import json

from chongdich.quarantine.models import Placement
from chongdich.quarantine.tests.base import QuarantineTestCase


class QuarantineApiTests(QuarantineTestCase):
    def as_user(self, persona: str):
        self.client.force_login(self.users[persona])

    def post(self, url: str, body: dict):
        return self.client.post(url, json.dumps(body, default=str), content_type="application/json")

    def json(self, response, status: int):
        self.assertEqual(response.status_code, status, response.content.decode()[:500])
        return response.json()

    def admit_body(self, name="An", **kw) -> dict:
        return {"person_id": self.people[name].pk, "purpose": "quarantine", "setting": "facility",
                "facility_id": self.camp.pk} | kw


class FacilityApiTests(QuarantineApiTests):
    def test_a_district_officer_creates_a_facility(self):
        self.as_user("district_epi")
        body = self.json(self.post("/api/facilities", {
            "commune": self.units["commune_a2"].code, "name": "BV dã chiến số 1", "kind": "field_hospital",
            "tier": 1, "capacity": 300}), 201)
        self.assertEqual((body["kind"], body["tier"], body["capacity"], body["occupied"], body["free"]),
                         ("field_hospital", 1, 300, 0, 300))

    def test_the_board_sums_free_places_per_district_and_kind(self):
        self.as_user("province_leader")
        self.json(self.post("/api/placements", self.admit_body()), 201)
        board = self.json(self.client.get("/api/facilities/board"), 200)
        self.assertEqual((board["total"]["capacity"], board["total"]["occupied"], board["total"]["free"]),
                         (17, 1, 16))
        by_district = {g["label"]: g["free"] for g in board["by_district"]}
        self.assertEqual(by_district, {"Huyện district_a": 6, "Huyện district_b": 10})
        self.assertEqual({(g["kind"], g["tier"]): g["capacity"] for g in board["by_kind"]},
                         {("hospital", 2): 5, ("quarantine", None): 12})

    def test_an_outsider_does_not_see_the_facility(self):
        self.as_user("outsider")
        self.json(self.client.get(f"/api/facilities/{self.camp.pk}"), 404)

    def test_lowering_places_below_the_people_inside_is_a_conflict(self):
        self.as_user("province_leader")
        self.json(self.post("/api/placements", self.admit_body()), 201)
        body = self.json(self.client.patch(f"/api/facilities/{self.camp.pk}", json.dumps({"capacity": 0}),
                                           content_type="application/json"), 422)
        self.assertEqual(body["field"], "capacity")
        self.json(self.post("/api/placements", self.admit_body("Bình")), 201)
        body = self.json(self.client.patch(f"/api/facilities/{self.camp.pk}", json.dumps({"capacity": 1}),
                                           content_type="application/json"), 409)
        self.assertEqual((body["error"], body["field"]), ("conflict", "capacity"))


class PlacementApiTests(QuarantineApiTests):
    def test_an_admission_answers_the_plan_and_the_tests(self):
        self.as_user("commune_officer")
        body = self.json(self.post("/api/placements", self.admit_body()), 201)
        self.assertEqual((body["rule_set"], body["planned_end_on"], body["monitoring_until"]),
                         ("CV-5599-BYT-MT-2021", "2021-08-15", "2021-08-29"))
        self.assertEqual([t["day"] for t in body["tests"]], [1, 7, 14])
        self.assertFalse(body["release_check"]["allowed"])

    def test_admitting_into_a_full_facility_is_a_conflict_naming_the_facility(self):
        self.as_user("commune_officer")
        for name in ("An", "Bình"):
            self.json(self.post("/api/placements", self.admit_body(name)), 201)
        body = self.json(self.post("/api/placements", self.admit_body("Dũng")), 409)
        self.assertEqual((body["error"], body["field"]), ("conflict", "facility"))
        self.assertIn("đã hết chỗ", body["message"])

    def test_a_person_outside_the_area_is_not_found(self):
        self.as_user("commune_officer")
        body = self.json(self.post("/api/placements", self.admit_body("Giang")), 404)
        self.assertEqual(body["field"], "person_id")

    def test_a_viewer_is_refused(self):
        self.as_user("viewer")
        self.json(self.post("/api/placements", self.admit_body()), 403)

    def test_a_transfer_home_answers_the_new_placement(self):
        self.as_user("commune_officer")
        first = self.json(self.post("/api/placements", self.admit_body()), 201)
        moved = self.json(self.post(f"/api/placements/{first['id']}/transfer", {"facility_id": None}), 201)
        self.assertEqual((moved["setting"], moved["previous_id"], moved["started_on"]),
                         ("home", first["id"], first["started_on"]))

    def test_a_release_before_the_end_without_a_reason_is_a_conflict(self):
        self.as_user("district_epi")
        placement = self.json(self.post("/api/placements", self.admit_body()), 201)
        body = self.json(self.post(f"/api/placements/{placement['id']}/release", {}), 409)
        self.assertEqual(body["field"], "override_reason")

    def test_an_override_release_records_who_and_why(self):
        self.as_user("district_epi")
        placement = self.json(self.post("/api/placements", self.admit_body()), 201)
        body = self.json(self.post(f"/api/placements/{placement['id']}/release",
                                   {"override_reason": "Chuyển về nhà theo quyết định số 12"}), 200)
        self.assertEqual((body["status"], body["end_reason"], body["override_by"]),
                         ("released", "override", self.users["district_epi"].username))

    def test_the_due_list_shows_overdue_days(self):
        self.as_user("commune_officer")
        self.json(self.post("/api/placements", self.admit_body(started_at="2021-07-25T09:00:00+07:00")), 201)
        body = self.json(self.client.get("/api/placements/due-tests"), 200)
        self.assertEqual([(t["day"], t["overdue_days"]) for t in body["items"]], [(1, 8), (7, 2)])

    def test_the_list_filters_stays_ending_this_week(self):
        self.as_user("commune_officer")
        self.json(self.post("/api/placements", self.admit_body(started_at="2021-07-25T09:00:00+07:00")), 201)
        self.json(self.post("/api/placements", self.admit_body("Bình")), 201)
        body = self.json(self.client.get("/api/placements", {"ending": "week"}), 200)
        self.assertEqual([p["person"]["full_name"] for p in body["items"]], ["An"])
        self.assertEqual(Placement.objects.count(), 2)


class RuleSetApiTests(QuarantineApiTests):
    def test_rule_sets_list_every_version_with_its_source_and_the_one_in_force(self):
        self.as_user("viewer")
        body = self.json(self.client.get("/api/quarantine-rule-sets"), 200)
        self.assertEqual([s["code"] for s in body][:2], ["CV-10696-BYT-MT-2021", "CV-5599-BYT-MT-2021"])
        current = [s["code"] for s in body if s["in_force"]]
        self.assertEqual(current, ["CV-5599-BYT-MT-2021"])
        self.assertTrue(all(s["needs_verification"] and s["legal_source"] for s in body))
