"""Documents and the life of their tasks: assigned → in progress → reported done → verified, or
sent back; who may do each step; history."""

import datetime as dt

from chongdich.command import services
from chongdich.command.domain import Status, Timing
from chongdich.command.models import Document, TaskEventKind
from chongdich.command.services import NewTask
from chongdich.command.tests.base import CommandWorld, at
from chongdich.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied


class DocumentCreateTests(CommandWorld):
    def test_a_notice_is_recorded_with_its_tasks_in_order(self):
        doc = self.notice(
            NewTask(agency=self.propaganda, point="3", description="Tuyên truyền sâu, rộng"),
            NewTask(agency=self.health, point="4", description="Xây dựng phương án", timing=Timing.DEADLINE,
                    deadline=at(2, 26, 17)),
            number="2032 -tb/tu",
        )
        self.assertEqual(doc.number, "2032-TB/TU")
        self.assertEqual([(t.agency, t.point, t.order, t.status) for t in doc.tasks.all()],
                         [(self.propaganda, "3", 1, Status.ASSIGNED), (self.health, "4", 2, Status.ASSIGNED)])

    def test_a_task_carries_the_keys_of_its_agency_and_of_the_issuing_committee(self):
        task = self.task(self.commune_a1)
        u = self.units
        self.assertEqual((task.province_id, task.district_id, task.commune_id),
                         (u["province"].pk, u["district_a"].pk, u["commune_a1"].pk))
        self.assertEqual((task.issuer_province_id, task.issuer_district_id, task.issuer_commune_id),
                         (u["province"].pk, None, None))

    def test_a_notice_without_a_number_can_be_recorded_twice(self):
        self.notice()
        self.notice()
        self.assertEqual(Document.objects.filter(number="").count(), 2)

    def test_the_same_number_from_the_same_body_is_refused(self):
        self.notice(number="2032-TB/TU")
        with self.assertRaises(Conflict) as caught:
            self.notice(number="2032-tb/tu")
        self.assertEqual(caught.exception.field, "number")

    def test_the_same_number_from_another_body_is_accepted(self):
        self.notice(number="36/BC")
        self.notice(number="36/BC", issuing_body="UBND tỉnh")
        self.assertEqual(Document.objects.filter(number="36/BC").count(), 2)

    def test_a_bad_task_refuses_the_whole_document_and_names_the_task(self):
        with self.assertRaises(InvalidInput) as caught:
            self.notice(NewTask(agency=self.health, description="Một"),
                        NewTask(agency=self.health, description="Hai", timing=Timing.DEADLINE))
        self.assertEqual(caught.exception.field, "tasks.1.deadline")
        self.assertFalse(Document.objects.exists())

    def test_a_deadline_before_the_document_is_refused(self):
        with self.assertRaises(InvalidInput):
            self.task(deadline=at(2, 1))

    def test_a_district_committee_cannot_give_a_task_to_a_provincial_agency(self):
        with self.assertRaises(NotFound):  # the district cannot even see a provincial document's unit
            services.document_create(actor=self.district_leader, unit=self.units["province"], kind="notice",
                                     title="x", issuing_body="BCĐ", issued_on=dt.date(2020, 2, 19))
        with self.assertRaises(InvalidInput) as caught:
            services.document_create(
                actor=self.district_leader, unit=self.units["district_a"], kind="notice", title="Thông báo huyện",
                issuing_body="BCĐ huyện A", issued_on=dt.date(2020, 2, 19),
                tasks=[NewTask(agency=self.health, description="Việc của Sở")])
        self.assertEqual(caught.exception.field, "tasks.0.agency")

    def test_a_district_committee_gives_tasks_to_its_communes(self):
        doc = services.document_create(
            actor=self.district_leader, unit=self.units["district_a"], kind="dispatch", title="Công điện",
            issuing_body="BCĐ huyện A", issued_on=dt.date(2020, 2, 19),
            tasks=[NewTask(agency=self.commune_a1, description="Rà soát người về từ vùng dịch")])
        self.assertEqual(doc.tasks.get().issuer_district_id, self.units["district_a"].pk)

    def test_an_officer_may_not_enter_documents(self):
        with self.assertRaises(PermissionDenied):
            services.document_create(actor=self.health_officer, unit=self.units["province"], kind="notice",
                                     title="x", issuing_body="BCĐ", issued_on=dt.date(2020, 2, 19))

    def test_a_document_follows_up_earlier_ones(self):
        earlier = self.notice(number="2032-TB/TU", issued_on=dt.date(2020, 2, 10))
        later = self.notice(follows_up=[earlier])
        self.assertEqual(list(earlier.followed_up_by.all()), [later])


