"""What the import tests share: geography and personas, a private MEDIA_ROOT, frozen time, and
files built in memory."""

from __future__ import annotations

import io
import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings

from chongdich.core import clock
from chongdich.core.testing import at, make_geography, personas
from chongdich.imports import runner, services
from chongdich.imports.reading import write_csv


def csv_file(headers, rows, name: str = "danh-sach.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, write_csv(headers, rows), content_type="text/csv")


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class TemporaryMedia:
    """Uploads of a test class go to a temporary MEDIA_ROOT, removed afterwards."""

    @classmethod
    def setUpClass(cls):
        cls._media = tempfile.mkdtemp(prefix="chongdich-imports-")
        cls._media_override = override_settings(MEDIA_ROOT=cls._media)
        cls._media_override.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._media_override.disable()
        shutil.rmtree(cls._media, ignore_errors=True)


class ImportTestCase(TemporaryMedia, TestCase):
    """Geography and personas (see core.testing); uploads go to a temporary MEDIA_ROOT; time is
    frozen on 20 May 2021."""

    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)

    def setUp(self):
        frozen = clock.frozen_at(at(20))
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)

    def start(self, kind: str, headers, rows, *, persona: str = "commune_officer", **options):
        """A job for a CSV built from `headers` and `rows`, not run yet."""
        return services.job_create(actor=self.users[persona], kind=kind,
                                   upload=csv_file(headers, rows), background=False, **options)

    def run_import(self, kind: str, headers, rows, **options):
        """Create and run a job; the job after the run."""
        job = self.start(kind, headers, rows, **options)
        self.assertEqual(job.status, "queued", job.columns)
        return runner.job_run(job.pk)

    def errors_of(self, job) -> list[tuple[int, str, str]]:
        return [(e.row, e.column, e.value) for e in job.row_errors.order_by("row")]

    def counts(self, job) -> tuple[int, int, int, int]:
        return job.created_count, job.updated_count, job.duplicate_count, job.error_count
