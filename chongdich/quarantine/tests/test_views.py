"""Quarantine pages: the board, a facility, admitting with the rule shown, transfer, release with
override fields only when the rule is not met, due tests, releases due, rule sets, person page."""

import datetime as dt

from django.urls import reverse

from chongdich.quarantine.models import Facility, Placement, PlacementStatus, QuarantineRuleSet
from chongdich.quarantine.tests.base import QuarantineTestCase, on

HTMX = {"HTTP_HX_REQUEST": "true"}


def local_input(moment: dt.datetime) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


class PageTestCase(QuarantineTestCase):
    def login(self, persona="commune_officer"):
        self.client.force_login(self.users[persona])


class BoardTests(PageTestCase):
    def test_the_board_requires_login(self):
        response = self.client.get(reverse("quarantine:board"))
        self.assertRedirects(response, f"{reverse('login')}?next={reverse('quarantine:board')}")

    def test_the_board_colours_each_facility_by_fullness(self):
        self.admit("An")
        self.admit("Bình")
        self.login("province_leader")
        response = self.client.get(reverse("quarantine:board"))
        self.assertContains(response, 'class="fcard band-full"')
        self.assertContains(response, 'class="fcard band-empty"', count=2)
        self.assertContains(response, "KTX Trường A")

    def test_an_officer_sees_only_the_facilities_of_their_area(self):
        self.login("commune_officer")
        response = self.client.get(reverse("quarantine:board"))
        self.assertContains(response, "KTX Trường A")
        self.assertNotContains(response, "Doanh trại B")

    def test_with_many_facilities_the_board_shows_those_filling_up_and_links_each_district(self):
        from unittest import mock

        self.admit("An")
        self.admit("Bình")
        self.login("province_leader")
        with mock.patch("chongdich.quarantine.views.CARDS_AT_ONCE", 2):
            response = self.client.get(reverse("quarantine:board"))
        self.assertContains(response, "Cơ sở gần hết chỗ")
        self.assertContains(response, 'class="fcard band-full"', count=1)
        self.assertNotContains(response, 'class="fcard band-empty"')
        self.assertContains(response, f'href="?district={self.units["district_b"].pk}"')

    def test_an_htmx_filter_answers_only_the_board(self):
        self.login("province_leader")
        response = self.client.get(reverse("quarantine:board"), {"kind": "hospital"}, **HTMX)
        self.assertContains(response, "BV đa khoa huyện A")
        self.assertNotContains(response, "KTX Trường A")
        self.assertNotContains(response, "<html")


class FacilityPageTests(PageTestCase):
    def test_a_facility_lists_the_people_inside(self):
        placement = self.admit("An")
        self.login()
        response = self.client.get(reverse("quarantine:facility", args=[self.camp.pk]))
        self.assertContains(response, reverse("quarantine:placement", args=[placement.pk]))

    def test_an_outsider_gets_404(self):
        self.login("outsider")
        self.assertEqual(self.client.get(reverse("quarantine:facility", args=[self.camp.pk])).status_code, 404)

    def test_creating_a_facility_opens_its_page(self):
        self.login()
        response = self.client.post(reverse("quarantine:facility_new"), {
            "name": "Trường THCS Đồng Tâm", "kind": "quarantine", "tier": "", "capacity": "80",
            "commune": self.units["commune_a1"].pk, "status": "ready"})
        facility = Facility.objects.get(name="Trường THCS Đồng Tâm")
        self.assertRedirects(response, reverse("quarantine:facility", args=[facility.pk]))

    def test_fewer_places_than_people_is_shown_on_the_capacity_field(self):
        self.admit("An")
        self.admit("Bình")
        self.login()
        response = self.client.post(reverse("quarantine:facility_edit", args=[self.camp.pk]), {
            "name": self.camp.name, "kind": "quarantine", "tier": "", "capacity": "1", "status": "active"})
        self.assertContains(response, "Số chỗ không thể ít hơn số người đang ở (2)")
        self.assertEqual(Facility.objects.get(pk=self.camp.pk).capacity, 2)

    def test_closing_a_facility_with_people_says_why_not(self):
        self.admit("An")
        self.login()
        response = self.client.post(reverse("quarantine:facility_close", args=[self.camp.pk]), follow=True)
        self.assertContains(response, "Cơ sở còn 1 người")