class TaskLifeTests(CommandWorld):
    def test_a_member_of_the_agency_takes_the_task_in_hand(self):
        task = services.task_start(actor=self.health_officer, task=self.task())
        self.assertEqual((task.status, task.started_at), (Status.IN_PROGRESS, at(2, 20)))

    def test_a_progress_report_starts_the_task(self):
        task = self.task()
        services.task_report(actor=self.health_officer, task=task, text="Đã rà soát 3 huyện")
        task.refresh_from_db()
        self.assertEqual(task.status, Status.IN_PROGRESS)

    def test_reporting_done_waits_for_the_committee(self):
        task = self.task()
        report = services.task_report(actor=self.health_officer, task=task, text="Xong", done=True)
        task.refresh_from_db()
        self.assertEqual((task.status, task.done_at, report.is_done, report.on_behalf),
                         (Status.REPORTED_DONE, at(2, 20), True, False))

    def test_the_leader_verifies_a_task_reported_done(self):
        task = self.task()
        services.task_report(actor=self.health_officer, task=task, text="Xong", done=True)
        task = services.task_verify(actor=self.leader, task=task)
        self.assertEqual((task.status, task.verified_by), (Status.VERIFIED, self.leader))

    def test_a_task_not_reported_done_cannot_be_verified(self):
        with self.assertRaises(Conflict):
            services.task_verify(actor=self.leader, task=self.task())

    def test_a_secretary_may_not_verify(self):
        task = self.task()
        services.task_report(actor=self.health_officer, task=task, text="Xong", done=True)
        with self.assertRaises(PermissionDenied):
            services.task_verify(actor=self.secretary, task=task)

    def test_a_district_leader_may_not_verify_a_provincial_task(self):
        task = self.task(self.district_committee)
        services.task_report(actor=self.secretary, task=task, text="Xong", done=True)
        with self.assertRaises(PermissionDenied):
            services.task_verify(actor=self.district_leader, task=task)

    def test_sending_back_reopens_the_task_with_the_reason(self):
        task = self.task()
        services.task_report(actor=self.health_officer, task=task, text="Xong", done=True)
        task = services.task_send_back(actor=self.leader, task=task, reason="Thiếu số liệu huyện Sông Lô")
        self.assertEqual((task.status, task.done_at), (Status.SENT_BACK, None))
        self.assertEqual(task.events.last().note, "Thiếu số liệu huyện Sông Lô")

    def test_sending_back_needs_a_reason(self):
        task = self.task()
        services.task_report(actor=self.health_officer, task=task, text="Xong", done=True)
        with self.assertRaises(InvalidInput):
            services.task_send_back(actor=self.leader, task=task, reason=" ")

    def test_a_task_sent_back_can_be_reported_done_again(self):
        task = self.task()
        services.task_report(actor=self.health_officer, task=task, text="Xong", done=True)
        services.task_send_back(actor=self.leader, task=task, reason="Bổ sung")
        services.task_report(actor=self.health_officer, task=task, text="Đã bổ sung", done=True)
        task.refresh_from_db()
        self.assertEqual(task.status, Status.REPORTED_DONE)

    def test_every_step_is_in_the_history(self):
        task = self.task()
        services.task_start(actor=self.health_officer, task=task)
        services.task_report(actor=self.health_officer, task=task, text="Xong", done=True)
        services.task_verify(actor=self.leader, task=task, note="Tốt")
        self.assertEqual(
            list(task.events.values_list("kind", "status")),
            [(TaskEventKind.ASSIGNED, Status.ASSIGNED), (TaskEventKind.STARTED, Status.IN_PROGRESS),
             (TaskEventKind.REPORTED_DONE, Status.REPORTED_DONE), (TaskEventKind.VERIFIED, Status.VERIFIED)],
        )

    def test_someone_outside_the_agency_may_not_report(self):
        with self.assertRaises(PermissionDenied):
            services.task_report(actor=self.propaganda_officer, task=self.task(), text="Không phải việc của tôi")

    def test_an_outsider_commune_does_not_even_see_the_task(self):
        with self.assertRaises(NotFound):
            services.task_report(actor=self.outsider, task=self.task(), text="?")

    def test_a_viewer_of_the_province_may_not_report(self):
        with self.assertRaises(PermissionDenied):
            services.task_report(actor=self.users["viewer"], task=self.task(), text="?")

    def test_the_secretary_may_record_a_report_on_the_agencys_behalf(self):
        report = services.task_report(actor=self.secretary, task=self.task(), text="Theo công văn của Sở")
        self.assertTrue(report.on_behalf)

    def test_the_committee_cancels_a_task_with_a_reason(self):
        task = services.task_cancel(actor=self.secretary, task=self.task(), reason="Văn bản đã được thay thế")
        self.assertEqual(task.status, Status.CANCELLED)

    def test_the_agency_may_not_cancel_its_own_task(self):
        with self.assertRaises(PermissionDenied):
            services.task_cancel(actor=self.health_officer, task=self.task(), reason="Không muốn")

    def test_a_deadline_is_moved_with_its_reason_in_the_history(self):
        task = self.task(deadline=at(2, 26, 17))
        task = services.task_reschedule(actor=self.secretary, task=task, deadline=at(3, 5, 17), reason="Gia hạn")
        self.assertEqual(task.deadline, at(3, 5, 17))
        self.assertIn("Gia hạn", task.events.last().note)

    def test_the_officer_responsible_must_belong_to_the_agency(self):
        task = self.task()
        with self.assertRaises(InvalidInput):
            services.task_set_officer(actor=self.health_officer, task=task, officer=self.propaganda_officer)
        task = services.task_set_officer(actor=self.health_officer, task=task, officer=self.health_officer,
                                         officer_name="Phó Giám đốc Sở")
        self.assertEqual(task.officer, self.health_officer)

    def test_a_partner_agency_sees_the_task_but_may_not_report_it(self):
        task = self.task(partners=[self.propaganda])
        from chongdich.command.selectors import task_get

        self.assertEqual(task_get(actor=self.propaganda_officer, task_id=task.pk), task)
        with self.assertRaises(PermissionDenied):
            services.task_report(actor=self.propaganda_officer, task=task, text="?")
