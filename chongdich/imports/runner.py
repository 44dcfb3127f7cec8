"""Running an import job: read the file in chunks, let the kind store each chunk in a transaction,
keep every row's fate (errors with the row as it was), count as it goes.

- A job runs once at a time: it is claimed by a conditional UPDATE (queued → running); a second
  worker, or the command run twice, finds nothing to claim.
- A chunk that raises unexpectedly is rolled back and retried row by row, each row in a savepoint,
  so only the guilty rows become errors and nothing is lost.
- Rows a kind defers (they refer to a row further down the file) are handed back after the whole
  file has been read, as long as that settles more of them, then to the kind's `settle`.
- The counters and the row errors of a chunk commit with the chunk itself, so what the progress
  bar shows is always what is stored.
- A kind may take a whole CSV file at once (`process_file`, on PostgreSQL: set-based, one
  transaction); if it declines, or fails (nothing of it is kept), the file goes chunk by chunk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.errors import DomainError
from chongdich.imports import domain, kinds, reading
from chongdich.imports.domain import RowOutcome
from chongdich.imports.models import ImportJob, ImportRowError, JobStatus

logger = logging.getLogger(__name__)

T = TypeVar("T")
Progress = Callable[[ImportJob], None]
RawRow = tuple[int, list[str]]
COUNTERS = {"created": "created_count", "updated": "updated_count",
            "duplicate": "duplicate_count", "error": "error_count"}


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def job_run(job_id: int, *, progress: Progress | None = None) -> ImportJob:
    """Run a queued job to the end (done or failed); a job not queued is left as it is.
    `progress` is called with the job after each chunk (the command's progress bar)."""
    now = clock.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, updated_at=now)
    job = ImportJob.objects.select_related("created_by", "created_by__unit").get(pk=job_id)
    if not claimed:
        return job
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            _Run(job, progress).run()
        except Exception as exc:  # the job must end, whatever happened: say so on its page
            logger.exception("import job %s failed", job_id)
            reason = exc.message if isinstance(exc, DomainError) else type(exc).__name__
            _finish(job, JobStatus.FAILED,
                    _("Lần nhập dừng giữa chừng vì lỗi: %(error)s. Các dòng đã đếm ở trên đã được "
                      "ghi; tải lại tệp để nhập tiếp (các dòng đã có sẽ được báo là trùng).")
                    % {"error": reason})
    job.refresh_from_db()
    return job


def _finish(job: ImportJob, status: str, summary: str) -> None:
    now = clock.now()
    ImportJob.objects.filter(pk=job.pk).update(status=status, summary=summary, finished_at=now,
                                               updated_at=now)


def summary_text(job: ImportJob) -> str:
    return _("Đã xử lý %(total)s dòng: %(created)s mới, %(updated)s cập nhật, %(duplicate)s đã có "
             "(trùng), %(error)s lỗi.") % {
        "total": job.processed_rows, "created": job.created_count, "updated": job.updated_count,
        "duplicate": job.duplicate_count, "error": job.error_count,
    }


