"""Reading cell values as Vietnamese spreadsheets write them, pure."""

import datetime as dt

from django.test import SimpleTestCase

from chongdich.imports import cells


class CellTableTests(SimpleTestCase):
    def check(self, parser, table):
        for raw, expected in table:
            with self.subTest(raw=raw):
                self.assertEqual(parser(raw), expected)

    def refused(self, parser, values):
        for raw in values:
            with self.subTest(raw=raw), self.assertRaises(cells.CellError):
                parser(raw)

    def test_dates(self):
        self.check(cells.parse_date, [
            ("20/05/2021", dt.date(2021, 5, 20)),
            ("2/5/2021", dt.date(2021, 5, 2)),
            ("20-05-2021", dt.date(2021, 5, 20)),
            ("20.05.2021", dt.date(2021, 5, 20)),
            ("2021-05-20", dt.date(2021, 5, 20)),
            ("44336", dt.date(2021, 5, 20)),  # an Excel day number
            ("", None),
        ])
        self.refused(cells.parse_date, ["31/02/2021", "20/05/21", "hôm qua"])

    def test_dates_with_a_time(self):
        self.check(cells.parse_datetime, [
            ("20/05/2021 14:30", (dt.date(2021, 5, 20), dt.time(14, 30))),
            ("2021-05-20 08:05", (dt.date(2021, 5, 20), dt.time(8, 5))),
            ("20/05/2021", (dt.date(2021, 5, 20), None)),
        ])

    def test_birth_is_a_date_or_only_a_year(self):
        self.check(cells.parse_birth, [
            ("1985", (None, 1985)),
            ("12/03/1985", (dt.date(1985, 3, 12), 1985)),
            ("", (None, None)),
        ])

    def test_ages(self):
        self.check(cells.parse_age, [("35", 35), ("35 tuổi", 35), ("6 tháng", 0), ("", None)])
        self.refused(cells.parse_age, ["già", "200"])

    def test_sex(self):
        self.check(cells.parse_sex, [
            ("Nam", "male"), ("NỮ", "female"), ("nu", "female"), ("F", "female"), ("", "unknown"),
        ])
        self.refused(cells.parse_sex, ["x"])

    def test_identity_numbers_that_excel_stored_as_numbers_get_their_leading_zero_back(self):
        self.check(cells.parse_citizen_id, [("26085012345", "026085012345"),
                                            ("026 085 012 345", "026085012345")])
        self.check(cells.parse_phone_text, [("912345678", "0912345678"),
                                            ("0912 345 678", "0912 345 678")])

    def test_patient_numbers_in_one_spelling(self):
        self.check(cells.patient_ref, [
            ("BN3214", "BN3214"), ("bn 3214", "BN3214"), ("BN-3214", "BN3214"), ("3214", "BN3214"),
            ("BN26-000123", "BN26-000123"), ("", ""),
        ])

    def test_the_patient_number_inside_an_infected_by_cell(self):
        self.check(cells.find_patient_ref, [
            ("BN3100", "BN3100"), ("F1 của BN 3100", "BN3100"), ("BN3100, BN3101", "BN3100"),
            ("3100", "BN3100"), ("chưa rõ nguồn lây", ""), ("", ""),
        ])

    def test_detection(self):
        self.check(cells.parse_detection, [
            ("Sàng lọc cộng đồng", "community"), ("Trong khu cách ly", "quarantine"),
            ("Ca nhập cảnh", "imported"), ("có triệu chứng, tự đến khám", "symptoms"),
            ("", "community"),
        ])
        self.refused(cells.parse_detection, ["không biết"])
