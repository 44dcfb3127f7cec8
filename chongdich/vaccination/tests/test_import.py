"""The vaccinations kind of the lose-nothing importer: every row lands or goes to the error
report with its column, value and reason; uploading the same file again lands nothing twice."""

from chongdich.imports import runner
from chongdich.imports import services as import_services
from chongdich.imports.tests.helpers import TemporaryMedia, csv_file
from chongdich.people.models import Person
from chongdich.vaccination import counters
from chongdich.vaccination.models import DoseRecord
from chongdich.vaccination.tests.base import VaccinationTestCase

HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Xã/phường", "Vắc xin", "Mũi", "Ngày tiêm",
           "Điểm tiêm", "Số lô"]


def row(n, name, born="1985", cid="", commune="commune_a1", product="AstraZeneca", dose="1",
        given="01/07/2021", site="Trạm y tế xã", batch="AZ123"):
    return [str(n), name, born, cid, commune, product, dose, given, site, batch]


class VaccinationImportTests(TemporaryMedia, VaccinationTestCase):
    def run_import(self, rows, persona="commune_officer"):
        job = import_services.job_create(actor=self.users[persona], kind="vaccinations",
                                         upload=csv_file(HEADERS, rows), background=False)
        self.assertEqual(job.status, "queued", job.columns)
        return runner.job_run(job.pk)

    def counts(self, job):
        return job.created_count, job.updated_count, job.duplicate_count, job.error_count

    def test_rows_land_as_doses_of_new_and_known_people_and_a_second_upload_duplicates(self):
        rows = [
            row(1, "Nguyễn Văn Tâm", "12/03/1985", cid="026085000111"),
            row(2, "Nguyễn Văn Tâm", "12/03/1985", cid="026085000111", product="AZ", dose="Mũi 2",
                given="01/09/2021"),
            row(3, "Trần Thị Hoa", "2005", commune="commune_a2", product="Pfizer", dose="1",
                given="06/12/2021"),
            row(4, "An", "01/06/1950", product="Janssen"),  # the person already registered
        ]
        job = self.run_import(rows, persona="district_epi")
        self.assertEqual((job.status, self.counts(job)), ("done", (4, 0, 0, 0)))
        tam = Person.objects.get(citizen_id="026085000111")
        self.assertEqual(list(tam.doses.values_list("dose_number", "product__code")), [(1, "AZ"), (2, "AZ")])
        self.assertEqual(self.people["An"].doses.get().product.code, "JANSSEN")
        again = self.run_import(rows, persona="district_epi")
        self.assertEqual(self.counts(again), (0, 0, 4, 0))
        self.assertEqual(DoseRecord.objects.count(), 4)
        kept = counters.snapshot()
        counters.rebuild()
        self.assertEqual(kept, counters.snapshot())

    def test_bad_rows_become_errors_with_column_value_and_reason(self):
        job = self.run_import([
            row(1, "Lê Văn Cường"),
            row(2, "Phạm Dũng", product="Vắc xin lạ"),
            row(3, "Võ Em", given="31/02/2021"),
            row(4, "Đỗ Giang", dose="mấy"),
            row(5, "Hồ Hoa", given="20/12/2021"),  # after today
            row(6, "Lê Văn Cường", given="02/07/2021"),  # dose 1 again, another date
        ])
        self.assertEqual(self.counts(job), (1, 0, 0, 5))
        errors = [(e.row, e.column, e.value) for e in job.row_errors.order_by("row")]
        self.assertEqual(errors, [(3, "product", "Vắc xin lạ"), (4, "given_on", "31/02/2021"),
                                  (5, "dose_number", "mấy"), (6, "given_on", "20/12/2021"),
                                  (7, "dose_number", "1")])

    def test_a_viewer_may_not_start_a_vaccination_import(self):
        from chongdich.core.errors import PermissionDenied

        with self.assertRaises(PermissionDenied):
            import_services.job_create(actor=self.users["viewer"], kind="vaccinations",
                                       upload=csv_file(HEADERS, [row(1, "A")]), background=False)
