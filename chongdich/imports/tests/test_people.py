"""The people kind: good rows land as people, bad rows become errors naming column, value and
reason, a known person is never registered twice."""

from chongdich.geography.models import Village
from chongdich.imports.tests.helpers import ImportTestCase
from chongdich.people.models import Person
from chongdich.people.services import person_create

HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số điện thoại", "Số CCCD", "Xã/phường",
           "Thôn", "Nghề nghiệp"]


def row(n, name, born="1985", sex="Nam", phone="", cid="", commune="commune_a1", village="",
        job=""):
    return [str(n), name, born, sex, phone, cid, commune, village, job]


class PeopleImportTests(ImportTestCase):
    def test_good_rows_land_as_people_of_the_named_commune(self):
        job = self.run_import("people", HEADERS, [
            row(1, "Nguyễn Văn An", "12/03/1985", phone="0912 345 678", job="Tiểu thương"),
            row(2, "Trần Thị Bình", "1990", "Nữ", commune="Xã commune_a2"),
        ], persona="district_epi")
        self.assertEqual((job.status, self.counts(job)), ("done", (2, 0, 0, 0)))
        an = Person.objects.get(full_name="Nguyễn Văn An")
        self.assertEqual((an.birth_year, an.phone, an.occupation, an.commune_id),
                         (1985, "0912345678", "Tiểu thương", self.units["commune_a1"].pk))
        self.assertEqual(Person.objects.get(full_name="Trần Thị Bình").commune_id,
                         self.units["commune_a2"].pk)
        self.assertEqual(job.summary, "Đã xử lý 2 dòng: 2 mới, 0 cập nhật, 0 đã có (trùng), 0 lỗi.")

    def test_bad_rows_become_errors_with_column_value_and_reason_and_the_rest_land(self):
        job = self.run_import("people", HEADERS, [
            row(1, "Nguyễn Văn An"),
            row(2, "Lê Văn Cường", "31/02/1980"),
            row(3, "Phạm Dũng", sex="không"),
            row(4, "Võ Em", phone="12345"),
            row(5, "Đỗ Giang", cid="026"),
            row(6, "Hồ Hoa", commune="Xã Không Có"),
            row(7, "", "1970"),
        ])
        self.assertEqual(self.counts(job), (1, 0, 0, 6))
        self.assertEqual(self.errors_of(job), [
            (3, "birth_date", "31/02/1980"), (4, "sex", "không"), (5, "phone", "12345"),
            (6, "citizen_id", "026"), (7, "commune", "Xã Không Có"), (8, "full_name", ""),
        ])
        error = job.row_errors.get(row=7)
        self.assertIn("Không tìm thấy xã/phường", error.reason)
        self.assertEqual((error.header, error.values[1]), ("Xã/phường", "Hồ Hoa"))

    def test_uploading_the_same_file_again_reports_every_row_as_duplicate(self):
        rows = [row(1, "Nguyễn Văn An", phone="0912345678"), row(2, "Trần Bình", cid="026190012345",
                                                                  born="1990", sex="Nữ")]
        self.run_import("people", HEADERS, rows)
        again = self.run_import("people", HEADERS, rows)
        self.assertEqual(self.counts(again), (0, 0, 2, 0))
        self.assertEqual(Person.objects.count(), 2)

    def test_a_known_person_found_by_phone_and_name_gets_the_missing_values_filled_in(self):
        known = person_create(actor=self.users["commune_officer"], commune=self.units["commune_a1"],
                              full_name="Nguyễn Văn An", phone="0912345678", occupation="Nông dân")
        job = self.run_import("people", HEADERS, [
            row(1, "NGUYEN VAN AN", "1985", phone="+84 912 345 678", cid="026085012345",
                job="Tiểu thương"),
        ])
        self.assertEqual(self.counts(job), (0, 1, 0, 0))
        known.refresh_from_db()
        self.assertEqual((known.citizen_id, known.birth_year, known.sex, known.occupation),
                         ("026085012345", 1985, "male", "Nông dân"))  # never overwritten

    def test_a_cccd_registered_to_someone_else_is_an_error_naming_them(self):
        person_create(actor=self.users["commune_officer"], commune=self.units["commune_a1"],
                      full_name="Lê Thị Hà", citizen_id="026190012345", birth_year=1990)
        job = self.run_import("people", HEADERS, [row(1, "Trần Bình", "1990", "Nữ",
                                                      cid="026190012345")])
        self.assertEqual(self.counts(job), (0, 0, 0, 1))
        self.assertIn("Lê Thị Hà", job.row_errors.get().reason)

    def test_the_same_name_and_birth_year_in_the_same_commune_is_a_probable_duplicate(self):
        person_create(actor=self.users["commune_officer"], commune=self.units["commune_a1"],
                      full_name="Nguyễn Văn An", birth_year=1985, phone="0912345678")
        job = self.run_import("people", HEADERS, [row(1, "Nguyễn Văn An", "1985")])
        error = job.row_errors.get()
        self.assertIn("Có thể trùng với: Nguyễn Văn An (sinh 1985", error.reason)
        self.assertEqual(Person.objects.filter(name_folded="nguyen van an").count(), 1)

    def test_a_list_of_names_only_uploaded_twice_adds_nobody_the_second_time(self):
        rows = [["Nguyễn Văn An"], ["Trần Bình"]]
        self.run_import("people", ["Họ tên"], rows)
        again = self.run_import("people", ["Họ tên"], rows)
        self.assertEqual(self.counts(again), (0, 0, 2, 0))
        self.assertEqual(Person.objects.count(), 2)

    def test_two_rows_of_one_person_in_a_file_make_one_person(self):
        job = self.run_import("people", HEADERS, [row(1, "Nguyễn Văn An", phone="0912345678"),
                                                  row(2, "Nguyễn Văn An", phone="0912345678")])
        self.assertEqual(self.counts(job), (1, 0, 1, 0))

    def test_a_commune_outside_the_officers_commune_is_not_found(self):
        job = self.run_import("people", HEADERS, [row(1, "Nguyễn Văn An", commune="commune_b1")])
        self.assertEqual(self.errors_of(job), [(2, "commune", "commune_b1")])

    def test_an_empty_commune_means_the_commune_officers_own_commune(self):
        self.run_import("people", HEADERS, [row(1, "Nguyễn Văn An", commune="")])
        self.assertEqual(Person.objects.get().commune_id, self.units["commune_a1"].pk)

    def test_a_province_officer_needs_the_commune(self):
        job = self.run_import("people", HEADERS, [row(1, "Nguyễn Văn An", commune="")],
                              persona="province_leader")
        self.assertEqual(self.errors_of(job), [(2, "commune", "")])

    def test_a_commune_is_found_by_its_name_and_district_in_an_address(self):
        headers = ["Họ tên", "Năm sinh", "Địa chỉ"]
        job = self.run_import("people", headers, [
            ["Nguyễn Văn An", "1985", "Thôn 3, xã commune_a2, huyện district_a"]],
            persona="province_leader")
        self.assertEqual(self.counts(job), (1, 0, 0, 0))
        self.assertEqual(Person.objects.get().commune_id, self.units["commune_a2"].pk)

    def test_a_new_village_is_added_to_the_commune_once(self):
        self.run_import("people", HEADERS, [row(1, "An", village="Thôn Đông"),
                                            row(2, "Bình", village="thon dong")])
        village = Village.objects.get()
        self.assertEqual((village.name, village.commune_id), ("Thôn Đông", self.units["commune_a1"].pk))
        self.assertEqual(Person.objects.filter(village=village).count(), 2)
