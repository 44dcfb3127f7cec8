"""The pages: coverage with its drill-down, a person's doses, aggregate reports."""

from django.urls import reverse

from chongdich.vaccination.models import CoverageReport, DoseRecord
from chongdich.vaccination.services import dose_record
from chongdich.vaccination.tests.base import VaccinationTestCase, day


class VaccinationPageTests(VaccinationTestCase):
    def test_the_coverage_page_shows_the_table_the_source_and_the_child_units(self):
        dose_record(actor=self.users["commune_officer"], person=self.people["An"],
                    product=self.products["AZ"], dose_number=1, given_on=day(7, 1))
        self.client.force_login(self.users["province_leader"])
        response = self.client.get(reverse("vaccination:coverage", args=[self.units["district_a"].code]))
        self.assertContains(response, 'id="coverage-table"')
        self.assertContains(response, "từ danh sách tiêm")
        self.assertContains(response, reverse("vaccination:coverage", args=[self.units["commune_a1"].code]))

    def test_an_outsider_gets_404_for_another_communes_coverage(self):
        self.client.force_login(self.users["outsider"])
        response = self.client.get(reverse("vaccination:coverage", args=[self.units["commune_a1"].code]))
        self.assertEqual(response.status_code, 404)

    def test_a_commune_officer_records_a_dose_on_the_persons_page(self):
        self.client.force_login(self.users["commune_officer"])
        url = reverse("vaccination:person", args=[self.people["An"].pk])
        response = self.client.post(url, {"product": self.products["PFIZER"].pk, "dose_number": 1,
                                           "given_on": "2021-08-01", "site": "Trạm y tế", "batch": "FF1"})
        self.assertRedirects(response, url)
        self.assertEqual(DoseRecord.objects.get(person=self.people["An"]).batch, "FF1")
        self.assertContains(self.client.get(url), "Pfizer")

    def test_a_future_date_stays_on_the_form_with_the_error(self):
        self.client.force_login(self.users["commune_officer"])
        response = self.client.post(reverse("vaccination:person", args=[self.people["An"].pk]), {
            "product": self.products["AZ"].pk, "dose_number": 1, "given_on": "2022-01-01"})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "Ngày tiêm ở tương lai.", status_code=422)

    def test_a_report_is_sent_through_the_form(self):
        self.client.force_login(self.users["province_leader"])
        response = self.client.post(reverse("vaccination:reports"), {
            "unit": self.units["commune_b1"].pk, "as_of": "2021-12-14", "grp": "18+", "population": "7200",
            "one_dose": "6900", "full_series": "5900", "source": "BC 12/TTYT"})
        self.assertRedirects(response, reverse("vaccination:reports"))
        self.assertEqual(CoverageReport.objects.get().one_dose, 6900)

    def test_a_commune_officer_reports_for_their_commune_only(self):
        self.client.force_login(self.users["commune_officer"])
        response = self.client.get(reverse("vaccination:reports"))
        self.assertEqual(response.status_code, 200)
        units = list(response.context["form"].fields["unit"].queryset)
        self.assertEqual(units, [self.units["commune_a1"]])

    def test_an_htmx_request_gets_only_the_coverage_partial(self):
        self.client.force_login(self.users["province_leader"])
        response = self.client.get(reverse("vaccination:coverage", args=[self.units["province"].code]),
                                   {"as_of": "2021-12-01"}, HTTP_HX_REQUEST="true")
        self.assertContains(response, 'id="children-table"')
        self.assertNotContains(response, "<html")

    def test_a_national_account_sees_the_provinces(self):
        from chongdich.core.testing import make_user

        self.client.force_login(make_user(None, "epidemiologist", is_national=True))
        response = self.client.get(reverse("vaccination:index"))
        self.assertContains(response, self.units["province"].name_with_type)
