"""The dashboard: its figures must say what the data say, for the actor's area only."""

import datetime as dt

from django.test import TestCase
from django.urls import reverse

from chongdich.cases.models import CaseStatus, Detection
from chongdich.cases.selectors import CaseFilters, case_list
from chongdich.cases.services import case_discard, case_record_status, case_register, contact_add
from chongdich.core import clock
from chongdich.core.testing import at, make_geography, personas
from chongdich.dashboard.selectors import (
    case_count_from_daily,
    commune_map,
    dashboard_figures,
    epidemic_curve,
    report_day,
    tracing_figures,
)
from chongdich.people.services import person_create

HTMX = {"HTTP_HX_REQUEST": "true"}


class Wave(TestCase):
    """May 2021. A1: An (3rd, recovers on the 10th), Cường (10th, home care, contact Em whose
    contact is Phúc), Hà (10th, discarded). A2: Bình (imported, 5th, dies on the 9th).
    B1: Dũng (10th, hospital tier 2, contact Giang). The report is on the 10th at 18:00."""

    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)
        leader = cls.users["province_leader"]

        def person(name, commune):
            return person_create(actor=leader, commune=cls.units[commune], full_name=name)

        def case(p, day, hour=9, detection=Detection.COMMUNITY, **kw):
            return case_register(actor=leader, person=p, confirmed_at=at(day, hour), detection=detection, **kw)

        with clock.frozen_at(at(10, 18)):
            an, cuong, ha = person("An", "commune_a1"), person("Cường", "commune_a1"), person("Hà", "commune_a1")
            em, phuc = person("Em", "commune_a1"), person("Phúc", "commune_a1")
            binh, dung, giang = person("Bình", "commune_a2"), person("Dũng", "commune_b1"), person("Giang", "commune_b1")
            case_an = case(an, 3)
            case_binh = case(binh, 5, detection=Detection.IMPORTED, status=CaseStatus.HOSPITAL_TIER3)
            case(cuong, 10)
            case(dung, 10, 11, status=CaseStatus.HOSPITAL_TIER2)
            case_ha = case(ha, 10, 12)
            case_record_status(actor=leader, case=case_binh, status=CaseStatus.DIED, at=at(9))
            case_record_status(actor=leader, case=case_an, status=CaseStatus.RECOVERED, at=at(10, 8))
            case_discard(actor=leader, case=case_ha, reason="Dương tính giả")
        # Contacts recorded on the 10th (two) and on the 9th (one).
        for (a, b), moment in zip(((cuong, em), (em, phuc), (dung, giang)), (at(10, 12), at(10, 9), at(9, 12)),
                                  strict=True):
            with clock.frozen_at(moment):
                contact_add(actor=leader, person=a, contact=b, last_contact_at=at(9))

    def setUp(self):
        frozen = clock.frozen_at(at(10, 18))
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)


