"""Reading CSV and XLSX files into rows of text cells, streaming (a file may hold a million rows).

CSV: the encoding is UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), or
else a Windows code page — Windows-1258 when the bytes that only Vietnamese uses in it appear,
Windows-1252 otherwise. The delimiter (comma, semicolon or tab) is sniffed from the first lines.
XLSX: the first sheet, read-only; date cells arrive as dates.

Rows are numbered as the user sees them in a spreadsheet: record n of a CSV, row n of a sheet,
blank rows included in the numbering but never returned. The header row is the first non-blank
row unless a later row among the first few names more of the kind's fields (files often open
with a title such as "DANH SÁCH CA BỆNH" above the header).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chongdich.core.errors import InvalidInput
from chongdich.imports.domain import FieldSpec, header_score

HEADER_SEARCH_ROWS = 15
SNIFF_BYTES = 64 * 1024
BLOCK = 1 << 20

# Bytes that Windows-1258 maps to Vietnamese letters or tone marks (Ă Đ Ơ Ư ă đ ơ ư ₫ and the
# combining grave, hook, tilde, acute, dot below). In Windows-1252 they are Ã Ð Õ Ý ã ð õ ý þ Ì Ò
# Þ ì ò — rare together in Western text, everywhere in Vietnamese.
VIETNAMESE_1258 = frozenset(b"\xc3\xd0\xd5\xdd\xe3\xf0\xf5\xfd\xfe\xcc\xd2\xde\xec\xf2")


class FileUnreadable(InvalidInput):
    default_message = gettext_noop("Không đọc được tệp.")


@dataclass(frozen=True)
class CsvDialect:
    encoding: str
    delimiter: str


def _normal(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _normal(value).strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def detect_encoding(path: Path) -> str:
    with open(path, "rb") as f:
        head = f.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        high: set[int] = set()
        valid = True
        while block := f.read(BLOCK):
            if valid:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    valid = False
            if not valid:
                high.update(b for b in block if b >= 0x80)
        if valid:
            try:
                decoder.decode(b"", final=True)
                return "utf-8"
            except UnicodeDecodeError:
                pass
    if not high:  # the invalid byte came before the whole file was scanned for high bytes
        high = {b for b in path.read_bytes() if b >= 0x80}
    return "cp1258" if high & VIETNAMESE_1258 else "cp1252"


def detect_dialect(path: Path) -> CsvDialect:
    encoding = detect_encoding(path)
    with open(path, encoding=encoding, newline="", errors="replace") as f:
        sample = f.read(SNIFF_BYTES)
    lines = [line for line in sample.splitlines() if line.strip()][:20]
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t").delimiter
    except csv.Error:
        first = lines[0] if lines else ""
        delimiter = max(",;\t", key=first.count) if first else ","
    return CsvDialect(encoding, delimiter)


def is_xlsx(path: Path, name: str) -> bool:
    if name.lower().endswith((".xlsx", ".xlsm")):
        return True
    with open(path, "rb") as f:
        return f.read(4) == b"PK\x03\x04"


class Table:
    """A file opened for reading. `headers` and `header_row` come from the first rows;
    `rows()` and `count()` read the file from the start each time."""

    def __init__(self, path: str | Path, name: str = "", *, fields: Sequence[FieldSpec] = (),
                 header_row: int | None = None):
        self.path = Path(path)
        self.name = name or self.path.name
        if self.name.lower().endswith(".xls"):
            raise FileUnreadable(_("Tệp .xls (Excel cũ) chưa đọc được: hãy lưu lại thành .xlsx "
                                   "hoặc CSV."), field="file")
        self.xlsx = is_xlsx(self.path, self.name)
        self.dialect = None if self.xlsx else detect_dialect(self.path)
        self.header_row, self.headers = self._find_header(fields, header_row)

    # --- records: (row number, cells), blank rows included -----------------------------------

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        if self.xlsx:
            yield from self._xlsx_records()
        else:
            yield from self._csv_records()

    def _csv_records(self) -> Iterator[tuple[int, list[str]]]:
        assert self.dialect is not None
        try:
            with open(self.path, encoding=self.dialect.encoding, newline="") as f:
                # NFC per line, not per cell: most lines are plain ASCII and cost one check.
                reader = csv.reader(map(_normal, f), delimiter=self.dialect.delimiter)
                for number, cells in enumerate(reader, start=1):
                    yield number, [c.strip() for c in cells]
        except (UnicodeDecodeError, csv.Error) as exc:
            raise FileUnreadable(_("Không đọc được tệp CSV: %(error)s") % {"error": exc},
                                 field="file") from exc

    def _xlsx_records(self) -> Iterator[tuple[int, list[str]]]:
        from openpyxl import load_workbook

        try:
            book = load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise FileUnreadable(_("Không mở được tệp Excel: %(error)s") % {"error": exc},
                                 field="file") from exc
        try:
            sheet = book.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_clean(v) for v in values]
                while cells and not cells[-1]:
                    cells.pop()
                yield number, cells
        finally:
            book.close()

    def _find_header(self, fields: Sequence[FieldSpec],
                     header_row: int | None) -> tuple[int, list[str]]:
        first: tuple[int, list[str]] | None = None
        best: tuple[int, int, list[str]] | None = None
        for number, cells in islice(self._records(), HEADER_SEARCH_ROWS):
            if header_row is not None:
                if number == header_row:
                    return number, cells
                continue
            if not any(cells):
                continue
            first = first or (number, cells)
            score = header_score(fields, cells) if fields else 0
            if score and (best is None or score > best[0]):
                best = (score, number, cells)
        if best is not None:
            return best[1], best[2]
        if first is None:
            raise FileUnreadable(_("Tệp không có dòng tiêu đề (tệp trống?)."), field="file")
        return first

    # --- data ---------------------------------------------------------------------------------

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Data rows after the header, blank rows skipped."""
        for number, cells in self._records():
            if number > self.header_row and any(cells):
                yield number, cells

    def _count_lines(self) -> int | None:
        assert self.dialect is not None
        return _count_lines_of(self.path, self.dialect.delimiter, self.header_row)

    def count(self) -> int:
        if self.xlsx:
            return sum(1 for _ in self.rows())
        assert self.dialect is not None
        if self.dialect.encoding != "utf-16" and (lines := self._count_lines()) is not None:
            return lines
        # Counting needs no cleaned cells: only whether a row past the header has any text.
        with open(self.path, encoding=self.dialect.encoding, newline="") as f:
            reader = csv.reader(f, delimiter=self.dialect.delimiter)
            return sum(1 for number, cells in enumerate(reader, start=1)
                       if number > self.header_row and any(c.strip() for c in cells))


def _count_lines_of(path: Path, delimiter: str, header_row: int) -> int | None:
    """Rows after the header counted on the raw bytes, several times faster than parsing them;
    None when a quote or a lone carriage return could make a line differ from a record."""
    blank = b" \t\r\n" + delimiter.encode()
    count = 0
    with open(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            if b'"' in line or (b"\r" in line and not line.endswith(b"\r\n")):
                return None
            if number > header_row and line.strip(blank):
                count += 1
    return count


def write_csv(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """A UTF-8 CSV with BOM (Excel opens Vietnamese right), for tests and reports."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
