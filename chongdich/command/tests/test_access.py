"""Who sees what: an agency sees its own tasks and what its jurisdiction allows; anything else is
'not found', the same as a missing id."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from chongdich.command import selectors, services
from chongdich.command.services import NewTask
from chongdich.command.tests.base import CommandWorld
from chongdich.core.errors import NotFound

PDF = b"%PDF-1.4\n%test\n"


class TaskVisibilityTests(CommandWorld):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.doc = cls.notice_for(
            NewTask(agency=cls.health, description="Việc của Sở Y tế"),
            NewTask(agency=cls.commune_a1, description="Việc của xã A1"),
            NewTask(agency=cls.commune_b1, description="Việc của xã B1"),
        )
        cls.health_task, cls.a1_task, cls.b1_task = cls.doc.tasks.order_by("order")

    @classmethod
    def notice_for(cls, *tasks):
        return services.document_create(actor=cls.secretary, unit=cls.units["province"], kind="notice",
                                        title="Thông báo", issuing_body="Ban Thường vụ Tỉnh ủy",
                                        issued_on=dt.date(2020, 2, 19), tasks=list(tasks))

    def visible(self, actor):
        return set(selectors.task_list(actor=actor, filters=selectors.TaskFilters(status="all")))

    def test_the_issuing_province_sees_every_task(self):
        self.assertEqual(self.visible(self.leader), {self.health_task, self.a1_task, self.b1_task})

    def test_a_commune_sees_only_its_own_task(self):
        self.assertEqual(self.visible(self.commune_officer), {self.a1_task})

    def test_the_outsider_commune_gets_not_found_for_another_communes_task(self):
        with self.assertRaises(NotFound):
            selectors.task_get(actor=self.outsider, task_id=self.a1_task.pk)

    def test_a_district_sees_the_tasks_of_agencies_in_its_area(self):
        self.assertEqual(self.visible(self.district_leader), {self.a1_task})

    def test_a_member_of_a_provincial_agency_sees_its_tasks(self):
        self.assertIn(self.health_task, self.visible(self.health_officer))

    def test_the_commune_sees_the_document_that_gives_it_a_task(self):
        self.assertEqual(selectors.document_get(actor=self.commune_officer, document_id=self.doc.pk), self.doc)
        self.assertEqual(list(selectors.document_tasks(actor=self.commune_officer, document=self.doc)), [self.a1_task])

    def test_a_document_without_anything_for_the_outsider_is_not_found(self):
        other = self.notice_for(NewTask(agency=self.commune_a1, description="Chỉ cho A1"))
        with self.assertRaises(NotFound):
            selectors.document_get(actor=self.outsider, document_id=other.pk)

    def test_a_document_addressed_to_a_district_is_seen_there(self):
        other = services.document_create(actor=self.secretary, unit=self.units["province"], kind="directive",
                                         title="Chỉ thị", issuing_body="Ban Thường vụ Tỉnh ủy",
                                         issued_on=dt.date(2020, 2, 19), recipient_units=[self.units["district_a"]])
        self.assertEqual(selectors.document_get(actor=self.district_leader, document_id=other.pk), other)
        with self.assertRaises(NotFound):
            selectors.document_get(actor=self.outsider, document_id=other.pk)

    def test_agencies_above_a_commune_are_visible_to_it_but_not_a_neighbours(self):
        seen = set(selectors.agency_list(actor=self.commune_officer))
        self.assertTrue({self.health, self.district_committee, self.commune_a1} <= seen)
        with self.assertRaises(NotFound):
            selectors.agency_get(actor=self.commune_officer, agency_id=self.commune_b1.pk)

    def test_an_agencys_inbox_shows_what_it_owes(self):
        box = selectors.inbox(actor=self.commune_officer, agency=self.commune_a1)
        self.assertEqual([row.task for row in box["owed"]], [self.a1_task])


class FileAccessTests(CommandWorld):
    def setUp(self):
        super().setUp()
        import tempfile

        from django.test import override_settings

        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        override = override_settings(MEDIA_ROOT=media.name)
        override.enable()
        self.addCleanup(override.disable)

    def test_a_documents_file_is_reachable_by_who_sees_the_document_only(self):
        doc = self.notice(NewTask(agency=self.commune_a1, description="Việc của xã A1"))
        [file] = services.document_attach(actor=self.secretary, document=doc,
                                          files=[SimpleUploadedFile("thong-bao.pdf", PDF)])
        self.assertEqual(selectors.attachment_get(actor=self.commune_officer, attachment_id=file.pk), file)
        with self.assertRaises(NotFound):
            selectors.attachment_get(actor=self.outsider, attachment_id=file.pk)

    def test_a_file_is_stored_under_a_name_of_its_own(self):
        doc = self.notice()
        [file] = services.document_attach(actor=self.secretary, document=doc,
                                          files=[SimpleUploadedFile("../../etc/passwd.pdf", PDF)])
        self.assertTrue(file.file.name.startswith("command/2020/02/"))
        self.assertNotIn("passwd", file.file.name)
        self.assertEqual(file.content_type, "application/pdf")

    def test_a_program_renamed_to_pdf_is_refused(self):
        from chongdich.core.errors import InvalidInput

        with self.assertRaises(InvalidInput):
            services.document_attach(actor=self.secretary, document=self.notice(),
                                     files=[SimpleUploadedFile("x.pdf", b"MZ\x90\x00rest")])

    def test_a_report_file_is_reachable_by_who_sees_the_task(self):
        task = self.task(self.commune_a1)
        report = services.task_report(actor=self.commune_officer, task=task, text="Ảnh chốt kiểm soát",
                                      files=[SimpleUploadedFile("chot.jpg", b"\xff\xd8\xff\xe0data")])
        file = report.attachments.get()
        self.assertEqual(selectors.attachment_get(actor=self.district_leader, attachment_id=file.pk), file)
        with self.assertRaises(NotFound):
            selectors.attachment_get(actor=self.outsider, attachment_id=file.pk)
