"""Command pages: the board, entering a notice with its tasks, the task page (report, verify,
send back), agencies' inboxes, inspections; and 'not found' outside one's area."""

import datetime as dt
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from chongdich.command import services
from chongdich.command.domain import Status
from chongdich.command.models import ChecklistResult, Document, Finding, Task
from chongdich.command.services import NewTask
from chongdich.command.tests.base import CommandWorld, at

HTMX = {"HTTP_HX_REQUEST": "true"}


def formset(rows: list[dict], prefix: str = "tasks") -> dict:
    """The POST data of the task rows, as the page sends it."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        base = {"timing": "ongoing", "due_time": "17:00"}
        for key, value in (base | row).items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


class BoardPageTests(CommandWorld):
    def test_the_board_requires_login(self):
        response = self.client.get(reverse("command:board"))
        self.assertEqual(response.status_code, 302)

    def test_the_board_puts_overdue_tasks_first_with_how_late_they_are(self):
        doc = self.notice(NewTask(agency=self.health, description="Việc còn hạn", deadline=at(3, 5, 17)),
                          NewTask(agency=self.propaganda, description="Việc quá hạn", deadline=at(2, 19, 17)))
        self.client.force_login(self.leader)
        response = self.client.get(reverse("command:board"), {"group": "lateness"})
        body = response.content.decode()
        self.assertLess(body.index("Việc quá hạn"), body.index("Việc còn hạn"))
        self.assertContains(response, "quá hạn 1 ngày")
        self.assertContains(response, doc.tasks.first().agency.name)

    def test_an_htmx_filter_answers_with_the_results_only(self):
        self.task()
        self.client.force_login(self.leader)
        response = self.client.get(reverse("command:board"), {"group": "agency"}, **HTMX)
        self.assertContains(response, 'id="results"')
        self.assertNotContains(response, "<html")

    def test_a_commune_sees_only_its_own_tasks_on_the_board(self):
        self.notice(NewTask(agency=self.commune_a1, description="Việc xã A1"),
                    NewTask(agency=self.commune_b1, description="Việc xã B1"))
        self.client.force_login(self.commune_officer)
        response = self.client.get(reverse("command:board"))
        self.assertContains(response, "Việc xã A1")
        self.assertNotContains(response, "Việc xã B1")


class DocumentPageTests(CommandWorld):
    def post_notice(self, rows, **fields):
        data = {"kind": "notice", "issuing_body": "Ban Thường vụ Tỉnh ủy", "issued_on": "2020-02-19",
                "title": "Ý kiến của Ban Thường vụ Tỉnh ủy", "number": ""} | fields | formset(rows)
        return self.client.post(reverse("command:document_new"), data)

    def test_the_secretary_enters_a_notice_with_two_tasks_on_one_page(self):
        self.client.force_login(self.secretary)
        response = self.post_notice([
            {"point": "2", "agencies": [self.health.pk], "description": "Đầu mối tiếp nhận hàng viện trợ"},
            {"point": "3", "agencies": [self.propaganda.pk], "description": "Làm việc với Đài Truyền hình",
             "timing": "deadline", "deadline": "2020-02-29T17:00"},
            {},  # an unused row
        ])
        doc = Document.objects.get()
        self.assertRedirects(response, reverse("command:document", args=[doc.pk]))
        self.assertEqual([(t.point, t.agency, t.timing) for t in doc.tasks.all()],
                         [("2", self.health, "ongoing"), ("3", self.propaganda, "deadline")])

    def test_one_row_for_several_agencies_gives_each_the_task(self):
        self.client.force_login(self.secretary)
        self.post_notice([{"point": "5", "agencies": [self.district_committee.pk, self.commune_a1.pk],
                           "description": "Tiếp tục lãnh đạo phát triển sản xuất"}])
        self.assertEqual(set(Task.objects.values_list("agency", flat=True)),
                         {self.district_committee.pk, self.commune_a1.pk})

    def test_a_missing_deadline_is_shown_on_its_row_and_nothing_is_saved(self):
        self.client.force_login(self.secretary)
        response = self.post_notice([{"agencies": [self.health.pk], "description": "x", "timing": "deadline"}])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Cần nhập hạn hoàn thành.")
        self.assertFalse(Document.objects.exists())

    def test_a_daily_report_task_is_entered_with_its_hour(self):
        self.client.force_login(self.secretary)
        self.post_notice([{"agencies": [self.health.pk], "description": "Báo cáo hằng ngày", "timing": "recurring",
                           "cadence": "daily", "due_time": "17:00", "starts_on": "2020-02-20"}])
        task = Task.objects.get()
        self.assertEqual((task.cadence, task.due_time), ("daily", dt.time(17)))

    def test_more_tasks_are_given_under_a_recorded_document(self):
        doc = self.notice(NewTask(agency=self.health, description="Việc đầu"))
        self.client.force_login(self.secretary)
        response = self.client.post(reverse("command:document_tasks", args=[doc.pk]), formset([
            {"point": "6", "agencies": [self.propaganda.pk], "description": "Việc giao thêm"}]))
        self.assertRedirects(response, reverse("command:document", args=[doc.pk]))
        self.assertEqual(list(doc.tasks.values_list("description", "order")), [("Việc đầu", 1), ("Việc giao thêm", 2)])

    def test_the_secretary_corrects_a_documents_number(self):
        doc = self.notice(number="2023-TB/TU")
        self.client.force_login(self.secretary)
        data = {"kind": "notice", "number": "2032-TB/TU", "issuing_body": doc.issuing_body, "issued_on": "2020-02-19",
                "title": doc.title}
        self.assertRedirects(self.client.post(reverse("command:document_edit", args=[doc.pk]), data),
                             reverse("command:document", args=[doc.pk]))
        doc.refresh_from_db()
        self.assertEqual(doc.number, "2032-TB/TU")

    def test_an_officer_cannot_enter_a_notice(self):
        self.client.force_login(self.health_officer)
        response = self.post_notice([])
        self.assertContains(response, "Chỉ thư ký")
        self.assertFalse(Document.objects.exists())

    def test_the_document_page_lists_its_tasks_and_links(self):
        earlier = self.notice(number="2032-TB/TU", issued_on=dt.date(2020, 2, 10))
        doc = self.notice(NewTask(agency=self.health, description="Rà soát vật tư"), follows_up=[earlier])
        self.client.force_login(self.leader)
        response = self.client.get(reverse("command:document", args=[doc.pk]))
        self.assertContains(response, "Rà soát vật tư")
        self.assertContains(response, "2032-TB/TU")

    def test_the_outsider_gets_not_found_for_a_document_of_another_commune(self):
        doc = self.notice(NewTask(agency=self.commune_a1, description="Việc xã A1"))
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(reverse("command:document", args=[doc.pk])).status_code, 404)

    def test_files_download_only_for_those_who_see_the_document(self):
        doc = self.notice(NewTask(agency=self.commune_a1, description="Việc xã A1"))
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            self.client.force_login(self.secretary)
            self.client.post(reverse("command:document_files", args=[doc.pk]),
                             {"files": [SimpleUploadedFile("tb.pdf", b"%PDF-1.4 x")]})
            file = doc.attachments.get()
            self.client.force_login(self.commune_officer)
            response = self.client.get(reverse("command:file", args=[file.pk]))
            self.assertEqual(response["Content-Disposition"], 'attachment; filename="tb.pdf"')
            self.client.force_login(self.outsider)
            self.assertEqual(self.client.get(reverse("command:file", args=[file.pk])).status_code, 404)


class TaskPageTests(CommandWorld):
    def test_the_agency_reports_done_and_the_leader_verifies(self):
        task = self.task(self.commune_a1)
        self.client.force_login(self.commune_officer)
        page = self.client.get(reverse("command:task", args=[task.pk]))
        self.assertContains(page, 'id="report-form"')
        self.assertNotContains(page, 'id="verify-form"')
        self.client.post(reverse("command:task_report", args=[task.pk]), {"text": "Đã lập chốt", "done": "on"})
        self.client.force_login(self.leader)
        self.assertContains(self.client.get(reverse("command:task", args=[task.pk])), 'id="verify-form"')
        response = self.client.post(reverse("command:task_verify", args=[task.pk]), {"note": ""})
        self.assertRedirects(response, reverse("command:task", args=[task.pk]))
        task.refresh_from_db()
        self.assertEqual(task.status, Status.VERIFIED)

    def test_sending_back_without_a_reason_shows_the_error(self):
        task = self.task()
        services.task_report(actor=self.health_officer, task=task, text="Xong", done=True)
        self.client.force_login(self.leader)
        response = self.client.post(reverse("command:task_send_back", args=[task.pk]), {"back-reason": ""})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "has-error")
        task.refresh_from_db()
        self.assertEqual(task.status, Status.REPORTED_DONE)

    def test_the_outsider_gets_not_found_for_the_task_page_and_its_actions(self):
        task = self.task(self.commune_a1)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(reverse("command:task", args=[task.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("command:task_report", args=[task.pk]), {"text": "x"}).status_code,
                         404)

    def test_a_report_with_a_photo_keeps_the_file(self):
        task = self.task(self.commune_a1)
        self.client.force_login(self.commune_officer)
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            self.client.post(reverse("command:task_report", args=[task.pk]),
                             {"text": "Ảnh chốt", "files": [SimpleUploadedFile("chot.png", b"\x89PNG\r\n\x1a\nxx")]})
        self.assertEqual(task.reports.get().attachments.get().name, "chot.png")

    def test_a_recurring_task_offers_the_day_to_report_for(self):
        task = self.daily_task()
        self.freeze(at(2, 21, 18))
        self.client.force_login(self.health_officer)
        response = self.client.get(reverse("command:task", args=[task.pk]))
        self.assertContains(response, '<option value="2020-02-21" selected>')


class AgencyPageTests(CommandWorld):
    def test_an_agencys_page_shows_what_it_owes_with_the_overdue_first(self):
        self.notice(NewTask(agency=self.commune_a1, description="Việc còn hạn", deadline=at(3, 5, 17)),
                    NewTask(agency=self.commune_a1, description="Việc trễ hạn", deadline=at(2, 19, 17)))
        self.client.force_login(self.commune_officer)
        body = self.client.get(reverse("command:agency", args=[self.commune_a1.pk])).content.decode()
        self.assertLess(body.index("Việc trễ hạn"), body.index("Việc còn hạn"))

    def test_my_tasks_goes_straight_to_my_only_agency(self):
        self.client.force_login(self.commune_officer)
        self.assertRedirects(self.client.get(reverse("command:my_tasks")),
                             reverse("command:agency", args=[self.commune_a1.pk]))

    def test_the_secretary_adds_an_agency(self):
        self.client.force_login(self.secretary)
        response = self.client.post(reverse("command:agency_new"), {
            "unit": self.units["province"].pk, "name": "Công an tỉnh", "kind": "police",
            "head_name": "Giám đốc Công an tỉnh"})
        self.assertEqual(response.status_code, 302)

    def test_the_agency_list_counts_what_each_owes(self):
        self.task(self.health, deadline=at(2, 19, 17))
        self.client.force_login(self.leader)
        response = self.client.get(reverse("command:agencies"))
        self.assertContains(response, "Sở Y tế")
        self.assertContains(response, '<span class="badge late-overdue">1</span>', html=True)


class InspectionPageTests(CommandWorld):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.team = services.team_create(actor=cls.secretary, unit=cls.units["province"], name="Đoàn số 1",
                                        leader=cls.leader, members=[cls.users["district_epi"]])

    def test_scheduling_a_check_draws_the_checklist_from_the_documents_in_force(self):
        self.notice(NewTask(agency=self.commune_a1, description="Lập chốt kiểm soát"))
        self.client.force_login(self.secretary)
        response = self.client.post(reverse("command:inspection_new"), {
            "team": self.team.pk, "inspected_unit": self.units["commune_a1"].pk, "scheduled_on": "2020-02-20"})
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(response["Location"]), "Lập chốt kiểm soát")

    def test_a_leader_records_a_surprise_check(self):
        self.client.force_login(self.leader)
        response = self.client.post(reverse("command:surprise_new"), {
            "inspected_unit": self.units["commune_b1"].pk, "carried_out_on": "2020-02-20",
            "conclusion": "Trực chốt nghiêm túc"})
        self.assertEqual(response.status_code, 302)

    def test_a_team_member_sets_a_result_with_htmx(self):
        inspection = services.inspection_schedule(actor=self.secretary, team=self.team,
                                                  inspected_unit=self.units["commune_a1"],
                                                  scheduled_on=dt.date(2020, 2, 20))
        item = services.checklist_item_add(actor=self.secretary, inspection=inspection, text="Sổ theo dõi")
        self.client.force_login(self.users["district_epi"])
        response = self.client.post(reverse("command:checklist_item", args=[item.pk]),
                                    {"result": "met", "note": "Đầy đủ"}, **HTMX)
        self.assertContains(response, f'id="item-{item.pk}"')
        self.assertNotContains(response, "<html")
        item.refresh_from_db()
        self.assertEqual(item.result, ChecklistResult.MET)

    def test_a_finding_becomes_a_corrective_task_from_the_page(self):
        inspection = services.inspection_schedule(actor=self.secretary, team=self.team,
                                                  inspected_unit=self.units["commune_a1"],
                                                  scheduled_on=dt.date(2020, 2, 20))
        self.client.force_login(self.users["district_epi"])
        self.client.post(reverse("command:finding_new", args=[inspection.pk]),
                         {"text": "Chốt không trực đêm", "severity": "serious"})
        finding = Finding.objects.get()
        self.client.force_login(self.secretary)
        self.client.post(reverse("command:finding_task", args=[finding.pk]), {
            "agency": self.commune_a1.pk, "description": "Trực 24/24", "deadline": "2020-02-23T17:00"})
        self.assertEqual(finding.corrective_tasks.get().agency, self.commune_a1)

    def test_the_outsider_gets_not_found_for_an_inspection_of_another_commune(self):
        inspection = services.inspection_schedule(actor=self.secretary, team=self.team,
                                                  inspected_unit=self.units["commune_a1"],
                                                  scheduled_on=dt.date(2020, 2, 20))
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(reverse("command:inspection", args=[inspection.pk])).status_code, 404)
