"""Pages: the maps, the lockdown area list, form, detail (extend, lift), and designations."""

from __future__ import annotations

import json

from django.test import Client, override_settings
from django.urls import reverse

from chongdich.zones import services
from chongdich.zones.models import LockdownArea, ZoneDesignation
from chongdich.zones.tests.base import ZonesTestCase, on


class PageTests(ZonesTestCase):
    def login(self, persona: str) -> Client:
        client = Client()
        client.force_login(self.users[persona])
        return client

    def config(self, response) -> dict:
        html = response.content.decode()
        start = html.index('<script id="map-config" type="application/json">') + len(
            '<script id="map-config" type="application/json">')
        return json.loads(html[start:html.index("</script>", start)])

    def test_the_public_level_map_opens_without_login(self):
        response = Client().get(reverse("zones:public_levels"))
        self.assertEqual(response.status_code, 200)
        config = self.config(response)
        self.assertEqual(config["api"], "/api/zones/public/map")
        self.assertEqual(config["level"], "province")
        self.assertEqual(len(config["weeks"]), 12)
        self.assertEqual(config["weeks"][-1], "2021-W50")
        self.assertContains(response, "Cấp 4 – đỏ")
        self.assertContains(response, "Chưa đánh giá")
        self.assertContains(response, "zones/vendor/leaflet/leaflet.js")
        self.assertEqual(config["tile_url"], "")

    def test_the_officer_map_starts_at_the_officer_area(self):
        self.assertEqual(Client().get(reverse("zones:map")).status_code, 302)
        config = self.config(self.login("commune_officer").get(reverse("zones:map")))
        self.assertEqual((config["level"], config["parent"]), ("commune", self.units["district_a"].code))
        self.assertEqual(config["api"], "/api/zones/map")

    def test_lock_down_a_unit_from_the_map(self):
        client = self.login("district_epi")
        self.assertEqual(self.config(client.get(reverse("zones:map")))["new_area_url"], reverse("zones:area_new"))
        self.assertEqual(self.config(self.login("viewer").get(reverse("zones:map")))["new_area_url"], "")
        page = client.get(reverse("zones:area_new") + f"?shape=units&unit={self.units['commune_a2'].code}")
        self.assertEqual(page.context["form"]["units"].value(), [self.units["commune_a2"].pk])

    @override_settings(MAP_TILE_URL="https://tiles.example/{z}/{x}/{y}.png", MAP_TILE_ATTRIBUTION="© Thử")
    def test_a_configured_tile_layer_reaches_the_page(self):
        config = self.config(self.login("province_leader").get(reverse("zones:map") + "?week=2021-W40"))
        self.assertEqual((config["tile_url"], config["tile_attribution"]),
                         ("https://tiles.example/{z}/{x}/{y}.png", "© Thử"))
        self.assertEqual(config["weeks"][-1], "2021-W40")

    def test_record_a_point_area_through_the_form(self):
        response = self.login("commune_officer").post(reverse("zones:area_new"), {
            "shape": "point", "name": "Ngõ 5 thôn Đông", "reason": "Ca F0", "starts_at": "2021-12-15T08:00",
            "trigger_case": self.case.code, "lat": "21.005", "lon": "105.805", "core_m": "100",
            "buffer_m": "300", "watch_m": "1000"})
        area = LockdownArea.objects.get()
        self.assertRedirects(response, reverse("zones:area", args=[area.pk]))
        self.assertEqual((area.commune, area.trigger_case), (self.units["commune_a1"], self.case))
        page = self.login("commune_officer").get(reverse("zones:area", args=[area.pk]))
        self.assertContains(page, "≈ 6.789")
        self.assertContains(page, reverse("cases:detail", args=[self.case.pk]))

    def test_form_errors_show_on_their_field(self):
        response = self.login("commune_officer").post(reverse("zones:area_new"), {
            "shape": "point", "name": "X", "reason": "Y", "starts_at": "2021-12-15T08:00",
            "lat": "21.005", "lon": "105.805", "core_m": "300", "buffer_m": "100"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("buffer_m", response.context["form"].errors)
        self.assertFalse(LockdownArea.objects.exists())

    def test_a_case_code_outside_the_jurisdiction_is_an_error_on_its_field(self):
        response = self.login("commune_officer").post(reverse("zones:area_new"), {
            "shape": "units", "name": "X", "reason": "Y", "starts_at": "2021-12-15T08:00",
            "trigger_case": self.case_b.code, "villages": [self.village_east.pk]})
        self.assertIn("trigger_case", response.context["form"].errors)

    def test_record_units_then_lift_from_the_detail_page(self):
        client = self.login("district_epi")
        client.post(reverse("zones:area_new"), {
            "shape": "units", "name": "Hai xã", "reason": "Ổ dịch", "starts_at": "2021-12-10T08:00",
            "units": [self.units["commune_a1"].pk, self.units["commune_a2"].pk]})
        area = LockdownArea.objects.get()
        page = client.get(reverse("zones:area", args=[area.pk]))
        self.assertContains(page, "16.000")
        self.assertContains(page, "Gỡ phong tỏa")
        response = client.post(reverse("zones:area_lift", args=[area.pk]), {"reason": "Hết ca"})
        self.assertRedirects(response, reverse("zones:area", args=[area.pk]))
        self.assertEqual(LockdownArea.objects.get().lifted_reason, "Hết ca")
        listed = client.get(reverse("zones:areas") + "?state=ended")
        self.assertContains(listed, "Hai xã")

    def test_the_outsider_gets_404_on_the_detail_page(self):
        area = services.area_record_units(actor=self.users["commune_officer"], name="Thôn Đông", reason="F0",
                                          villages=[self.village_east], starts_at=on(12, 10))
        self.assertEqual(self.login("outsider").get(reverse("zones:area", args=[area.pk])).status_code, 404)
        viewer_page = self.login("viewer").get(reverse("zones:area", args=[area.pk]))
        self.assertNotContains(viewer_page, 'id="lift-form"')

    def test_designate_through_the_form(self):
        client = self.login("district_epi")
        response = client.post(reverse("zones:designations"), {
            "colour": "red", "starts_on": "2021-12-01", "units": [self.units["commune_a1"].pk]})
        self.assertRedirects(response, reverse("zones:designations"))
        self.assertEqual(ZoneDesignation.objects.get().colour, "red")
        self.assertContains(client.get(reverse("zones:designations")), "Vùng đỏ")
        refused = client.post(reverse("zones:designations"), {
            "colour": "green", "starts_on": "2021-11-01", "units": [self.units["commune_a1"].pk]})
        self.assertEqual(refused.status_code, 422)
