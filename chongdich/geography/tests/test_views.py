"""Unit pages: population and its source, villages."""

from django.test import TestCase
from django.urls import reverse

from chongdich.core.testing import make_geography, personas
from chongdich.geography.models import PopulationSource, Village


class UnitPages(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)
        commune = cls.units["commune_a1"]
        commune.population_source = PopulationSource.ESTIMATE
        commune.save()
        Village.objects.create(commune=commune, district=commune.district, province=commune.province,
                               name="Thôn Đông")

    def url(self, key="commune_a1", name="geography:unit"):
        return reverse(name, args=[self.units[key].code])


class UnitPageTests(UnitPages):
    def test_the_unit_page_requires_login(self):
        self.assertEqual(self.client.get(self.url()).status_code, 302)

    def test_the_commune_page_shows_population_with_its_source_and_villages(self):
        self.client.force_login(self.users["commune_officer"])
        response = self.client.get(self.url())
        self.assertContains(response, "10.000")
        self.assertContains(response, "Ước tính")
        self.assertContains(response, "Thôn Đông")

    def test_a_province_page_lists_its_districts(self):
        self.client.force_login(self.users["province_leader"])
        response = self.client.get(self.url("province"))
        self.assertEqual(list(response.context["children"]),
                         [self.units["district_a"], self.units["district_b"]])

    def test_a_unit_outside_the_jurisdiction_is_not_found(self):
        self.client.force_login(self.users["commune_officer"])
        self.assertEqual(self.client.get(self.url("commune_b1")).status_code, 404)
        self.assertEqual(self.client.get(self.url("province")).status_code, 404)

    def test_the_unit_home_opens_the_actors_unit(self):
        self.client.force_login(self.users["commune_officer"])
        self.assertRedirects(self.client.get(reverse("geography:home")), self.url())


class VillageFormTests(UnitPages):
    def test_an_officer_adds_a_village(self):
        self.client.force_login(self.users["commune_officer"])
        response = self.client.post(self.url(name="geography:village_add"),
                                    {"name": "Tổ dân phố 3", "kind": "to_dan_pho", "population": "420"})
        self.assertRedirects(response, self.url())
        self.assertTrue(Village.objects.filter(name="Tổ dân phố 3", population=420).exists())

    def test_a_village_name_used_twice_is_shown_on_the_name_field(self):
        self.client.force_login(self.users["commune_officer"])
        response = self.client.post(self.url(name="geography:village_add"), {"name": "thôn đông", "kind": "thon"})
        self.assertTrue(response.context["village_form"].has_error("name"))
        self.assertContains(response, 'value="thôn đông"')

    def test_an_outsider_cannot_add_a_village(self):
        self.client.force_login(self.users["outsider"])
        response = self.client.post(self.url(name="geography:village_add"), {"name": "Thôn Tây", "kind": "thon"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Village.objects.filter(name="Thôn Tây").exists())
