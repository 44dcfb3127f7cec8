"""/api/command: documents with their tasks, agencies and their inboxes, tasks (report, verify,
send back…), inspections and findings. Every operation resolves its inputs through selectors
(anything outside the actor's view is 'not found', naming the field) and calls one service."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from chongdich.command import selectors, services
from chongdich.command.api_inspections import router as inspections_router
from chongdich.command.api_refs import (
    account_ref,
    agency_ref,
    attachment_body,
    document_detail,
    document_refs,
    new_task,
    task_body,
    task_detail,
)
from chongdich.command.schemas import (
    AgencyFilters,
    AgencyIn,
    AgencyOut,
    AgencyPatch,
    AttachmentOut,
    DocumentDetailOut,
    DocumentFilters,
    DocumentIn,
    DocumentOut,
    DocumentPatch,
    InboxOut,
    NoteIn,
    ReasonIn,
    ReportIn,
    RescheduleIn,
    TaskDetailOut,
    TaskFilters,
    TaskIn,
    TaskOut,
)
from chongdich.core.api_support import Page, actor_of, error_responses, paginate, resolve
from chongdich.core.errors import InvalidInput
from chongdich.geography.api import unit_in_jurisdiction

router = Router(tags=["command"])


# --- Documents ----------------------------------------------------------------------------------


@router.get("/documents", response={200: Page[DocumentOut], **error_responses(401, 422)})
def document_list(request, filters: Query[DocumentFilters]):
    """Documents the actor may see, newest first."""
    wanted = selectors.DocumentFilters(kind=filters.kind or "", year=filters.year, search=filters.q,
                                       in_force=filters.in_force)
    return paginate(selectors.document_list(actor=actor_of(request), filters=wanted), filters)


def _document_kwargs(actor, payload, unset: bool = False) -> dict:
    data = payload.model_dump(exclude_unset=unset, exclude={"tasks"})
    relations = {
        "recipient_agency_ids": ("recipient_agencies", lambda ids: [agency_ref(actor, i, "recipient_agency_ids") for i in ids]),
        "recipient_units": ("recipient_units", lambda codes: [resolve("recipient_units", selectors_unit, actor=actor, code=c)
                                                              for c in codes]),
        "replaces_ids": ("replaces", lambda ids: document_refs(actor, ids, "replaces_ids")),
        "follows_up_ids": ("follows_up", lambda ids: document_refs(actor, ids, "follows_up_ids")),
    }
    for key, (name, convert) in relations.items():
        if key in data:
            value = data.pop(key)
            if value is not None:
                data[name] = convert(value)
    return {k: v for k, v in data.items() if v is not None or k == "effective_until"}


def selectors_unit(*, actor, code: str):
    from chongdich.geography.selectors import unit_get_public

    return unit_get_public(code=code)


@router.post("/documents", response={201: DocumentDetailOut, **error_responses()})
def document_create(request, payload: DocumentIn):
    """Record a document of the actor's committee with the tasks it gives, in one request. An
    error in a task names it: `tasks.<n>.<field>`."""
    actor = actor_of(request)
    if actor.unit is None:
        raise InvalidInput(_("Tài khoản không thuộc đơn vị nào: không ban hành được văn bản."), field="unit")
    tasks = [new_task(actor, t, f"tasks.{i}") for i, t in enumerate(payload.tasks)]
    document = services.document_create(actor=actor, unit=actor.unit, tasks=tasks,
                                        **_document_kwargs(actor, payload))
    return Status(201, document_detail(actor, document.pk))


@router.get("/documents/{int:document_id}", response={200: DocumentDetailOut, **error_responses(401, 404)})
def document_get(request, document_id: int):
    return document_detail(actor_of(request), document_id)


@router.patch("/documents/{int:document_id}", response={200: DocumentDetailOut, **error_responses()})
def document_update(request, document_id: int, payload: DocumentPatch):
    actor = actor_of(request)
    document = selectors.document_get(actor=actor, document_id=document_id)
    services.document_update(actor=actor, document=document, **_document_kwargs(actor, payload, unset=True))
    return document_detail(actor, document_id)


@router.post("/documents/{int:document_id}/tasks", response={201: list[TaskOut], **error_responses()})
def document_add_tasks(request, document_id: int, payload: list[TaskIn]):
    actor = actor_of(request)
    document = selectors.document_get(actor=actor, document_id=document_id)
    made = services.document_add_tasks(actor=actor, document=document,
                                       tasks=[new_task(actor, t, f"tasks.{i}") for i, t in enumerate(payload)])
    return Status(201, [task_body(r) for r in selectors.task_rows(made)])


@router.post("/documents/{int:document_id}/files", response={201: list[AttachmentOut], **error_responses()})
def document_attach(request, document_id: int, files: File[list[UploadedFile]]):
    """Attach PDF or DOCX files (multipart/form-data, field `files`)."""
    actor = actor_of(request)
    document = selectors.document_get(actor=actor, document_id=document_id)
    return Status(201, [attachment_body(a) for a in services.document_attach(actor=actor, document=document,
                                                                              files=files)])


@router.get("/files/{int:attachment_id}", url_name="command_file", response={200: None, **error_responses(401, 404)})
def attachment_download(request, attachment_id: int):
    """A file, for those who may see the document or task it belongs to."""
    attachment = selectors.attachment_get(actor=actor_of(request), attachment_id=attachment_id)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- Agencies -----------------------------------------------------------------------------------


@router.get("/agencies", response={200: Page[AgencyOut], **error_responses(401, 404, 422)})
def agency_list(request, filters: Query[AgencyFilters]):
    actor = actor_of(request)
    unit = unit_in_jurisdiction(actor, filters.unit, "unit")
    return paginate(selectors.agency_list(actor=actor, unit=unit, search=filters.q), filters)


def _agency_kwargs(actor, payload, unit, unset: bool = False) -> dict:
    data = payload.model_dump(exclude_unset=unset, exclude={"unit"})
    if "head_account" in data:
        data["head_account"] = account_ref(actor, data["head_account"], "head_account", unit)
    if "members" in data and data["members"] is not None:
        data["members"] = [account_ref(actor, name, "members", unit) for name in data["members"]]
    if "superior_id" in data:
        data["superior"] = agency_ref(actor, data.pop("superior_id"), "superior_id")
    return {k: v for k, v in data.items() if v is not None or k in ("head_account", "superior")}


@router.post("/agencies", response={201: AgencyOut, **error_responses()})
def agency_create(request, payload: AgencyIn):
    actor = actor_of(request)
    unit = unit_in_jurisdiction(actor, payload.unit, "unit")
    agency = services.agency_create(actor=actor, unit=unit, **_agency_kwargs(actor, payload, unit))
    return Status(201, selectors.agency_get(actor=actor, agency_id=agency.pk))


@router.get("/agencies/{int:agency_id}", response={200: AgencyOut, **error_responses(401, 404)})
def agency_get(request, agency_id: int):
    return selectors.agency_get(actor=actor_of(request), agency_id=agency_id)


@router.patch("/agencies/{int:agency_id}", response={200: AgencyOut, **error_responses()})
def agency_update(request, agency_id: int, payload: AgencyPatch):
    actor = actor_of(request)
    agency = selectors.agency_get(actor=actor, agency_id=agency_id)
    services.agency_update(actor=actor, agency=agency, **_agency_kwargs(actor, payload, agency.unit, unset=True))
    return selectors.agency_get(actor=actor, agency_id=agency_id)


@router.get("/agencies/{int:agency_id}/inbox", response={200: InboxOut, **error_responses(401, 404)})
def agency_inbox(request, agency_id: int):
    """What the agency owes and by when (most pressing first), what waits for verification, and
    what was closed lately."""
    actor = actor_of(request)
    agency = selectors.agency_get(actor=actor, agency_id=agency_id)
    box = selectors.inbox(actor=actor, agency=agency)
    return {"agency": agency, **{key: [task_body(r) for r in rows] for key, rows in box.items()}}


# --- Tasks --------------------------------------------------------------------------------------


@router.get("/tasks", response={200: Page[TaskOut], **error_responses(401, 404, 422)})
def task_list(request, filters: Query[TaskFilters]):
    """Tasks the actor may see; the committee's board as a list (most pressing first)."""
    actor = actor_of(request)
    wanted = selectors.TaskFilters(status=filters.status, agency_id=filters.agency, document_id=filters.document,
                                   unit=unit_in_jurisdiction(actor, filters.unit, "unit"),
                                   lateness=filters.lateness, search=filters.q)
    rows = [row for group in selectors.task_board(actor=actor, filters=wanted, group_by="lateness") for row in group.rows]
    return paginate(rows, filters, render=task_body)


