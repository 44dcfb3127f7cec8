"""Reads of command work, always through the visibility rules of command.access: anything the
actor may not see is 'not found', the same as a missing id."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.command import domain
from chongdich.command.access import (
    agency_ids_of,
    agency_q,
    document_q,
    inspection_q,
    task_q,
    team_q,
)
from chongdich.command.domain import Lateness, Timing
from chongdich.command.models import (
    Agency,
    Attachment,
    Document,
    Finding,
    Inspection,
    InspectionTeam,
    Task,
    TaskReport,
)
from chongdich.command.services.tasks import local_tz, recurrence_of
from chongdich.core import clock
from chongdich.core.errors import NotFound

# --- Documents ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentFilters:
    kind: str = ""
    year: int | None = None
    search: str = ""  # number, title or issuing body
    in_force: bool = False


def document_list(*, actor, filters: DocumentFilters | None = None) -> QuerySet[Document]:
    f = filters or DocumentFilters()
    qs = Document.objects.filter(document_q(actor)).select_related("unit")
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.year:
        qs = qs.filter(issued_on__year=f.year)
    if f.search:
        term = f.search.strip()
        qs = qs.filter(Q(number__icontains=domain.normalise_number(term)) | Q(title__icontains=term)
                       | Q(issuing_body__icontains=term))
    if f.in_force:
        qs = qs.filter(in_force_q(clock.today()))
    return qs.order_by("-issued_on", "-pk")


def document_get(*, actor, document_id: int) -> Document:
    document = (Document.objects.filter(document_q(actor), pk=document_id)
                .select_related("unit", "created_by").first())
    if document is None:
        raise NotFound(_("Không tìm thấy văn bản."))
    return document


def in_force_q(on: dt.date) -> Q:
    """Issued by `on`, not expired, not replaced by a document issued by then."""
    replaced = Document.replaces.through.objects.filter(from_document__issued_on__lte=on).values("to_document_id")
    return (Q(issued_on__lte=on) & (Q(effective_until__isnull=True) | Q(effective_until__gte=on))
            & ~Q(pk__in=replaced))


def documents_in_force(*, unit, on: dt.date) -> QuerySet[Document]:
    """The documents that apply to `unit` on a day: issued by its own committee or one above it,
    and in force then (not a read for an actor: callers check the actor themselves)."""
    issuers = [pk for pk in (unit.pk, unit.province_id, unit.district_id) if pk]
    return Document.objects.filter(in_force_q(on), unit_id__in=issuers).order_by("issued_on", "pk")


def task_counts(*, document_ids: list[int]) -> dict[int, dict[str, int]]:
    """Tasks per document by status group, for a page of documents."""
    out: dict[int, dict[str, int]] = defaultdict(lambda: {"open": 0, "awaiting": 0, "closed": 0, "total": 0})
    rows = (Task.objects.filter(document_id__in=document_ids).values("document_id", "status")
            .annotate(n=Count("pk")).values_list("document_id", "status", "n"))
    for document_id, status, n in rows:
        group = "open" if status in domain.OPEN else "awaiting" if status in domain.AWAITING else "closed"
        out[document_id][group] += n
        out[document_id]["total"] += n
    return dict(out)


def issuing_bodies(*, actor) -> list[str]:
    """Bodies the actor's documents were issued by, for suggestions as they type."""
    return list(Document.objects.filter(document_q(actor)).order_by("issuing_body")
                .values_list("issuing_body", flat=True).distinct()[:50])


def document_tasks(*, actor, document: Document) -> QuerySet[Task]:
    return (Task.objects.filter(task_q(actor), document=document)
            .select_related("agency", "officer").prefetch_related("partners").order_by("order", "pk"))


def document_links(*, actor, document: Document) -> dict[str, list[Document]]:
    visible = document_q(actor)
    return {
        "replaces": list(document.replaces.filter(visible)),
        "replaced_by": list(document.replaced_by.filter(visible)),
        "follows_up": list(document.follows_up.filter(visible)),
        "followed_up_by": list(document.followed_up_by.filter(visible)),
    }


def attachment_get(*, actor, attachment_id: int) -> Attachment:
    """A file, if the actor may see what it is attached to."""
    attachment = Attachment.objects.filter(pk=attachment_id).select_related("document", "report__task").first()
    if attachment is not None:
        if attachment.document_id and Document.objects.filter(document_q(actor), pk=attachment.document_id).exists():
            return attachment
        if attachment.report_id and Task.objects.filter(task_q(actor), pk=attachment.report.task_id).exists():
            return attachment
    raise NotFound(_("Không tìm thấy tệp."))


# --- Agencies -----------------------------------------------------------------------------------


