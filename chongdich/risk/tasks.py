"""Background work (django-tasks; `chongdich db_worker` runs it). The weekly assessment runs by
itself: each run assesses the last complete week, then queues the next run for the coming Monday
at 00:30 local time. `weekly_assessment_start()` queues the first run unless one is already
waiting, so calling it again (on every deploy, from `chongdich assess-levels --schedule`) is
harmless."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from chongdich.core import clock

RUN_AT = dt.time(0, 30)


def next_run(now: dt.datetime) -> dt.datetime:
    """The next Monday 00:30 local time strictly after `now`."""
    local = timezone.localtime(now)
    monday = local.date() - dt.timedelta(days=local.weekday())
    moment = timezone.make_aware(dt.datetime.combine(monday, RUN_AT))
    return moment if moment > now else timezone.make_aware(
        dt.datetime.combine(monday + dt.timedelta(days=7), RUN_AT))


@task()
def assess_last_week() -> dict:
    """Assess the last complete week for the whole country, then queue next Monday's run."""
    from chongdich.risk import services
    from chongdich.risk.views import last_complete_week

    run = services.assessments_compute(week=last_complete_week())
    weekly_assessment_start()
    return {"week": run.week.isoformat(), "units": run.units, "rule_set": run.rule_set.code}


def _enqueue_next() -> None:
    assess_last_week.using(run_after=next_run(clock.now())).enqueue()


def _waiting() -> bool:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=assess_last_week.module_path,
                                       status=TaskResultStatus.READY).exists()


def weekly_assessment_start() -> bool:
    """Queue the weekly run unless one is waiting. Returns whether a run was queued."""
    if _waiting():
        return False
    _enqueue_next()
    return True
