"""Testing pages: taking samples, the lab's worklist, results, retests, proposals, campaigns."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from chongdich.cases.models import Case
from chongdich.core.testing import at
from chongdich.testing.models import (
    CaseProposal,
    LabResult,
    Pool,
    Sample,
    SampleReason,
    ScreeningCampaign,
)
from chongdich.testing.services_campaigns import campaign_create, campaign_members_add
from chongdich.testing.tests.base import TestingWorld

HTMX = {"HTTP_HX_REQUEST": "true"}


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


class TestingPages(TestingWorld):
    def login(self, persona="commune_officer"):
        self.client.force_login(self.users[persona])

    def take_form(self, people, **extra):
        data = {"people": [p.pk for p in people], "taken_at": local_input(at(19)),
                "commune": self.units["commune_a1"].pk, "reason": SampleReason.SCREENING, "kind": "rt_pcr",
                "place": "Chợ"} | extra
        return self.client.post(reverse("testing:take"), data)


class HubAndTakeTests(TestingPages):
    def test_the_testing_pages_require_login(self):
        response = self.client.get(reverse("testing:home"))
        self.assertRedirects(response, f"{reverse('login')}?next={reverse('testing:home')}")

    def test_the_hub_counts_what_needs_doing(self):
        self.result(self.pool(), "positive")
        self.login()
        response = self.client.get(reverse("testing:home"))
        self.assertContains(response, '<b data-figure="retests">5</b>', html=True)

    def test_a_team_takes_samples_of_chosen_people(self):
        self.login("tracer")
        response = self.take_form(self.people[:2], **{f"code_{self.people[0].pk}": "XN-1"})
        self.assertRedirects(response, reverse("testing:take"))
        self.assertEqual(Sample.objects.filter(place="Chợ").count(), 2)
        self.assertTrue(Sample.objects.filter(code="XN-1", person=self.people[0]).exists())

    def test_a_pooled_round_makes_one_pool(self):
        self.login()
        self.take_form(self.people[:5], pooled="on", pool_code="GP-9")
        self.assertEqual(Pool.objects.get().members.count(), 5)

    def test_a_pool_of_three_shows_the_rule_and_keeps_the_people_chosen(self):
        self.login()
        response = self.take_form(self.people[:3], pooled="on")
        self.assertContains(response, "Mẫu gộp phải có từ 5 đến 15 người")
        self.assertContains(response, f'name="people" value="{self.people[2].pk}"')
        self.assertFalse(Sample.objects.exists())

    def test_a_viewer_is_told_and_refused(self):
        self.login("viewer")
        response = self.take_form(self.people[:1])
        self.assertContains(response, "Vai trò của bạn không được lấy mẫu xét nghiệm.")
        self.assertFalse(Sample.objects.exists())

    def test_an_outsider_cannot_post_people_of_another_commune(self):
        self.login("outsider")
        response = self.take_form(self.people[:1], commune=self.units["commune_b1"].pk)
        self.assertEqual(response.status_code, 404)

    def test_the_picker_adds_a_chosen_row(self):
        self.login()
        found = self.client.get(reverse("testing:pick"), {"q": "nguyen an"}, **HTMX)
        self.assertContains(found, reverse("testing:chosen", args=[self.people[0].pk]))
        row = self.client.get(reverse("testing:chosen", args=[self.people[0].pk]), **HTMX)
        self.assertContains(row, f'name="code_{self.people[0].pk}"')

    def test_a_campaign_round_lists_its_people_to_tick(self):
        campaign = campaign_create(actor=self.leader, unit=self.units["district_a"], name="Chợ Vĩnh Yên",
                                   target_group="market_traders", starts_on=at(18).date(), ends_on=at(22).date())
        campaign_members_add(actor=self.leader, campaign=campaign, people=self.people[:3])
        self.login()
        response = self.client.get(reverse("testing:take"), {"campaign": campaign.pk})
        self.assertContains(response, 'type="checkbox" name="people"', count=3)


class ResultPageTests(TestingPages):
    def test_the_worklist_lists_tubes_without_results(self):
        pool = self.pool()
        single = self.take(self.people[6])
        self.login("lab")
        response = self.client.get(reverse("testing:worklist"))
        self.assertContains(response, pool.code)
        self.assertContains(response, single.code)

    def test_a_worklist_row_records_its_result_in_place(self):
        pool = self.pool()
        self.login("lab")
        response = self.client.post(reverse("testing:result_quick"),
                                    {"r-tube_code": pool.code, "r-result": "positive", "r-laboratory": self.lab.pk},
                                    **HTMX)
        self.assertContains(response, "Dương tính")
        self.assertEqual(LabResult.objects.get().pool, pool)
        self.assertEqual(Sample.objects.filter(retest_requested_at__isnull=False).count(), 5)

    def test_the_laboratory_last_chosen_is_preselected(self):
        pool = self.pool()
        self.take(self.people[6])
        self.login("lab")
        self.client.post(reverse("testing:result_quick"),
                         {"r-tube_code": pool.code, "r-result": "negative", "r-laboratory": self.lab.pk}, **HTMX)
        response = self.client.get(reverse("testing:worklist"))
        self.assertContains(response, f'<option value="{self.lab.pk}" selected>')

    def test_a_retest_link_opens_the_form_with_the_person_and_reason(self):
        self.login()
        response = self.client.get(reverse("testing:take"), {"person": self.people[0].pk, "reason": "retest"})
        self.assertContains(response, f'name="people" value="{self.people[0].pk}"')
        self.assertContains(response, '<option value="retest" selected>')

    def test_a_tracer_gets_the_refusal_in_the_row(self):
        sample = self.take(self.people[0])
        self.login("tracer")
        response = self.client.post(reverse("testing:result_quick"),
                                    {"r-tube_code": sample.code, "r-result": "negative"}, **HTMX)
        self.assertContains(response, "row-error")
        self.assertFalse(LabResult.objects.exists())

    def test_a_result_is_recorded_by_tube_code(self):
        sample = self.take(self.people[0], code="ABC-1")
        self.login("lab")
        response = self.client.post(reverse("testing:result_new"), {
            "tube_code": "abc-1", "result": "negative", "resulted_at": local_input(at(19)),
            "laboratory": self.lab.pk})
        self.assertRedirects(response, reverse("testing:result_new"))
        self.assertEqual(LabResult.objects.get().sample, sample)

    def test_an_unknown_tube_code_is_shown_on_its_field(self):
        self.login("lab")
        response = self.client.post(reverse("testing:result_new"), {
            "tube_code": "NOPE", "result": "negative", "resulted_at": local_input(at(19))})
        self.assertContains(response, "Không tìm thấy ống mẫu NOPE")

    def test_the_retest_list_links_to_a_retest(self):
        self.result(self.pool(), "positive")
        self.login()
        response = self.client.get(reverse("testing:retests"))
        self.assertContains(response, f"?person={self.people[0].pk}&amp;reason=retest")

    def test_the_sample_and_pool_pages(self):
        pool = self.pool()
        self.login()
        member = pool.members.first()
        self.assertContains(self.client.get(reverse("testing:pool", args=[pool.pk])), member.code)
        self.assertContains(self.client.get(reverse("testing:sample", args=[member.pk])), pool.code)

    def test_an_outsider_gets_404_for_a_sample(self):
        sample = self.take(self.people[0])
        self.login("outsider")
        self.assertEqual(self.client.get(reverse("testing:sample", args=[sample.pk])).status_code, 404)

    def test_the_person_page_links_to_their_samples(self):
        self.take(self.people[0], code="P-1")
        self.login()
        person_page = self.client.get(reverse("people:detail", args=[self.people[0].pk]))
        self.assertContains(person_page, reverse("testing:person", args=[self.people[0].pk]))
        self.assertContains(self.client.get(reverse("testing:person", args=[self.people[0].pk])), "P-1")


class ProposalPageTests(TestingPages):
    def setUp(self):
        super().setUp()
        self.sample = self.take(self.people[0], reason=SampleReason.SCREENING)
        self.result(self.sample, "positive")
        self.proposal = CaseProposal.objects.get()

    def test_open_proposals_are_listed_with_the_detection_preset(self):
        self.login()
        response = self.client.get(reverse("testing:proposals"))
        self.assertContains(response, self.sample.code)
        self.assertContains(response, '<option value="community" selected>', html=False)

    def test_confirming_opens_the_new_case(self):
        self.login()
        response = self.client.post(reverse("testing:proposal_confirm", args=[self.proposal.pk]), {
            f"c{self.proposal.pk}-detection": "community", f"c{self.proposal.pk}-status": "home_care"})
        case = Case.objects.get()
        self.assertRedirects(response, reverse("cases:detail", args=[case.pk]))
        self.assertEqual(case.confirmed_at, self.sample.taken_at)

    def test_dismissing_without_a_reason_is_refused(self):
        self.login()
        response = self.client.post(reverse("testing:proposal_dismiss", args=[self.proposal.pk]),
                                    {f"d{self.proposal.pk}-reason": ""})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(CaseProposal.objects.get().status, "proposed")

    def test_a_viewer_sees_no_decision_forms(self):
        self.login("viewer")
        response = self.client.get(reverse("testing:proposals"))
        self.assertContains(response, self.sample.code)
        self.assertNotContains(response, reverse("testing:proposal_confirm", args=[self.proposal.pk]))


class CampaignPageTests(TestingPages):
    def test_a_campaign_is_created_from_the_page(self):
        self.login("district_epi")
        response = self.client.post(reverse("testing:campaign_new"), {
            "name": "Sàng lọc công nhân KCN", "unit": self.units["district_a"].code,
            "target_group": "industrial_workers", "starts_on": "2021-05-18", "ends_on": "2021-05-25",
            "target_headcount": "300", "pool_size": "10", "sample_kind": "rt_pcr"})
        campaign = ScreeningCampaign.objects.get()
        self.assertRedirects(response, reverse("testing:campaign", args=[campaign.pk]))
        self.assertEqual((campaign.pool_size, campaign.target_headcount), (10, 300))

    def test_the_campaign_page_shows_progress_by_day_and_its_chart(self):
        campaign = campaign_create(actor=self.leader, unit=self.units["district_a"], name="Chợ",
                                   target_group="market_traders", starts_on=at(17).date(),
                                   ends_on=at(19).date(), target_headcount=10)
        self.result(self.pool(day=18, campaign=campaign), "negative")
        self.login()
        response = self.client.get(reverse("testing:campaign", args=[campaign.pk]))
        self.assertContains(response, '<p class="big" data-figure="sampled">5</p>', html=True)
        self.assertContains(response, 'data-chart="campaign"')
        self.assertContains(response, "50,0 %")  # Vietnamese decimals
        self.assertContains(response, "campaign-data")

    def test_an_outsider_gets_404_for_the_campaign(self):
        campaign = campaign_create(actor=self.leader, unit=self.units["district_a"], name="Chợ",
                                   target_group="market_traders", starts_on=at(17).date(), ends_on=at(19).date())
        self.login("outsider")
        self.assertEqual(self.client.get(reverse("testing:campaign", args=[campaign.pk])).status_code, 404)

    def test_people_are_added_to_the_list(self):
        campaign = campaign_create(actor=self.leader, unit=self.units["district_a"], name="Chợ",
                                   target_group="market_traders", starts_on=at(17).date(), ends_on=at(19).date())
        self.login("district_epi")
        self.client.post(reverse("testing:campaign_members", args=[campaign.pk]),
                         {"people": [p.pk for p in self.people[:4]]})
        self.assertEqual(campaign.members.count(), 4)

    def test_the_laboratory_page_lists_and_adds(self):
        self.login("district_epi")
        response = self.client.post(reverse("testing:laboratories"), {
            "code": "BVA", "name": "BV huyện A", "unit": self.units["district_a"].code})
        self.assertRedirects(response, reverse("testing:laboratories"))
        self.assertContains(self.client.get(reverse("testing:laboratories")), "BV huyện A")
