"""The demo province's command data: the notice of 19-02-2020 with its tasks, in various states."""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from chongdich.command import selectors
from chongdich.command.domain import Lateness, Status
from chongdich.command.models import Agency, Document, Finding, Inspection, Task, TaskEscalation
from chongdich.demo.command import SEED_TITLE, demo_command_ensure
from chongdich.demo.services import demo_accounts_ensure

NOW = timezone.make_aware(dt.datetime(2020, 3, 10, 9, 0))


class CommandDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo_accounts_ensure(province_code="26")
        cls.summary = demo_command_ensure(province_code="26", now=NOW)
        cls.notice = Document.objects.get(title=SEED_TITLE)

    def test_the_seed_notice_gives_every_task_it_names_to_the_agency_it_names(self):
        by_agency = {}
        for task in self.notice.tasks.select_related("agency"):
            by_agency.setdefault(task.agency.name, []).append(task.point)
        self.assertEqual(by_agency["Ban Tuyên giáo Tỉnh ủy"], ["3", "3", "3", "3"])
        self.assertEqual(by_agency["Ban cán sự đảng UBND tỉnh"], ["4", "4"])
        self.assertEqual(by_agency["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"], ["2"])
        self.assertEqual(len([n for n in by_agency if n.startswith("UBND")]), 9)  # "các cấp ủy, chính quyền"

    def test_the_task_texts_are_the_notices_own(self):
        texts = " ".join(self.notice.tasks.values_list("description", flat=True))
        self.assertIn("Làm việc với Đài Truyền hình Việt Nam để truyền thông cho tỉnh", texts)
        self.assertIn("(không ủy quyền cho cấp phó) là người phát ngôn của tỉnh", texts)
        self.assertIn("Báo cáo số 36/BC-UBND", self.notice.references_text)
        self.assertEqual([d.number for d in self.notice.follows_up.order_by("issued_on")], ["2032-TB/TU", "2033-TB/TU"])

    def test_its_tasks_are_in_various_states(self):
        statuses = set(self.notice.tasks.values_list("status", flat=True))
        self.assertTrue({Status.VERIFIED, Status.IN_PROGRESS, Status.REPORTED_DONE, Status.SENT_BACK,
                         Status.ASSIGNED} <= statuses)

    def test_exactly_one_task_is_overdue_and_it_was_escalated_twice(self):
        rows = selectors.task_rows(Task.objects.all(), now=NOW)
        overdue = [r.task for r in rows if r.lateness == Lateness.OVERDUE]
        self.assertEqual(len(overdue), 1, [t.description[:40] for t in overdue])
        self.assertTrue(overdue[0].description.startswith("Chỉ đạo xây dựng phương án"))
        self.assertEqual(list(TaskEscalation.objects.filter(task=overdue[0]).values_list("level", flat=True)), [1, 2])
        self.assertEqual(self.summary.escalations, 2)

    def test_a_daily_report_has_on_time_late_and_missing_days(self):
        task = Task.objects.get(agency__name="Sở Y tế", timing="recurring")
        row = selectors.task_rows([task], now=NOW, since_days=40)[0]
        self.assertEqual({r.status.value for r in row.due_reports}, {"on_time", "late", "missing"})

    def test_inspections_with_findings_open_and_closed_and_a_surprise_check(self):
        self.assertEqual(Inspection.objects.filter(kind="surprise").count(), 1)
        self.assertEqual(sorted(f.is_open for f in Finding.objects.all()), [False, True])

    def test_running_it_again_adds_nothing(self):
        counts = (Document.objects.count(), Task.objects.count(), Agency.objects.count())
        again = demo_command_ensure(province_code="26", now=NOW)
        self.assertTrue(again.skipped)
        self.assertEqual((Document.objects.count(), Task.objects.count(), Agency.objects.count()), counts)

    def test_every_command_page_renders_with_the_demo_data(self):
        from django.contrib.auth import get_user_model
        from django.urls import reverse

        from chongdich.core import clock

        self.client.force_login(get_user_model().objects.get(username="lanhdao"))
        urls = [reverse("command:board") + q for q in ("", "?group=agency", "?group=lateness&status=all")]
        urls += [reverse("command:documents"), reverse("command:agencies"), reverse("command:inspections"),
                 reverse("command:document_new"), reverse("command:agency_new"), reverse("command:my_tasks")]
        urls += [reverse("command:document", args=[d.pk]) for d in Document.objects.all()]
        urls += [reverse("command:task", args=[t.pk]) for t in Task.objects.all()]
        urls += [reverse("command:agency", args=[a.pk]) for a in Agency.objects.all()[:20]]
        urls += [reverse("command:inspection", args=[i.pk]) for i in Inspection.objects.all()]
        with clock.frozen_at(NOW):
            for url in urls:
                with self.subTest(url=url):
                    self.assertEqual(self.client.get(url, follow=True).status_code, 200)
