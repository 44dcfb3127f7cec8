"""/api/imports: upload a CSV/XLSX file (multipart), follow its progress, settle its column
mapping, read its row errors (JSON, CSV or XLSX), and keep column mappings per source. The same
services and access checks as the pages: a job of another unit is 'not found'."""

from __future__ import annotations

import json

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from chongdich.core.api_support import Page, PageIn, actor_of, error_responses, paginate, resolve
from chongdich.core.errors import InvalidInput
from chongdich.imports import kinds, report, selectors, services
from chongdich.imports.models import ColumnMapping, ImportJob
from chongdich.imports.schemas import (
    JobFilters,
    JobOut,
    KindOut,
    MappingIn,
    MappingOut,
    MappingPatch,
    MappingSetIn,
    RowErrorOut,
)

router = Router(tags=["imports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def job_body(job: ImportJob) -> dict:
    return {
        **{f: getattr(job, f) for f in (
            "id", "kind", "original_name", "sha256", "size", "status", "total_rows",
            "processed_rows", "percent", "created_count", "updated_count", "duplicate_count",
            "error_count", "summary", "headers", "columns", "mapping_id", "created_at",
            "started_at", "finished_at")},
        "status_label": job.get_status_display(),
        "missing": getattr(job, "missing", []),
        "same_file_before": getattr(job, "same_file_before", None),
        "created_by": job.created_by.username,
    }


def mapping_body(mapping: ColumnMapping) -> dict:
    return {
        "id": mapping.pk, "name": mapping.name, "kind": mapping.kind, "columns": mapping.columns,
        "unit": mapping.unit.code if mapping.unit_id else None,
        "unit_name": mapping.unit.name_with_type if mapping.unit_id else "",
        "created_at": mapping.created_at, "updated_at": mapping.updated_at,
    }


def _detail(actor, job_id: int) -> dict:
    return job_body(selectors.job_detail(actor=actor, job_id=job_id))


# --- Kinds and jobs ---------------------------------------------------------------------------


@router.get("/kinds", response={200: list[KindOut], **error_responses(401)})
def kind_list(request):
    """The kinds of file the importer takes, with their fields (for building a mapping)."""
    return [
        {"name": k.name, "label": str(k.label),
         "fields": [{"name": f.name, "label": str(f.label), "required": f.required,
                     "help": str(f.help)} for f in k.fields]}
        for k in kinds.available()
    ]


@router.get("", response={200: Page[JobOut], **error_responses(401, 422)})
def job_list(request, filters: Query[JobFilters]):
    """Imports started in the actor's unit and below, newest first."""
    jobs = selectors.job_list(actor=actor_of(request), kind=filters.kind)
    return paginate(jobs, filters, render=job_body)


@router.post("", response={201: JobOut, **error_responses()})
def job_start(request, kind: Form[str], file: File[UploadedFile],
              mapping_id: Form[int | None] = None, columns: Form[str] = ""):
    """Upload a file (multipart: `kind`, `file`, optionally `mapping_id` of a saved mapping or
    `columns` as JSON {field: header}). The job is queued and runs in the background when its
    columns are clear (status `queued`); otherwise it waits for POST …/mapping (status `mapping`,
    with `headers` and `missing`)."""
    actor = actor_of(request)
    mapping = None
    if mapping_id is not None:
        mapping = resolve("mapping_id", selectors.mapping_get, actor=actor, mapping_id=mapping_id)
    wanted = None
    if columns.strip():
        try:
            wanted = json.loads(columns)
        except ValueError:
            wanted = None
        if not isinstance(wanted, dict):
            raise InvalidInput(_("`columns` phải là JSON dạng {trường: cột}."), field="columns")
    job = services.job_create(actor=actor, kind=kind, upload=file, name=file.name,
                              mapping=mapping, columns=wanted)
    return Status(201, _detail(actor, job.pk))


@router.get("/{int:job_id}", response={200: JobOut, **error_responses(401, 404)})
def job_get(request, job_id: int):
    """Status and progress (poll it while `status` is queued or running)."""
    return _detail(actor_of(request), job_id)


@router.post("/{int:job_id}/mapping", response={200: JobOut, **error_responses()})
def job_set_mapping(request, job_id: int, payload: MappingSetIn):
    """Settle the columns of a job waiting for them; it is then queued."""
    actor = actor_of(request)
    job = selectors.job_get(actor=actor, job_id=job_id)
    services.job_set_mapping(actor=actor, job=job, columns=payload.columns, save_as=payload.save_as)
    return _detail(actor, job_id)


@router.get("/{int:job_id}/errors", response={200: Page[RowErrorOut], **error_responses(401, 404, 422)})
def job_errors(request, job_id: int, page: Query[PageIn]):
    """The rows that did not land, with the column, value and reason, and the row as it was."""
    job = selectors.job_get(actor=actor_of(request), job_id=job_id)
    return paginate(selectors.row_error_list(job=job), page)


@router.get("/{int:job_id}/errors.csv", response={200: None, **error_responses(401, 404)})
def job_errors_csv(request, job_id: int):
    """The error report as CSV (UTF-8 with BOM)."""
    job = selectors.job_get(actor=actor_of(request), job_id=job_id)
    response = StreamingHttpResponse(report.csv_chunks(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="loi-nhap-{job.pk}.csv"'
    return response


@router.get("/{int:job_id}/errors.xlsx", response={200: None, **error_responses(401, 404)})
def job_errors_xlsx(request, job_id: int):
    """The error report as an Excel workbook."""
    job = selectors.job_get(actor=actor_of(request), job_id=job_id)
    response = HttpResponse(report.xlsx_bytes(job), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="loi-nhap-{job.pk}.xlsx"'
    return response


# --- Saved column mappings ----------------------------------------------------------------------


@router.get("/mappings", response={200: list[MappingOut], **error_responses(401)})
def mapping_list(request, kind: str = ""):
    """Mappings of the actor's unit, the units above and below it, and national ones."""
    return [mapping_body(m) for m in selectors.mapping_list(actor=actor_of(request), kind=kind)]


@router.post("/mappings", response={201: MappingOut, **error_responses()})
def mapping_create(request, payload: MappingIn):
    actor = actor_of(request)
    mapping = services.mapping_create(actor=actor, name=payload.name, kind=payload.kind,
                                      columns=payload.columns)
    return Status(201, mapping_body(selectors.mapping_get(actor=actor, mapping_id=mapping.pk)))


@router.get("/mappings/{int:mapping_id}", response={200: MappingOut, **error_responses(401, 404)})
def mapping_get(request, mapping_id: int):
    return mapping_body(selectors.mapping_get(actor=actor_of(request), mapping_id=mapping_id))


@router.patch("/mappings/{int:mapping_id}", response={200: MappingOut, **error_responses()})
def mapping_update(request, mapping_id: int, payload: MappingPatch):
    actor = actor_of(request)
    mapping = selectors.mapping_get(actor=actor, mapping_id=mapping_id)
    services.mapping_update(actor=actor, mapping=mapping, **payload.model_dump(exclude_unset=True))
    return mapping_body(selectors.mapping_get(actor=actor, mapping_id=mapping_id))


@router.delete("/mappings/{int:mapping_id}", response={204: None, **error_responses(401, 403, 404)})
def mapping_delete(request, mapping_id: int):
    actor = actor_of(request)
    services.mapping_delete(actor=actor,
                            mapping=selectors.mapping_get(actor=actor, mapping_id=mapping_id))
    return Status(204, None)
