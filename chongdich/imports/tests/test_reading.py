"""Reading CSV (encodings, delimiters) and XLSX files into numbered rows of text, no database."""

import codecs
import datetime as dt
import tempfile
import unicodedata
from pathlib import Path

from django.test import SimpleTestCase

from chongdich.imports.domain import FieldSpec
from chongdich.imports.reading import FileUnreadable, Table
from chongdich.imports.tests.helpers import xlsx_bytes

FIELDS = (FieldSpec("full_name", "Họ tên", required=True, aliases=("ho ten",)),
          FieldSpec("birth_year", "Năm sinh", aliases=("nam sinh",)))
TEXT = "Họ tên,Năm sinh\r\nNguyễn Văn Đức,1985\r\nTrần Thị Ơn,1990\r\n"
SHAPES = "\u0302\u0306\u031b"  # circumflex, breve, horn: letters of their own in Windows-1258


def cp1258(text: str) -> bytes:
    """What Windows saves in its Vietnamese code page: letters with their shape precomposed, the
    tone as a combining mark after them (ễ = ê + combining tilde)."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        shape = "".join(m for m in marks if m in SHAPES)
        tone = "".join(m for m in marks if m not in SHAPES)
        out += unicodedata.normalize("NFC", base + shape).encode("cp1258") + tone.encode("cp1258")
    return out


class FileTestCase(SimpleTestCase):
    def file(self, data: bytes, name: str = "tep.csv") -> Path:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        path = Path(folder.name) / name
        path.write_bytes(data)
        return path

    def table(self, data: bytes, name: str = "tep.csv") -> Table:
        return Table(self.file(data, name), name, fields=FIELDS)


class CsvEncodingTests(FileTestCase):
    def test_vietnamese_reads_right_in_every_encoding_a_spreadsheet_saves(self):
        table = [
            ("utf-8", TEXT.encode("utf-8")),
            ("utf-8 with BOM", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
            ("utf-16 (Excel unicode text)", TEXT.encode("utf-16")),
            ("windows-1258", cp1258(TEXT)),
        ]
        for label, data in table:
            with self.subTest(label):
                read = self.table(data)
                self.assertEqual(read.headers, ["Họ tên", "Năm sinh"])
                self.assertEqual(list(read.rows()), [(2, ["Nguyễn Văn Đức", "1985"]),
                                                     (3, ["Trần Thị Ơn", "1990"])])

    def test_a_western_windows_file_is_read_as_windows_1252(self):
        data = "Ho ten,Nam sinh\nJosé Müller,1970\n".encode("cp1252")
        read = self.table(data)
        self.assertEqual(read.dialect.encoding, "cp1252")
        self.assertEqual(list(read.rows())[0][1][0], "José Müller")


class CsvDelimiterTests(FileTestCase):
    def test_commas_semicolons_and_tabs_are_all_understood(self):
        for delimiter in (",", ";", "\t"):
            with self.subTest(delimiter=delimiter):
                data = f"Họ tên{delimiter}Năm sinh\nLê Văn An{delimiter}1980\n".encode()
                self.assertEqual(list(self.table(data).rows()), [(2, ["Lê Văn An", "1980"])])

    def test_a_quoted_cell_may_hold_the_delimiter(self):
        data = 'Họ tên;Năm sinh\n"Lê; Văn An";1980\n'.encode()
        self.assertEqual(list(self.table(data).rows()), [(2, ["Lê; Văn An", "1980"])])


class RowNumberTests(FileTestCase):
    def test_a_title_above_the_header_is_skipped_and_rows_keep_their_spreadsheet_numbers(self):
        data = "DANH SÁCH NGƯỜI VỀ TỪ VÙNG DỊCH,\n,\nHọ tên,Năm sinh\nAn,1980\n,\nBình,1990\n"
        read = self.table(data.encode())
        self.assertEqual((read.header_row, read.headers), (3, ["Họ tên", "Năm sinh"]))
        self.assertEqual(list(read.rows()), [(4, ["An", "1980"]), (6, ["Bình", "1990"])])
        self.assertEqual(read.count(), 2)

    def test_an_empty_file_is_refused(self):
        with self.assertRaises(FileUnreadable):
            self.table(b"\n\n")

    def test_an_old_xls_file_is_refused_with_a_way_out(self):
        with self.assertRaisesMessage(FileUnreadable, ".xlsx"):
            self.table(b"\xd0\xcf\x11\xe0", "tep.xls")


class XlsxTests(FileTestCase):
    def test_the_first_sheet_is_read_with_dates_as_dates_and_numbers_without_decimals(self):
        data = xlsx_bytes([
            ["Họ tên", "Năm sinh", "Ngày", "Nhiệt độ"],
            ["Nguyễn Văn Đức", 1985, dt.datetime(2021, 5, 20), 37.5],
            [None, None, None, None],
            ["Trần Ơn", 1990.0, dt.datetime(2021, 5, 21, 14, 30), None],
        ])
        read = self.table(data, "tep.xlsx")
        self.assertEqual(read.headers, ["Họ tên", "Năm sinh", "Ngày", "Nhiệt độ"])
        self.assertEqual(list(read.rows()), [
            (2, ["Nguyễn Văn Đức", "1985", "2021-05-20", "37.5"]),
            (4, ["Trần Ơn", "1990", "2021-05-21 14:30"]),
        ])

    def test_a_broken_xlsx_is_refused(self):
        with self.assertRaises(FileUnreadable):
            self.table(b"PK\x03\x04 not really a zip", "tep.xlsx")
