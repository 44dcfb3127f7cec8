"""The case line-list kind: patient numbers become F0s with their infectors linked (also when the
infector comes later in the file or came in an earlier import), ranks and counters move, a
re-upload changes nothing."""

from chongdich.cases.models import Case, CaseDayCount, Contact, Detection
from chongdich.cases.services import case_register, contact_add
from chongdich.core.testing import at
from chongdich.imports.tests.helpers import ImportTestCase
from chongdich.people.models import Person
from chongdich.people.services import person_create

HEADERS = ["Mã BN", "Lây từ", "Họ tên", "Tuổi", "Giới tính", "Nơi ở", "Ngày xác nhận",
           "Ngày khởi phát", "Phát hiện", "Ghi chú"]


def line(ref, infector="", name="", age="35", sex="Nam", place="commune_a1", confirmed="18/05/2021",
         onset="", detection="Cộng đồng", note=""):
    return [ref, infector, name, age, sex, place, confirmed, onset, detection, note]


class CaseImportTests(ImportTestCase):
    def test_good_rows_land_as_cases_with_their_published_numbers(self):
        job = self.run_import("cases", HEADERS, [
            line("BN3100", name="Nguyễn Văn An", onset="15/05/2021"),
            line("BN3101", "BN3100", name="Trần Thị Bình", age="29", sex="Nữ", detection="Khu cách ly"),
        ])
        self.assertEqual((job.status, self.counts(job)), ("done", (2, 0, 0, 0)))
        an, binh = Case.objects.get(external_ref="BN3100"), Case.objects.get(external_ref="BN3101")
        self.assertEqual((an.person.full_name, an.person.birth_year, str(an.onset_on), an.confirmed_on.day),
                         ("Nguyễn Văn An", 1986, "2021-05-15", 18))
        self.assertEqual((binh.infected_by_id, binh.detection), (an.pk, Detection.QUARANTINE))
        self.assertEqual(an.person.rank, 0)
        self.assertEqual(CaseDayCount.objects.get(commune=self.units["commune_a1"]).new_local, 2)

    def test_an_infector_listed_later_in_the_file_is_linked(self):
        job = self.run_import("cases", HEADERS, [
            line("BN3103", "F1 của BN3102"), line("BN3102", "BN3101"), line("BN3101"),
        ])
        self.assertEqual(self.counts(job), (3, 0, 0, 0))
        links = dict(Case.objects.values_list("external_ref", "infected_by__external_ref"))
        self.assertEqual(links, {"BN3101": None, "BN3102": "BN3101", "BN3103": "BN3102"})

    def test_an_infector_listed_later_in_another_chunk_is_linked_in_a_second_pass(self):
        from chongdich.imports.kinds.cases import KIND

        rows = [line(f"BN{4000 + i}", f"BN{4001 + i}") for i in range(6)] + [line("BN4006")]
        original = KIND.chunk_size
        KIND.chunk_size = 2
        self.addCleanup(setattr, KIND, "chunk_size", original)
        job = self.run_import("cases", HEADERS, rows)
        self.assertEqual(self.counts(job), (7, 0, 0, 0))
        self.assertEqual(Case.objects.get(external_ref="BN4000").infected_by.external_ref, "BN4001")

    def test_an_infector_from_an_earlier_import_is_linked(self):
        self.run_import("cases", HEADERS, [line("BN3100")])
        self.run_import("cases", HEADERS, [line("BN3101", "BN3100")])
        self.assertEqual(Case.objects.get(external_ref="BN3101").infected_by.external_ref, "BN3100")

    def test_an_infector_found_nowhere_makes_the_row_an_error_and_no_case(self):
        job = self.run_import("cases", HEADERS, [line("BN3101", "BN9999"), line("BN3102")])
        self.assertEqual(self.counts(job), (1, 0, 0, 1))
        self.assertEqual(self.errors_of(job), [(2, "infected_by", "BN9999")])
        self.assertFalse(Case.objects.filter(external_ref="BN3101").exists())

    def test_bad_rows_become_errors_with_column_value_and_reason(self):
        job = self.run_import("cases", HEADERS, [
            line(""),
            line("BN1", confirmed=""),
            line("BN2", confirmed="25/05/2021"),  # after "now" (20 May)
            line("BN3", age="200"),
            line("BN4", detection="không biết"),
            line("BN5", place="commune_b1"),
            line("BN6"),
        ])
        self.assertEqual(self.counts(job), (1, 0, 0, 6))
        self.assertEqual(self.errors_of(job), [
            (2, "external_ref", ""), (3, "confirmed_on", ""), (4, "confirmed_on", "25/05/2021"),
            (5, "age", "200"), (6, "detection", "không biết"), (7, "commune", "commune_b1"),
        ])

    def test_uploading_the_same_file_again_reports_every_row_as_duplicate(self):
        rows = [line("BN3101", "BN3100"), line("BN3100", name="Nguyễn Văn An")]
        self.run_import("cases", HEADERS, rows)
        again = self.run_import("cases", HEADERS, rows)
        self.assertEqual(self.counts(again), (0, 0, 2, 0))
        self.assertEqual((Case.objects.count(), Person.objects.count()), (2, 2))

    def test_a_re_upload_links_an_infector_that_has_arrived_since(self):
        self.run_import("cases", HEADERS, [line("BN3101")])
        self.run_import("cases", HEADERS, [line("BN3100")])
        again = self.run_import("cases", HEADERS, [line("BN3101", "BN3100")])
        self.assertEqual(self.counts(again), (0, 1, 0, 0))
        self.assertEqual(Case.objects.get(external_ref="BN3101").infected_by.external_ref, "BN3100")

    def test_a_known_person_becomes_the_case_and_their_contacts_become_f1(self):
        officer = self.users["commune_officer"]
        an = person_create(actor=officer, commune=self.units["commune_a1"], full_name="Nguyễn Văn An",
                           phone="0912345678", birth_year=1986)
        binh = person_create(actor=officer, commune=self.units["commune_a1"], full_name="Trần Bình")
        contact_add(actor=officer, person=an, contact=binh, last_contact_at=at(17))
        headers = HEADERS + ["SĐT"]
        job = self.run_import("cases", headers, [line("BN3100", name="Nguyễn Văn An") + ["0912345678"]])
        self.assertEqual(self.counts(job), (1, 0, 0, 0))
        self.assertEqual(Case.objects.get().person_id, an.pk)
        binh.refresh_from_db()
        self.assertEqual(binh.rank, 1)
        self.assertEqual(Contact.objects.count(), 1)

    def test_a_person_already_an_active_f0_is_an_error(self):
        officer = self.users["commune_officer"]
        an = person_create(actor=officer, commune=self.units["commune_a1"], full_name="Nguyễn Văn An",
                           phone="0912345678")
        case_register(actor=officer, person=an, confirmed_at=at(15), detection=Detection.COMMUNITY)
        job = self.run_import("cases", HEADERS + ["SĐT"],
                              [line("BN3100", name="Nguyễn Văn An") + ["0912345678"]])
        self.assertEqual(self.errors_of(job), [(2, "full_name", "Nguyễn Văn An")])
        self.assertIn("F0", job.row_errors.get().reason)

    def test_an_infector_outside_the_officers_area_is_not_linked(self):
        outsider_case = case_register(
            actor=self.users["outsider"], detection=Detection.COMMUNITY, confirmed_at=at(15),
            person=person_create(actor=self.users["outsider"], commune=self.units["commune_b1"],
                                 full_name="Lê Giang"), external_ref="BN3000")
        job = self.run_import("cases", HEADERS, [line("BN3101", "BN3000")])
        self.assertEqual(self.errors_of(job), [(2, "infected_by", "BN3000")])
        self.assertFalse(outsider_case.infected.exists())

    def test_a_row_without_a_name_gets_the_patient_number_as_name(self):
        self.run_import("cases", HEADERS, [line("bn 3100")])
        case = Case.objects.get()
        self.assertEqual((case.external_ref, case.person.full_name), ("BN3100", "BN3100"))

    def test_a_known_person_registered_outside_the_officers_area_is_an_error_naming_the_place(self):
        person_create(actor=self.users["outsider"], commune=self.units["commune_b1"],
                      full_name="Lê Giang", citizen_id="026085012345")
        headers = HEADERS + ["CCCD"]
        job = self.run_import("cases", headers, [line("BN3100", name="Lê Giang", age="36")
                                                   + ["026085012345"]])
        self.assertEqual(self.errors_of(job), [(2, "full_name", "Lê Giang")])
        self.assertIn("Xã commune_b1", job.row_errors.get().reason)
