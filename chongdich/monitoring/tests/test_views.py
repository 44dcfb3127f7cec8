"""Monitoring pages: the team's list with quick entry, the station's list, the self-report page,
team and household management."""

from decimal import Decimal

from django.urls import reverse

from chongdich.core.testing import at
from chongdich.monitoring import services
from chongdich.monitoring.models import DailyCheck, Escalation, Household, TeamMember
from chongdich.monitoring.tests.base import MonitoringWorld

HTMX = {"HTTP_HX_REQUEST": "true"}


class Pages(MonitoringWorld):
    def login(self, persona="tracer"):
        self.client.force_login(self.users[persona])

    def test_the_overview_shows_the_tracers_team_and_the_figures(self):
        self.login()
        page = self.client.get(reverse("monitoring:home")).content.decode()
        self.assertIn("Danh sách hôm nay — Tổ 1", page)
        self.assertIn(reverse("monitoring:team", args=[self.team.pk]), page)

    def test_the_team_list_shows_each_monitored_person_as_a_card(self):
        self.login()
        page = self.client.get(reverse("monitoring:team", args=[self.team.pk])).content.decode()
        self.assertIn(f'id="p-{self.an.pk}"', page)
        self.assertIn("tel:0912345678", page)
        self.assertNotIn("Lê Thị Chi", page)  # in a household of the team, but not monitored

    def test_a_quick_check_answers_with_the_updated_card_only(self):
        self.login()
        url = reverse("monitoring:team_check", args=[self.team.pk, self.binh.pk])
        prefix = f"p{self.binh.pk}"
        response = self.client.post(url, {f"{prefix}-temperature": "37,9", f"{prefix}-spo2": "97",
                                           f"{prefix}-symptoms": ["cough"]}, **HTMX)
        html = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertTrue(html.lstrip().startswith("<article"))
        self.assertIn("Đã lưu lúc", html)
        self.assertEqual(DailyCheck.objects.get(person=self.binh).temperature, Decimal("37.9"))

    def test_a_wrong_reading_keeps_the_card_open_with_the_error(self):
        self.login()
        prefix = f"p{self.binh.pk}"
        response = self.client.post(reverse("monitoring:team_check", args=[self.team.pk, self.binh.pk]),
                                    {f"{prefix}-spo2": "30"}, **HTMX)
        self.assertContains(response, "SpO2 phải từ 50 đến 100")
        self.assertContains(response, "<details class=\"mon-entry\" open>")
        self.assertFalse(DailyCheck.objects.exists())

    def test_without_htmx_a_check_returns_to_the_list(self):
        self.login()
        response = self.client.post(reverse("monitoring:team_check", args=[self.team.pk, self.an.pk]), {})
        self.assertRedirects(response, reverse("monitoring:team", args=[self.team.pk]) + f"#p-{self.an.pk}")

    def test_an_outsider_gets_not_found_for_the_team(self):
        self.login("outsider")
        self.assertEqual(self.client.get(reverse("monitoring:team", args=[self.team.pk])).status_code, 404)

    def test_the_not_reporting_list_filters_by_state(self):
        self.check(self.binh)
        self.login("district_epi")
        page = self.client.get(reverse("monitoring:people"), {"state": "not_reporting"}).content.decode()
        self.assertIn("Nguyễn Văn An", page)
        self.assertNotIn("Trần Thị Bình", page)

    def test_the_station_resolves_in_place(self):
        self.check(self.an, spo2=91)
        escalation = Escalation.objects.get()
        self.login("commune_officer")
        self.assertContains(self.client.get(reverse("monitoring:escalations")), "SpO2 thấp")
        prefix = f"e{escalation.pk}"
        response = self.client.post(reverse("monitoring:resolve", args=[escalation.pk]),
                                    {f"{prefix}-action": "moved_tier2", f"{prefix}-note": "Chuyển BV dã chiến"}, **HTMX)
        self.assertContains(response, "Đã chuyển lên tầng 2")
        escalation.refresh_from_db()
        self.assertEqual(escalation.status, "resolved")

    def test_a_tracer_sees_the_station_list_without_resolve_forms(self):
        self.check(self.an, spo2=91)
        self.login()
        self.assertNotContains(self.client.get(reverse("monitoring:escalations")), "Ghi nhận xử trí")

    def test_the_person_page_issues_a_link_shown_once(self):
        self.login()
        response = self.client.post(reverse("monitoring:link_issue", args=[self.an.pk]))
        self.assertContains(response, "/r/")
        again = self.client.get(reverse("monitoring:person", args=[self.an.pk])).content.decode()
        self.assertNotIn('id="new-link"', again)

    def test_a_health_worker_records_an_earlier_check_from_the_person_page(self):
        self.login("commune_officer")
        prefix = f"p{self.an.pk}"
        self.client.post(reverse("monitoring:person_check", args=[self.an.pk]),
                         {f"{prefix}-checked_at": "2021-05-20T07:30", f"{prefix}-temperature": "36.9"})
        check = DailyCheck.objects.get(person=self.an)
        self.assertEqual((check.checked_at, check.source), (at(20, 7).replace(minute=30), "health"))


