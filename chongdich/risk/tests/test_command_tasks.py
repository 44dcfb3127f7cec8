"""`chongdich assess-levels` and the weekly task that re-queues itself."""

import datetime as dt
from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from chongdich.core import clock
from chongdich.risk import tasks
from chongdich.risk.models import Assessment
from chongdich.risk.tests.base import WEEK, RiskTestCase, add_cases, moment


class CommandTests(RiskTestCase):
    def test_assess_a_week_of_a_province(self):
        add_cases(self.units["commune_a1"], 10)
        out = StringIO()
        with mock.patch("chongdich.risk.assess._coverage", return_value=None):
            call_command("assess_levels", week="2021-W50", province=self.units["province"].code, stdout=out)
        self.assertIn("2021-W50 (QD-4800-BYT-2021): 6 units assessed", out.getvalue())
        self.assertIn("coverage unknown", out.getvalue())
        self.assertEqual(Assessment.objects.get(unit=self.units["commune_a1"], week=WEEK).level, 4)

    def test_a_bad_week_is_refused(self):
        with self.assertRaises(CommandError):
            call_command("assess_levels", week="2021-W99", stdout=StringIO())


class WeeklyTaskTests(RiskTestCase):
    def test_the_next_run_is_the_coming_monday_at_half_past_midnight(self):
        self.assertEqual(tasks.next_run(moment(dt.date(2021, 12, 15), 14)), moment(dt.date(2021, 12, 20), 0)
                         + dt.timedelta(minutes=30))
        monday_early = moment(dt.date(2021, 12, 20), 0)
        self.assertEqual(tasks.next_run(monday_early), monday_early + dt.timedelta(minutes=30))

    def test_starting_twice_queues_one_run(self):
        self.assertTrue(tasks.weekly_assessment_start())
        self.assertFalse(tasks.weekly_assessment_start())
        self.assertEqual(DBTaskResult.objects.filter(task_path=tasks.assess_last_week.module_path).count(), 1)

    def test_a_run_assesses_last_week_and_queues_the_next(self):
        with mock.patch("chongdich.risk.assess._coverage", return_value=None):
            result = tasks.assess_last_week.call()
        self.assertEqual(result["week"], (clock.today() - dt.timedelta(days=clock.today().weekday() + 7)).isoformat())
        waiting = DBTaskResult.objects.get(task_path=tasks.assess_last_week.module_path)
        self.assertEqual(waiting.run_after, tasks.next_run(clock.now()))
