"""Import pages: upload a file, map its columns when they are not clear, watch the job's progress
(htmx polls the progress panel every second while the job runs), download the error report;
recent jobs of the actor's area; saved column mappings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core.errors import DomainError
from chongdich.core.web import add_domain_error, or_404, paginate, query_without_page, template_for
from chongdich.imports import domain, kinds, report, selectors, services
from chongdich.imports.forms import MappingForm, UploadForm, kinds_for
from chongdich.imports.models import JobStatus

PER_PAGE = 30
ERRORS_SHOWN = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kind_labels() -> dict[str, str]:
    return {k.name: k.label for k in kinds.available()}


@login_required
def job_list_view(request):
    actor = request.user
    page, capped = paginate(request, selectors.job_list(actor=actor), per_page=PER_PAGE)
    labels = _kind_labels()
    for job in page:
        job.kind_label = labels.get(job.kind, job.kind)
    context = {"page": page, "capped": capped, "query": query_without_page(request),
               "can_import": bool(kinds_for(actor))}
    return render(request, "imports/job_list.html", context)


@login_required
def job_new(request):
    actor = request.user
    form = UploadForm(request.POST or None, request.FILES or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.job_create(
                actor=actor, kind=form.cleaned_data["kind"], upload=upload, name=upload.name,
                mapping=form.cleaned_data["mapping"], language=request.LANGUAGE_CODE,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("imports:detail", pk=job.pk)
    context = {"form": form, "can_import": bool(kinds_for(actor))}
    return render(request, "imports/job_new.html", context)


def _job_context(request, job, mapping_form=None) -> dict:
    context = {"job": job, "kind_label": _kind_labels().get(job.kind, job.kind),
               "may_restart": services.job_may_restart(job)}
    if job.status == JobStatus.MAPPING:
        kind = kinds.get(job.kind)
        context["mapping_form"] = mapping_form or MappingForm(
            kind=kind, headers=job.headers, initial_columns=job.columns)
        check = domain.check_mapping(kind.fields, job.headers, job.columns)
        context["unknown_headers"] = check.unknown
    if job.status == JobStatus.DONE and job.error_count:
        context["errors"] = selectors.row_error_list(job=job)[:ERRORS_SHOWN]
    return context


@login_required
def job_detail(request, pk: int):
    """The job page; for htmx (the progress panel polling itself) only that panel."""
    job = or_404(selectors.job_detail, actor=request.user, job_id=pk)
    return render(request, template_for(request, "imports/job_detail.html", "progress"),
                  _job_context(request, job))


@login_required
@require_POST
def job_restart(request, pk: int):
    job = or_404(selectors.job_detail, actor=request.user, job_id=pk)
    try:
        services.job_restart(actor=request.user, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã cho chạy lại lần nhập từ dòng đầu; các dòng đã ghi sẽ được báo là đã có."))
    return redirect("imports:detail", pk=job.pk)


@login_required
@require_POST
def job_mapping(request, pk: int):
    actor = request.user
    job = or_404(selectors.job_detail, actor=actor, job_id=pk)
    kind = kinds.get(job.kind)
    form = MappingForm(request.POST, kind=kind, headers=job.headers, initial_columns=job.columns)
    if form.is_valid():
        try:
            services.job_set_mapping(actor=actor, job=job, columns=form.columns(),
                                     save_as=form.cleaned_data["save_as"])
        except DomainError as exc:
            add_domain_error(form, exc, {s.name: f"col_{s.name}" for s in kind.fields})
        else:
            messages.success(request, _("Đã ghép cột; tệp đang được nhập."))
            return redirect("imports:detail", pk=job.pk)
    return render(request, "imports/job_detail.html", _job_context(request, job, form))


@login_required
def errors_csv(request, pk: int):
    job = or_404(selectors.job_get, actor=request.user, job_id=pk)
    response = StreamingHttpResponse(report.csv_chunks(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="loi-nhap-{job.pk}.csv"'
    return response


@login_required
def errors_xlsx(request, pk: int):
    job = or_404(selectors.job_get, actor=request.user, job_id=pk)
    response = HttpResponse(report.xlsx_bytes(job), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="loi-nhap-{job.pk}.xlsx"'
    return response


@login_required
def mapping_list_view(request):
    actor = request.user
    mappings = list(selectors.mapping_list(actor=actor))
    labels = _kind_labels()
    fields = {k.name: {f.name: f.label for f in k.fields} for k in kinds.available()}
    for mapping in mappings:
        mapping.kind_label = labels.get(mapping.kind, mapping.kind)
        names = fields.get(mapping.kind, {})
        mapping.pairs = [(names.get(f, f), h) for f, h in mapping.columns.items()]
        mapping.can_delete = services.may_change_mapping(actor, mapping)
    return render(request, "imports/mapping_list.html", {"mappings": mappings})


@login_required
@require_POST
def mapping_delete(request, pk: int):
    actor = request.user
    mapping = or_404(selectors.mapping_get, actor=actor, mapping_id=pk)
    try:
        services.mapping_delete(actor=actor, mapping=mapping)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xoá cách ghép cột “%(name)s”.") % {"name": mapping.name})
    return redirect("imports:mappings")
