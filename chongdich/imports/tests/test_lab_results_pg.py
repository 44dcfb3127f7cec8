"""The whole-file PostgreSQL path of the lab-results kind (`kinds.lab_results_pg`) gives exactly
what the chunked path gives: the same files through both, the same results, error rows and
counters. Files it cannot read the same way go chunk by chunk."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import unicodedata
from unittest import mock, skipUnless

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from chongdich.imports import runner, services
from chongdich.imports.kinds import lab_results_pg
from chongdich.imports.kinds.lab_results import KIND
from chongdich.imports.tests.helpers import TemporaryMedia, xlsx_bytes
from chongdich.testing.models import LabResult
from chongdich.testing.tests.test_bulk import VALIDATION, BulkWorld, row

HEADERS = {"sample_code": "Mã mẫu", "pool_code": "Mã mẫu gộp", "result": "Kết quả",
           "resulted_at": "Thời gian trả kết quả", "ct_value": "Giá trị Ct",
           "laboratory_code": "Mã phòng xét nghiệm", "external_ref": "Số phiếu"}
FIELDS = list(HEADERS)
# Every rule row of test_bulk in one file: they also meet each other (S-A again and again).
ALL_RULES = [cells for _what, cells, _status, _column in VALIDATION]
REPEATS = [row(), row(), row(result="P"), row(sample="s-b", ct_value="21"),
           row(sample="S-B", ct_value="21,0"), row(sample="S-B", ct_value="22"),
           row(sample="", pool_code="G-1", laboratory_code="CDC"),
           row(sample="g-1", laboratory_code="cdc"), row(sample="G-1")]


def lines(rows: list[dict[str, str]]) -> list[list[str]]:
    return [[cells.get(f, "") for f in FIELDS] for cells in rows]


def csv_bytes(rows, *, encoding="utf-8", delimiter=",", above=(), blank_at=None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerows(above)
    writer.writerow(HEADERS.values())
    for i, cells in enumerate(rows):
        if i == blank_at:
            out.write("\r\n")
        writer.writerow(cells)
    text = out.getvalue()
    data = windows_1258(text) if encoding == "cp1258" else text.encode(encoding)
    return codecs.BOM_UTF8 + data if encoding == "utf-8" else data


def windows_1258(text: str) -> bytes:
    """As Vietnamese Windows writes it: a letter, then its tone mark as a combining character."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            for i in range(len(marks), -1, -1):  # the longest composed start it has
                try:
                    out += unicodedata.normalize("NFC", base + "".join(marks[:i])).encode("cp1258")
                    out += "".join(marks[i:]).encode("cp1258")
                    break
                except UnicodeEncodeError:
                    continue
    return bytes(out)


@skipUnless(connection.vendor == "postgresql", "the whole-file path is PostgreSQL's (COPY)")
class FastPathWorld(TemporaryMedia, BulkWorld):
    def run_file(self, data: bytes, name="ket-qua.csv", *, fast=True, expect_fast=True):
        """Run the file; what it left: (job figures, error rows, stored results). The hook's
        answers are checked: taken when `expect_fast`, else declined or never asked."""
        answers = []
        real = lab_results_pg.process_file

        def spy(**kwargs):
            answers.append(real(**kwargs))
            return answers[-1]

        job = services.job_create(actor=self.lab_user, kind="lab_results", background=False,
                                  upload=SimpleUploadedFile(name, data))
        self.assertEqual(job.status, "queued", job.columns)
        chunked = mock.patch.object(KIND, "process_file", None)
        with mock.patch.object(lab_results_pg, "process_file", spy), \
                (contextlib.nullcontext() if fast else chunked):
            if expect_fast:
                with self.assertNoLogs("chongdich.imports.runner", "WARNING"):
                    job = runner.job_run(job.pk)
            else:
                job = runner.job_run(job.pk)
        if fast and expect_fast:
            self.assertEqual(answers, [True])
        else:
            self.assertNotIn(True, answers)
        figures = (job.status, job.total_rows, job.processed_rows, job.created_count,
                   job.duplicate_count, job.error_count, job.summary)
        errors = list(job.row_errors.order_by("row").values_list(
            "row", "column", "header", "value", "reason", "values"))
        stored = sorted(LabResult.objects.values_list(
            "sample__code", "pool__code", "result", "ct_value", "resulted_at", "laboratory__code",
            "external_ref", "recorded_by"), key=str)
        return figures, errors, stored

    def both_ways(self, data: bytes, name="ket-qua.csv", **fast_options):
        """(fast, chunked), each rolled back."""
        runs = []
        for fast in (True, False):
            with transaction.atomic():
                runs.append(self.run_file(data, name, fast=fast,
                                          **(fast_options if fast else {})))
                transaction.set_rollback(True)
        return runs

    def assertSameBothWays(self, data: bytes, name="ket-qua.csv", **fast_options):
        fast, chunked = self.both_ways(data, name, **fast_options)
        self.assertEqual(fast, chunked)
        return fast


