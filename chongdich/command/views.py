"""Command pages: the committee's task board, documents (list, page, entering a document with its
tasks on one page) and their files. Tasks are in views_tasks, agencies in views_agencies,
inspections in views_inspections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, When
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.command import selectors, services
from chongdich.command.domain import Lateness
from chongdich.command.forms import BoardFilterForm, DocumentForm, TaskFormSet
from chongdich.command.models import Document, DocumentKind
from chongdich.core import clock
from chongdich.core.errors import DomainError, NotFound
from chongdich.core.jurisdiction import covers
from chongdich.core.web import add_domain_error, or_404, paginate, query_without_page, template_for
from chongdich.geography.models import AdminUnit
from chongdich.geography.selectors import unit_get, unit_picker


def units_for(actor) -> list[AdminUnit]:
    """The actor's unit and the units below it, in reading order (for pickers)."""
    own = [actor.unit] if actor.unit_id else []
    return own + unit_picker(actor=actor)


def units_queryset(actor, *, levels: tuple[str, ...] = ("province", "district", "commune")):
    """The actor's unit and those below it as a queryset, in reading order (for form fields)."""
    ordered = [u.pk for u in units_for(actor) if u.level in levels]
    position = Case(*[When(pk=pk, then=i) for i, pk in enumerate(ordered)], default=len(ordered))
    return AdminUnit.objects.filter(pk__in=ordered).order_by(position)


def recipient_units(actor):
    """Units a document is addressed to: the level just below the issuing committee's."""
    below = {"province": ("district",), "district": ("commune",)}.get(getattr(actor.unit, "level", ""), ())
    return units_queryset(actor, levels=below)


def can_issue(actor, unit) -> bool:
    return unit is not None and covers(actor, unit) and actor.can("issue_documents")


# --- The committee's board ---------------------------------------------------------------------


@login_required
def board(request):
    actor = request.user
    agencies = selectors.agency_list(actor=actor)
    form = BoardFilterForm(request.GET or None, agencies=agencies, units=units_for(actor))
    filters, group = selectors.TaskFilters(status="active"), "document"
    if form.is_valid():
        data = form.cleaned_data
        unit = None
        if data["unit"]:
            try:
                unit = unit_get(actor=actor, code=data["unit"])
            except NotFound as exc:
                form.add_error("unit", exc.message)
        group = data["group"] or "document"
        filters = selectors.TaskFilters(
            status=data["status"] or "active", agency_id=data["agency"].pk if data["agency"] else None,
            unit=unit, lateness=data["lateness"], search=data["q"],
        )
    groups = selectors.task_board(actor=actor, filters=filters, group_by=group)
    rows = [row for g in groups for row in g.rows]
    totals = {state.value: sum(r.lateness == state for r in rows) for state in Lateness}
    context = {"form": form, "groups": groups, "group_by": group, "totals": totals, "total": len(rows),
               "now": clock.now(), "can_issue": can_issue(actor, actor.unit)}
    return render(request, template_for(request, "command/board.html", "results"), context)


# --- Documents ----------------------------------------------------------------------------------


@login_required
def document_list_view(request):
    actor = request.user
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    kind = request.GET.get("kind", "")
    filters = selectors.DocumentFilters(
        kind=kind if kind in DocumentKind.values else "", year=year, search=request.GET.get("q", ""),
        in_force=request.GET.get("in_force") == "1",
    )
    page, capped = paginate(request, selectors.document_list(actor=actor, filters=filters), per_page=30)
    counts = selectors.task_counts(document_ids=[d.pk for d in page])
    for document in page:
        document.counts = counts.get(document.pk, {})
    context = {"page": page, "capped": capped, "query": query_without_page(request), "filters": filters,
               "kinds": DocumentKind.choices, "can_issue": can_issue(actor, actor.unit)}
    return render(request, template_for(request, "command/document_list.html", "results"), context)


def _document_form(actor, data=None, files=None, *, initial=None, with_files=True) -> DocumentForm:
    issuer = actor.unit
    return DocumentForm(
        data, files, initial=initial, with_files=with_files,
        agencies=selectors.agency_list(actor=actor),
        units=recipient_units(actor),
        documents=selectors.document_list(actor=actor) if issuer else Document.objects.none(),
    )


def _task_formset(actor, issuer, data=None):
    agencies = selectors.agencies_assignable(actor=actor, issuer=issuer) if issuer else selectors.agency_list(actor=actor).none()
    return TaskFormSet(data, prefix="tasks", agencies=agencies)


def _show_task_error(request, form, formset, rows: list[int], exc: DomainError) -> None:
    """A service error naming `tasks.<n>.<field>` goes on the row that task came from; any other
    on the document's form (or at the top of the page when there is none)."""
    parts = (exc.field or "").split(".")
    if len(parts) >= 2 and parts[0] == "tasks" and parts[1].isdigit() and int(parts[1]) < len(rows):
        row = formset.forms[rows[int(parts[1])]]
        add_domain_error(row, DomainError(exc.message, field=".".join(parts[2:]) or None),
                         {"agency": "agencies", "officer": "officer_name"})
    elif form is not None:
        add_domain_error(form, exc)
    else:
        messages.error(request, exc.message)


