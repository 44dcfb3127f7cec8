"""Inspection teams, checklists drawn from the documents in force, findings and their corrective
tasks, and leaders' surprise checks."""

import datetime as dt

from chongdich.command import selectors, services
from chongdich.command.domain import Status
from chongdich.command.models import ChecklistResult, InspectionKind, InspectionStatus, Severity
from chongdich.command.services import NewTask
from chongdich.command.tests.base import CommandWorld, at
from chongdich.core.errors import Conflict, NotFound, PermissionDenied


class InspectionWorld(CommandWorld):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.inspector = cls.users["district_epi"]  # a member of the team, at district A
        cls.team = services.team_create(actor=cls.secretary, unit=cls.units["province"], name="Đoàn kiểm tra số 1",
                                        leader=cls.leader, members=[cls.inspector])

    def schedule(self, unit="commune_a1", **extra):
        return services.inspection_schedule(actor=self.secretary, team=self.team, inspected_unit=self.units[unit],
                                            scheduled_on=dt.date(2020, 2, 20), **extra)


class ChecklistTests(InspectionWorld):
    def test_the_checklist_lists_the_tasks_of_documents_in_force_for_the_inspected_unit(self):
        doc = self.notice(NewTask(agency=self.commune_a1, description="Lập chốt kiểm soát ra vào xã"),
                          NewTask(agency=self.commune_b1, description="Việc của xã B1"))
        inspection = self.schedule()
        items = services.inspection_checklist_draft(actor=self.secretary, inspection=inspection)
        self.assertEqual([(i.text, i.source_document) for i in items], [("Lập chốt kiểm soát ra vào xã", doc)])

    def test_a_document_with_no_task_for_the_unit_becomes_one_point_to_check(self):
        doc = self.notice(NewTask(agency=self.health, description="Việc của Sở"), number="2032-TB/TU")
        items = services.inspection_checklist_draft(actor=self.secretary, inspection=self.schedule())
        self.assertEqual(len(items), 1)
        self.assertIn("2032-TB/TU", items[0].text)
        self.assertEqual(items[0].source_document, doc)

    def test_a_replaced_document_is_not_in_force(self):
        old = self.notice(number="2032-TB/TU", issued_on=dt.date(2020, 2, 10))
        new = self.notice(number="2040-TB/TU", replaces=[old])
        self.assertEqual(list(selectors.documents_in_force(unit=self.units["commune_a1"], on=dt.date(2020, 2, 20))),
                         [new])

    def test_drafting_twice_adds_nothing_new(self):
        self.notice(NewTask(agency=self.commune_a1, description="Lập chốt"))
        inspection = self.schedule()
        services.inspection_checklist_draft(actor=self.secretary, inspection=inspection)
        self.assertEqual(services.inspection_checklist_draft(actor=self.secretary, inspection=inspection), [])

    def test_a_team_member_records_a_result(self):
        inspection = self.schedule()
        item = services.checklist_item_add(actor=self.inspector, inspection=inspection, text="Sổ theo dõi F1")
        item = services.checklist_item_update(actor=self.inspector, item=item, result=ChecklistResult.MET)
        self.assertEqual(item.result, ChecklistResult.MET)

    def test_someone_off_the_team_may_not_record_results(self):
        inspection = self.schedule()
        with self.assertRaises(PermissionDenied):
            services.checklist_item_add(actor=self.commune_officer, inspection=inspection, text="?")