class SelfReportPage(MonitoringWorld):
    def test_the_person_reports_from_the_link_without_logging_in(self):
        _link, key = services.report_link_issue(actor=self.users["tracer"], person=self.an)
        url = reverse("monitoring:self_report", args=[key])
        self.assertContains(self.client.get(url), "Nguyễn Văn An")
        response = self.client.post(url, {"temperature": "37.0", "spo2": "97"})
        self.assertContains(response, "Cảm ơn bạn")
        self.assertEqual(DailyCheck.objects.get().source, "self")

    def test_a_danger_sign_tells_them_help_is_coming(self):
        _link, key = services.report_link_issue(actor=self.users["tracer"], person=self.an)
        response = self.client.post(reverse("monitoring:self_report", args=[key]), {"symptoms": ["dyspnoea"]})
        self.assertContains(response, "Trạm y tế sẽ liên hệ ngay")

    def test_a_wrong_link_is_not_found(self):
        self.assertEqual(self.client.get(reverse("monitoring:self_report", args=["nope"])).status_code, 404)


class Management(MonitoringWorld):
    def login(self, persona="commune_officer"):
        self.client.force_login(self.users[persona])

    def test_an_officer_creates_a_team_and_lands_on_its_page(self):
        self.login()
        response = self.client.post(reverse("monitoring:team_create"),
                                    {"commune": self.units["commune_a1"].pk, "name": "Tổ 2 thôn Bắc"})
        team = self.team.__class__.objects.get(name="Tổ 2 thôn Bắc")
        self.assertRedirects(response, reverse("monitoring:team_manage", args=[team.pk]))

    def test_a_volunteer_is_added_to_the_team(self):
        self.login()
        self.client.post(reverse("monitoring:member_add", args=[self.team.pk]),
                         {"full_name": "Hà Văn Tình", "phone": "0912000111"})
        self.assertTrue(TeamMember.objects.filter(team=self.team, full_name="Hà Văn Tình").exists())

    def test_households_are_assigned_from_the_team_page(self):
        household = services.household_create(actor=self.users["commune_officer"], commune=self.units["commune_a1"],
                                              address="20 Đường Bắc")
        self.login()
        self.assertContains(self.client.get(reverse("monitoring:team_manage", args=[self.team.pk])), "20 Đường Bắc")
        self.client.post(reverse("monitoring:assign", args=[self.team.pk]), {"households": [household.pk]})
        household.refresh_from_db()
        self.assertEqual(household.team, self.team)

    def test_a_new_person_is_registered_into_a_household(self):
        self.login("tracer")
        self.client.post(reverse("monitoring:member_add_person", args=[self.chi_home.pk]),
                         {"new-full_name": "Lê Văn Đức", "new-birth_year": "1990", "head": "1"})
        household = Household.objects.get(pk=self.chi_home.pk)
        self.assertEqual(household.head.full_name, "Lê Văn Đức")

    def test_a_tracer_cannot_manage_members(self):
        self.login("tracer")
        self.client.post(reverse("monitoring:member_add", args=[self.team.pk]), {"full_name": "X"})
        self.assertFalse(TeamMember.objects.filter(full_name="X").exists())
