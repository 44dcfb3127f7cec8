"""The lab-results kind: reading its cells (no database), and whole files through the runner."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import SimpleTestCase
from django.utils import timezone

from chongdich.accounts.models import User
from chongdich.core.testing import at, make_user
from chongdich.imports import domain
from chongdich.imports.kinds.lab_results import FIELDS, parse_ct, parse_when, read_rows
from chongdich.imports.tests.helpers import ImportTestCase
from chongdich.testing.models import Laboratory, LabResult
from chongdich.testing.services import sample_take


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


TIMES = [
    ("01/06/2021 14:30", local(2021, 6, 1, 14, 30)),
    ("1/6/2021 9:05", local(2021, 6, 1, 9, 5)),
    ("01-06-2021 14:30:15", local(2021, 6, 1, 14, 30, 15)),
    ("01.06.2021 9h30", local(2021, 6, 1, 9, 30)),
    ("01/06/2021 9h", local(2021, 6, 1, 9, 0)),
    ("14:30 01/06/2021", local(2021, 6, 1, 14, 30)),
    ("9h30 ngày 01/06/2021", local(2021, 6, 1, 9, 30)),
    ("01/06/2021 2:30 CH", local(2021, 6, 1, 14, 30)),
    ("01/06/2021 12:10 AM", local(2021, 6, 1, 0, 10)),
    ("2021-06-01 14:30", local(2021, 6, 1, 14, 30)),
    ("2021-06-01T14:30:00", local(2021, 6, 1, 14, 30)),
    ("2021-06-01T07:30:00Z", local(2021, 6, 1, 14, 30)),
    ("2021-06-01 14:30:00+07:00", local(2021, 6, 1, 14, 30)),
    ("2021-06-01", local(2021, 6, 1)),
    ("01/06/2021", local(2021, 6, 1)),
    ("44348.6041666667", local(2021, 6, 1, 14, 30)),
    ("44348", local(2021, 6, 1)),
]
NOT_TIMES = ["", "hôm qua", "31/06/2021 10:00", "01/06/2021 25:00", "01/06/21 10:00", "2021-13-01",
             "12345", "06/2021"]

CTS = [("", None), ("25.3", Decimal("25.3")), ("25,3", Decimal("25.3")), ("18.27", Decimal("18.3")),
       ("0", Decimal("0.0")), ("50", Decimal("50.0")), ("-", None), ("N/A", None),
       ("Undetermined", None), ("KXĐ", None)]
NOT_CTS = ["50.1", "-3", "cao", "25..3"]


class CellTests(SimpleTestCase):
    def test_result_times_as_labs_write_them(self):
        for text, expected in TIMES:
            with self.subTest(text):
                self.assertEqual(parse_when(text), expected)

    def test_what_is_not_a_result_time(self):
        for text in NOT_TIMES:
            with self.subTest(text), self.assertRaises(ValueError):
                parse_when(text)

    def test_ct_values(self):
        for text, expected in CTS:
            with self.subTest(text):
                self.assertEqual(parse_ct(text), expected)

    def test_what_is_not_a_ct_value(self):
        for text in NOT_CTS:
            with self.subTest(text), self.assertRaises(ValueError):
                parse_ct(text)

    def test_rows_with_unreadable_cells_become_errors_and_the_rest_go_on(self):
        errors, good = read_rows([
            (2, {"sample_code": "s-1", "result": "Dương tính", "resulted_at": "01/06/2021 14:30",
                 "ct_value": "21,5"}),
            (3, {"sample_code": "S-2", "result": "?", "resulted_at": "01/06/2021 14:30"}),
            (4, {"sample_code": "S-3", "result": "Âm tính", "resulted_at": "sáng nay"}),
            (5, {"sample_code": "S-4", "result": "Âm tính", "resulted_at": "01/06/2021",
                 "ct_value": "x9"}),
        ])
        self.assertEqual([(e.row, e.column) for e in errors],
                         [(3, "result"), (4, "resulted_at"), (5, "ct_value")])
        when = local(2021, 6, 1, 14, 30)
        self.assertEqual(good, [(2, "S-1", "", "positive", when, Decimal("21.5"), "", "", when.timestamp())])


class HeaderTests(SimpleTestCase):
    def test_headers_as_labs_write_them_find_their_fields(self):
        files = {
            ("STT", "Mã mẫu", "Kết quả XN", "Ngày trả KQ", "Giá trị Ct", "Mã PXN", "Số phiếu"):
                ["sample_code", "result", "resulted_at", "ct_value", "laboratory_code", "external_ref"],
            ("Mã ống gộp", "KẾT QUẢ", "Thời gian trả kết quả", "CT (gen E)"):
                ["pool_code", "result", "resulted_at", "ct_value"],
            ("Sample ID", "Result", "Result date", "Ct value", "Lab"):
                ["sample_code", "result", "resulted_at", "ct_value", "laboratory_code"],
        }
        for headers, fields in files.items():
            with self.subTest(headers[1]):
                self.assertEqual(sorted(domain.match_headers(FIELDS, headers)), sorted(fields))


class LabFileTests(ImportTestCase):
    HEADERS = ["STT", "Mã mẫu", "Kết quả", "Thời gian trả kết quả", "Giá trị Ct", "Mã PXN"]

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lab_user = make_user(cls.units["province"], User.Role.LAB)
        Laboratory.objects.create(code="CDC", name="CDC tỉnh", unit=cls.units["province"])
        from chongdich.people.services import person_create

        leader = cls.users["province_leader"]
        for i in range(1, 4):
            person = person_create(actor=leader, commune=cls.units["commune_a1"], full_name=f"Người {i}")
            sample_take(actor=leader, person=person, taken_at=at(18), reason="symptoms", code=f"S-{i}")

    def lab_file(self):
        return [
            ["1", "S-1", "Âm tính", "19/05/2021 10:00", "", "CDC"],
            ["2", "S-2", "Dương tính", "19/05/2021 10:05", "24,1", "CDC"],
            ["3", "S-9", "Âm tính", "19/05/2021 10:05", "", "CDC"],
            ["4", "S-3", "Âm tính", "17/05/2021 10:05", "", "CDC"],
        ]

    def test_a_lab_file_lands_and_its_bad_rows_are_reported(self):
        job = self.run_import("lab_results", self.HEADERS, self.lab_file(), persona="lab")
        self.assertEqual(self.counts(job), (2, 0, 0, 2))
        self.assertEqual(self.errors_of(job), [(4, "sample_code", "S-9"),
                                               (5, "resulted_at", "17/05/2021 10:05")])
        self.assertEqual(LabResult.objects.count(), 2)

    def test_the_same_file_again_changes_nothing(self):
        self.run_import("lab_results", self.HEADERS, self.lab_file(), persona="lab")
        job = self.run_import("lab_results", self.HEADERS, self.lab_file(), persona="lab")
        self.assertEqual(self.counts(job), (0, 0, 2, 2))
        self.assertEqual(LabResult.objects.count(), 2)

    def start(self, kind, headers, rows, *, persona="commune_officer", **options):
        if persona == "lab":
            self.users["lab"] = self.lab_user
        return super().start(kind, headers, rows, persona=persona, **options)
