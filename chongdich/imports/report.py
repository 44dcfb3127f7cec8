"""The error report of a job, as CSV or XLSX: for each row that did not land, its number, the
column at fault (the file's own header), the value, the reason — in the reader's language — and
then the row's original cells under the original headers. Fixing those cells and uploading the
report as it is imports the corrected rows (the four leading columns are ignored on upload)."""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

from chongdich.imports import kinds, selectors
from chongdich.imports.models import ImportJob


def headers(job: ImportJob) -> list[str]:
    return [_("Dòng"), _("Cột"), _("Giá trị"), _("Lý do"), *job.headers]


def _labels(job: ImportJob) -> dict[str, str]:
    try:
        return {f.name: str(f.label) for f in kinds.get(job.kind).fields}
    except (KeyError, ImportError):
        return {}


def rows(job: ImportJob) -> Iterator[list]:
    labels = _labels(job)
    width = len(job.headers)
    for error in selectors.row_error_list(job=job).iterator(chunk_size=2000):
        cells = [str(v) for v in error.values] + [""] * (width - len(error.values))
        column = error.header or labels.get(error.column, error.column)
        yield [error.row, column, error.value, error.reason, *cells]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(job: ImportJob) -> Iterator[bytes]:
    """UTF-8 with BOM, so Excel shows Vietnamese right; streamed, whatever the number of rows."""
    writer = csv.writer(_Echo())
    yield codecs.BOM_UTF8 + writer.writerow(headers(job)).encode("utf-8")
    batch: list[str] = []
    for row in rows(job):
        batch.append(writer.writerow(row))
        if len(batch) >= 1000:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def xlsx_bytes(job: ImportJob) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Lỗi"))
    bold = Font(bold=True)
    head = []
    for title in headers(job):
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for row in rows(job):
        sheet.append(row)  # text stays text: a CCCD or phone keeps its leading zero
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as out:
        book.save(out)
        out.seek(0)
        return out.read()


def read_csv(data: bytes) -> list[list[str]]:
    """A report read back (tests, and anyone checking a download)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
