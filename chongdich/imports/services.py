"""Writes for imports: starting a job from an uploaded file, settling its column mapping, and the
saved mappings. Running a job is chongdich.imports.runner.job_run (a task, or the command)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from chongdich.core.jurisdiction import covers
from chongdich.imports import domain, kinds, reading, selectors
from chongdich.imports.models import ColumnMapping, ImportJob, JobStatus

MAX_FILE_BYTES = getattr(settings, "IMPORT_MAX_BYTES", 200 * 1024 * 1024)
SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


def kind_get(name: str):
    """The kind named `name`, or 'invalid' on the `kind` field."""
    try:
        return kinds.get(name)
    except (KeyError, ImportError):
        raise InvalidInput(_("Không có loại dữ liệu này: %(kind)s") % {"kind": name},
                           field="kind") from None


def require_may_import(actor, kind) -> None:
    """The role must allow importing, and what the kind stores (e.g. registering people)."""
    for capability in ("import_data", getattr(kind, "capability", "")):
        if capability and not actor.can(capability):
            raise PermissionDenied(
                _("Vai trò của bạn không được phép nhập loại dữ liệu này (%(kind)s).")
                % {"kind": kind.label}
            )


def _location_keys(actor) -> dict:
    """A job lives where its actor's unit is: the unit and its ancestors."""
    unit = actor.unit
    if unit is None:
        return {}
    keys = {"province_id": unit.province_id, "district_id": unit.district_id}
    keys[f"{unit.level}_id"] = unit.pk
    return keys


def _hash(upload: File) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for block in upload.chunks():
        digest.update(block)
        size += len(block)
    upload.seek(0)
    return digest.hexdigest(), size


def _enqueue(job_id: int) -> None:
    from chongdich.imports.tasks import run_import

    result = run_import.enqueue(job_id)
    ImportJob.objects.filter(pk=job_id).update(task_result_id=str(result.id))


def _queue(job: ImportJob, background: bool) -> None:
    job.status = JobStatus.QUEUED
    if background:
        transaction.on_commit(lambda: _enqueue(job.pk))


def job_create(*, actor, kind: str, upload: File, name: str = "", mapping: ColumnMapping | None = None,
               columns: dict[str, str] | None = None, language: str = "",
               background: bool = True) -> ImportJob:
    """Store an uploaded file and decide its columns: the saved `mapping` or explicit `columns`
    if given, else a saved mapping of this kind that fits the file's headers, else the headers'
    own names. If required fields stay without a column — or, matching by name alone, a column of
    the file is left unexplained — the job waits for a mapping (status 'mapping'); otherwise it is
    queued, and with `background` a task runs it after the commit."""
    spec = kind_get(kind)
    require_may_import(actor, spec)
    name = os.path.basename(name or upload.name or "")
    if not name.lower().endswith(SUFFIXES):
        raise InvalidInput(_("Chỉ nhận tệp CSV hoặc Excel (.xlsx)."), field="file")
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise InvalidInput(_("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": MAX_FILE_BYTES >> 20},
                           field="file")
    if mapping is not None and mapping.kind != spec.name:
        raise InvalidInput(_("Cách ghép cột này dành cho loại dữ liệu khác."), field="mapping")
    sha256, size = _hash(upload)
    if size == 0:
        raise InvalidInput(_("Tệp trống."), field="file")
    job = ImportJob(
        kind=spec.name, original_name=name[:255], sha256=sha256, size=size, mapping=mapping,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        status=JobStatus.MAPPING, created_by=actor, created_at=clock.now(), **_location_keys(actor),
    )
    job.file.save(name, upload, save=False)
    try:
        table = reading.Table(job.file.path, name, fields=spec.fields)
    except DomainError:
        job.file.delete(save=False)
        raise
    job.headers, job.header_row = table.headers, table.header_row
    confirmed = mapping is not None or columns is not None
    if mapping is None and columns is None:
        saved = selectors.mapping_candidates(actor=actor, kind=spec.name)
        if picked := domain.pick_saved_mapping(spec.fields, table.headers, saved):
            job.mapping = mapping = ColumnMapping.objects.get(pk=picked)
            confirmed = True
    if mapping is not None:
        columns = mapping.columns
    check = domain.check_mapping(
        spec.fields, table.headers,
        columns if columns is not None else domain.match_headers(spec.fields, table.headers))
    job.columns = check.columns
    with transaction.atomic():
        if check.complete and (confirmed or check.certain):
            _queue(job, background)
        job.save()
    return job


def job_create_from_path(*, actor, kind: str, path: str | Path, **options) -> ImportJob:
    """The same for a file on disk (the command line): the file is copied under MEDIA_ROOT."""
    path = Path(path)
    with open(path, "rb") as f:
        return job_create(actor=actor, kind=kind, upload=File(f, name=path.name), name=path.name,
                          **options)


def _clean_columns(spec, columns: dict[str, str]) -> dict[str, str]:
    known = {f.name for f in spec.fields}
    cleaned = {k: (v or "").strip() for k, v in columns.items() if (v or "").strip()}
    if unknown := sorted(set(cleaned) - known):
        raise InvalidInput(_("Không có trường: %(fields)s") % {"fields": ", ".join(unknown)},
                           field="columns")
    seen: dict[str, str] = {}
    for field, header in cleaned.items():
        key = domain.header_key(header)
        if key in seen:
            raise InvalidInput(_("Cột “%(header)s” được chọn cho hai trường.") % {"header": header},
                               field=field)
        seen[key] = field
    return cleaned


