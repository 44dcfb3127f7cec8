"""Writes for tasks: assigning, reporting, the committee's verdict, and changes of plan. Every
status change happens here, leaves a TaskEvent, and tells the people concerned."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.command import domain, notify
from chongdich.command.access import (
    is_member,
    require_agency_visible,
    require_committee,
    require_reporter,
)
from chongdich.command.domain import Action, Status, Timing
from chongdich.command.models import (
    Agency,
    Document,
    Finding,
    Task,
    TaskEvent,
    TaskEventKind,
    TaskReport,
    unit_keys,
)
from chongdich.command.services.documents import store_files
from chongdich.core import clock
from chongdich.core.errors import InvalidInput
from chongdich.core.jurisdiction import require_write, unit_within


def local_tz() -> dt.tzinfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class NewTask:
    """One task as a document (or a finding) gives it."""

    agency: Agency
    description: str
    point: str = ""
    timing: str = ""  # default: DEADLINE with a deadline, RECURRING with a recurrence, else ONGOING
    deadline: dt.datetime | None = None
    recurrence: domain.Recurrence | None = None
    officer: object | None = None  # an account of the agency
    officer_name: str = ""
    partners: Sequence[Agency] = ()


def committee_people(unit) -> list:
    """The committee of a unit, as far as accounts go: its leaders and its secretariat."""
    from chongdich.accounts.models import User

    return list(User.objects.filter(unit=unit, is_active=True,
                                    role__in=[User.Role.LEADER, User.Role.SECRETARY]))


def _event(task: Task, kind: str, actor, note: str = "", at: dt.datetime | None = None) -> TaskEvent:
    return TaskEvent.objects.create(task=task, kind=kind, status=task.status, at=at or clock.now(),
                                    actor=actor, note=note.strip())


def timing_of(spec: NewTask) -> str:
    if spec.timing:
        return spec.timing
    if spec.deadline is not None:
        return Timing.DEADLINE
    return Timing.RECURRING if spec.recurrence is not None else Timing.ONGOING


def _check_timing(spec: NewTask, issued_on: dt.date | None) -> dict:
    """The timing fields of a new task, checked."""
    timing = timing_of(spec)
    if timing == Timing.DEADLINE:
        if spec.deadline is None:
            raise InvalidInput(_("Cần nhập thời hạn hoàn thành."), field="deadline")
        if timezone.is_naive(spec.deadline):
            raise InvalidInput(_("Thời hạn cần có múi giờ."), field="deadline")
        if issued_on and timezone.localtime(spec.deadline).date() < issued_on:
            raise InvalidInput(_("Thời hạn trước ngày ban hành văn bản."), field="deadline")
        return {"deadline": spec.deadline}
    if timing == Timing.RECURRING:
        r = spec.recurrence
        if r is None:
            raise InvalidInput(_("Cần chọn chu kỳ báo cáo."), field="cadence")
        r.validate()
        return {"cadence": r.cadence, "due_time": r.due_time, "weekday": r.weekday,
                "starts_on": r.starts_on, "ends_on": r.ends_on}
    if timing == Timing.ONGOING:
        return {}
    raise InvalidInput(_("Loại thời hạn không hợp lệ: %(value)s") % {"value": timing}, field="timing")


def _check_officer(officer, agency: Agency) -> None:
    if officer is not None and not is_member(officer, agency):
        raise InvalidInput(_("Người chịu trách nhiệm phải là cán bộ của cơ quan được giao."), field="officer")


def recurrence_of(task: Task) -> domain.Recurrence | None:
    if task.timing != Timing.RECURRING:
        return None
    return domain.Recurrence(cadence=domain.Cadence(task.cadence), due_time=task.due_time,
                             starts_on=task.starts_on, ends_on=task.ends_on, weekday=task.weekday)


def first_reports(task: Task) -> dict[dt.date, dt.datetime]:
    """For a recurring task: when the first report for each period came in."""
    rows = (TaskReport.objects.filter(task=task, period__isnull=False).values("period")
            .annotate(first=Min("submitted_at")).values_list("period", "first"))
    return dict(rows)


def _schedule_escalation(task: Task) -> None:
    """Queue the background check of this task for its first due moment (see command.tasks)."""
    from chongdich.command.tasks import schedule_escalation_check

    if task.timing == Timing.DEADLINE:
        schedule_escalation_check(task.pk, task.deadline)
    elif task.timing == Timing.RECURRING:
        first = recurrence_of(task).periods(since=max(task.starts_on, clock.today()),
                                            until=clock.today() + dt.timedelta(days=8))
        if first:
            schedule_escalation_check(task.pk, recurrence_of(task).due_at(first[0], local_tz()))


@transaction.atomic
def task_assign(*, actor, spec: NewTask, document: Document | None = None, finding: Finding | None = None,
                order: int | None = None) -> Task:
    """Give a task to an agency, from a document or as the corrective action of a finding. The
    agency must sit in the issuing committee's area (its unit or below)."""
    if (document is None) == (finding is None):
        raise InvalidInput(_("Nhiệm vụ cần thuộc đúng một văn bản hoặc một phát hiện kiểm tra."))
    if document is not None:
        issuer, issued_on = document.unit, document.issued_on
        require_write(actor, issuer, "issue_documents")
    else:
        issuer, issued_on = finding.inspection.issuer_unit, None
        require_write(actor, issuer, "manage_inspections")
    agency = spec.agency
    require_agency_visible(actor, agency)
    if not agency.is_active:
        raise InvalidInput(_("Cơ quan này đã ngừng hoạt động."), field="agency")
    if not unit_within(agency.unit, issuer):
        raise InvalidInput(_("%(agency)s không thuộc địa bàn của cấp ban hành.") % {"agency": agency.name},
                           field="agency")
    description = (spec.description or "").strip()
    if not description:
        raise InvalidInput(_("Cần nhập nội dung nhiệm vụ."), field="description")
    timing_fields = _check_timing(spec, issued_on)
    _check_officer(spec.officer, agency)
    partners = [p for p in spec.partners if p.pk != agency.pk]
    for partner in partners:
        require_agency_visible(actor, partner, field="partners")
    if order is None:
        siblings = Task.objects.filter(document=document, finding=finding)
        order = (siblings.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    now = clock.now()
    task = Task.objects.create(
        document=document, finding=finding, point=spec.point.strip()[:20], order=order, agency=agency,
        officer=spec.officer, officer_name=spec.officer_name.strip()[:150], description=description,
        timing=timing_of(spec), status=Status.ASSIGNED, status_changed_at=now, created_at=now,
        created_by=actor, issuer_unit=issuer, **timing_fields, **unit_keys(agency.unit),
        **unit_keys(issuer, "issuer_"),
    )
    task.partners.set(partners)
    _event(task, TaskEventKind.ASSIGNED, actor)
    source = document.reference if document else _("kết luận kiểm tra")
    notify.send(
        recipients=notify.agency_people(agency) + [spec.officer], event="task_assigned",
        subject=_("Nhiệm vụ mới cho %(agency)s") % {"agency": agency.name},
        body=_("Theo %(source)s: %(text)s") % {"source": source, "text": description},
        url=notify.task_url(task), unit=agency.unit,
    )
    _schedule_escalation(task)
    return task


def _locked(task: Task) -> Task:
    return (Task.objects.select_for_update(of=("self",))
            .select_related("agency", "issuer_unit", "document").get(pk=task.pk))


def _move(task: Task, action: Action, at: dt.datetime) -> bool:
    """Apply `action` to the task's status; True if the status changed."""
    to = domain.next_status(task.status, action)
    if to == task.status:
        return False
    task.status, task.status_changed_at = to, at
    return True


@transaction.atomic
def task_start(*, actor, task: Task, note: str = "") -> Task:
    """The agency takes the task in hand (đã tiếp nhận, đang thực hiện)."""
    task = _locked(task)
    require_reporter(actor, task)
    now = clock.now()
    _move(task, Action.START, now)
    task.started_at = task.started_at or now
    task.save(update_fields=["status", "status_changed_at", "started_at"])
    _event(task, TaskEventKind.STARTED, actor, note)
    return task


@transaction.atomic
def task_report(*, actor, task: Task, text: str, done: bool = False, period: dt.date | None = None,
                files: Iterable = ()) -> TaskReport:
    """A progress report, or the report that the task is done (then the committee verifies it).
    A report on a recurring task answers one occurrence (`period`; by default the latest one not
    yet reported); the first report for an occurrence decides whether it was on time."""
    task = _locked(task)
    on_behalf = require_reporter(actor, task)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Cần nhập nội dung báo cáo."), field="text")
    now = clock.now()
    recurrence = recurrence_of(task)
    if recurrence is None:
        period = None
    else:
        today = timezone.localtime(now).date()
        if period is None and not done:
            reports = domain.due_reports(recurrence, first_reports(task), now=now, tz=local_tz(),
                                         since=today - dt.timedelta(days=31))
            period = domain.default_period(reports)
        if period is not None and (period > today or not recurrence.is_period(period)):
            raise InvalidInput(_("Ngày %(day)s không phải một kỳ báo cáo của nhiệm vụ này.")
                               % {"day": period.strftime("%d/%m/%Y")}, field="period")
    _move(task, Action.REPORT_DONE if done else Action.REPORT, now)
    task.started_at = task.started_at or now
    if done:
        task.done_at = now
    task.save(update_fields=["status", "status_changed_at", "started_at", "done_at"])
    report = TaskReport.objects.create(task=task, text=text, period=period, is_done=done, submitted_at=now,
                                       submitted_by=actor, on_behalf=on_behalf)
    store_files(actor=actor, files=files, allowed=domain.REPORT_FILES, report=report)
    _event(task, TaskEventKind.REPORTED_DONE if done else TaskEventKind.REPORTED, actor, text[:500], at=now)
    if done or recurrence is None:
        notify.send(
            recipients=committee_people(task.issuer_unit), event="report_submitted",
            subject=(_("%(agency)s báo cáo hoàn thành nhiệm vụ") if done
                     else _("%(agency)s báo cáo tiến độ nhiệm vụ")) % {"agency": task.agency.name},
            body=text, url=notify.task_url(task), unit=task.issuer_unit,
        )
    return report


@transaction.atomic
def task_verify(*, actor, task: Task, note: str = "") -> Task:
    """The issuing committee accepts the agency's report that the task is done."""
    task = _locked(task)
    require_committee(actor, task, "verify_tasks")
    now = clock.now()
    _move(task, Action.VERIFY, now)
    task.verified_at, task.verified_by = now, actor
    task.save(update_fields=["status", "status_changed_at", "verified_at", "verified_by"])
    _event(task, TaskEventKind.VERIFIED, actor, note)
    notify.send(
        recipients=notify.agency_people(task.agency) + [task.officer], event="task_verified",
        subject=_("Nhiệm vụ được xác nhận hoàn thành"), body=task.description,
        url=notify.task_url(task), unit=task.agency.unit,
    )
    if task.finding_id:
        _close_finding_if_done(task.finding_id, actor, now)
    return task


def _close_finding_if_done(finding_id: int, actor, now: dt.datetime) -> None:
    finding = Finding.objects.select_for_update().get(pk=finding_id)
    statuses = set(finding.corrective_tasks.values_list("status", flat=True))
    if finding.closed_at is None and Status.VERIFIED in statuses and statuses <= domain.CLOSED:
        finding.closed_at, finding.closed_by = now, actor
        finding.close_note = _("Các nhiệm vụ khắc phục đã được xác nhận hoàn thành.")
        finding.save(update_fields=["closed_at", "closed_by", "close_note"])


@transaction.atomic
def task_send_back(*, actor, task: Task, reason: str) -> Task:
    """The committee does not accept the report: the agency must do more (the reason says what)."""
    task = _locked(task)
    require_committee(actor, task, "verify_tasks")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Cần ghi lý do trả lại."), field="reason")
    _move(task, Action.SEND_BACK, clock.now())
    task.done_at = None
    task.save(update_fields=["status", "status_changed_at", "done_at"])
    _event(task, TaskEventKind.SENT_BACK, actor, reason)
    notify.send(
        recipients=notify.agency_people(task.agency) + [task.officer], event="task_sent_back",
        subject=_("Nhiệm vụ bị trả lại: cần làm tiếp"), body=reason,
        url=notify.task_url(task), unit=task.agency.unit,
    )
    return task


@transaction.atomic
def task_cancel(*, actor, task: Task, reason: str) -> Task:
    """Withdraw a task (the document was replaced, the need has passed)."""
    task = _locked(task)
    require_committee(actor, task, "issue_documents")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Cần ghi lý do huỷ nhiệm vụ."), field="reason")
    now = clock.now()
    _move(task, Action.CANCEL, now)
    task.cancelled_at = now
    task.save(update_fields=["status", "status_changed_at", "cancelled_at"])
    _event(task, TaskEventKind.CANCELLED, actor, reason)
    return task


@transaction.atomic
def task_reschedule(*, actor, task: Task, deadline: dt.datetime, reason: str) -> Task:
    """Move a deadline (gia hạn). Escalations already made stay; the new deadline escalates
    afresh if it is missed in turn."""
    task = _locked(task)
    require_committee(actor, task, "issue_documents")
    domain.next_status(task.status, Action.RESCHEDULE)
    if task.timing != Timing.DEADLINE:
        raise InvalidInput(_("Chỉ đổi được thời hạn của nhiệm vụ có thời hạn."), field="deadline")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Cần ghi lý do đổi thời hạn."), field="reason")
    issued_on = task.document.issued_on if task.document_id else None
    timing = _check_timing(NewTask(agency=task.agency, description="-", timing=Timing.DEADLINE,
                                   deadline=deadline), issued_on)
    before = task.deadline
    task.deadline = timing["deadline"]
    task.save(update_fields=["deadline"])
    note = _("%(before)s → %(after)s: %(reason)s") % {
        "before": timezone.localtime(before).strftime("%H:%M %d/%m/%Y"),
        "after": timezone.localtime(task.deadline).strftime("%H:%M %d/%m/%Y"), "reason": reason,
    }
    _event(task, TaskEventKind.RESCHEDULED, actor, note)
    _schedule_escalation(task)
    return task


@transaction.atomic
def task_set_officer(*, actor, task: Task, officer=None, officer_name: str = "") -> Task:
    """Name the officer responsible: the agency decides this itself, or the committee does."""
    task = _locked(task)
    require_reporter(actor, task)
    _check_officer(officer, task.agency)
    task.officer, task.officer_name = officer, (officer_name or "").strip()[:150]
    task.save(update_fields=["officer", "officer_name"])
    return task
