"""Check-in files through the lose-nothing importer: every row accounted for, twice is once."""

from chongdich.imports import runner
from chongdich.imports import services as import_services
from chongdich.imports.tests.helpers import TemporaryMedia, csv_file
from chongdich.people.models import Person
from chongdich.venues.models import CheckIn
from chongdich.venues.tests.base import VenuesTestCase

HEADERS = ["STT", "Mã địa điểm", "Họ và tên", "Số điện thoại", "Số CCCD", "Giờ vào", "Giờ ra"]


class ImportTests(TemporaryMedia, VenuesTestCase):
    def setUp(self):
        super().setUp()
        Person.objects.filter(pk=self.people["An"].pk).update(phone="0912345678")
        Person.objects.filter(pk=self.people["Bình"].pk).update(citizen_id="001090000123")

    def run_file(self):
        rows = [
            ["1", self.factory.code, "Nguyễn Văn An", "0912345678", "", "09/05/2021 08:00", "09/05/2021 09:00"],
            ["2", self.factory.code.lower(), "", "", "001090000123", "09/05/2021 8h30", ""],
            ["3", "KHONGCO", "Nguyễn Văn An", "0912345678", "", "09/05/2021 08:00", ""],
            ["4", self.factory.code, "Người Lạ", "0987654321", "", "09/05/2021 08:00", ""],
            ["5", self.factory.code, "Nguyễn Văn An", "0912345678", "", "hôm qua", ""],
            ["6", self.factory.code, "Nguyễn Văn An", "0912345678", "", "09/05/2021 08:00", ""],
        ]
        job = import_services.job_create(actor=self.users["commune_officer"], kind="checkins",
                                         upload=csv_file(HEADERS, rows), background=False)
        self.assertEqual(job.status, "queued", job.columns)
        return runner.job_run(job.pk)

    def test_every_row_is_accounted_for_and_a_second_upload_adds_nothing(self):
        job = self.run_file()
        self.assertEqual((job.created_count, job.duplicate_count, job.error_count), (2, 1, 3))
        self.assertEqual(sorted((e.row, e.column) for e in job.row_errors.all()),
                         [(4, "venue_code"), (5, "full_name"), (6, "checked_in_at")])
        again = self.run_file()
        self.assertEqual((again.created_count, again.duplicate_count, again.error_count), (0, 3, 3))
        self.assertEqual(CheckIn.objects.filter(source="file").count(), 2)
