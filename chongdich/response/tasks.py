"""Background work of the response clock (django-tasks; `chongdich db_worker` runs it). Opening a
response queues a check of it for its first warning; each check sends what is due and queues the
next (the next warning or deadline of a stage still open). `chongdich response-alerts` (cron)
sweeps everything for safety."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django_tasks import task

from chongdich.core import clock

# A moment is checked a few seconds after it, so it has passed whatever the rounding.
GRACE = dt.timedelta(seconds=5)


@task()
def check_response(response_id: int) -> str:
    from chongdich.response.alerts import response_check

    following = response_check(response_id=response_id, now=clock.now())
    if following is not None and _can_defer():
        check_response.using(run_after=following + GRACE).enqueue(response_id)
    return following.isoformat() if following else ""


@task()
def send_due_alerts() -> dict:
    from chongdich.response.alerts import alerts_send_due

    return alerts_send_due(now=clock.now())


def _can_defer() -> bool:
    """A backend that runs tasks at once (tests, or a deployment without a worker) cannot wait
    for a deadline: the cron sweep is then what sends the alerts."""
    return check_response.get_backend().supports_defer


def schedule_checks(moments: list[tuple[int, dt.datetime]]) -> None:
    """Queue a check of each response for just after its moment, once the transaction commits."""
    if not moments or not _can_defer():
        return
    now = clock.now()

    def enqueue() -> None:
        for response_id, moment in moments:
            check_response.using(run_after=max(moment + GRACE, now)).enqueue(response_id)

    transaction.on_commit(enqueue)