class AdmitPageTests(PageTestCase):
    def post_admit(self, name="An", **extra):
        data = {"person": self.people[name].pk, "purpose": "quarantine", "condition": "standard",
                "setting": "facility", "facility": self.camp.pk, "started_at": local_input(on(8, 2))} | extra
        return self.client.post(reverse("quarantine:admit"), data)

    def test_admitting_opens_the_placement_page(self):
        self.login()
        response = self.post_admit()
        placement = Placement.objects.get(person=self.people["An"])
        self.assertRedirects(response, reverse("quarantine:placement", args=[placement.pk]))

    def test_a_full_facility_is_refused_on_the_form(self):
        self.admit("An")
        self.admit("Bình")
        Facility.objects.filter(pk=self.camp.pk).update(capacity=3)  # offered on the form …
        self.admit("Cường", actor="district_epi")  # … and taken meanwhile
        self.login()
        response = self.post_admit("Dũng")
        self.assertContains(response, "đã hết chỗ")
        self.assertFalse(Placement.objects.filter(person=self.people["Dũng"]).exists())

    def test_the_form_shows_the_rule_that_applies_and_the_planned_end(self):
        self.login()
        response = self.client.get(reverse("quarantine:admit_preview"), {
            "purpose": "quarantine", "condition": "standard", "setting": "facility",
            "started_at": "2021-08-02T09:00"}, **HTMX)
        self.assertContains(response, "Công văn 5599/BYT-MT")
        self.assertContains(response, "dự kiến kết thúc 15/08/2021")
        self.assertContains(response, "cần xác minh")

    def test_the_preview_says_when_no_rule_applies(self):
        self.login()
        response = self.client.get(reverse("quarantine:admit_preview"), {
            "purpose": "quarantine", "condition": "standard", "setting": "home",
            "started_at": "2021-06-01T09:00"}, **HTMX)
        self.assertContains(response, "không có quy định cho trường hợp này")

    def test_a_person_can_be_preselected_from_the_person_page(self):
        self.login()
        response = self.client.get(reverse("quarantine:admit"), {"person": self.people["An"].pk})
        self.assertContains(response, f'value="{self.people["An"].pk}" checked')


class PlacementPageTests(PageTestCase):
    def test_release_shows_override_fields_only_when_the_rule_is_not_met(self):
        placement = self.admit("An")
        self.login("district_epi")
        response = self.client.get(reverse("quarantine:placement", args=[placement.pk]))
        self.assertContains(response, 'name="override_reason"')
        ended = self.admit("Bình", started_at=on(7, 19))
        self.sample("Bình", on(8, 1), "negative")
        response = self.client.get(reverse("quarantine:placement", args=[ended.pk]))
        self.assertNotContains(response, 'name="override_reason"')
        self.assertContains(response, "Đủ điều kiện kết thúc theo quy định")

    def test_an_officer_is_told_a_leader_must_decide(self):
        placement = self.admit("An")
        self.login()
        response = self.client.get(reverse("quarantine:placement", args=[placement.pk]))
        self.assertNotContains(response, 'name="override_reason"')
        self.assertContains(response, "cần lãnh đạo hoặc cán bộ dịch tễ quyết định")

    def test_an_override_release_records_the_reason(self):
        placement = self.admit("An")
        self.login("district_epi")
        response = self.client.post(reverse("quarantine:release", args=[placement.pk]),
                                    {"override_reason": "Chuyển viện theo chỉ định", "note": ""})
        self.assertRedirects(response, reverse("quarantine:placement", args=[placement.pk]))
        self.assertEqual(Placement.objects.get(pk=placement.pk).override_reason, "Chuyển viện theo chỉ định")

    def test_a_release_without_reason_before_the_end_is_refused_on_the_form(self):
        placement = self.admit("An")
        self.login("district_epi")
        response = self.client.post(reverse("quarantine:release", args=[placement.pk]), {"override_reason": ""})
        self.assertContains(response, "Chưa hết thời gian cách ly")
        self.assertEqual(Placement.objects.get(pk=placement.pk).status, PlacementStatus.ACTIVE)

    def test_a_transfer_home_opens_the_new_placement(self):
        placement = self.admit("An")
        self.login()
        response = self.client.post(reverse("quarantine:transfer", args=[placement.pk]), {"facility": ""})
        moved = Placement.objects.get(previous=placement)
        self.assertRedirects(response, reverse("quarantine:placement", args=[moved.pk]))
        self.assertEqual(moved.setting, "home")


