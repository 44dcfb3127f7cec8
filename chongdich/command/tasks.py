"""Background work (django-tasks; `chongdich db_worker` runs it). Each task calls one service.

Escalation runs by itself: assigning a task (or moving its deadline) queues a check of that task
for just after its deadline or first report; each check queues the next one the task will need
(its next level, its next report), and stops when the task is closed or has reached the top.
`chongdich escalate-tasks` (cron) and `escalate_overdue_tasks` sweep every task, for safety."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django_tasks import task

from chongdich.core import clock

# A moment is checked a minute after it passes, so the task is late by then whatever the rounding.
GRACE = dt.timedelta(minutes=1)


@task()
def escalate_overdue_tasks() -> int:
    """Escalate every task that is late now to the levels it has reached (idempotent)."""
    from chongdich.command.services import task_escalate_overdue

    return len(task_escalate_overdue(now=clock.now()))


@task()
def escalate_task(task_id: int) -> int:
    """Escalate one task if it is late, then queue its next check."""
    from chongdich.command.models import Task
    from chongdich.command.services import next_escalation_check, task_escalate

    item = Task.objects.filter(pk=task_id).first()
    if item is None:
        return 0
    now = clock.now()
    made = task_escalate(task=item, now=now)
    item.refresh_from_db()
    following = next_escalation_check(task=item, now=now + GRACE)
    if following is not None:
        escalate_task.using(run_after=following + GRACE).enqueue(task_id)
    return len(made)


def schedule_escalation_check(task_id: int, moment: dt.datetime) -> None:
    """Queue a check of one task for just after `moment`, once the current transaction commits."""
    run_after = max(moment + GRACE, clock.now())
    transaction.on_commit(lambda: escalate_task.using(run_after=run_after).enqueue(task_id))
