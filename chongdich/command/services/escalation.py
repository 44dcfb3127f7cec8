"""Overdue tasks go up to the assignee's superior (báo cáo cấp trên), one level at a time.

The superior of an agency is its configured superior agency if it has one; otherwise the
committee (leader accounts) of its own unit — or, for a body that leads its unit (a people's
committee, a party committee, a steering committee), of the unit above. Each further level
climbs one step more, and the ladder stops at the committee that issued the task: a province
does not hear about a commune's own tasks. Level 1 is reached as soon as the task is late, each
next level `COMMAND_ESCALATION_STEP_HOURS` later. A missing recurring report escalates once (level
1) per occurrence, for occurrences of the last `RECURRING_LOOKBACK`.

Idempotent: an escalation is recorded once per task, due moment and level (a unique constraint),
so the background task, `chongdich escalate-tasks` and a retry can all run at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.command import domain, notify
from chongdich.command.domain import Timing
from chongdich.command.models import Agency, Task, TaskEscalation, TaskEvent, TaskEventKind
from chongdich.command.services.tasks import first_reports, local_tz, recurrence_of
from chongdich.core import clock
from chongdich.core.jurisdiction import unit_within

MAX_LEVELS = 3
RECURRING_LOOKBACK = dt.timedelta(days=7)


def escalation_step() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "COMMAND_ESCALATION_STEP_HOURS", 24)))


@dataclass
class Superior:
    label: str
    agency: Agency | None = None
    unit: object | None = None
    recipients: list = field(default_factory=list)


def _leaders(unit) -> list:
    from chongdich.accounts.models import User

    return list(User.objects.filter(unit=unit, role=User.Role.LEADER, is_active=True))


def _agency_step(agency: Agency) -> Superior:
    people = ([agency.head_account] if agency.head_account_id and agency.head_account.is_active
              else list(agency.members.filter(is_active=True)))
    return Superior(label=agency.name, agency=agency, recipients=people)


def _unit_step(unit) -> Superior:
    return Superior(label=str(_("Ban chỉ đạo %(unit)s") % {"unit": unit.name_with_type}), unit=unit,
                    recipients=_leaders(unit))


def superior_chain(task: Task, *, limit: int = MAX_LEVELS) -> list[Superior]:
    """Who hears about the task at level 1, 2, … (see the module's rules)."""
    issuer = task.issuer_unit
    chain: list[Superior] = []
    seen: set[int] = {task.agency_id}
    agency, unit = task.agency, None
    while len(chain) < limit:
        if agency is not None:
            above = agency.superior
            if above is not None and above.is_active and above.pk not in seen:
                seen.add(above.pk)
                chain.append(_agency_step(above))
                agency = above
                continue
            unit = agency.unit.parent if agency.leads_its_unit and agency.unit.parent_id else agency.unit
            agency = None
        elif unit is not None and unit.parent_id:
            unit = unit.parent
        else:
            break
        chain.append(_unit_step(unit))
        if unit_within(issuer, unit):
            break
    return chain


def _describe(task: Task, due_at: dt.datetime, period: dt.date | None) -> str:
    source = task.document.reference if task.document_id else str(_("kết luận kiểm tra"))
    when = timezone.localtime(due_at).strftime("%H:%M %d/%m/%Y")
    if period is not None:
        return str(_("%(agency)s chưa gửi báo cáo kỳ %(day)s (hạn %(when)s) theo %(source)s: %(text)s") % {
            "agency": task.agency.name, "day": period.strftime("%d/%m/%Y"), "when": when,
            "source": source, "text": task.description})
    return str(_("%(agency)s chưa hoàn thành nhiệm vụ theo %(source)s, hạn %(when)s: %(text)s") % {
        "agency": task.agency.name, "source": source, "when": when, "text": task.description})


def _escalate(task: Task, *, due_at: dt.datetime, period: dt.date | None, now: dt.datetime,
              max_levels: int, chain: list[Superior] | None) -> tuple[list[TaskEscalation], list[Superior] | None]:
    done = set(TaskEscalation.objects.filter(task=task, due_at=due_at).values_list("level", flat=True))
    if len(done) >= max_levels:
        return [], chain
    chain = chain if chain is not None else superior_chain(task)
    levels = domain.escalation_levels_due(due_at, now, step=escalation_step(),
                                          levels=min(len(chain), max_levels))
    made = []
    for level in (lv for lv in levels if lv not in done):
        superior = chain[level - 1]
        try:
            with transaction.atomic():
                escalation = TaskEscalation.objects.create(
                    task=task, due_at=due_at, period=period, level=level, escalated_at=now,
                    to_agency=superior.agency, to_unit=superior.unit,
                )
        except IntegrityError:  # another run recorded this level first
            continue
        escalation.recipients.set(superior.recipients)
        body = _describe(task, due_at, period)
        TaskEvent.objects.create(
            task=task, kind=TaskEventKind.ESCALATED, status=task.status, at=now, actor=None,
            note=str(_("Cấp %(level)s: báo cáo %(to)s. %(body)s") % {"level": level, "to": superior.label,
                                                                    "body": body}),
        )
        escalation.notified = notify.send(
            recipients=superior.recipients, event="task_escalated",
            subject=_("Quá hạn: %(agency)s") % {"agency": task.agency.name}, body=body,
            url=notify.task_url(task), unit=task.agency.unit,
        )
        if escalation.notified:
            escalation.save(update_fields=["notified"])
        if level == 1:  # the agency itself hears it is late, once, as its superior does
            notify.send(recipients=notify.agency_people(task.agency) + [task.officer], event="task_overdue",
                        subject=_("Nhiệm vụ quá hạn"), body=body, url=notify.task_url(task), unit=task.agency.unit)
        made.append(escalation)
    return made, chain


@transaction.atomic
def task_escalate(*, task: Task, now: dt.datetime | None = None) -> list[TaskEscalation]:
    """Escalate one task to the levels it has reached at `now` and not yet been escalated to."""
    now = now or clock.now()
    task = (Task.objects.select_for_update(of=("self",))
            .select_related("agency__unit__parent", "agency__superior", "agency__head_account",
                            "issuer_unit", "document")
            .get(pk=task.pk))
    if task.status not in domain.OPEN:
        return []
    if task.timing == Timing.DEADLINE:
        made, _chain = _escalate(task, due_at=task.deadline, period=None, now=now, max_levels=MAX_LEVELS,
                                 chain=None)
        return made
    if task.timing != Timing.RECURRING:
        return []
    tz = local_tz()
    since = (now - RECURRING_LOOKBACK).astimezone(tz).date()
    made, chain = [], None
    for due in domain.due_reports(recurrence_of(task), first_reports(task), now=now, tz=tz, since=since):
        if due.status == domain.Occurrence.MISSING:
            more, chain = _escalate(task, due_at=due.due_at, period=due.period, now=now, max_levels=1,
                                    chain=chain)
            made += more
    return made


def task_escalate_overdue(*, now: dt.datetime | None = None) -> list[TaskEscalation]:
    """Escalate every open task that is late at `now` (default: the clock) to the levels it has
    reached and not yet been escalated to. Each task is its own transaction, so one task that
    fails does not hold back the others' escalations."""
    now = now or clock.now()
    open_ = [s.value for s in domain.OPEN]
    late = Task.objects.filter(status__in=open_, timing=Timing.DEADLINE, deadline__lt=now)
    today = timezone.localtime(now).date()
    recurring = (Task.objects.filter(status__in=open_, timing=Timing.RECURRING, starts_on__lte=today)
                 .exclude(ends_on__lt=today - dt.timedelta(days=RECURRING_LOOKBACK.days + 1)))
    made: list[TaskEscalation] = []
    for task in list(late.only("pk")) + list(recurring.only("pk")):
        made += task_escalate(task=task, now=now)
    return made


def next_escalation_check(*, task: Task, now: dt.datetime) -> dt.datetime | None:
    """When this task could next need escalating (a read, for scheduling the background check):
    its deadline or next level, or its next recurring report's due moment."""
    if task.status not in domain.OPEN:
        return None
    if task.timing == Timing.DEADLINE:
        done = TaskEscalation.objects.filter(task=task, due_at=task.deadline).count()
        moment = domain.next_level_at(task.deadline, step=escalation_step(), done=done,
                                      levels=len(superior_chain(task)))
        return None if moment is None else max(moment, now)
    if task.timing == Timing.RECURRING:
        tz = local_tz()
        today = now.astimezone(tz).date()
        recurrence = recurrence_of(task)
        for period in recurrence.periods(since=today, until=today + dt.timedelta(days=8)):
            due = recurrence.due_at(period, tz)
            if due > now:
                return due
    return None
