"""Login, logout and the language switch."""

from django.test import TestCase
from django.urls import reverse

from chongdich.core.testing import make_geography, personas


class AccountPages(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)


class LoginTests(AccountPages):
    def test_the_login_page_is_in_vietnamese_by_default(self):
        response = self.client.get(reverse("login"))
        self.assertContains(response, "Đăng nhập")
        self.assertContains(response, '<html lang="vi">')

    def test_logging_in_opens_the_dashboard(self):
        user = self.users["province_leader"]
        response = self.client.post(reverse("login"), {"username": user.username, "password": "pw-test-123456"})
        self.assertRedirects(response, reverse("dashboard:home"))

    def test_a_wrong_password_is_refused_with_a_message(self):
        user = self.users["province_leader"]
        response = self.client.post(reverse("login"), {"username": user.username, "password": "wrong"})
        self.assertContains(response, "Tên đăng nhập hoặc mật khẩu không đúng.")

    def test_logging_out_returns_to_the_login_page(self):
        self.client.force_login(self.users["viewer"])
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, reverse("login"))
        self.assertEqual(self.client.get(reverse("dashboard:home")).status_code, 302)


class LanguageTests(AccountPages):
    def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(self):
        response = self.client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(response, '<html lang="vi">')

    def test_switching_to_english_shows_english_text(self):
        self.client.force_login(self.users["province_leader"])
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = self.client.get(reverse("cases:list"))
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Cases (F0)")
        self.assertContains(response, "Register a case")
        self.assertNotContains(response, "Đăng ký ca bệnh")

    def test_choice_labels_follow_the_language(self):
        self.client.force_login(self.users["province_leader"])
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = self.client.get(reverse("cases:new"))
        self.assertContains(response, "Hospital tier 1")
        self.assertContains(response, "Community screening")

    def test_switching_back_to_vietnamese(self):
        self.client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
        self.assertContains(self.client.get(reverse("login")), "Sign in")
        self.client.post(reverse("set_language"), {"language": "vi", "next": "/login/"})
        self.assertContains(self.client.get(reverse("login")), "Đăng nhập")