def agency_list(*, actor, unit=None, search: str = "", active_only: bool = True) -> QuerySet[Agency]:
    qs = Agency.objects.filter(agency_q(actor)).select_related("unit", "head_account", "superior")
    if unit is not None:
        qs = qs.filter(unit=unit)
    if active_only:
        qs = qs.filter(is_active=True)
    if search:
        qs = qs.filter(Q(name__icontains=search.strip()) | Q(short_name__icontains=search.strip()))
    # provincial bodies first, then each district's bodies followed by its communes'
    return qs.order_by(F("district_id").asc(nulls_first=True), F("commune_id").asc(nulls_first=True), "name")


def agency_get(*, actor, agency_id: int) -> Agency:
    agency = (Agency.objects.filter(agency_q(actor), pk=agency_id)
              .select_related("unit", "head_account", "superior").first())
    if agency is None:
        raise NotFound(_("Không tìm thấy cơ quan, đơn vị."))
    return agency


def agencies_assignable(*, actor, issuer) -> QuerySet[Agency]:
    """Agencies a committee at `issuer` can give tasks to: active, in its unit or below, visible."""
    return agency_list(actor=actor).filter(**{f"{issuer.level}_id": issuer.pk})


def open_task_counts(*, actor, agency_ids: list[int], now: dt.datetime | None = None) -> dict[int, dict[str, int]]:
    """Per agency: tasks it owes, and of those the ones past their deadline."""
    now = now or clock.now()
    late = Q(timing=Timing.DEADLINE, deadline__lt=now)
    rows = (Task.objects.filter(task_q(actor), agency_id__in=agency_ids, status__in=[s.value for s in domain.OPEN])
            .values("agency_id").annotate(owed=Count("pk"), overdue=Count("pk", filter=late))
            .values_list("agency_id", "owed", "overdue"))
    return {agency_id: {"owed": owed, "overdue": overdue} for agency_id, owed, overdue in rows}


def agencies_of(*, actor) -> QuerySet[Agency]:
    """The agencies the actor works for (their inboxes)."""
    return Agency.objects.filter(pk__in=agency_ids_of(actor)).select_related("unit").order_by("name")


# --- Tasks --------------------------------------------------------------------------------------


@dataclass
class TaskRow:
    """A task with where it stands against time (see domain.lateness)."""

    task: Task
    lateness: Lateness
    due: dt.datetime | None  # the deadline, or the next report due
    overdue_by: dt.timedelta | None = None
    missing: int = 0  # recurring: reports missing in the last 31 days
    due_reports: list[domain.DueReport] = field(default_factory=list)

    @property
    def overdue_days(self) -> int:
        """Calendar days late, as people count them (late since this afternoon: 1)."""
        if not self.overdue_by or self.task.deadline is None:
            return 0
        deadline_day = timezone.localtime(self.task.deadline).date()
        today = timezone.localtime(self.task.deadline + self.overdue_by).date()
        return max((today - deadline_day).days, 1)

    @property
    def lateness_label(self) -> str:
        return lateness_label(self.lateness)


@dataclass(frozen=True)
class TaskFilters:
    status: str = "open"  # open (the agency owes it) | awaiting | closed | active (open+awaiting) | all | a status
    agency_id: int | None = None
    document_id: int | None = None
    unit: object | None = None  # tasks of agencies in this unit or below
    lateness: str = ""
    search: str = ""


STATUS_GROUPS = {
    "open": domain.OPEN, "awaiting": domain.AWAITING, "closed": domain.CLOSED,
    "active": domain.OPEN | domain.AWAITING,
}


def task_list(*, actor, filters: TaskFilters | None = None) -> QuerySet[Task]:
    f = filters or TaskFilters()
    qs = Task.objects.filter(task_q(actor)).select_related("agency", "agency__unit", "document", "finding",
                                                            "officer")
    if f.status in STATUS_GROUPS:
        qs = qs.filter(status__in=[s.value for s in STATUS_GROUPS[f.status]])
    elif f.status and f.status != "all":
        qs = qs.filter(status=f.status)
    if f.agency_id:
        qs = qs.filter(agency_id=f.agency_id)
    if f.document_id:
        qs = qs.filter(document_id=f.document_id)
    if f.unit is not None:
        qs = qs.filter(**{f"{f.unit.level}_id": f.unit.pk})
    if f.search:
        term = f.search.strip()
        qs = qs.filter(Q(description__icontains=term) | Q(agency__name__icontains=term)
                       | Q(document__number__icontains=domain.normalise_number(term)))
    return qs.order_by("deadline", "document_id", "order", "pk")


def task_get(*, actor, task_id: int) -> Task:
    task = (Task.objects.filter(task_q(actor), pk=task_id)
            .select_related("agency", "agency__unit", "document", "finding__inspection", "officer",
                            "issuer_unit", "verified_by").first())
    if task is None:
        raise NotFound(_("Không tìm thấy nhiệm vụ."))
    return task