@router.get("/tasks/{int:task_id}", response={200: TaskDetailOut, **error_responses(401, 404)})
def task_get(request, task_id: int):
    return task_detail(actor_of(request), task_id)


def _task(request, task_id: int):
    return selectors.task_get(actor=actor_of(request), task_id=task_id)


@router.post("/tasks/{int:task_id}/start", response={200: TaskDetailOut, **error_responses()})
def task_start(request, task_id: int):
    services.task_start(actor=actor_of(request), task=_task(request, task_id))
    return task_detail(actor_of(request), task_id)


@router.post("/tasks/{int:task_id}/reports", response={201: TaskDetailOut, **error_responses()})
def task_report(request, task_id: int, payload: ReportIn):
    """A progress report, or (done: true) the report that the task is done."""
    services.task_report(actor=actor_of(request), task=_task(request, task_id), text=payload.text,
                         done=payload.done, period=payload.period)
    return Status(201, task_detail(actor_of(request), task_id))


@router.post("/tasks/{int:task_id}/reports/upload", response={201: TaskDetailOut, **error_responses()})
def task_report_upload(request, task_id: int, text: Form[str], done: Form[bool] = False,
                       period: Form[str] = "", files: File[list[UploadedFile]] = None):
    """The same report as multipart/form-data, with files (PDF, DOCX, XLSX, JPG, PNG)."""
    import datetime as dt

    try:
        day = dt.date.fromisoformat(period) if period else None
    except ValueError as exc:
        raise InvalidInput(_("Ngày không hợp lệ."), field="period") from exc
    services.task_report(actor=actor_of(request), task=_task(request, task_id), text=text, done=done,
                         period=day, files=files or [])
    return Status(201, task_detail(actor_of(request), task_id))


