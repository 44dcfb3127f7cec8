"""Screening campaigns: who may run them, who sees them, their list of people and progress by day."""

import datetime as dt

from chongdich.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from chongdich.core.testing import at
from chongdich.testing.models import CampaignMember, SampleReason
from chongdich.testing.selectors import (
    campaign_get,
    campaign_list,
    campaign_members,
    campaign_progress,
)
from chongdich.testing.services import samples_take
from chongdich.testing.services_campaigns import (
    campaign_create,
    campaign_delete,
    campaign_members_add,
    campaign_update,
    laboratory_create,
)
from chongdich.testing.tests.base import TestingWorld

MAY = {d: dt.date(2021, 5, d) for d in range(1, 32)}


class CampaignWorld(TestingWorld):
    def campaign(self, actor=None, unit="district_a", **kw):
        data = {"name": "Sàng lọc tiểu thương chợ Vĩnh Yên", "target_group": "market_traders",
                "starts_on": MAY[16], "ends_on": MAY[19]} | kw
        return campaign_create(actor=actor or self.users["district_epi"], unit=self.units[unit], **data)


class CampaignAccessTests(CampaignWorld):
    def test_a_district_campaign_carries_the_district_keys(self):
        campaign = self.campaign()
        self.assertEqual((campaign.province_id, campaign.district_id, campaign.commune_id),
                         (self.units["province"].pk, self.units["district_a"].pk, None))

    def test_a_commune_team_sees_its_districts_campaign(self):
        campaign = self.campaign()
        self.assertEqual(campaign_get(actor=self.officer, campaign_id=campaign.pk), campaign)

    def test_another_district_does_not_see_it(self):
        campaign = self.campaign()
        with self.assertRaises(NotFound):
            campaign_get(actor=self.users["outsider"], campaign_id=campaign.pk)
        self.assertFalse(campaign_list(actor=self.users["outsider"]).exists())

    def test_a_viewer_may_not_create_a_campaign(self):
        with self.assertRaises(PermissionDenied):
            self.campaign(actor=self.users["viewer"])

    def test_an_outsider_may_not_create_a_campaign_in_another_district(self):
        with self.assertRaises(NotFound):
            self.campaign(actor=self.users["outsider"])

    def test_a_commune_officer_may_not_change_the_districts_campaign(self):
        campaign = self.campaign()
        with self.assertRaises(NotFound):
            campaign_update(actor=self.officer, campaign=campaign, target_headcount=10)

    def test_the_pool_size_is_5_to_15(self):
        with self.assertRaises(InvalidInput):
            self.campaign(pool_size=20)

    def test_the_dates_are_in_order(self):
        with self.assertRaises(InvalidInput):
            self.campaign(starts_on=MAY[19], ends_on=MAY[16])

    def test_a_campaign_with_samples_is_not_deleted(self):
        campaign = self.campaign()
        self.take(self.people[0], reason=SampleReason.SCREENING, campaign=campaign)
        with self.assertRaises(Conflict):
            campaign_delete(actor=self.users["district_epi"], campaign=campaign)

    def test_a_sample_outside_the_campaign_dates_is_refused(self):
        campaign = self.campaign()
        with self.assertRaises(InvalidInput):
            self.take(self.people[0], reason=SampleReason.SCREENING, campaign=campaign, day=20)

    def test_a_sample_outside_the_campaign_area_is_refused(self):
        campaign = self.campaign(unit="commune_a2")
        with self.assertRaises(InvalidInput):
            self.take(self.people[0], actor=self.leader, reason=SampleReason.SCREENING, campaign=campaign)


