"""Starting jobs (columns decided from names, saved mappings or asked for), settling a mapping,
saved mappings and who may change them, and jobs scoped to the actor's area."""

import datetime as dt

from chongdich.core import clock
from chongdich.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from chongdich.imports import runner, selectors, services
from chongdich.imports.models import ColumnMapping, ImportJob, JobStatus
from chongdich.imports.tests.helpers import ImportTestCase, csv_file
from chongdich.people.models import Person

ODD_HEADERS = ["Tên người", "Năm", "Chỗ ở"]
ODD_ROWS = [["Nguyễn Văn An", "1985", "commune_a1"]]
ODD_COLUMNS = {"full_name": "Tên người", "birth_year": "Năm", "commune": "Chỗ ở"}


class JobStartTests(ImportTestCase):
    def test_headers_named_as_the_kind_knows_them_queue_the_job(self):
        job = self.start("people", ["Họ tên", "Năm sinh"], [["An", "1985"]])
        self.assertEqual((job.status, job.columns), (JobStatus.QUEUED,
                                                     {"full_name": "Họ tên", "birth_year": "Năm sinh"}))
        self.assertEqual((job.size, len(job.sha256), job.original_name), (job.file.size, 64, "danh-sach.csv"))

    def test_unknown_headers_make_the_job_wait_for_a_mapping(self):
        job = self.start("people", ODD_HEADERS, ODD_ROWS)
        self.assertEqual(job.status, JobStatus.MAPPING)
        self.assertEqual(job.headers, ODD_HEADERS)

    def test_a_mapping_settles_the_job_and_can_be_saved_for_the_source(self):
        officer = self.users["commune_officer"]
        job = self.start("people", ODD_HEADERS, ODD_ROWS)
        job = services.job_set_mapping(actor=officer, job=job, columns=ODD_COLUMNS,
                                       save_as="Trạm y tế xã — danh sách về từ vùng dịch", background=False)
        self.assertEqual(job.status, JobStatus.QUEUED)
        self.assertEqual(job.mapping.columns, ODD_COLUMNS)
        self.assertEqual(runner.job_run(job.pk).created_count, 1)

    def test_a_saved_mapping_is_picked_when_the_next_file_has_its_headers(self):
        mapping = services.mapping_create(actor=self.users["district_epi"], name="CDC huyện A",
                                          kind="people", columns=ODD_COLUMNS)
        job = self.start("people", ["TÊN NGƯỜI", "Năm", "Chỗ ở"], ODD_ROWS)
        self.assertEqual((job.status, job.mapping_id), (JobStatus.QUEUED, mapping.pk))
        self.assertEqual(job.columns["full_name"], "TÊN NGƯỜI")

    def test_a_mapping_without_a_required_field_is_refused(self):
        job = self.start("people", ODD_HEADERS, ODD_ROWS)
        with self.assertRaises(InvalidInput) as caught:
            services.job_set_mapping(actor=self.users["commune_officer"], job=job,
                                     columns={"birth_year": "Năm"}, background=False)
        self.assertEqual(caught.exception.field, "full_name")

    def test_one_header_cannot_serve_two_fields(self):
        job = self.start("people", ODD_HEADERS, ODD_ROWS)
        with self.assertRaises(InvalidInput):
            services.job_set_mapping(actor=self.users["commune_officer"], job=job, background=False,
                                     columns={"full_name": "Tên người", "address": "Tên người"})

    def test_a_job_already_queued_cannot_be_remapped(self):
        job = self.start("people", ["Họ tên"], [["An"]])
        with self.assertRaises(Conflict):
            services.job_set_mapping(actor=self.users["commune_officer"], job=job,
                                     columns={"full_name": "Họ tên"}, background=False)

    def test_a_role_that_may_not_register_people_may_not_import_them(self):
        with self.assertRaises(PermissionDenied):
            self.start("people", ["Họ tên"], [["An"]], persona="viewer")
        with self.assertRaises(PermissionDenied):
            self.start("people", ["Họ tên"], [["An"]], persona="tracer")

    def test_an_unknown_kind_and_a_file_that_is_not_a_table_are_refused(self):
        officer = self.users["commune_officer"]
        with self.assertRaises(InvalidInput):
            services.job_create(actor=officer, kind="vaccines", upload=csv_file(["a"], [["b"]]))
        with self.assertRaises(InvalidInput) as caught:
            services.job_create(actor=officer, kind="people",
                                upload=csv_file(["a"], [["b"]], name="anh.png"))
        self.assertEqual(caught.exception.field, "file")

    def test_the_same_file_imported_before_is_pointed_out(self):
        first = self.run_import("people", ["Họ tên"], [["Nguyễn Văn An"]])
        second = self.start("people", ["Họ tên"], [["Nguyễn Văn An"]])
        officer = self.users["commune_officer"]
        self.assertEqual(selectors.job_same_file_before(actor=officer, job=second), first)
        self.assertEqual(runner.job_run(second.pk).duplicate_count, 1)
        self.assertEqual(Person.objects.count(), 1)