@router.post("/tasks/{int:task_id}/verify", response={200: TaskDetailOut, **error_responses()})
def task_verify(request, task_id: int, payload: NoteIn):
    """The issuing committee accepts the report that the task is done."""
    services.task_verify(actor=actor_of(request), task=_task(request, task_id), note=payload.note)
    return task_detail(actor_of(request), task_id)


@router.post("/tasks/{int:task_id}/send-back", response={200: TaskDetailOut, **error_responses()})
def task_send_back(request, task_id: int, payload: ReasonIn):
    services.task_send_back(actor=actor_of(request), task=_task(request, task_id), reason=payload.reason)
    return task_detail(actor_of(request), task_id)


@router.post("/tasks/{int:task_id}/cancel", response={200: TaskDetailOut, **error_responses()})
def task_cancel(request, task_id: int, payload: ReasonIn):
    services.task_cancel(actor=actor_of(request), task=_task(request, task_id), reason=payload.reason)
    return task_detail(actor_of(request), task_id)


@router.post("/tasks/{int:task_id}/reschedule", response={200: TaskDetailOut, **error_responses()})
def task_reschedule(request, task_id: int, payload: RescheduleIn):
    services.task_reschedule(actor=actor_of(request), task=_task(request, task_id), deadline=payload.deadline,
                             reason=payload.reason)
    return task_detail(actor_of(request), task_id)


router.add_router("", inspections_router)
