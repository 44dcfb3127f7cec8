"""What the command API operations share: resolving references in requests through selectors
(anything outside the actor's view is 'not found', naming the field), and rendering tasks,
documents and files as JSON bodies."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from chongdich.command import selectors
from chongdich.command.domain import Cadence, Recurrence, Timing
from chongdich.command.schemas import TaskIn
from chongdich.command.services import NewTask
from chongdich.core.api_support import resolve
from chongdich.core.errors import InvalidInput, NotFound

# --- References in requests --------------------------------------------------------------------


def agency_ref(actor, agency_id: int | None, field: str):
    if agency_id is None:
        return None
    return resolve(field, selectors.agency_get, actor=actor, agency_id=agency_id)


def account_ref(actor, username: str | None, field: str, unit=None):
    """An account named by its username, among those the actor can name (else 'not found')."""
    if not username:
        return None
    user = selectors.user_choices(actor=actor, unit=unit).filter(username=username).first()
    if user is None:
        raise NotFound(_("Không tìm thấy tài khoản %(name)s.") % {"name": username}, field=field)
    return user


def document_refs(actor, ids: list[int], field: str) -> list:
    return [resolve(field, selectors.document_get, actor=actor, document_id=pk) for pk in ids]


def new_task(actor, payload: TaskIn, field: str = "") -> NewTask:
    prefix = f"{field}." if field else ""
    agency = agency_ref(actor, payload.agency_id, f"{prefix}agency_id")
    recurrence = None
    if payload.cadence is not None or payload.timing == Timing.RECURRING:
        if payload.cadence is None or payload.due_time is None or payload.starts_on is None:
            raise InvalidInput(_("Báo cáo định kỳ cần cadence, due_time và starts_on."), field=f"{prefix}cadence")
        recurrence = Recurrence(cadence=Cadence(payload.cadence), due_time=payload.due_time,
                                starts_on=payload.starts_on, ends_on=payload.ends_on, weekday=payload.weekday)
    return NewTask(
        agency=agency, description=payload.description, point=payload.point, timing=payload.timing or "",
        deadline=payload.deadline, recurrence=recurrence, officer_name=payload.officer_name,
        officer=account_ref(actor, payload.officer, f"{prefix}officer", unit=agency.unit),
        partners=[agency_ref(actor, pk, f"{prefix}partner_ids") for pk in payload.partner_ids],
    )


# --- Rendering ----------------------------------------------------------------------------------


def attachment_body(attachment) -> dict:
    return {"id": attachment.pk, "name": attachment.name, "size": attachment.size,
            "content_type": attachment.content_type, "url": reverse("api:command_file", args=[attachment.pk])}


def task_body(row) -> dict:
    task = row.task
    return {
        "id": task.pk, "document_id": task.document_id,
        "document": task.document.reference if task.document_id else None, "finding_id": task.finding_id,
        "point": task.point, "agency": {"id": task.agency_id, "name": task.agency.name},
        "officer": task.officer.username if task.officer_id else None, "officer_name": task.officer_name,
        "description": task.description, "timing": task.timing, "deadline": task.deadline,
        "cadence": task.cadence, "due_time": task.due_time, "weekday": task.weekday,
        "starts_on": task.starts_on, "ends_on": task.ends_on, "status": task.status,
        "status_label": task.get_status_display(), "lateness": row.lateness.value, "next_due": row.due,
        "overdue_days": row.overdue_days, "missing_reports": row.missing, "done_at": task.done_at,
        "verified_at": task.verified_at,
    }


def task_detail(actor, task_id: int) -> dict:
    task = selectors.task_get(actor=actor, task_id=task_id)
    row = selectors.task_rows([task])[0]
    body = task_body(row)
    body["partners"] = [{"id": a.pk, "name": a.name} for a in task.partners.all()]
    body["history"] = [{"kind": e.kind, "status": e.status, "at": e.at, "note": e.note,
                        "actor": e.actor.username if e.actor_id else None}
                       for e in selectors.task_history(task=task)]
    body["reports"] = [{"id": r.pk, "text": r.text, "period": r.period, "is_done": r.is_done,
                        "on_behalf": r.on_behalf, "submitted_at": r.submitted_at,
                        "submitted_by": r.submitted_by.username if r.submitted_by_id else None,
                        "attachments": [attachment_body(a) for a in r.attachments.all()]}
                       for r in selectors.task_reports(task=task)]
    body["escalations"] = [{"level": e.level, "due_at": e.due_at, "period": e.period,
                            "escalated_at": e.escalated_at, "notified": e.notified,
                            "to": (e.to_agency.name if e.to_agency_id else str(e.to_unit or "")),
                            "recipients": [u.username for u in e.recipients.all()]}
                           for e in selectors.task_escalations(task=task)]
    body["due_reports"] = [{"period": r.period, "due_at": r.due_at, "reported_at": r.reported_at,
                            "status": r.status.value} for r in row.due_reports]
    return body


def document_detail(actor, document_id: int) -> dict:
    document = selectors.document_get(actor=actor, document_id=document_id)
    links = selectors.document_links(actor=actor, document=document)
    rows = selectors.task_rows(selectors.document_tasks(actor=actor, document=document))
    body = {field: getattr(document, field) for field in (
        "id", "kind", "number", "reference", "issuing_body", "issued_on", "title", "unit", "effective_until",
        "text", "signer", "recipients_text", "references_text")}
    body |= {
        "kind_label": document.get_kind_display(),
        "recipient_agencies": [{"id": a.pk, "name": a.name} for a in document.recipient_agencies.all()],
        "recipient_units": list(document.recipient_units.all()),
        **{key: [{"id": d.pk, "reference": d.reference, "title": d.title} for d in docs]
           for key, docs in links.items()},
        "attachments": [attachment_body(a) for a in document.attachments.all()],
        "tasks": [task_body(r) for r in rows],
    }
    return body