class JobAccessTests(ImportTestCase):
    def test_a_job_of_another_commune_is_not_found(self):
        job = self.start("people", ["Họ tên"], [["An"]])
        with self.assertRaises(NotFound):
            selectors.job_get(actor=self.users["outsider"], job_id=job.pk)

    def test_the_district_and_province_see_a_communes_jobs_but_not_the_other_way(self):
        commune_job = self.start("people", ["Họ tên"], [["An"]])
        province_job = self.start("people", ["Họ tên"], [["Bình"]], persona="province_leader")
        for persona in ("district_epi", "province_leader"):
            self.assertIn(commune_job, selectors.job_list(actor=self.users[persona]))
        self.assertNotIn(province_job, selectors.job_list(actor=self.users["district_epi"]))


class MappingTests(ImportTestCase):
    def test_a_province_mapping_serves_its_communes_but_only_the_province_changes_it(self):
        mapping = services.mapping_create(actor=self.users["province_leader"], name="CDC tỉnh",
                                          kind="people", columns={"full_name": "Tên"})
        officer = self.users["commune_officer"]
        self.assertEqual(selectors.mapping_get(actor=officer, mapping_id=mapping.pk), mapping)
        with self.assertRaises(PermissionDenied):
            services.mapping_update(actor=officer, mapping=mapping, name="Của xã")
        with self.assertRaises(PermissionDenied):
            services.mapping_delete(actor=officer, mapping=mapping)

    def test_a_communes_mapping_is_not_seen_by_another_commune(self):
        mapping = services.mapping_create(actor=self.users["commune_officer"], name="Xã A1",
                                          kind="people", columns={"full_name": "Tên"})
        with self.assertRaises(NotFound):
            selectors.mapping_get(actor=self.users["outsider"], mapping_id=mapping.pk)

    def test_two_mappings_of_a_unit_cannot_share_a_name(self):
        officer = self.users["commune_officer"]
        services.mapping_create(actor=officer, name="Nguồn", kind="people", columns={"full_name": "A"})
        with self.assertRaises(Conflict):
            services.mapping_create(actor=officer, name="Nguồn", kind="people",
                                    columns={"full_name": "B"})

    def test_a_mapping_names_only_fields_of_its_kind(self):
        with self.assertRaises(InvalidInput):
            services.mapping_create(actor=self.users["commune_officer"], name="Nguồn",
                                    kind="people", columns={"sample_code": "Mã mẫu"})

    def test_deleting_a_mapping_keeps_the_columns_of_jobs_that_used_it(self):
        officer = self.users["commune_officer"]
        mapping = services.mapping_create(actor=officer, name="Nguồn", kind="people",
                                          columns=ODD_COLUMNS)
        job = self.start("people", ODD_HEADERS, ODD_ROWS)
        services.mapping_delete(actor=officer, mapping=mapping)
        job.refresh_from_db()
        self.assertEqual((job.mapping_id, job.columns), (None, ODD_COLUMNS))
        self.assertFalse(ColumnMapping.objects.exists())


class DemoTests(ImportTestCase):
    def test_the_demo_mappings_are_loaded_once_and_fit_their_kinds(self):
        from chongdich.imports import demo, domain, kinds

        province = self.units["province"]
        self.assertEqual(demo.load_demo(province=province), 2)
        self.assertEqual(demo.load_demo(province=province), 0)
        for mapping in ColumnMapping.objects.all():
            fields = kinds.get(mapping.kind).fields
            check = domain.check_mapping(fields, list(mapping.columns.values()), mapping.columns)
            self.assertTrue(check.certain, mapping.name)


class JobRestartTests(ImportTestCase):
    def stalled(self, silent_for=services.STALLED_AFTER + dt.timedelta(minutes=1)):
        """A job whose worker died after storing its rows: still running, silent for a while."""
        job = self.start("people", ["Họ tên", "Năm sinh"], [["Nguyễn Văn An", "1985"], ["Trần Bình", "1990"]])
        runner.job_run(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, finished_at=None,
                                                   updated_at=clock.now() - silent_for)
        job.refresh_from_db()
        return job

    def test_a_stalled_job_runs_again_and_stores_nothing_twice(self):
        job = services.job_restart(actor=self.users["commune_officer"], job=self.stalled(), background=False)
        self.assertEqual((job.status, job.processed_rows, job.error_count), (JobStatus.QUEUED, 0, 0))
        job = runner.job_run(job.pk)
        self.assertEqual((job.status, job.created_count, job.duplicate_count), (JobStatus.DONE, 0, 2))
        self.assertEqual(Person.objects.filter(full_name__in=["Nguyễn Văn An", "Trần Bình"]).count(), 2)

    def test_a_job_that_moved_recently_is_not_restarted(self):
        job = self.stalled(silent_for=services.STALLED_AFTER - dt.timedelta(minutes=1))
        with self.assertRaises(Conflict):
            services.job_restart(actor=self.users["commune_officer"], job=job, background=False)

    def test_a_finished_job_is_not_restarted(self):
        job = runner.job_run(self.start("people", ["Họ tên"], [["Lê Chi"]]).pk)
        with self.assertRaises(Conflict):
            services.job_restart(actor=self.users["commune_officer"], job=job, background=False)

    def test_a_viewer_may_not_restart(self):
        with self.assertRaises(PermissionDenied):
            services.job_restart(actor=self.users["viewer"], job=self.stalled(), background=False)