class FigureTests(Wave):
    def test_the_province_figures_are_what_the_data_say(self):
        f = dashboard_figures(actor=self.users["province_leader"])
        self.assertEqual(f.since, dt.date(2021, 5, 3))
        self.assertEqual(f.report.day, dt.date(2021, 5, 10))
        self.assertFalse(f.report.historical)
        self.assertEqual((f.wave_local, f.wave_imported, f.wave_total), (3, 1, 4))
        self.assertEqual((f.today_local, f.today_imported), (2, 0))
        self.assertEqual((f.recovered, f.died, f.recovered_today, f.died_today), (1, 1, 1, 0))
        self.assertEqual(f.under_treatment, {"home_care": 1, "hospital_t2": 1})

    def test_people_traced_and_recent_contacts_are_what_the_data_say(self):
        leader = self.users["province_leader"]
        t = tracing_figures(actor=leader, report=report_day(actor=leader))
        self.assertEqual(t.traced, {1: 2, 2: 1})
        self.assertEqual(t.contacts_recent, 2)  # the third was recorded the day before

    def test_a_district_narrows_the_figures_to_its_communes(self):
        f = dashboard_figures(actor=self.users["province_leader"], unit=self.units["district_a"])
        self.assertEqual((f.wave_local, f.wave_imported, f.today_local), (2, 1, 1))
        self.assertEqual(f.under_treatment, {"home_care": 1})

    def test_a_commune_officer_sees_only_their_commune(self):
        officer = self.users["commune_officer"]
        f = dashboard_figures(actor=officer)
        self.assertEqual((f.wave_local, f.wave_imported, f.recovered, f.died), (2, 0, 1, 0))
        self.assertEqual(tracing_figures(actor=officer, report=f.report).traced, {1: 1, 2: 1})

    def test_the_wave_can_start_later(self):
        f = dashboard_figures(actor=self.users["province_leader"], since=dt.date(2021, 5, 4))
        self.assertEqual((f.wave_local, f.wave_imported), (2, 1))

    def test_old_data_are_reported_on_their_last_day(self):
        with clock.frozen_at(at(30)):
            f = dashboard_figures(actor=self.users["province_leader"])
        self.assertTrue(f.report.historical)
        self.assertEqual(f.report.day, dt.date(2021, 5, 10))
        self.assertEqual(f.report.cutoff, at(10, 11))  # the last case still counted (Hà is discarded)
        self.assertEqual(f.today_local, 2)
        tracing = tracing_figures(actor=self.users["province_leader"], report=f.report)
        self.assertEqual(tracing.contacts_recent, 2)  # recorded on the 10th

    def test_the_curve_counts_new_cases_per_day_with_the_7_day_average(self):
        curve = epidemic_curve(actor=self.users["province_leader"], until=dt.date(2021, 5, 10))
        self.assertEqual(curve["days"][0], "2021-05-03")
        self.assertEqual(len(curve["days"]), 8)
        self.assertEqual(curve["local"], [1, 0, 0, 0, 0, 0, 0, 2])
        self.assertEqual(curve["imported"], [0, 0, 1, 0, 0, 0, 0, 0])
        self.assertEqual(curve["avg7"][-1], round(3 / 7, 1))

    def test_the_map_places_each_commune_with_its_cases_of_the_last_7_days(self):
        data = commune_map(actor=self.users["province_leader"], today=dt.date(2021, 5, 10))
        cases = {c["code"]: c["cases"] for c in data["communes"]}
        # An (3rd) is older than 7 days; Bình (5th) and the cases of the 10th are inside.
        self.assertEqual(cases, {self.units["commune_a1"].code: 1, self.units["commune_a2"].code: 1,
                                 self.units["commune_b1"].code: 1})
        self.assertEqual(data["max"], 1)

    def test_the_fast_count_equals_the_case_list_count(self):
        leader = self.users["province_leader"]
        for filters in (CaseFilters(), CaseFilters(unit=self.units["district_a"]),
                        CaseFilters(confirmed_from=dt.date(2021, 5, 5), confirmed_to=dt.date(2021, 5, 10))):
            self.assertEqual(case_count_from_daily(actor=leader, filters=filters),
                             case_list(actor=leader, filters=filters).count())

    def test_the_fast_count_declines_filters_it_cannot_answer(self):
        filters = CaseFilters(status="active")
        self.assertIsNone(case_count_from_daily(actor=self.users["province_leader"], filters=filters))


class DashboardPageTests(Wave):
    def test_the_dashboard_requires_login(self):
        response = self.client.get(reverse("dashboard:home"))
        self.assertRedirects(response, f"{reverse('login')}?next=/")

    def test_the_page_shows_the_figures(self):
        self.client.force_login(self.users["province_leader"])
        response = self.client.get(reverse("dashboard:home"))
        self.assertContains(response, '<p class="big" data-figure="wave_total">4</p>', html=True)
        self.assertContains(response, 'id="curve-data"')
        self.assertContains(response, 'id="map-data"')

    def test_the_tracing_cards_come_as_a_fragment(self):
        self.client.force_login(self.users["province_leader"])
        response = self.client.get(reverse("dashboard:tracing"), **HTMX)
        body = response.content.decode()
        self.assertTrue(body.lstrip().startswith('<div class="tracing-slot" id="tracing">'))
        self.assertInHTML('<p class="big" data-figure="f1">2</p>', body)
        self.assertInHTML('<p class="big" data-figure="f2">1</p>', body)

    def test_the_tracing_cards_of_a_unit_outside_the_jurisdiction_are_not_found(self):
        self.client.force_login(self.users["commune_officer"])
        response = self.client.get(reverse("dashboard:tracing"), {"unit": self.units["commune_b1"].code})
        self.assertEqual(response.status_code, 404)

    def test_the_unit_selector_narrows_the_page(self):
        self.client.force_login(self.users["province_leader"])
        response = self.client.get(reverse("dashboard:home"), {"unit": self.units["district_a"].code})
        self.assertEqual(response.context["figures"].wave_total, 3)

    def test_a_unit_outside_the_jurisdiction_is_not_found(self):
        self.client.force_login(self.users["commune_officer"])
        response = self.client.get(reverse("dashboard:home"), {"unit": self.units["commune_b1"].code})
        self.assertEqual(response.status_code, 404)

    def test_an_htmx_request_gets_only_the_panel(self):
        self.client.force_login(self.users["province_leader"])
        response = self.client.get(reverse("dashboard:home"), {"unit": self.units["district_b"].code}, **HTMX)
        body = response.content.decode()
        self.assertTrue(body.lstrip().startswith('<div id="panel"'))
        self.assertNotIn('name="since"', body)
        self.assertIn('data-figure="wave_total">1<', body)