def _first_reports(task_ids: list[int]) -> dict[int, dict[dt.date, dt.datetime]]:
    out: dict[int, dict[dt.date, dt.datetime]] = defaultdict(dict)
    rows = (TaskReport.objects.filter(task_id__in=task_ids, period__isnull=False)
            .values("task_id", "period").annotate(first=Min("submitted_at"))
            .values_list("task_id", "period", "first"))
    for task_id, period, first in rows:
        out[task_id][period] = first
    return out


def task_rows(tasks, *, now: dt.datetime | None = None, since_days: int = 31) -> list[TaskRow]:
    """Where each task stands against its time, now. Recurring reports of the last `since_days` of
    their run."""
    now = now or clock.now()
    tz = local_tz()
    tasks = list(tasks)
    firsts = _first_reports([t.pk for t in tasks if t.timing == Timing.RECURRING])
    today = timezone.localtime(now).date()
    rows = []
    for task in tasks:
        due, reports, latest, missing = task.deadline, [], None, 0
        recurrence = recurrence_of(task)
        if recurrence is not None:
            # the last `since_days` of the run: up to today, or up to its end when it has ended
            end = min(today, recurrence.ends_on) if recurrence.ends_on else today
            since = end - dt.timedelta(days=since_days)
            reports = domain.due_reports(recurrence, firsts.get(task.pk, {}), now=now, tz=tz, since=since)
            past = [r for r in reports if r.status != domain.Occurrence.PENDING]
            latest = past[-1].status if past else None
            missing = sum(r.status == domain.Occurrence.MISSING for r in reports)
            upcoming = recurrence.periods(since=timezone.localtime(now).date(),
                                          until=timezone.localtime(now).date() + dt.timedelta(days=8))
            due = next((d for d in (recurrence.due_at(p, tz) for p in upcoming) if d > now), None)
        state = domain.lateness(status=task.status, timing=task.timing, deadline=task.deadline, now=now,
                                latest_report=latest, next_due=due)
        overdue_by = (domain.overdue_for(task.deadline, now)
                      if state == Lateness.OVERDUE and task.deadline else None)
        rows.append(TaskRow(task, state, due, overdue_by, missing, reports))
    return rows


LATENESS_ORDER = [Lateness.OVERDUE, Lateness.DUE_SOON, Lateness.AWAITING, Lateness.ON_TRACK,
                  Lateness.NO_DEADLINE, Lateness.CLOSED]


def lateness_label(value: str) -> str:
    labels = {
        Lateness.OVERDUE: _("Quá hạn"), Lateness.DUE_SOON: _("Sắp đến hạn (3 ngày)"),
        Lateness.AWAITING: _("Chờ xác nhận"), Lateness.ON_TRACK: _("Còn hạn"),
        Lateness.NO_DEADLINE: _("Thường xuyên, không thời hạn"), Lateness.CLOSED: _("Đã xong hoặc huỷ"),
    }
    return str(labels.get(value, value))


@dataclass
class Group:
    key: str
    label: str
    rows: list[TaskRow]
    link: str = ""

    @property
    def overdue(self) -> int:
        return sum(r.lateness == Lateness.OVERDUE for r in self.rows)


def task_board(*, actor, filters: TaskFilters | None = None, group_by: str = "document",
               now: dt.datetime | None = None, limit: int = 2000) -> list[Group]:
    """The committee's view: visible tasks grouped by document, agency or lateness, the most
    pressing first within each group (overdue, then due soon, then by due date)."""
    f = filters or TaskFilters()
    rows = task_rows(task_list(actor=actor, filters=f)[:limit], now=now)
    if f.lateness:
        rows = [r for r in rows if r.lateness == f.lateness]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    rows.sort(key=lambda r: (LATENESS_ORDER.index(r.lateness), r.due or far, r.task.pk))
    groups: dict[str, Group] = {}
    for row in rows:
        task = row.task
        if group_by == "agency":
            key, label = f"a{task.agency_id}", task.agency.name
        elif group_by == "lateness":
            key, label = row.lateness.value, lateness_label(row.lateness)
        elif task.document_id:
            key, label = f"d{task.document_id}", f"{task.document.reference} — {task.document.title}"
        else:
            key, label = f"f{task.finding_id}", str(_("Khắc phục sau kiểm tra"))
        groups.setdefault(key, Group(key, label, [])).rows.append(row)
    ordered = list(groups.values())
    if group_by == "lateness":
        ordered.sort(key=lambda g: LATENESS_ORDER.index(Lateness(g.key)))
    else:
        ordered.sort(key=lambda g: (-g.overdue, g.label))
    return ordered


