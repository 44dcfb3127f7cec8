"""Errors from services and domain rules speak the interface language: Vietnamese unless English
was chosen, translated when the error is raised."""

from django.test import TestCase
from django.utils import translation

from chongdich.core.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ProbableDuplicate,
)
from chongdich.core.testing import make_geography, personas
from chongdich.core.tests.api_helpers import ApiTestCase
from chongdich.people.selectors import person_get
from chongdich.people.services import person_create


def _no_active_language(test):
    """Start from no activated language (what a fresh thread has) and leave it that way."""
    translation.deactivate()
    test.addCleanup(translation.deactivate)


class ServiceErrorLanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)
        cls.duc = person_create(actor=cls.users["commune_officer"], commune=cls.units["commune_a1"],
                                full_name="Nguyễn Văn Đức", birth_year=1980)

    def setUp(self):
        _no_active_language(self)

    def register_with_phone(self, phone: str):
        with self.assertRaises(InvalidInput) as refused:
            person_create(actor=self.users["commune_officer"], commune=self.units["commune_a1"],
                          full_name="Trần Thị Bình", birth_year=1990, phone=phone)
        return refused.exception

    def test_a_bad_phone_is_refused_in_vietnamese_by_default(self):
        error = self.register_with_phone("12345")
        self.assertEqual((error.message, error.field), ("Số điện thoại không hợp lệ: 12345", "phone"))

    def test_the_same_bad_phone_is_refused_in_english_when_english_is_active(self):
        with translation.override("en"):
            error = self.register_with_phone("12345")
        self.assertEqual((error.message, error.field, error.code),
                         ("Invalid phone number: 12345", "phone", "invalid"))

    def test_a_person_outside_the_jurisdiction_is_not_found_in_vietnamese_by_default(self):
        with self.assertRaises(NotFound) as missing:
            person_get(actor=self.users["outsider"], person_id=self.duc.pk)
        self.assertEqual(missing.exception.message, "Không tìm thấy người này.")

    def test_a_person_outside_the_jurisdiction_is_not_found_in_english_when_english_is_active(self):
        with translation.override("en"), self.assertRaises(NotFound) as missing:
            person_get(actor=self.users["outsider"], person_id=self.duc.pk)
        self.assertEqual(missing.exception.message, "Person not found.")

    def test_a_refused_role_names_the_capability_in_english(self):
        with translation.override("en"), self.assertRaises(PermissionDenied) as refused:
            person_create(actor=self.users["viewer"], commune=self.units["commune_a1"],
                          full_name="Trần Thị Bình")
        self.assertEqual(refused.exception.message, "Your role may not do this (register_person).")

    def test_the_message_keeps_the_language_it_was_raised_in(self):
        with translation.override("en"):
            error = self.register_with_phone("12345")
        with translation.override("vi"):
            self.assertEqual(error.message, "Invalid phone number: 12345")
            self.assertEqual(str(error), "Invalid phone number: 12345")


class DefaultMessageLanguageTests(TestCase):
    ERRORS = (DomainError, NotFound, PermissionDenied, InvalidInput, Conflict, ProbableDuplicate)

    def setUp(self):
        _no_active_language(self)

    def test_an_error_raised_without_a_message_says_not_found_in_the_active_language(self):
        self.assertEqual(NotFound().message, "Không tìm thấy.")
        with translation.override("en"):
            self.assertEqual(NotFound().message, "Not found.")

    def test_every_default_message_is_a_plain_string_with_its_own_english_translation(self):
        for error_class in self.ERRORS:
            with self.subTest(error_class.__name__):
                vietnamese = error_class().message
                with translation.override("en"):
                    english = error_class().message
                self.assertIs(type(vietnamese), str)
                self.assertIs(type(english), str)
                self.assertNotEqual(english, vietnamese)
                self.assertEqual(str(error_class()), vietnamese)

    def test_a_message_given_at_raise_time_wins_over_the_default(self):
        with translation.override("en"):
            self.assertEqual(Conflict("Đã có.").message, "Đã có.")


class ApiErrorLanguageTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        _no_active_language(self)

    def register_with_bad_phone(self, **headers):
        body = {"commune": self.units["commune_a1"].code, "full_name": "Trần Thị Bình",
                "birth_year": 1990, "phone": "12345"}
        return self.assertStatus(self.post("/api/persons", body, **headers), 422)

    def choose_language(self, code: str):
        self.client.post("/i18n/setlang/", {"language": code, "next": "/"})

    def test_a_422_is_in_vietnamese_even_when_the_browser_asks_for_english(self):
        self.as_user("tracer")
        body = self.register_with_bad_phone(accept_language="en-US,en;q=0.9")
        self.assertEqual((body["error"], body["field"], body["message"]),
                         ("invalid", "phone", "Số điện thoại không hợp lệ: 12345"))

    def test_a_422_is_in_english_once_english_is_chosen(self):
        self.as_user("tracer")
        self.choose_language("en")
        body = self.register_with_bad_phone()
        self.assertEqual((body["error"], body["field"], body["message"]),
                         ("invalid", "phone", "Invalid phone number: 12345"))

    def test_choosing_vietnamese_again_brings_vietnamese_errors_back(self):
        self.as_user("tracer")
        self.choose_language("en")
        self.register_with_bad_phone()
        self.choose_language("vi")
        body = self.register_with_bad_phone()
        self.assertEqual(body["message"], "Số điện thoại không hợp lệ: 12345")

    def test_a_404_is_in_english_once_english_is_chosen(self):
        duc = person_create(actor=self.users["commune_officer"], commune=self.units["commune_a1"],
                            full_name="Nguyễn Văn Đức", birth_year=1980)
        self.as_user("outsider")
        self.choose_language("en")
        body = self.assertStatus(self.get(f"/api/persons/{duc.pk}"), 404)
        self.assertEqual((body["error"], body["message"]), ("not_found", "Person not found."))

    def test_an_unauthenticated_request_is_told_so_in_english_once_english_is_chosen(self):
        self.choose_language("en")
        body = self.assertStatus(self.get("/api/persons"), 401)
        self.assertEqual((body["error"], body["message"]),
                         ("unauthenticated", "Sign-in required (browser session or Bearer access token)."))