@login_required
def document_new(request):
    """Enter a document and the tasks it gives, on one page (a secretary types in a notice)."""
    actor = request.user
    issuer = actor.unit
    post = request.method == "POST"
    form = _document_form(actor, request.POST if post else None, request.FILES if post else None,
                          initial={"issuing_body": default_issuing_body(actor), "issued_on": clock.today()})
    formset = _task_formset(actor, issuer, request.POST if post else None)
    if post and can_issue(actor, issuer) and form.is_valid() and formset.is_valid():
        specs, rows = formset.specs()
        try:
            document = services.document_create(actor=actor, unit=issuer, tasks=specs,
                                                 files=form.cleaned_data["files"], **form.service_kwargs())
        except DomainError as exc:
            _show_task_error(request, form, formset, rows, exc)
        else:
            messages.success(request, _("Đã ghi %(ref)s và giao %(n)s nhiệm vụ.")
                             % {"ref": document.reference, "n": len(specs)})
            return redirect("command:document", pk=document.pk)
    context = {"form": form, "formset": formset, "can_issue": can_issue(actor, issuer),
               "issuing_bodies": selectors.issuing_bodies(actor=actor)}
    return render(request, "command/document_new.html", context)


def default_issuing_body(actor) -> str:
    if actor.unit is None:
        return ""
    return {"province": _("Ban Chỉ đạo phòng, chống dịch tỉnh"), "district": _("Ban Chỉ đạo phòng, chống dịch huyện"),
            "commune": _("Ban Chỉ đạo phòng, chống dịch xã")}[actor.unit.level]


@login_required
def document_detail(request, pk: int):
    actor = request.user
    document = or_404(selectors.document_get, actor=actor, document_id=pk)
    rows = selectors.task_rows(selectors.document_tasks(actor=actor, document=document))
    context = {
        "document": document, "rows": rows, "links": selectors.document_links(actor=actor, document=document),
        "attachments": list(document.attachments.all()),
        "recipient_agencies": list(document.recipient_agencies.select_related("unit")),
        "recipient_units": list(document.recipient_units.all()),
        "can_edit": can_issue(actor, document.unit),
        "upload_form": None,
    }
    return render(request, "command/document_detail.html", context)


@login_required
def document_edit(request, pk: int):
    actor = request.user
    document = or_404(selectors.document_get, actor=actor, document_id=pk)
    initial = {f: getattr(document, f) for f in ("kind", "number", "issuing_body", "issued_on", "title", "text",
                                                "signer", "recipients_text", "references_text", "effective_until")}
    initial |= {"recipient_agencies": list(document.recipient_agencies.all()),
                "recipient_units": list(document.recipient_units.all()),
                "follows_up": list(document.follows_up.all()), "replaces": list(document.replaces.all())}
    form = _document_form(actor, request.POST if request.method == "POST" else None, initial=initial,
                          with_files=False)
    form.fields["follows_up"].queryset = form.fields["follows_up"].queryset.exclude(pk=document.pk)
    form.fields["replaces"].queryset = form.fields["replaces"].queryset.exclude(pk=document.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(actor=actor, document=document, **form.service_kwargs())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã lưu văn bản."))
            return redirect("command:document", pk=document.pk)
    context = {"form": form, "document": document, "can_issue": can_issue(actor, document.unit),
               "issuing_bodies": selectors.issuing_bodies(actor=actor)}
    return render(request, "command/document_edit.html", context)


@login_required
def document_tasks_new(request, pk: int):
    """Give more tasks under a recorded document."""
    actor = request.user
    document = or_404(selectors.document_get, actor=actor, document_id=pk)
    formset = _task_formset(actor, document.unit, request.POST if request.method == "POST" else None)
    if request.method == "POST" and formset.is_valid():
        specs, rows = formset.specs()
        try:
            made = services.document_add_tasks(actor=actor, document=document, tasks=specs)
        except DomainError as exc:
            _show_task_error(request, None, formset, rows, exc)
        else:
            messages.success(request, _("Đã giao thêm %(n)s nhiệm vụ.") % {"n": len(made)})
            return redirect("command:document", pk=document.pk)
    context = {"document": document, "formset": formset, "can_issue": can_issue(actor, document.unit)}
    return render(request, "command/document_tasks_new.html", context)


@login_required
@require_POST
def document_files(request, pk: int):
    actor = request.user
    document = or_404(selectors.document_get, actor=actor, document_id=pk)
    try:
        stored = services.document_attach(actor=actor, document=document, files=request.FILES.getlist("files"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã đính kèm %(n)s tệp.") % {"n": len(stored)})
    return redirect("command:document", pk=document.pk)


@login_required
@require_POST
def attachment_delete(request, pk: int):
    actor = request.user
    attachment = or_404(selectors.attachment_get, actor=actor, attachment_id=pk)
    try:
        services.attachment_remove(actor=actor, attachment=attachment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xoá tệp %(name)s.") % {"name": attachment.name})
    if attachment.document_id:
        return redirect("command:document", pk=attachment.document_id)
    return redirect("command:board")


@login_required
def attachment_download(request, pk: int):
    """A file, only for those who may see what it is attached to (never public media)."""
    attachment = or_404(selectors.attachment_get, actor=request.user, attachment_id=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Tệp không còn trên máy chủ.")) from exc
    response = FileResponse(handle, as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