class SameOutcomeTests(FastPathWorld):
    def test_every_rule_row_alone_gives_what_the_chunked_path_gives(self):
        for what, cells, status, _column in VALIDATION:
            with self.subTest(what):
                figures, errors, _stored = self.assertSameBothWays(csv_bytes(lines([cells])))
                self.assertEqual(figures[3:6], (status == "created", status == "duplicate",
                                                status == "error"))

    def test_all_rule_rows_in_one_file_give_what_the_chunked_path_gives(self):
        figures, errors, stored = self.assertSameBothWays(csv_bytes(lines(ALL_RULES)))
        self.assertTrue(figures[3] and figures[4] and figures[5], figures)
        self.assertTrue(all(e[4] for e in errors))

    def test_codes_repeated_in_the_file_keep_the_first_row_as_the_chunked_path_does(self):
        figures, errors, stored = self.assertSameBothWays(csv_bytes(lines(REPEATS)))
        self.assertEqual(figures[3:6], (3, 3, 3))
        self.assertEqual([(e[0], e[1]) for e in errors],
                         [(4, "sample_code"), (7, "sample_code"), (10, "sample_code")])

    def test_a_semicolon_file_in_windows_1258_gives_the_same(self):
        data = csv_bytes(lines(REPEATS + ALL_RULES[:8]), encoding="cp1258", delimiter=";")
        self.assertSameBothWays(data)


class ReimportTests(FastPathWorld):
    def test_the_same_file_again_is_all_duplicates(self):
        data = csv_bytes(lines(REPEATS))
        first, _errors, stored = self.run_file(data)
        again, errors, stored_again = self.run_file(data)
        self.assertEqual(first[2:6], (9, 3, 3, 3))
        self.assertEqual(again[2:6], (9, 0, 6, 3))
        self.assertEqual(stored_again, stored)


class FallbackTests(FastPathWorld):
    def test_a_file_with_a_title_row_goes_chunk_by_chunk(self):
        data = csv_bytes(lines([row()]), above=[["DANH SÁCH KẾT QUẢ XÉT NGHIỆM"]])
        figures, _errors, stored = self.run_file(data, expect_fast=False)
        self.assertEqual(figures[3:6], (1, 0, 0))

    def test_an_xlsx_file_goes_chunk_by_chunk(self):
        data = xlsx_bytes([list(HEADERS.values()), *lines([row()])])
        figures, _errors, stored = self.run_file(data, "ket-qua.xlsx", expect_fast=False)
        self.assertEqual(figures[3:6], (1, 0, 0))

    def test_a_blank_line_fails_the_copy_and_the_file_goes_chunk_by_chunk_with_the_same_outcome(self):
        data = csv_bytes(lines([row(), row(sample="S-B"), row(sample="S-NONE")]), blank_at=1)
        with self.assertLogs("chongdich.imports.runner", "WARNING"):
            fast, chunked = self.both_ways(data, expect_fast=False)
        self.assertEqual(fast, chunked)
        self.assertEqual(fast[1][0][0], 5)  # the blank line keeps its number


class TableLockTests(FastPathWorld):
    """Past `_ROW_LOCKS_UP_TO` referenced tubes the store locks the samples' table against writes
    instead of locking each row; the outcome must not change."""

    def sample_locks(self) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT mode FROM pg_locks WHERE pid = pg_backend_pid()"
                           " AND relation = 'testing_sample'::regclass")
            return {mode for (mode,) in cursor.fetchall()}

    def test_a_large_file_locks_the_table_and_stores_what_the_chunked_path_stores(self):
        with mock.patch.object(lab_results_pg, "_ROW_LOCKS_UP_TO", 0):
            with transaction.atomic():
                fast = self.run_file(csv_bytes(lines(ALL_RULES)))
                self.assertIn("ShareLock", self.sample_locks())
                transaction.set_rollback(True)
        _fast, chunked = self.both_ways(csv_bytes(lines(ALL_RULES)))
        self.assertEqual(fast, chunked)

    def test_a_small_file_locks_rows_only(self):
        with transaction.atomic():
            self.run_file(csv_bytes(lines(ALL_RULES)))
            self.assertNotIn("ShareLock", self.sample_locks())
            transaction.set_rollback(True)
