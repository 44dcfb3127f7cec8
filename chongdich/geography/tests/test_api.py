"""/api/units: public geography to browse, populations and villages to edit within one's own units."""

from chongdich.core.tests.api_helpers import ApiTestCase
from chongdich.geography.models import AdminUnit, PopulationSource, Village


class UnitReadTests(ApiTestCase):
    def test_units_come_in_pages_with_count_page_and_page_size(self):
        self.as_user("commune_officer")
        total = AdminUnit.objects.count()
        body = self.assertStatus(self.get("/api/units", page=2, page_size=2), 200)
        self.assertEqual((body["count"], body["page"], body["page_size"]), (total, 2, 2))
        codes = list(AdminUnit.objects.order_by("code").values_list("code", flat=True))
        self.assertEqual([u["code"] for u in body["items"]], codes[2:4])

    def test_a_page_size_over_200_is_a_validation_error_naming_the_field(self):
        self.as_user("viewer")
        body = self.assertStatus(self.get("/api/units", page_size=201), 422)
        self.assertEqual((body["error"], body["field"]), ("invalid", "page_size"))
        self.assertEqual(body["errors"][0]["field"], "page_size")
        self.assertIn("page_size", body["message"])

    def test_units_are_filtered_by_level_and_parent_and_found_without_diacritics(self):
        self.as_user("outsider")  # units are public geography, even outside one's own commune
        district = self.units["district_a"]
        AdminUnit.objects.filter(pk=self.units["commune_a2"].pk).update(name_folded="xa dong tien")
        body = self.assertStatus(
            self.get("/api/units", level="commune", parent=district.code, q="Đồng Tiến"), 200
        )
        self.assertEqual([u["code"] for u in body["items"]], [self.units["commune_a2"].code])
        self.assertEqual(body["items"][0]["parent_code"], district.code)

    def test_one_unit_has_its_ancestors_and_population(self):
        self.as_user("commune_officer")
        commune = self.units["commune_b1"]
        body = self.assertStatus(self.get(f"/api/units/{commune.code}"), 200)
        self.assertEqual(body["province_code"], self.units["province"].code)
        self.assertEqual(body["district_code"], self.units["district_b"].code)
        self.assertEqual(body["population"], commune.population)

    def test_an_unknown_code_is_404_json(self):
        self.as_user("commune_officer")
        self.assertEqual(self.assertStatus(self.get("/api/units/zzzzz"), 404)["error"], "not_found")


class UnitWriteTests(ApiTestCase):
    def test_an_officer_corrects_the_population_of_their_commune(self):
        self.as_user("commune_officer")
        commune = self.units["commune_a1"]
        body = self.assertStatus(
            self.patch(f"/api/units/{commune.code}/population", {"population": 12345, "note": "UBND xã"}), 200
        )
        self.assertEqual((body["population"], body["population_source"]), (12345, PopulationSource.USER))
        commune.refresh_from_db()
        self.assertEqual(commune.population, 12345)

    def test_a_viewer_may_not_change_a_population(self):
        self.as_user("viewer")
        code = self.units["commune_a1"].code
        body = self.assertStatus(self.patch(f"/api/units/{code}/population", {"population": 1}), 403)
        self.assertEqual(body["error"], "permission_denied")

    def test_an_officer_cannot_touch_another_communes_population(self):
        self.as_user("outsider")
        code = self.units["commune_a1"].code
        self.assertStatus(self.patch(f"/api/units/{code}/population", {"population": 1}), 404)
        self.assertNotEqual(AdminUnit.objects.get(code=code).population, 1)

    def test_a_negative_population_is_refused_naming_the_field(self):
        self.as_user("commune_officer")
        code = self.units["commune_a1"].code
        body = self.assertStatus(self.patch(f"/api/units/{code}/population", {"population": -5}), 422)
        self.assertEqual(body["field"], "population")

    def test_villages_are_added_under_a_commune_and_listed(self):
        self.as_user("commune_officer")
        code = self.units["commune_a1"].code
        created = self.assertStatus(self.post(f"/api/units/{code}/villages", {"name": "Thôn Đông", "kind": "thon"}), 201)
        self.assertEqual(created["commune_code"], code)
        listed = self.assertStatus(self.get(f"/api/units/{code}/villages"), 200)
        self.assertEqual([v["name"] for v in listed["items"]], ["Thôn Đông"])

    def test_a_second_village_with_the_same_name_is_refused(self):
        self.as_user("commune_officer")
        code = self.units["commune_a1"].code
        self.post(f"/api/units/{code}/villages", {"name": "Thôn Đông"})
        body = self.assertStatus(self.post(f"/api/units/{code}/villages", {"name": "thôn đông"}), 422)
        self.assertEqual(body["field"], "name")
        self.assertEqual(Village.objects.count(), 1)