class _Run:
    def __init__(self, job: ImportJob, progress: Progress | None):
        self.job, self.progress = job, progress
        self.kind = kinds.get(job.kind)
        self.actor = job.created_by
        self.positions = domain.column_positions(job.headers, job.columns)
        self.size = max(1, int(self.kind.chunk_size))

    def run(self) -> None:
        table = reading.Table(self.job.file.path, self.job.original_name,
                              header_row=self.job.header_row)
        if self._whole_file(table):
            self.job.refresh_from_db()
            _finish(self.job, JobStatus.DONE, summary_text(self.job))
            return
        self.job.total_rows = table.count()
        ImportJob.objects.filter(pk=self.job.pk).update(total_rows=self.job.total_rows,
                                                        updated_at=clock.now())
        self._tick()
        deferred: list[RawRow] = []
        for chunk in batched(table.rows(), self.size):
            deferred += self._chunk(chunk, self.kind.process)
        while deferred:
            waiting = len(deferred)
            deferred = [row for chunk in batched(deferred, self.size)
                        for row in self._chunk(chunk, self.kind.process)]
            if len(deferred) == waiting:  # no progress: give the kind the last word
                settle = getattr(self.kind, "settle", None) or _unsettled
                for chunk in batched(deferred, self.size):
                    self._chunk(chunk, settle, final=True)
                break
        self.job.refresh_from_db()
        _finish(self.job, JobStatus.DONE, summary_text(self.job))

    def _whole_file(self, table: reading.Table) -> bool:
        """Let the kind take the whole file at once (`process_file`: set-based in PostgreSQL)
        when it can; if that fails, nothing of it is kept and the file goes chunk by chunk."""
        process_file = getattr(self.kind, "process_file", None)
        if process_file is None or connection.vendor != "postgresql" or table.xlsx:
            return False
        try:
            return process_file(actor=self.actor, job=self.job, path=table.path, layout=table,
                                progress=self._tick)
        except Exception:
            logger.warning("import job %s: the whole-file path failed, going chunk by chunk",
                           self.job.pk, exc_info=True)
            self.job.refresh_from_db()
            return False

    def _tick(self) -> None:
        if self.progress is not None:
            self.progress(self.job)

    # --- one chunk ----------------------------------------------------------------------------

    def _chunk(self, rows: Sequence[RawRow], call, *, final: bool = False) -> list[RawRow]:
        """Process and record `rows`; return the rows deferred again."""
        field_rows = [(n, domain.row_fields(cells, self.positions)) for n, cells in rows]
        try:
            with transaction.atomic():
                outcomes = self._checked(call(actor=self.actor, rows=field_rows, job=self.job),
                                         [n for n, _cells in rows], final)
                deferred = self._record(outcomes, rows)
        except Exception:
            logger.warning("import job %s: a chunk failed, retrying row by row", self.job.pk,
                           exc_info=True)
            with transaction.atomic():
                outcomes = [self._one(call, n, fields, final) for n, fields in field_rows]
                deferred = self._record(outcomes, rows)
        self._tick()
        return deferred

    def _one(self, call, number: int, fields: dict[str, str], final: bool) -> RowOutcome:
        try:
            with transaction.atomic():
                return self._checked(call(actor=self.actor, rows=[(number, fields)], job=self.job),
                                     [number], final)[0]
        except DomainError as exc:
            column = exc.field if exc.field in fields else ""
            return RowOutcome(number, "error", column=column or "", value=fields.get(column, ""),
                              reason=exc.message)
        except Exception as exc:
            logger.exception("import job %s: row %s failed", self.job.pk, number)
            return RowOutcome(number, "error", reason=_(
                "Lỗi hệ thống khi ghi dòng này (%(error)s); dòng chưa được nhập. Hãy báo quản trị "
                "viên.") % {"error": type(exc).__name__})

    def _checked(self, outcomes: Sequence[RowOutcome], numbers: list[int],
                 final: bool) -> list[RowOutcome]:
        """One outcome per row, nothing but known statuses; no 'deferred' on the last pass."""
        settled = domain.one_outcome_per_row(
            numbers, outcomes, _("Dòng này không được xử lý (lỗi chương trình nhập)."))
        checked = []
        for outcome in settled:
            if outcome.status == "deferred" and final:
                outcome = RowOutcome(outcome.row, "error", column=outcome.column,
                                     value=outcome.value,
                                     reason=outcome.reason or _("Dòng này tham chiếu tới dữ liệu "
                                                                "không có trong tệp hay hệ thống."))
            elif outcome.status not in domain.SETTLED and outcome.status != "deferred":
                outcome = RowOutcome(outcome.row, "error",
                                     reason=_("Dòng này không được xử lý (lỗi chương trình nhập)."))
            checked.append(outcome)
        return checked

    def _record(self, outcomes: list[RowOutcome], rows: Sequence[RawRow]) -> list[RawRow]:
        cells_of = dict(rows)
        tally = domain.Tally()
        errors: list[ImportRowError] = []
        deferred: list[RawRow] = []
        for outcome in outcomes:
            if outcome.status == "deferred":
                deferred.append((outcome.row, cells_of[outcome.row]))
                continue
            tally.add(outcome.status)
            if outcome.status == "error":
                errors.append(ImportRowError(
                    job=self.job, row=outcome.row, column=outcome.column[:40],
                    header=self.job.columns.get(outcome.column, "")[:255],
                    value=outcome.value or "", reason=outcome.reason or _("Lỗi không rõ."),
                    values=cells_of[outcome.row],
                ))
        ImportRowError.objects.bulk_create(errors, batch_size=1000)
        if tally.processed:
            changes = {"processed_rows": tally.processed}
            changes |= {COUNTERS[s]: getattr(tally, s) for s in COUNTERS if getattr(tally, s)}
            ImportJob.objects.filter(pk=self.job.pk).update(
                updated_at=clock.now(), **{k: F(k) + v for k, v in changes.items()})
            for key, value in changes.items():
                setattr(self.job, key, getattr(self.job, key) + value)
        return deferred


def _unsettled(*, actor, rows, job) -> list[RowOutcome]:
    """For a kind that defers rows but has no `settle`: they could not be resolved."""
    return [RowOutcome(n, "error", reason=_("Dòng này tham chiếu tới dữ liệu không có trong tệp "
                                            "hay hệ thống.")) for n, _fields in rows]
