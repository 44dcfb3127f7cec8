"""People pages: search, the person page, the picker."""

from django.test import TestCase
from django.urls import reverse

from chongdich.cases.models import Detection
from chongdich.cases.services import case_register, contact_add
from chongdich.core import clock
from chongdich.core.testing import at, make_geography, personas
from chongdich.people.services import person_create

HTMX = {"HTTP_HX_REQUEST": "true"}


class PeoplePages(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)
        leader = cls.users["province_leader"]
        cls.duc = person_create(actor=leader, commune=cls.units["commune_a1"], full_name="Nguyễn Văn Đức",
                                birth_year=1975, phone="0912000111")
        cls.hoa = person_create(actor=leader, commune=cls.units["commune_a1"], full_name="Lê Thị Hoa")
        cls.khanh = person_create(actor=leader, commune=cls.units["commune_b1"], full_name="Nguyễn Khánh")
        with clock.frozen_at(at(20)):
            cls.case = case_register(actor=leader, person=cls.duc, confirmed_at=at(10),
                                     detection=Detection.COMMUNITY)
            contact_add(actor=leader, person=cls.duc, contact=cls.hoa, last_contact_at=at(9))

    def setUp(self):
        self.client.force_login(self.users["commune_officer"])


class PersonListTests(PeoplePages):
    def test_the_person_list_requires_login(self):
        self.client.logout()
        self.assertEqual(self.client.get(reverse("people:list")).status_code, 302)

    def test_search_without_diacritics_finds_the_person(self):
        response = self.client.get(reverse("people:list"), {"q": "nguyen van duc"})
        self.assertContains(response, "Nguyễn Văn Đức")
        self.assertNotContains(response, "Lê Thị Hoa")

    def test_people_outside_the_jurisdiction_are_not_listed(self):
        response = self.client.get(reverse("people:list"), {"q": "nguyen"})
        self.assertNotContains(response, "Nguyễn Khánh")

    def test_the_rank_filter_lists_the_f1(self):
        response = self.client.get(reverse("people:list"), {"rank": "1"})
        self.assertEqual([p.full_name for p in response.context["page"]], ["Lê Thị Hoa"])

    def test_an_htmx_request_gets_only_the_results(self):
        body = self.client.get(reverse("people:list"), {"q": "hoa"}, **HTMX).content.decode()
        self.assertTrue(body.lstrip().startswith('<section id="results"'))
        self.assertIn("Lê Thị Hoa", body)


class PersonPageTests(PeoplePages):
    def test_the_person_page_shows_rank_cases_and_contacts(self):
        response = self.client.get(reverse("people:detail", args=[self.duc.pk]))
        self.assertContains(response, self.case.code)
        self.assertContains(response, "Lê Thị Hoa")
        self.assertContains(response, '<span class="rank rank-0">F0</span>', html=True)

    def test_a_person_outside_the_jurisdiction_is_not_found(self):
        response = self.client.get(reverse("people:detail", args=[self.khanh.pk]))
        self.assertEqual(response.status_code, 404)

    def test_an_f1_page_offers_to_register_them_as_a_case(self):
        response = self.client.get(reverse("people:detail", args=[self.hoa.pk]))
        self.assertContains(response, f"{reverse('cases:new')}?person={self.hoa.pk}")


class PickerTests(PeoplePages):
    def test_the_picker_offers_matching_people_as_choices(self):
        response = self.client.get(reverse("people:pick"), {"q": "duc", "field": "contact"})
        self.assertContains(response, f'name="contact" value="{self.duc.pk}"')

    def test_the_picker_does_not_offer_people_outside_the_jurisdiction(self):
        response = self.client.get(reverse("people:pick"), {"q": "khanh"})
        self.assertNotContains(response, "Nguyễn Khánh")

    def test_the_picker_waits_for_two_letters(self):
        response = self.client.get(reverse("people:pick"), {"q": "n"})
        self.assertEqual(list(response.context["people"]), [])
