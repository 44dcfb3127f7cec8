"""/api/monitoring: the same services and refusals as the pages, as JSON."""

import json

from chongdich.core.testing import at
from chongdich.core.tests.api_helpers import ApiTestCase
from chongdich.monitoring import services
from chongdich.monitoring.models import DailyCheck, Escalation, Household
from chongdich.monitoring.tests.base import MonitoringWorld


class MonitoringApi(MonitoringWorld, ApiTestCase):
    """The monitoring world with the JSON helpers (setUpTestData is the world's)."""

    @classmethod
    def setUpTestData(cls):
        MonitoringWorld.setUpTestData.__func__(cls)


class Checks(MonitoringApi):
    def test_a_tracer_records_a_check_and_a_danger_sign_is_escalated(self):
        self.as_user("tracer")
        body = self.assertStatus(self.post("/api/monitoring/checks", {
            "person_id": self.an.pk, "temperature": "38.1", "spo2": 95, "symptoms": ["dyspnoea", "cough"]}), 201)
        self.assertEqual((body["level"], body["reasons"], body["source"]), ("escalate", ["spo2", "dyspnoea", "fever"], "team"))
        self.assertEqual(body["rule_set"], "BYT-879-2020")
        self.assertTrue(Escalation.objects.filter(person=self.an, status="open").exists())

    def test_an_unknown_symptom_is_refused_on_its_field(self):
        self.as_user("tracer")
        body = self.assertStatus(self.post("/api/monitoring/checks", {"person_id": self.an.pk, "symptoms": ["hiccups"]}), 422)
        self.assertEqual(body["field"], "symptoms.0")

    def test_an_outsider_does_not_find_the_person(self):
        self.as_user("outsider")
        body = self.assertStatus(self.post("/api/monitoring/checks", {"person_id": self.an.pk, "spo2": 97}), 404)
        self.assertEqual(body["field"], "person_id")

    def test_a_batch_reports_each_item(self):
        self.as_user("tracer")
        body = self.assertStatus(self.post("/api/monitoring/checks/batch", {"items": [
            {"person_id": self.an.pk, "spo2": 98},
            {"person_id": self.giang.pk, "spo2": 98},
            {"person_id": self.binh.pk, "temperature": "45"},
        ]}), 200)
        self.assertEqual((body["recorded"], body["failed"]), (1, 2))
        self.assertEqual([(i["ok"], i.get("error"), i.get("field")) for i in body["items"]],
                         [(True, None, None), (False, "not_found", None), (False, "invalid", "temperature")])

    def test_the_history_is_newest_first(self):
        self.check(self.an, checked_at=at(19, 8))
        self.check(self.an, spo2=97)
        self.as_user("tracer")
        body = self.assertStatus(self.get(f"/api/monitoring/people/{self.an.pk}/checks"), 200)
        self.assertEqual([c["spo2"] for c in body], [97, None])


class SelfReportApi(MonitoringApi):
    def test_the_person_reports_with_the_key_and_no_account(self):
        self.as_user("tracer")
        link = self.assertStatus(self.post(f"/api/monitoring/people/{self.an.pk}/report-link", {}), 201)
        self.assertIn(f"/r/{link['key']}/", link["url"])
        self.client.logout()
        body = self.assertStatus(self.post(f"/api/monitoring/self/{link['key']}", {"spo2": 97}), 201)
        self.assertEqual(body["level"], "normal")
        self.assertEqual(DailyCheck.objects.get().source, "self")

    def test_a_wrong_key_is_not_found(self):
        self.assertStatus(self.post("/api/monitoring/self/nope", {"spo2": 97}), 404)

    def test_too_many_reports_are_refused(self):
        _link, key = services.report_link_issue(actor=self.users["tracer"], person=self.an)
        for _ in range(services.SELF_REPORTS_PER_HOUR):
            self.assertStatus(self.post(f"/api/monitoring/self/{key}", {}), 201)
        self.assertEqual(self.assertStatus(self.post(f"/api/monitoring/self/{key}", {}), 429)["error"], "rate_limited")


