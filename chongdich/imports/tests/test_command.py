"""`chongdich import KIND FILE`: the job runs in the foreground with a progress bar, prints the
summary and writes the error report."""

import io
import os
import tempfile
from contextlib import redirect_stdout
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command

from chongdich import cli
from chongdich.cases.models import Case
from chongdich.imports import services
from chongdich.imports.models import ImportJob
from chongdich.imports.reading import write_csv
from chongdich.imports.tests.helpers import ImportTestCase


class ImportCommandTests(ImportTestCase):
    def setUp(self):
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)
        cwd = os.getcwd()
        os.chdir(self.folder)
        self.addCleanup(os.chdir, cwd)

    def write(self, headers, rows, name="ds.csv") -> Path:
        path = self.folder / name
        path.write_bytes(write_csv(headers, rows))
        return path

    def call(self, *args) -> str:
        out = io.StringIO()
        call_command("import", *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def test_a_case_list_is_imported_with_a_progress_bar_summary_and_error_report(self):
        path = self.write(["Mã BN", "Lây từ", "Nơi ở", "Ngày xác nhận"], [
            ["BN2", "BN1", "commune_a1", "18/05/2021"], ["BN1", "", "commune_a1", "17/05/2021"],
            ["BN3", "", "commune_a1", "không rõ"],
        ])
        user = self.users["commune_officer"].username
        output = self.call("cases", str(path), "--as", user)
        self.assertIn("\r[", output)
        self.assertIn("100% 3/3 dòng", output)
        self.assertIn("Đã xử lý 3 dòng: 2 mới", output)
        job = ImportJob.objects.get()
        report = self.folder / f"loi-nhap-{job.pk}.csv"
        self.assertIn(f"Báo cáo lỗi: {report.resolve()}", output)
        self.assertIn("không rõ", report.read_text(encoding="utf-8-sig"))
        self.assertEqual(Case.objects.get(external_ref="BN2").infected_by.external_ref, "BN1")

    def test_a_saved_mapping_is_used_by_name(self):
        officer = self.users["commune_officer"]
        services.mapping_create(actor=officer, name="Trạm y tế", kind="people",
                                columns={"full_name": "Tên người"})
        path = self.write(["Tên người", "Cột lạ"], [["An", "x"]])
        output = self.call("people", str(path), "--as", officer.username, "--mapping", "Trạm y tế")
        self.assertIn("1 mới", output)

    def test_unclear_columns_stop_the_command_with_the_files_headers(self):
        path = self.write(["Tên người"], [["An"]])
        with self.assertRaisesMessage(CommandError, "--mapping"):
            self.call("people", str(path), "--as", self.users["commune_officer"].username)

    def test_the_account_is_required_when_it_cannot_be_guessed(self):
        path = self.write(["Họ tên"], [["An"]])
        with self.assertRaisesMessage(CommandError, "--as"):
            self.call("people", str(path))

    def test_the_command_runs_through_the_chongdich_script(self):
        path = self.write(["Họ tên"], [["An"]])
        out = io.StringIO()
        # run_from_argv closes every connection when it ends, the test's own included
        with redirect_stdout(out), mock.patch("django.core.management.base.connections.close_all"):
            cli.main(["chongdich", "import", "people", str(path), "--as",
                      self.users["commune_officer"].username])
        self.assertIn("1 mới", out.getvalue())