class FindingTests(InspectionWorld):
    def test_a_finding_becomes_a_corrective_task_with_a_deadline(self):
        inspection = self.schedule()
        finding = services.finding_record(actor=self.inspector, inspection=inspection, severity=Severity.SERIOUS,
                                          text="Chốt kiểm soát không có người trực ban đêm", agency=self.commune_a1)
        task = services.finding_assign_task(actor=self.secretary, finding=finding, spec=NewTask(
            agency=self.commune_a1, description="Bố trí trực 24/24", deadline=at(2, 23, 17)))
        self.assertEqual((task.finding, task.document, task.issuer_unit), (finding, None, self.units["province"]))
        self.assertTrue(finding.is_open)

    def test_the_finding_closes_when_its_corrective_task_is_verified(self):
        inspection = self.schedule()
        finding = services.finding_record(actor=self.inspector, inspection=inspection, text="Thiếu khẩu trang")
        task = services.finding_assign_task(actor=self.secretary, finding=finding, spec=NewTask(
            agency=self.health, description="Cấp bổ sung", deadline=at(2, 23, 17)))
        services.task_report(actor=self.health_officer, task=task, text="Đã cấp", done=True)
        services.task_verify(actor=self.leader, task=task)
        finding.refresh_from_db()
        self.assertFalse(finding.is_open)

    def test_the_inspected_commune_sees_its_findings_and_the_outsider_does_not(self):
        finding = services.finding_record(actor=self.inspector, inspection=self.schedule(), text="Thiếu sổ sách")
        self.assertEqual(selectors.finding_get(actor=self.commune_officer, finding_id=finding.pk), finding)
        with self.assertRaises(NotFound):
            selectors.finding_get(actor=self.outsider, finding_id=finding.pk)

    def test_a_finding_on_a_checklist_item_marks_it_not_met(self):
        inspection = self.schedule()
        item = services.checklist_item_add(actor=self.inspector, inspection=inspection, text="Trực chốt")
        services.finding_record(actor=self.inspector, inspection=inspection, text="Bỏ trực", checklist_item=item)
        item.refresh_from_db()
        self.assertEqual(item.result, ChecklistResult.NOT_MET)

    def test_a_closed_finding_takes_no_more_tasks(self):
        finding = services.finding_record(actor=self.inspector, inspection=self.schedule(), text="Thiếu sổ")
        services.finding_close(actor=self.inspector, finding=finding, note="Đã bổ sung tại chỗ")
        with self.assertRaises(Conflict):
            services.finding_assign_task(actor=self.secretary, finding=finding, spec=NewTask(
                agency=self.commune_a1, description="x", deadline=at(2, 23)))


class InspectionTests(InspectionWorld):
    def test_a_planned_check_is_completed_with_its_conclusion(self):
        inspection = services.inspection_complete(actor=self.inspector, inspection=self.schedule(),
                                                  carried_out_on=dt.date(2020, 2, 20), conclusion="Cơ bản tốt")
        self.assertEqual((inspection.status, inspection.conclusion), (InspectionStatus.DONE, "Cơ bản tốt"))

    def test_a_leader_records_a_surprise_check_in_one_step(self):
        inspection = services.inspection_record_surprise(
            actor=self.leader, inspected_unit=self.units["commune_b1"], carried_out_on=dt.date(2020, 2, 20),
            conclusion="Trạm y tế trực đầy đủ")
        self.assertEqual((inspection.kind, inspection.led_by, inspection.status),
                         (InspectionKind.SURPRISE, self.leader, InspectionStatus.DONE))

    def test_a_district_cannot_inspect_outside_its_area(self):
        with self.assertRaises(NotFound):
            services.inspection_record_surprise(actor=self.district_leader, inspected_unit=self.units["commune_b1"],
                                                carried_out_on=dt.date(2020, 2, 20))

    def test_an_officer_may_not_plan_inspections(self):
        with self.assertRaises(PermissionDenied):
            services.inspection_schedule(actor=self.health_officer, team=self.team,
                                         inspected_unit=self.units["commune_a1"], scheduled_on=dt.date(2020, 2, 21))

    def test_the_outsider_does_not_see_an_inspection_of_another_commune(self):
        inspection = self.schedule()
        with self.assertRaises(NotFound):
            selectors.inspection_get(actor=self.outsider, inspection_id=inspection.pk)

    def test_corrective_tasks_live_on_the_board_like_any_other(self):
        finding = services.finding_record(actor=self.inspector, inspection=self.schedule(), text="Thiếu sổ")
        task = services.finding_assign_task(actor=self.secretary, finding=finding, spec=NewTask(
            agency=self.commune_a1, description="Lập sổ", deadline=at(2, 23, 17)))
        groups = selectors.task_board(actor=self.commune_officer)
        self.assertEqual([row.task for g in groups for row in g.rows], [task])
        self.assertEqual(task.status, Status.ASSIGNED)
