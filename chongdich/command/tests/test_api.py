"""/api/command: a notice with its tasks entered, reported on, verified and sent back through the
API, with the same access checks as the pages."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from chongdich.command.tests.base import CommandWorld, at


class CommandApiTestCase(CommandWorld):
    def as_user(self, user):
        self.client.force_login(user)
        return self

    def post(self, url: str, body, **headers):
        return self.client.post(url, json.dumps(body, default=str), content_type="application/json", headers=headers)

    def patch(self, url: str, body):
        return self.client.patch(url, json.dumps(body, default=str), content_type="application/json")

    def assertStatus(self, response, status: int):
        self.assertEqual(response.status_code, status, response.content.decode()[:800])
        return response.json()

    def enter_notice(self, **extra) -> dict:
        body = {
            "kind": "notice", "issuing_body": "Ban Thường vụ Tỉnh ủy", "issued_on": "2020-02-19",
            "title": "Ý kiến của Ban Thường vụ Tỉnh ủy về tiếp tục quyết liệt, chủ động phòng, chống dịch",
            "follows_up_ids": [],
            "tasks": [
                {"agency_id": self.propaganda.pk, "point": "3",
                 "description": "Làm việc với Đài Truyền hình Việt Nam để truyền thông cho tỉnh",
                 "deadline": "2020-02-29T17:00:00+07:00"},
                {"agency_id": self.health.pk, "point": "1", "description": "Báo cáo tình hình hằng ngày",
                 "cadence": "daily", "due_time": "17:00", "starts_on": "2020-02-20"},
                {"agency_id": self.commune_a1.pk, "description": "Tiếp tục lãnh đạo phát triển sản xuất"},
            ],
        } | extra
        self.as_user(self.secretary)
        return self.assertStatus(self.post("/api/command/documents", body), 201)


class DocumentApiTests(CommandApiTestCase):
    def test_a_secretary_enters_a_notice_with_three_kinds_of_task(self):
        doc = self.enter_notice()
        self.assertEqual([t["timing"] for t in doc["tasks"]], ["deadline", "recurring", "ongoing"])
        self.assertEqual([t["lateness"] for t in doc["tasks"]], ["on_track", "due_soon", "no_deadline"])

    def test_an_error_in_a_task_names_it(self):
        self.as_user(self.secretary)
        body = self.assertStatus(self.post("/api/command/documents", {
            "kind": "notice", "issuing_body": "BTV", "issued_on": "2020-02-19", "title": "x",
            "tasks": [{"agency_id": self.health.pk, "description": "ok"},
                      {"agency_id": 999999, "description": "?"}]}), 404)
        self.assertEqual(body["field"], "tasks.1.agency_id")

    def test_an_agency_of_another_commune_is_not_found_for_a_commune(self):
        self.as_user(self.commune_officer)
        self.assertStatus(self.client.get(f"/api/command/agencies/{self.commune_b1.pk}"), 404)

    def test_a_duplicate_number_is_a_conflict_on_the_number(self):
        self.enter_notice(number="2032-TB/TU", tasks=[])
        body = self.assertStatus(self.post("/api/command/documents", {
            "kind": "notice", "issuing_body": "Ban Thường vụ Tỉnh ủy", "issued_on": "2020-02-19",
            "title": "Lần hai", "number": "2032-tb/tu"}), 409)
        self.assertEqual(body["field"], "number")

    def test_files_are_attached_and_downloaded_by_who_may_see_them(self):
        import tempfile

        from django.test import override_settings

        doc = self.enter_notice()
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            upload = SimpleUploadedFile("thong-bao.pdf", b"%PDF-1.4 noi dung", content_type="application/pdf")
            files = self.assertStatus(self.client.post(f"/api/command/documents/{doc['id']}/files",
                                                       {"files": [upload]}), 201)
            response = self.client.get(files[0]["url"])
            self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 noi dung")
            self.as_user(self.outsider)
            self.assertStatus(self.client.get(files[0]["url"]), 404)


class TaskApiTests(CommandApiTestCase):
    def test_an_agency_reports_done_and_the_leader_verifies(self):
        doc = self.enter_notice()
        task_id = doc["tasks"][0]["id"]
        self.as_user(self.propaganda_officer)
        body = self.assertStatus(self.post(f"/api/command/tasks/{task_id}/reports",
                                           {"text": "Đã làm việc với VTV1", "done": True}), 201)
        self.assertEqual(body["status"], "reported_done")
        self.as_user(self.leader)
        body = self.assertStatus(self.post(f"/api/command/tasks/{task_id}/verify", {"note": "Tốt"}), 200)
        self.assertEqual(body["status"], "verified")
        self.assertEqual([e["kind"] for e in body["history"]], ["assigned", "reported_done", "verified"])

    def test_the_leader_sends_back_with_a_reason(self):
        task_id = self.enter_notice()["tasks"][0]["id"]
        self.as_user(self.propaganda_officer)
        self.post(f"/api/command/tasks/{task_id}/reports", {"text": "Xong", "done": True})
        self.as_user(self.leader)
        body = self.assertStatus(self.post(f"/api/command/tasks/{task_id}/send-back", {"reason": "Thiếu"}), 200)
        self.assertEqual(body["status"], "sent_back")

    def test_verifying_needs_the_verify_capability(self):
        task_id = self.enter_notice()["tasks"][0]["id"]
        self.as_user(self.propaganda_officer)
        self.post(f"/api/command/tasks/{task_id}/reports", {"text": "Xong", "done": True})
        body = self.assertStatus(self.post(f"/api/command/tasks/{task_id}/verify", {}), 403)
        self.assertEqual(body["error"], "permission_denied")

    def test_an_outsider_commune_gets_not_found_for_a_task(self):
        task_id = self.enter_notice()["tasks"][2]["id"]
        self.as_user(self.outsider)
        self.assertStatus(self.client.get(f"/api/command/tasks/{task_id}"), 404)
        self.assertStatus(self.post(f"/api/command/tasks/{task_id}/reports", {"text": "?"}), 404)

    def test_a_daily_report_answers_its_day_and_the_task_shows_each_day(self):
        task_id = self.enter_notice()["tasks"][1]["id"]
        self.as_user(self.health_officer)
        self.freeze(at(2, 21, 18))
        body = self.assertStatus(self.post(f"/api/command/tasks/{task_id}/reports",
                                           {"text": "Ngày 21: không có ca mới"}), 201)
        self.assertEqual([(r["period"], r["status"]) for r in body["due_reports"]],
                         [("2020-02-20", "missing"), ("2020-02-21", "late")])

    def test_the_board_lists_the_most_pressing_first(self):
        self.enter_notice()
        self.freeze(at(3, 2))
        self.as_user(self.leader)
        body = self.assertStatus(self.client.get("/api/command/tasks"), 200)
        self.assertEqual([t["lateness"] for t in body["items"]], ["overdue", "overdue", "no_deadline"])
        self.assertEqual(body["items"][0]["overdue_days"], 2)  # due 29/02 17:00, now 02/03

    def test_the_inbox_shows_what_an_agency_owes(self):
        self.enter_notice()
        self.as_user(self.commune_officer)
        body = self.assertStatus(self.client.get(f"/api/command/agencies/{self.commune_a1.pk}/inbox"), 200)
        self.assertEqual([t["description"] for t in body["owed"]], ["Tiếp tục lãnh đạo phát triển sản xuất"])


class InspectionApiTests(CommandApiTestCase):
    def test_a_check_with_a_finding_that_becomes_a_corrective_task(self):
        self.enter_notice()
        self.as_user(self.secretary)
        team = self.assertStatus(self.post("/api/command/teams", {
            "name": "Đoàn kiểm tra số 2", "leader": self.leader.username,
            "members": [self.users["district_epi"].username]}), 201)
        inspection = self.assertStatus(self.post("/api/command/inspections", {
            "team_id": team["id"], "inspected_unit": self.units["commune_a1"].code,
            "scheduled_on": "2020-02-20"}), 201)
        self.assertEqual([i["text"] for i in inspection["checklist"]], ["Tiếp tục lãnh đạo phát triển sản xuất"])
        self.as_user(self.users["district_epi"])
        finding = self.assertStatus(self.post(f"/api/command/inspections/{inspection['id']}/findings", {
            "text": "Chưa có kế hoạch sản xuất vụ xuân", "severity": "serious",
            "agency_id": self.commune_a1.pk}), 201)
        self.as_user(self.secretary)
        task = self.assertStatus(self.post(f"/api/command/findings/{finding['id']}/tasks", {
            "agency_id": self.commune_a1.pk, "description": "Lập kế hoạch",
            "deadline": "2020-02-25T17:00:00+07:00"}), 201)
        self.assertEqual((task["finding_id"], task["status"]), (finding["id"], "assigned"))

    def test_a_leader_opens_a_surprise_check(self):
        self.as_user(self.leader)
        body = self.assertStatus(self.post("/api/command/inspections", {
            "kind": "surprise", "inspected_unit": self.units["commune_b1"].code, "scheduled_on": "2020-02-20",
            "draft_checklist": False}), 201)
        self.assertEqual((body["kind"], body["led_by"]), ("surprise", self.leader.username))


class AgencyApiTests(CommandApiTestCase):
    def test_a_secretary_adds_an_agency_with_its_accounts(self):
        self.as_user(self.secretary)
        body = self.assertStatus(self.post("/api/command/agencies", {
            "unit": self.units["district_a"].code, "name": "Trung tâm Y tế huyện A", "kind": "health",
            "superior_id": self.district_committee.pk, "members": [self.users["district_epi"].username]}), 201)
        self.assertEqual((body["kind"], body["superior"]["id"]), ("health", self.district_committee.pk))

    def test_an_account_from_another_commune_cannot_be_made_a_member(self):
        self.as_user(self.district_leader)
        body = self.assertStatus(self.patch(f"/api/command/agencies/{self.commune_a1.pk}",
                                            {"members": [self.outsider.username]}), 404)
        self.assertEqual(body["field"], "members")

    def test_the_leader_renames_an_agency(self):
        self.as_user(self.leader)
        body = self.assertStatus(self.patch(f"/api/command/agencies/{self.health.pk}", {"name": "Sở Y tế Vĩnh Phúc"}),
                                 200)
        self.assertEqual(body["name"], "Sở Y tế Vĩnh Phúc")