class Lists(MonitoringApi):
    def test_the_team_followup_puts_escalations_first(self):
        self.check(self.binh, spo2=92)
        self.as_user("tracer")
        body = self.assertStatus(self.get(f"/api/monitoring/teams/{self.team.pk}/followup"), 200)
        self.assertEqual([(p["full_name"], p["state"]) for p in body],
                         [("Trần Thị Bình", "needs_escalation"), ("Nguyễn Văn An", "not_reporting")])

    def test_not_reporting_in_the_district(self):
        self.as_user("district_epi")
        body = self.assertStatus(self.get("/api/monitoring/people", state="not_reporting"), 200)
        self.assertEqual([p["full_name"] for p in body["items"]], ["Nguyễn Văn An", "Phạm Dũng", "Trần Thị Bình"])
        self.assertEqual(body["count"], 3)

    def test_the_counts(self):
        self.as_user("commune_officer")
        body = self.assertStatus(self.get("/api/monitoring/counts"), 200)
        self.assertEqual(body, {"monitored": 2, "not_reporting": 2, "needs_escalation": 0, "no_team": 0})

    def test_the_station_resolves_an_escalation(self):
        self.check(self.an, spo2=90)
        escalation = Escalation.objects.get()
        self.as_user("commune_officer")
        listed = self.assertStatus(self.get("/api/monitoring/escalations"), 200)
        self.assertEqual([e["id"] for e in listed["items"]], [escalation.pk])
        body = self.assertStatus(self.post(f"/api/monitoring/escalations/{escalation.pk}/resolve",
                                           {"action": "called_115", "note": "Xe 115 đã đón lúc 9:20"}), 200)
        self.assertEqual((body["status"], body["action"]), ("resolved", "called_115"))

    def test_an_outsider_cannot_resolve(self):
        self.check(self.an, spo2=90)
        self.as_user("outsider")
        self.assertStatus(self.post(f"/api/monitoring/escalations/{Escalation.objects.get().pk}/resolve",
                                    {"action": "visited", "note": "x"}), 404)

    def test_rule_sets_carry_their_sources(self):
        self.as_user("viewer")
        body = self.assertStatus(self.get("/api/monitoring/rule-sets"), 200)
        self.assertIn("Quyết định 4038/QĐ-BYT", next(r for r in body if r["code"] == "BYT-4038-2021")["legal_source"])


class TeamsAndHouseholds(MonitoringApi):
    def test_an_officer_creates_a_team_with_a_volunteer_and_households(self):
        self.as_user("commune_officer")
        team = self.assertStatus(self.post("/api/monitoring/teams", {"commune": self.units["commune_a1"].code,
                                                                       "name": "Tổ 2"}), 201)
        member = self.assertStatus(self.post(f"/api/monitoring/teams/{team['id']}/members",
                                             {"full_name": "Hà Tình", "phone": "0912000111", "is_leader": True}), 201)
        self.assertEqual((member["is_leader"], member["user_id"]), (True, None))
        moved = self.assertStatus(self.post(f"/api/monitoring/teams/{team['id']}/households",
                                            {"household_ids": [self.home.pk]}), 200)
        self.assertEqual(moved["assigned"], 1)
        body = self.assertStatus(self.get(f"/api/monitoring/teams/{team['id']}"), 200)
        self.assertEqual((body["household_count"], body["monitored_count"]), (1, 2))

    def test_a_household_is_created_with_its_members(self):
        self.as_user("tracer")
        body = self.assertStatus(self.post("/api/monitoring/households", {
            "commune": self.units["commune_a1"].code, "address": "7 Ngõ Chợ", "team_id": self.team.pk}), 201)
        self.assertEqual((body["team"], body["members"]), ("Tổ 1", []))

    def test_a_person_of_another_household_is_a_conflict(self):
        self.as_user("tracer")
        body = self.assertStatus(self.post("/api/monitoring/households", {
            "commune": self.units["commune_a1"].code, "address": "7 Ngõ Chợ", "member_ids": [self.an.pk]}), 409)
        self.assertEqual(body["field"], "person")
        self.assertFalse(Household.objects.filter(address="7 Ngõ Chợ").exists())

    def test_an_outsider_sees_no_team_of_a1(self):
        self.as_user("outsider")
        self.assertStatus(self.get(f"/api/monitoring/teams/{self.team.pk}"), 404)
        body = self.assertStatus(self.get("/api/monitoring/teams"), 200)
        self.assertEqual(body["count"], 0)

    def test_clearing_the_head_of_a_household(self):
        self.as_user("tracer")
        body = self.assertStatus(self.patch(f"/api/monitoring/households/{self.home.pk}", {"head_id": None}), 200)
        self.assertIsNone(body["head_id"])
        self.assertEqual(len(json.loads(json.dumps(body["members"]))), 2)
