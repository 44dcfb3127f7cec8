"""Writes for documents and their attached files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.command import domain
from chongdich.command.access import require_agency_visible
from chongdich.command.models import Agency, Attachment, Document, DocumentKind, unit_keys
from chongdich.core import clock
from chongdich.core.errors import Conflict, DomainError, InvalidInput, NotFound
from chongdich.core.jurisdiction import covers, require_visible, require_write, unit_within

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "COMMAND_MAX_UPLOAD_MB", 20)) * 2**20


def store_files(*, actor, files: Iterable, allowed: tuple[str, ...], **owner) -> list[Attachment]:
    """Check and store uploaded files for `owner` (document= or report=). Every file is checked
    before any is stored, so a bad one refuses the lot."""
    files = [f for f in files if f]
    checked = []
    for upload in files:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        ext = domain.check_file(name=upload.name, size=upload.size, head=head, allowed=allowed,
                                max_bytes=max_upload_bytes())
        checked.append((upload, ext))
    stored = []
    now = clock.now()
    for upload, ext in checked:
        attachment = Attachment(name=upload.name[-255:], size=upload.size, content_type=CONTENT_TYPES[ext],
                                uploaded_at=now, uploaded_by=actor, **owner)
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _check_fields(*, kind: str, title: str, issuing_body: str, issued_on: dt.date | None) -> None:
    if kind not in DocumentKind.values:
        raise InvalidInput(_("Loại văn bản không hợp lệ: %(value)s") % {"value": kind}, field="kind")
    if not title.strip():
        raise InvalidInput(_("Cần nhập trích yếu (tiêu đề) văn bản."), field="title")
    if not issuing_body:
        raise InvalidInput(_("Cần nhập cơ quan ban hành."), field="issuing_body")
    if issued_on is None:
        raise InvalidInput(_("Cần nhập ngày ban hành."), field="issued_on")
    if issued_on > clock.today():
        raise InvalidInput(_("Ngày ban hành ở tương lai."), field="issued_on")


def _check_number_free(unit, issuing_body: str, number: str, exclude: int | None = None) -> None:
    if not number:
        return
    taken = Document.objects.filter(unit=unit, issuing_body__iexact=issuing_body, number__iexact=number)
    if exclude:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise Conflict(
            _("%(body)s đã có văn bản số %(number)s.") % {"body": issuing_body, "number": number},
            field="number",
        )


def _check_links(actor, document: Document | None, linked: Sequence[Document], field: str) -> None:
    from chongdich.command.access import document_q

    ids = {d.pk for d in linked}
    if document is not None and document.pk in ids:
        raise InvalidInput(_("Văn bản không thể liên kết với chính nó."), field=field)
    if ids and Document.objects.filter(document_q(actor), pk__in=ids).count() != len(ids):
        raise NotFound(_("Không tìm thấy văn bản được liên kết."), field=field)


def _check_recipients(actor, unit, agencies: Sequence[Agency], units: Sequence) -> None:
    for agency in agencies:
        require_agency_visible(actor, agency, field="recipient_agencies")
    for recipient in units:
        if not covers(actor, recipient) and not unit_within(unit, recipient):
            raise NotFound(_("Không tìm thấy đơn vị nhận."), field="recipient_units")


@transaction.atomic
def document_create(
    *, actor, unit, kind: str, title: str, issuing_body: str, issued_on: dt.date, number: str = "",
    text: str = "", signer: str = "", recipients_text: str = "", references_text: str = "",
    effective_until: dt.date | None = None, recipient_agencies: Sequence[Agency] = (),
    recipient_units: Sequence = (), replaces: Sequence[Document] = (),
    follows_up: Sequence[Document] = (), tasks: Sequence = (), files: Iterable = (),
) -> Document:
    """Record a document issued by the committee of `unit`, with the tasks it gives (NewTask,
    see services.tasks) and its files, together or not at all."""
    from chongdich.command.services.tasks import task_assign

    require_write(actor, unit, "issue_documents")
    issuing_body, number = domain.normalise_name(issuing_body), domain.normalise_number(number)
    _check_fields(kind=kind, title=title, issuing_body=issuing_body, issued_on=issued_on)
    if effective_until and effective_until < issued_on:
        raise InvalidInput(_("Ngày hết hiệu lực phải sau ngày ban hành."), field="effective_until")
    _check_number_free(unit, issuing_body, number)
    _check_links(actor, None, replaces, "replaces")
    _check_links(actor, None, follows_up, "follows_up")
    _check_recipients(actor, unit, recipient_agencies, recipient_units)
    document = Document.objects.create(
        unit=unit, kind=kind, number=number, issuing_body=issuing_body, issued_on=issued_on,
        title=title.strip(), text=text.strip(), signer=signer.strip(), recipients_text=recipients_text.strip(),
        references_text=references_text.strip(), effective_until=effective_until, created_by=actor,
        **unit_keys(unit),
    )
    document.recipient_agencies.set(recipient_agencies)
    document.recipient_units.set(recipient_units)
    document.replaces.set(replaces)
    document.follows_up.set(follows_up)
    for order, spec in enumerate(tasks, start=1):
        try:
            task_assign(actor=actor, document=document, spec=spec, order=order)
        except DomainError as exc:  # name the task at fault: tasks.<index>.<field>
            raise type(exc)(exc.message, field=f"tasks.{order - 1}.{exc.field or 'description'}") from exc
    store_files(actor=actor, files=files, allowed=domain.DOCUMENT_FILES, document=document)
    return document


EDITABLE = {"kind", "number", "issuing_body", "issued_on", "title", "text", "signer", "recipients_text",
            "references_text", "effective_until", "recipient_agencies", "recipient_units", "replaces",
            "follows_up"}
RELATIONS = ("recipient_agencies", "recipient_units", "replaces", "follows_up")


@transaction.atomic
def document_update(*, actor, document: Document, **changes) -> Document:
    """Correct what was typed, or link the document to the ones it replaces or follows up."""
    require_write(actor, document.unit, "issue_documents")
    if unknown := set(changes) - EDITABLE:
        raise InvalidInput(_("Không sửa được: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "issuing_body" in changes:
        changes["issuing_body"] = domain.normalise_name(changes["issuing_body"])
    if "number" in changes:
        changes["number"] = domain.normalise_number(changes["number"])
    merged = {f: changes.get(f, getattr(document, f)) for f in ("kind", "title", "issuing_body", "issued_on")}
    _check_fields(**merged)
    _check_number_free(document.unit, merged["issuing_body"], changes.get("number", document.number),
                       exclude=document.pk)
    for field in ("replaces", "follows_up"):
        if field in changes:
            _check_links(actor, document, changes[field], field)
    _check_recipients(actor, document.unit, changes.get("recipient_agencies", ()), changes.get("recipient_units", ()))
    plain = {f: v.strip() if isinstance(v, str) else v for f, v in changes.items() if f not in RELATIONS}
    for field, value in plain.items():
        setattr(document, field, value)
    if plain:
        document.save(update_fields=list(plain))
    for field in RELATIONS:
        if field in changes:
            getattr(document, field).set(changes[field])
    return document


@transaction.atomic
def document_attach(*, actor, document: Document, files: Iterable) -> list[Attachment]:
    """Attach the document's PDF or DOCX files (the signed copy, appendices)."""
    require_write(actor, document.unit, "issue_documents")
    stored = store_files(actor=actor, files=files, allowed=domain.DOCUMENT_FILES, document=document)
    if not stored:
        raise InvalidInput(_("Chọn ít nhất một tệp."), field="files")
    return stored


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    """Remove a file attached to a document by mistake (reports' files stay: they are evidence)."""
    if attachment.document_id is None:
        raise Conflict(_("Tệp của báo cáo không xoá được."), field="files")
    require_visible(actor, attachment.document.unit)
    require_write(actor, attachment.document.unit, "issue_documents")
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def document_add_tasks(*, actor, document: Document, tasks: Sequence) -> list:
    """More tasks for a recorded document (NewTask each), together or not at all."""
    from chongdich.command.services.tasks import task_assign

    require_write(actor, document.unit, "issue_documents")
    if not tasks:
        raise InvalidInput(_("Chưa có nhiệm vụ nào."), field="tasks")
    made = []
    for index, spec in enumerate(tasks):
        try:
            made.append(task_assign(actor=actor, document=document, spec=spec))
        except DomainError as exc:
            raise type(exc)(exc.message, field=f"tasks.{index}.{exc.field or 'description'}") from exc
    return made
