"""Import pages: upload, mapping form, job page with its self-polling progress panel, error report
downloads, recent jobs, saved mappings."""

from django.urls import reverse

from chongdich.imports import report, runner, services
from chongdich.imports.models import ColumnMapping, ImportJob
from chongdich.imports.tests.helpers import ImportTestCase, csv_file

HTMX = {"HTTP_HX_REQUEST": "true"}


class ImportPageTests(ImportTestCase):
    def login(self, persona="commune_officer"):
        self.client.force_login(self.users[persona])

    def test_the_pages_require_login(self):
        response = self.client.get(reverse("imports:list"))
        self.assertRedirects(response, f"{reverse('login')}?next={reverse('imports:list')}")

    def test_uploading_a_file_leads_to_its_job_page(self):
        self.login()
        response = self.client.post(reverse("imports:new"), {
            "kind": "people", "file": csv_file(["Họ tên"], [["Nguyễn Văn An"]])})
        job = ImportJob.objects.get()
        self.assertRedirects(response, reverse("imports:detail", args=[job.pk]))
        self.assertEqual((job.status, job.language), ("queued", "vi"))

    def test_the_upload_form_offers_only_the_kinds_the_role_may_import(self):
        self.login("province_leader")
        self.assertContains(self.client.get(reverse("imports:new")), 'value="cases"')
        self.client.force_login(self.users["viewer"])
        self.assertContains(self.client.get(reverse("imports:new")), "không được nhập dữ liệu")

    def test_a_file_that_cannot_be_read_shows_the_reason_on_the_form(self):
        self.login()
        response = self.client.post(reverse("imports:new"), {
            "kind": "people", "file": csv_file(["x"], [], name="tep.xls")})
        self.assertContains(response, ".xlsx")
        self.assertFalse(ImportJob.objects.exists())

    def test_a_running_job_polls_its_progress_and_a_finished_one_stops(self):
        self.login()
        job = self.start("people", ["Họ tên"], [["An"], ["Bình"]])
        page = self.client.get(reverse("imports:detail", args=[job.pk]))
        self.assertContains(page, 'hx-trigger="every 1s"')
        self.assertContains(page, '<progress class="import-progress" id="import-progress" max="100" value="0">')
        runner.job_run(job.pk)
        panel = self.client.get(reverse("imports:detail", args=[job.pk]), **HTMX)
        self.assertNotContains(panel, "every 1s")
        self.assertNotContains(panel, "<html")
        self.assertContains(panel, 'value="100"')
        self.assertContains(panel, "2 mới")

    def test_the_job_page_lists_the_first_errors_and_links_the_report(self):
        self.login()
        job = self.run_import("people", ["Họ tên", "Giới tính"], [["An", "?!"]])
        page = self.client.get(reverse("imports:detail", args=[job.pk]))
        self.assertContains(page, reverse("imports:errors_csv", args=[job.pk]))
        self.assertContains(page, "Giới tính không rõ")

    def test_the_error_report_downloads_with_the_original_row(self):
        self.login()
        job = self.run_import("people", ["Họ tên", "Giới tính"], [["An", "Nam"], ["Bình", "?!"]])
        response = self.client.get(reverse("imports:errors_csv", args=[job.pk]))
        rows = report.read_csv(b"".join(response.streaming_content))
        self.assertEqual([r[0] for r in rows], ["Dòng", "3"])
        self.assertEqual(rows[1][4:], ["Bình", "?!"])
        xlsx = self.client.get(reverse("imports:errors_xlsx", args=[job.pk]))
        self.assertEqual(xlsx["Content-Type"],
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    def test_the_mapping_form_settles_the_columns_and_saves_them_for_the_source(self):
        self.login()
        job = self.start("people", ["Tên người", "Năm"], [["An", "1985"]])
        page = self.client.get(reverse("imports:detail", args=[job.pk]))
        self.assertContains(page, 'id="mapping-form"')
        self.assertContains(page, '<option value="Tên người">')
        response = self.client.post(reverse("imports:mapping", args=[job.pk]), {
            "col_full_name": "Tên người", "col_birth_year": "Năm", "save_as": "Trạm y tế"})
        self.assertRedirects(response, reverse("imports:detail", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual((job.status, job.mapping.name), ("queued", "Trạm y tế"))

    def test_a_mapping_without_the_required_field_stays_on_the_form(self):
        self.login()
        job = self.start("people", ["Tên người", "Năm"], [["An", "1985"]])
        response = self.client.post(reverse("imports:mapping", args=[job.pk]), {"col_birth_year": "Năm"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="mapping-form"')
        job.refresh_from_db()
        self.assertEqual(job.status, "mapping")

    def test_the_job_page_points_to_an_earlier_import_of_the_same_file(self):
        self.login()
        first = self.run_import("people", ["Họ tên"], [["An"]])
        second = self.start("people", ["Họ tên"], [["An"]])
        page = self.client.get(reverse("imports:detail", args=[second.pk]))
        self.assertContains(page, 'id="same-file"')
        self.assertContains(page, reverse("imports:detail", args=[first.pk]))

    def test_a_job_of_another_commune_is_not_found(self):
        job = self.start("people", ["Họ tên"], [["An"]])
        self.login("outsider")
        for name in ("imports:detail", "imports:errors_csv", "imports:errors_xlsx"):
            with self.subTest(name=name):
                self.assertEqual(self.client.get(reverse(name, args=[job.pk])).status_code, 404)

    def test_recent_jobs_of_the_area_are_listed(self):
        job = self.start("people", ["Họ tên"], [["An"]])
        self.login("district_epi")
        self.assertContains(self.client.get(reverse("imports:list")), job.original_name)
        self.login("outsider")
        self.assertNotContains(self.client.get(reverse("imports:list")), job.original_name)

    def test_saved_mappings_are_listed_and_their_owner_may_delete_them(self):
        mapping = services.mapping_create(actor=self.users["commune_officer"], name="Trạm y tế",
                                          kind="people", columns={"full_name": "Tên"})
        self.login()
        self.assertContains(self.client.get(reverse("imports:mappings")), "Họ và tên ← Tên")
        response = self.client.post(reverse("imports:mapping_delete", args=[mapping.pk]))
        self.assertRedirects(response, reverse("imports:mappings"))
        self.assertFalse(ColumnMapping.objects.exists())

    def test_a_failed_job_offers_a_restart_that_queues_it_again(self):
        self.login()
        job = self.start("people", ["Họ tên"], [["An"]])
        ImportJob.objects.filter(pk=job.pk).update(status="failed", summary="Lần nhập dừng giữa chừng")
        page = self.client.get(reverse("imports:detail", args=[job.pk]))
        self.assertContains(page, 'id="restart-form"')
        response = self.client.post(reverse("imports:restart", args=[job.pk]))
        self.assertRedirects(response, reverse("imports:detail", args=[job.pk]))
        self.assertEqual(ImportJob.objects.get(pk=job.pk).status, "queued")
        self.assertNotContains(self.client.get(reverse("imports:detail", args=[job.pk])), 'id="restart-form"')
