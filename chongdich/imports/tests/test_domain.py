"""Header matching and mapping checks, pure (no database)."""

from django.test import SimpleTestCase

from chongdich.imports import domain
from chongdich.imports.domain import FieldSpec, RowOutcome

FIELDS = (
    FieldSpec("full_name", "Họ và tên", required=True, aliases=("ho ten", "ho va ten")),
    FieldSpec("birth_year", "Năm sinh", aliases=("nam sinh",)),
    FieldSpec("phone", "Điện thoại", aliases=("sdt", "so dien thoai")),
)


class HeaderKeyTests(SimpleTestCase):
    def test_headers_are_compared_without_diacritics_case_brackets_or_punctuation(self):
        table = [
            ("Họ và tên", "ho va ten"),
            ("HỌ TÊN *", "ho ten"),
            ("Ngày sinh (dd/mm/yyyy)", "ngay sinh"),
            ("  Số   điện thoại  ", "so dien thoai"),
            ("SĐT", "sdt"),
            ("", ""),
        ]
        for header, key in table:
            with self.subTest(header=header):
                self.assertEqual(domain.header_key(header), key)


class MatchHeadersTests(SimpleTestCase):
    def test_aliases_name_the_fields_in_the_files_own_spelling(self):
        columns = domain.match_headers(FIELDS, ["STT", "HỌ TÊN", "Năm sinh", "SĐT"])
        self.assertEqual(columns, {"full_name": "HỌ TÊN", "birth_year": "Năm sinh", "phone": "SĐT"})

    def test_a_header_serves_one_field_only(self):
        fields = (FieldSpec("a", "Tên", aliases=("ten",)), FieldSpec("b", "Tên", aliases=("ten",)))
        self.assertEqual(domain.match_headers(fields, ["Tên"]), {"a": "Tên"})


class CheckMappingTests(SimpleTestCase):
    headers = ["STT", "Họ tên", "Năm sinh", "Ghi chú riêng"]

    def test_a_missing_required_field_makes_the_mapping_incomplete(self):
        check = domain.check_mapping(FIELDS, self.headers, {"birth_year": "Năm sinh"})
        self.assertEqual(check.missing, ("full_name",))
        self.assertFalse(check.complete)

    def test_an_unexplained_column_makes_the_mapping_uncertain_but_running_numbers_do_not(self):
        check = domain.check_mapping(FIELDS, self.headers, {"full_name": "Họ tên"})
        self.assertTrue(check.complete)
        self.assertEqual(check.unknown, ("Năm sinh", "Ghi chú riêng"))
        self.assertFalse(check.certain)

    def test_a_saved_mapping_fits_headers_spelled_differently(self):
        check = domain.check_mapping(FIELDS, ["HỌ TÊN"], {"full_name": "Họ tên"})
        self.assertEqual(check.columns, {"full_name": "HỌ TÊN"})
        self.assertTrue(check.certain)

    def test_a_header_the_file_lacks_is_reported_absent(self):
        check = domain.check_mapping(FIELDS, ["Họ tên"], {"full_name": "Họ tên", "phone": "ĐT"})
        self.assertEqual(check.absent, ("ĐT",))
        self.assertFalse(check.complete)

    def test_the_error_report_columns_are_ignored_on_upload(self):
        check = domain.check_mapping(FIELDS, ["Dòng", "Cột", "Giá trị", "Lý do", "Họ tên"],
                                     {"full_name": "Họ tên"})
        self.assertTrue(check.certain)


class PickSavedMappingTests(SimpleTestCase):
    def test_the_fitting_mapping_that_takes_most_columns_wins(self):
        saved = [
            (1, {"full_name": "Tên đầy đủ"}),  # the file has no such header
            (2, {"full_name": "Họ tên"}),
            (3, {"full_name": "Họ tên", "phone": "Di động"}),
            (4, {"phone": "Di động"}),  # no name: incomplete
        ]
        self.assertEqual(domain.pick_saved_mapping(FIELDS, ["Họ tên", "Di động"], saved), 3)

    def test_no_mapping_fits_a_file_without_their_headers(self):
        self.assertIsNone(domain.pick_saved_mapping(FIELDS, ["Tên"], [(1, {"full_name": "Họ tên"})]))


class OutcomeTests(SimpleTestCase):
    def test_a_row_the_kind_forgot_becomes_an_error_and_extra_outcomes_are_dropped(self):
        outcomes = [RowOutcome(3, "created"), RowOutcome(3, "error"), RowOutcome(9, "created")]
        settled = domain.one_outcome_per_row([2, 3], outcomes, "quên")
        self.assertEqual([(o.row, o.status, o.reason) for o in settled],
                         [(2, "error", "quên"), (3, "created", "")])

    def test_rows_become_fields_and_short_rows_give_empty_cells(self):
        positions = domain.column_positions(["Họ tên", "SĐT"], {"full_name": "Họ tên", "phone": "SĐT"})
        self.assertEqual(domain.row_fields(["An"], positions), {"full_name": "An", "phone": ""})