class ListPageTests(PageTestCase):
    def test_the_due_list_shows_overdue_tests_first(self):
        self.admit("An", started_at=on(7, 25))
        self.login()
        response = self.client.get(reverse("quarantine:due"))
        content = response.content.decode()
        self.assertLess(content.index("quá 8 ngày"), content.index("quá 2 ngày"))

    def test_releases_due_today_say_whether_the_test_is_in(self):
        self.admit("An", started_at=on(7, 19))
        self.admit("Bình", started_at=on(7, 19))
        self.sample("An", on(8, 1), "negative")
        self.login()
        response = self.client.get(reverse("quarantine:releases"))
        self.assertContains(response, "đủ điều kiện", count=1)
        self.assertContains(response, "chưa có kết quả âm tính", count=1)

    def test_the_placement_list_filters_by_ending_this_week(self):
        self.admit("An", started_at=on(7, 25))
        self.admit("Bình")
        self.login()
        response = self.client.get(reverse("quarantine:placements"), {"ending": "week"}, **HTMX)
        self.assertContains(response, "An")
        self.assertNotContains(response, "Bình")

    def test_the_person_page_lists_their_placements(self):
        placement = self.admit("An")
        self.login()
        response = self.client.get(reverse("people:detail", args=[self.people["An"].pk]))
        self.assertContains(response, reverse("quarantine:placement", args=[placement.pk]))


class RuleSetPageTests(PageTestCase):
    def form_data(self, **extra) -> dict:
        data = {"code": "THU-2022", "name": "Bộ thử", "legal_source": "Công văn thử", "valid_from": "2022-02-01",
                "needs_verification": "on", "rules-TOTAL_FORMS": "1", "rules-INITIAL_FORMS": "0",
                "rules-0-purpose": "quarantine", "rules-0-condition": "standard", "rules-0-setting": "home",
                "rules-0-stay_days": "7", "rules-0-monitoring_days": "0", "rules-0-test_days": "1, 7",
                "rules-0-release_needs_negative": "on"}
        return data | extra

    def test_the_page_lists_every_version_with_its_source_and_a_verification_warning(self):
        self.login("viewer")
        response = self.client.get(reverse("quarantine:rules"))
        self.assertContains(response, "Công điện 600/CĐ-BCĐ")
        self.assertContains(response, "cần xác minh")
        self.assertNotContains(response, "Thêm bộ quy định mới")

    def test_a_national_epidemiologist_adds_a_version(self):
        self.login("national_epi")
        response = self.client.post(reverse("quarantine:rules"), self.form_data())
        self.assertRedirects(response, reverse("quarantine:rules"))
        created = QuarantineRuleSet.objects.get(code="THU-2022")
        self.assertEqual(list(created.rules.values_list("test_days", flat=True)), [[1, 7]])

    def test_a_test_day_after_the_stay_is_shown_on_the_form(self):
        self.login("national_epi")
        response = self.client.post(reverse("quarantine:rules"), self.form_data(**{"rules-0-test_days": "1, 9"}))
        self.assertContains(response, "Ngày xét nghiệm phải nằm trong thời gian cách ly")
        self.assertFalse(QuarantineRuleSet.objects.filter(code="THU-2022").exists())

    def test_a_district_epidemiologist_cannot_add_a_version(self):
        self.login("district_epi")
        self.client.post(reverse("quarantine:rules"), self.form_data())
        self.assertFalse(QuarantineRuleSet.objects.filter(code="THU-2022").exists())
