"""Overdue tasks go up to the assignee's superior, once per level, with a controllable clock."""

import datetime as dt
from io import StringIO

from django.core.management import call_command

from chongdich.command import services
from chongdich.command.models import TaskEscalation, TaskEventKind
from chongdich.command.services import NewTask, task_escalate_overdue
from chongdich.command.tests.base import CommandWorld, at
from chongdich.core import clock


class EscalationTests(CommandWorld):
    def late_task(self, agency=None, **extra):
        return self.task(agency, deadline=at(2, 21, 17), **extra)

    def levels(self, task):
        return list(TaskEscalation.objects.filter(task=task).order_by("level")
                    .values_list("level", "to_unit", "to_agency"))

    def test_a_task_not_yet_late_is_not_escalated(self):
        task = self.late_task()
        self.assertEqual(task_escalate_overdue(now=at(2, 21, 16)), [])
        self.assertEqual(self.levels(task), [])

    def test_an_overdue_task_goes_to_the_committee_of_its_agencys_unit(self):
        task = self.late_task()
        made = task_escalate_overdue(now=at(2, 21, 18))
        self.assertEqual(self.levels(task), [(1, self.units["province"].pk, None)])
        self.assertEqual(list(made[0].recipients.all()), [self.leader])

    def test_escalating_again_changes_nothing(self):
        task = self.late_task()
        task_escalate_overdue(now=at(2, 21, 18))
        self.assertEqual(task_escalate_overdue(now=at(2, 21, 19)), [])
        self.assertEqual(len(self.levels(task)), 1)

    def test_the_escalation_is_in_the_tasks_history(self):
        task = self.late_task()
        task_escalate_overdue(now=at(2, 21, 18))
        event = task.events.last()
        self.assertEqual(event.kind, TaskEventKind.ESCALATED)
        self.assertIn("Sở Y tế", event.note)

    def test_a_commune_task_goes_to_the_district_first_then_to_the_province(self):
        task = self.late_task(self.commune_a1)
        task_escalate_overdue(now=at(2, 21, 18))
        self.assertEqual(self.levels(task), [(1, self.units["district_a"].pk, None)])
        task_escalate_overdue(now=at(2, 22, 18))
        self.assertEqual(self.levels(task), [(1, self.units["district_a"].pk, None),
                                             (2, self.units["province"].pk, None)])
        self.assertEqual(list(task.escalations.get(level=1).recipients.all()), [self.district_leader])

    def test_levels_reached_while_nobody_ran_the_check_are_all_recorded_once(self):
        task = self.late_task(self.commune_a1)
        task_escalate_overdue(now=at(3, 15))
        self.assertEqual([lv for lv, *_ in self.levels(task)], [1, 2])

    def test_a_configured_superior_agency_hears_first(self):
        task = self.late_task(self.cdc)
        task_escalate_overdue(now=at(3, 15))
        self.assertEqual(self.levels(task), [(1, None, self.health.pk), (2, self.units["province"].pk, None)])
        self.assertEqual(list(task.escalations.get(level=1).recipients.all()), [self.health_officer])

    def test_the_ladder_stops_at_the_committee_that_gave_the_task(self):
        doc = services.document_create(
            actor=self.district_leader, unit=self.units["district_a"], kind="dispatch", title="Công điện huyện",
            issuing_body="BCĐ huyện A", issued_on=dt.date(2020, 2, 19),
            tasks=[NewTask(agency=self.commune_a1, description="Lập chốt kiểm soát", deadline=at(2, 21, 17))])
        task_escalate_overdue(now=at(3, 15))
        self.assertEqual(self.levels(doc.tasks.get()), [(1, self.units["district_a"].pk, None)])

    def test_a_task_reported_done_is_not_escalated(self):
        task = self.late_task()
        services.task_report(actor=self.health_officer, task=task, text="Xong", done=True)
        self.assertEqual(task_escalate_overdue(now=at(2, 22)), [])

    def test_a_moved_deadline_escalates_afresh_when_missed_again(self):
        task = self.late_task()
        task_escalate_overdue(now=at(2, 21, 18))
        with clock.frozen_at(at(2, 21, 19)):
            services.task_reschedule(actor=self.secretary, task=task, deadline=at(2, 25, 17), reason="Gia hạn")
        self.assertEqual(task_escalate_overdue(now=at(2, 24)), [])
        self.assertEqual(len(task_escalate_overdue(now=at(2, 25, 18))), 1)
        self.assertEqual(task.escalations.count(), 2)

    def test_the_superior_is_notified(self):
        from chongdich.notifications.models import Notification

        task = self.late_task()
        escalation = task_escalate_overdue(now=at(2, 21, 18))[0]
        self.assertTrue(escalation.notified)
        note = Notification.objects.get(recipient=self.leader, event="task_escalated")
        self.assertIn("Sở Y tế", note.subject)
        self.assertEqual(note.url, f"/command/tasks/{task.pk}/")

    def test_the_agency_hears_once_that_its_task_is_late(self):
        from chongdich.notifications.models import Notification

        self.late_task()
        task_escalate_overdue(now=at(2, 21, 18))
        task_escalate_overdue(now=at(2, 23, 18))
        self.assertEqual(Notification.objects.filter(recipient=self.health_officer, event="task_overdue").count(), 1)


class RecurringEscalationTests(CommandWorld):
    def test_a_missing_daily_report_is_escalated_once_for_its_day(self):
        task = self.daily_task()
        with clock.frozen_at(at(2, 20, 16)):
            services.task_report(actor=self.health_officer, task=task, text="Ngày 20: 0 ca mới")
        made = task_escalate_overdue(now=at(2, 22, 9))
        self.assertEqual([(e.period, e.level) for e in made], [(dt.date(2020, 2, 21), 1)])
        self.assertEqual(task_escalate_overdue(now=at(2, 22, 10)), [])

    def test_a_late_report_is_not_missing(self):
        task = self.daily_task()
        with clock.frozen_at(at(2, 20, 16)):
            services.task_report(actor=self.health_officer, task=task, text="Ngày 20")
        with clock.frozen_at(at(2, 21, 20)):
            services.task_report(actor=self.health_officer, task=task, text="Ngày 21 (muộn)")
        self.assertEqual(task_escalate_overdue(now=at(2, 22, 9)), [])

    def test_only_the_last_week_of_missing_reports_is_escalated(self):
        self.daily_task()
        made = task_escalate_overdue(now=at(3, 20, 9))
        self.assertEqual(len(made), 7)


class EscalationRunnersTests(CommandWorld):
    def test_the_command_escalates_and_says_how_many(self):
        self.task(deadline=at(2, 21, 17))
        out = StringIO()
        call_command("escalate_tasks", "--now", "2020-02-21T18:00", stdout=out)
        self.assertIn("Đã báo cáo cấp trên 1 lượt.", out.getvalue())

    def test_the_background_check_escalates_and_queues_the_next_level(self):
        from django_tasks_db.models import DBTaskResult

        from chongdich.command.tasks import escalate_task

        task = self.task(self.commune_a1, deadline=at(2, 21, 17))
        with clock.frozen_at(at(2, 21, 18)):
            self.assertEqual(escalate_task.call(task.pk), 1)
        queued = DBTaskResult.objects.filter(task_path__endswith="escalate_task").latest("enqueued_at")
        self.assertEqual(queued.run_after, at(2, 22, 17, 1))