def task_history(*, task: Task):
    return task.events.select_related("actor").order_by("at", "pk")


def task_reports(*, task: Task):
    return task.reports.select_related("submitted_by").prefetch_related("attachments").order_by("submitted_at", "pk")


def task_escalations(*, task: Task):
    return (task.escalations.select_related("to_agency", "to_unit").prefetch_related("recipients")
            .order_by("escalated_at", "level"))


def inbox(*, actor, agency: Agency, now: dt.datetime | None = None) -> dict[str, list[TaskRow]]:
    """What an agency owes and by when (open tasks, most pressing first), what waits for the
    committee, and what was closed lately."""
    base = Task.objects.filter(task_q(actor), agency=agency).select_related("document", "finding", "officer")
    owed = task_rows(base.filter(status__in=[s.value for s in domain.OPEN]), now=now)
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    owed.sort(key=lambda r: (LATENESS_ORDER.index(r.lateness), r.due or far, r.task.pk))
    awaiting = task_rows(base.filter(status__in=[s.value for s in domain.AWAITING]), now=now)
    closed = task_rows(base.filter(status__in=[s.value for s in domain.CLOSED])
                       .order_by("-status_changed_at")[:20], now=now)
    return {"owed": owed, "awaiting": awaiting, "closed": closed}


# --- Inspections --------------------------------------------------------------------------------


def team_list(*, actor) -> QuerySet[InspectionTeam]:
    return (InspectionTeam.objects.filter(team_q(actor)).select_related("unit", "leader")
            .prefetch_related("members").order_by("unit__code", "name"))


def team_get(*, actor, team_id: int) -> InspectionTeam:
    team = InspectionTeam.objects.filter(team_q(actor), pk=team_id).select_related("unit", "leader").first()
    if team is None:
        raise NotFound(_("Không tìm thấy đoàn kiểm tra."))
    return team


def inspection_list(*, actor, kind: str = "", status: str = "", unit=None) -> QuerySet[Inspection]:
    qs = (Inspection.objects.filter(inspection_q(actor))
          .select_related("team", "led_by", "inspected_unit", "inspected_agency"))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(**{f"{unit.level}_id": unit.pk})
    return qs.order_by("-scheduled_on", "-pk")


def inspection_get(*, actor, inspection_id: int) -> Inspection:
    inspection = (Inspection.objects.filter(inspection_q(actor), pk=inspection_id)
                  .select_related("team", "led_by", "inspected_unit", "inspected_agency", "issuer_unit").first())
    if inspection is None:
        raise NotFound(_("Không tìm thấy cuộc kiểm tra."))
    return inspection


def checklist(*, inspection: Inspection):
    return inspection.checklist.select_related("source_document").order_by("order", "pk")


def findings_of(*, inspection: Inspection):
    return (inspection.findings.select_related("agency", "checklist_item", "recorded_by")
            .prefetch_related("corrective_tasks__agency").order_by("recorded_at", "pk"))


def finding_get(*, actor, finding_id: int) -> Finding:
    finding = Finding.objects.filter(pk=finding_id).select_related("inspection").first()
    if finding is None or not Inspection.objects.filter(inspection_q(actor), pk=finding.inspection_id).exists():
        raise NotFound(_("Không tìm thấy phát hiện."))
    return finding


def finding_list(*, actor, open_only: bool = False) -> QuerySet[Finding]:
    visible = Inspection.objects.filter(inspection_q(actor)).values("pk")
    qs = Finding.objects.filter(inspection_id__in=visible).select_related("inspection", "agency")
    if open_only:
        qs = qs.filter(closed_at__isnull=True)
    return qs.order_by("-recorded_at", "-pk")


def checklist_item_get(*, actor, item_id: int):
    from chongdich.command.models import ChecklistItem

    item = ChecklistItem.objects.filter(pk=item_id).select_related("inspection").first()
    if item is None or not Inspection.objects.filter(inspection_q(actor), pk=item.inspection_id).exists():
        raise NotFound(_("Không tìm thấy nội dung kiểm tra."))
    return item


def user_choices(*, actor, unit=None):
    """Accounts an actor can name (heads, members, officers): active, inside the jurisdiction,
    or at `unit` and above it when given (a leader who heads a body below)."""
    from chongdich.accounts.models import User

    if actor.unit_id is None:
        return User.objects.filter(is_active=True).order_by("full_name", "username")
    base = actor.unit
    q = Q(unit_id=base.pk)
    if base.level != "commune":
        q |= Q(**{f"unit__{base.level}_id": base.pk})
    if unit is not None:
        q |= Q(unit_id__in=[pk for pk in (unit.pk, unit.province_id, unit.district_id) if pk])
    return User.objects.filter(q, is_active=True).select_related("unit").order_by("full_name", "username")