class CampaignMemberTests(CampaignWorld):
    def test_people_are_added_once(self):
        campaign = self.campaign()
        self.assertEqual(campaign_members_add(actor=self.leader, campaign=campaign, people=self.people[:3]), 3)
        self.assertEqual(campaign_members_add(actor=self.leader, campaign=campaign, people=self.people[:4]), 1)
        self.assertEqual(CampaignMember.objects.filter(campaign=campaign).count(), 4)

    def test_a_person_outside_the_area_is_not_found(self):
        campaign = self.campaign()
        with self.assertRaises(NotFound):
            campaign_members_add(actor=self.users["district_epi"], campaign=campaign, people=[self.stranger])

    def test_the_list_shows_who_was_sampled(self):
        campaign = self.campaign()
        campaign_members_add(actor=self.leader, campaign=campaign, people=self.people[:3])
        self.take(self.people[1], reason=SampleReason.SCREENING, campaign=campaign)
        sampled = {p.pk: p.sampled for p in campaign_members(campaign=campaign)}
        self.assertEqual(sampled, {self.people[0].pk: False, self.people[1].pk: True, self.people[2].pk: False})


class CampaignProgressTests(CampaignWorld):
    """Day 17: ten people pooled in two pools, two sampled individually. Day 18: results — one
    pool negative, one positive; one individual positive. Day 19: five retests, one positive."""

    def setUp(self):
        super().setUp()
        self.c = self.campaign(target_headcount=20, pool_size=5)
        self.pools = [self.pool(self.people[i:i + 5], day=17, campaign=self.c) for i in (0, 5)]
        single = samples_take(actor=self.officer, people=self.people[10:], commune=self.units["commune_a1"],
                              taken_at=at(17), reason=SampleReason.SCREENING, campaign=self.c)
        self.result(self.pools[0], "negative", day=18)
        self.result(self.pools[1], "positive", day=18)
        self.result(single[0], "positive", day=18)
        retests = samples_take(actor=self.officer, people=self.people[5:10], commune=self.units["commune_a1"],
                               taken_at=at(19), reason=SampleReason.RETEST, campaign=self.c)
        for i, sample in enumerate(retests):
            self.result(sample, "positive" if i == 0 else "negative", day=19, actor=self.leader)

    def progress(self):
        return campaign_progress(actor=self.officer, campaign=self.c)

    def test_sampled_and_pooled_by_day(self):
        rows = {r.day: r for r in self.progress().days}
        self.assertEqual((rows[MAY[17]].sampled, rows[MAY[17]].pooled, rows[MAY[17]].pools), (12, 10, 2))
        self.assertEqual(rows[MAY[19]].sampled, 0)  # retests reach nobody new

    def test_results_count_people_with_a_final_result(self):
        rows = {r.day: r for r in self.progress().days}
        self.assertEqual((rows[MAY[18]].results, rows[MAY[18]].positives, rows[MAY[18]].positive_pools),
                         (6, 1, 1))
        self.assertEqual((rows[MAY[19]].results, rows[MAY[19]].positives), (5, 1))

    def test_totals_coverage_and_awaiting(self):
        progress = self.progress()
        self.assertEqual((progress.sampled, progress.results, progress.positives, progress.target),
                         (12, 11, 2, 20))
        self.assertEqual((progress.coverage, progress.awaiting), (60.0, 1))

    def test_every_campaign_day_has_a_row(self):
        self.assertEqual([r.day for r in self.progress().days], [MAY[d] for d in (16, 17, 18, 19)])

    def test_a_list_of_people_is_the_target_when_there_is_one(self):
        campaign_members_add(actor=self.leader, campaign=self.c, people=self.people)
        self.assertEqual(self.progress().target, 12)

    def test_progress_is_a_handful_of_queries(self):
        with self.assertNumQueries(8):
            self.progress()


class LaboratoryTests(CampaignWorld):
    def test_an_epidemiologist_registers_a_laboratory(self):
        lab = laboratory_create(actor=self.users["district_epi"], code="bv-a", name="BV huyện A",
                                unit=self.units["district_a"])
        self.assertEqual(lab.code, "BV-A")

    def test_a_laboratory_code_is_unique(self):
        with self.assertRaises(Conflict):
            laboratory_create(actor=self.leader, code="cdc", name="Khác", unit=self.units["province"])

    def test_an_officer_may_not_register_a_laboratory(self):
        with self.assertRaises(PermissionDenied):
            laboratory_create(actor=self.officer, code="X", name="X", unit=self.units["commune_a1"])