@transaction.atomic
def job_set_mapping(*, actor, job: ImportJob, columns: dict[str, str], save_as: str = "",
                    background: bool = True) -> ImportJob:
    """Settle the columns of a job waiting for them, optionally saving them for the source
    (`save_as`, e.g. "CDC Vĩnh Phúc — danh sách F0"), and queue it."""
    spec = kind_get(job.kind)
    require_may_import(actor, spec)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.MAPPING:
        raise Conflict(_("Lần nhập này đã bắt đầu; không đổi cách ghép cột được nữa."))
    cleaned = _clean_columns(spec, columns)
    check = domain.check_mapping(spec.fields, job.headers, cleaned)
    if check.absent:
        raise InvalidInput(_("Tệp không có cột “%(header)s”.") % {"header": check.absent[0]},
                           field="columns")
    if check.missing:
        labels = {f.name: str(f.label) for f in spec.fields}
        raise InvalidInput(
            _("Chưa chọn cột cho: %(fields)s") % {"fields": ", ".join(labels[m] for m in check.missing)},
            field=check.missing[0],
        )
    if save_as.strip():
        job.mapping = mapping_create(actor=actor, name=save_as, kind=job.kind, columns=check.columns)
    job.columns = check.columns
    _queue(job, background)
    job.save(update_fields=["columns", "mapping", "status", "updated_at"])
    return job


# --- Restarting a job that stopped ----------------------------------------------------------

# A running job moves its counters after every chunk (seconds apart); one that has not moved for
# this long lost its worker (killed, machine restarted) and will never finish by itself.
STALLED_AFTER = dt.timedelta(minutes=15)


def job_is_stalled(job: ImportJob) -> bool:
    return job.status == JobStatus.RUNNING and job.updated_at < clock.now() - STALLED_AFTER


def job_may_restart(job: ImportJob) -> bool:
    return job.status == JobStatus.FAILED or job_is_stalled(job)


@transaction.atomic
def job_restart(*, actor, job: ImportJob, background: bool = True) -> ImportJob:
    """Run a failed or stalled job again from its first row. Nothing is stored twice: the kinds
    find what the first run stored by its natural key and count it as already there."""
    require_may_import(actor, kind_get(job.kind))
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not job_may_restart(job):
        raise Conflict(_("Chỉ chạy lại được lần nhập thất bại, hoặc đang nhập mà không tiến triển "
                         "trong %(minutes)s phút.") % {"minutes": int(STALLED_AFTER.total_seconds() // 60)})
    job.row_errors.all().delete()
    job.processed_rows = job.created_count = job.updated_count = job.duplicate_count = job.error_count = 0
    job.total_rows, job.summary, job.started_at, job.finished_at = None, "", None, None
    _queue(job, background)
    job.save()
    return job


# --- Saved column mappings ------------------------------------------------------------------


def _require_mapping_write(actor, unit) -> None:
    if not actor.can("import_data"):
        raise PermissionDenied(_("Vai trò của bạn không được phép sửa cách ghép cột."))
    owner_is_national = unit is None and (actor.is_superuser or actor.is_national)
    if not owner_is_national and not covers(actor, unit):
        raise PermissionDenied(_("Cách ghép cột này thuộc đơn vị khác; bạn chỉ được dùng nó."))


def may_change_mapping(actor, mapping: ColumnMapping) -> bool:
    """Whether the pages should offer to change or delete `mapping`."""
    try:
        _require_mapping_write(actor, mapping.unit)
    except PermissionDenied:
        return False
    return True


def _mapping_values(kind: str, name: str, columns: dict[str, str]) -> tuple[str, dict]:
    spec = kind_get(kind)
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(_("Cần đặt tên cho cách ghép cột (ví dụ tên nguồn gửi tệp)."),
                           field="name")
    cleaned = _clean_columns(spec, columns)
    if not cleaned:
        raise InvalidInput(_("Chưa ghép cột nào."), field="columns")
    return name[:150], cleaned


def _save_mapping(mapping: ColumnMapping) -> ColumnMapping:
    try:
        with transaction.atomic():
            mapping.save()
    except IntegrityError as exc:
        raise Conflict(_("Đơn vị đã có cách ghép cột cùng tên cho loại dữ liệu này."),
                       field="name") from exc
    return mapping


@transaction.atomic
def mapping_create(*, actor, name: str, kind: str, columns: dict[str, str]) -> ColumnMapping:
    """A mapping owned by the actor's unit (national accounts: a national mapping)."""
    _require_mapping_write(actor, actor.unit)
    name, cleaned = _mapping_values(kind, name, columns)
    return _save_mapping(ColumnMapping(name=name, kind=kind, columns=cleaned, unit=actor.unit,
                                       created_by=actor))


@transaction.atomic
def mapping_update(*, actor, mapping: ColumnMapping, name: str | None = None,
                   columns: dict[str, str] | None = None) -> ColumnMapping:
    _require_mapping_write(actor, mapping.unit)
    name, cleaned = _mapping_values(mapping.kind, mapping.name if name is None else name,
                                    mapping.columns if columns is None else columns)
    mapping.name, mapping.columns = name, cleaned
    return _save_mapping(mapping)


@transaction.atomic
def mapping_delete(*, actor, mapping: ColumnMapping) -> None:
    """Jobs that used it keep their own copy of the columns."""
    _require_mapping_write(actor, mapping.unit)
    mapping.delete()
