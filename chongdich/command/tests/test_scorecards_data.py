"""Scorecards from recorded work: task counts, recurring reports, open findings, cases and their
trend, contacts, tests against plan; ranked tables, a unit's page, the XLSX export, and access.

District A: commune A1 did one task on time, one late, has one overdue and one not yet due, one
serious finding open, 4 new cases (2 the week before) and 10 contacts traced, 3 of 100 planned
screening samples plus one other sample. Commune A2 did its only deadline task on time and owes
daily reports (one on time, one late, one missing). Now is 20 May 2021 09:00; the period is
14–20 May."""

import datetime as dt
import io
from unittest import mock

from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from chongdich.cases.models import CaseDayCount
from chongdich.command import scorecards
from chongdich.command.models import (
    Agency,
    AgencyKind,
    Document,
    DocumentKind,
    Finding,
    Inspection,
    Severity,
    Task,
    TaskReport,
    unit_keys,
)
from chongdich.command.scorecards import (
    Column,
    Indicator,
    Period,
    scorecard_ranking,
    scorecard_unit,
)
from chongdich.core import clock
from chongdich.core.errors import InvalidInput, NotFound
from chongdich.core.testing import at, make_geography, personas
from chongdich.people.services import person_create

PERIOD = Period(dt.date(2021, 5, 14), dt.date(2021, 5, 20))
NOW = at(20)


def make_agency(unit, name, kind=AgencyKind.OTHER, **extra):
    return Agency.objects.create(unit=unit, name=name, kind=kind, **unit_keys(unit), **extra)


def make_task(document, agency, *, status="assigned", deadline=None, done_at=None, **extra):
    fields = {"timing": "deadline", "deadline": deadline} if deadline else {}
    fields.update(extra)
    return Task.objects.create(
        document=document, agency=agency, description="Nhiệm vụ", status=status, done_at=done_at,
        status_changed_at=done_at or at(10), created_at=at(10),
        verified_at=done_at if status == "verified" else None,
        issuer_unit=document.unit, **unit_keys(document.unit, "issuer_"), **unit_keys(agency.unit), **fields,
    )


class ScorecardData(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.units = u = make_geography()
        cls.users = personas(u)
        leader = cls.users["province_leader"]
        doc = Document.objects.create(unit=u["province"], kind=DocumentKind.NOTICE, number="2032-TB/TU",
                                      issuing_body="Ban Thường vụ Tỉnh ủy", issued_on=dt.date(2021, 5, 10),
                                      title="Thông báo kết luận", **unit_keys(u["province"]))
        cls.a1_committee = make_agency(u["commune_a1"], "UBND xã A1", AgencyKind.PEOPLES_COMMITTEE,
                                       head_name="Nguyễn Văn Chủ", head_title="Chủ tịch UBND xã")
        cls.a1_health = make_agency(u["commune_a1"], "Trạm y tế xã A1", AgencyKind.HEALTH)
        a2_committee = make_agency(u["commune_a2"], "UBND xã A2", AgencyKind.PEOPLES_COMMITTEE,
                                   head_name="Trần Thị Hai")
        make_task(doc, cls.a1_committee, status="verified", deadline=at(15, 17), done_at=at(15, 10))
        make_task(doc, cls.a1_health, status="reported_done", deadline=at(16, 17), done_at=at(18, 10))
        make_task(doc, cls.a1_committee, status="in_progress", deadline=at(18, 17))
        make_task(doc, cls.a1_health, deadline=at(25, 17))
        make_task(doc, cls.a1_committee, status="cancelled", deadline=at(12, 17), cancelled_at=at(12))
        make_task(doc, cls.a1_committee, status="verified", deadline=at(11, 17), done_at=at(10, 15))
        make_task(doc, a2_committee, status="verified", deadline=at(17, 17), done_at=at(17, 9))
        daily = make_task(doc, a2_committee, status="in_progress", timing="recurring", cadence="daily",
                          due_time=dt.time(17, 0), starts_on=dt.date(2021, 5, 17))
        for day, hour in ((17, 16), (18, 19)):
            TaskReport.objects.create(task=daily, text="Báo cáo", period=dt.date(2021, 5, day),
                                      submitted_at=at(day, hour))

        inspection = Inspection.objects.create(
            inspected_unit=u["commune_a1"], led_by=leader, scheduled_on=dt.date(2021, 5, 16),
            status="done", carried_out_on=dt.date(2021, 5, 16), created_at=at(16), issuer_unit=u["province"],
            **unit_keys(u["province"], "issuer_"), **unit_keys(u["commune_a1"]))
        for severity, closed in ((Severity.SERIOUS, None), (Severity.MINOR, at(19))):
            Finding.objects.create(inspection=inspection, text="Chốt kiểm soát bỏ trống", severity=severity,
                                   recorded_at=at(16, 11), closed_at=closed, **unit_keys(u["commune_a1"]))

        a1 = u["commune_a1"]
        for day, local, imported, contacts in ((10, 2, 0, 3), (14, 3, 0, 6), (18, 0, 1, 4)):
            CaseDayCount.objects.create(day=dt.date(2021, 5, day), new_local=local, new_imported=imported,
                                        contacts=contacts, **a1.jurisdiction_keys())

        from chongdich.testing.models import Sample, ScreeningCampaign

        campaign = ScreeningCampaign.objects.create(
            name="Sàng lọc chợ A1", target_group="market_traders", unit=a1, starts_on=dt.date(2021, 5, 15),
            ends_on=dt.date(2021, 5, 25), target_headcount=100, **unit_keys(a1))
        for n in range(4):
            person = person_create(actor=leader, commune=a1, full_name=f"Tiểu thương {n}")
            Sample.objects.create(code=f"S-{n}", person=person, reason="screening", taken_at=at(16),
                                  taken_on=dt.date(2021, 5, 16), campaign=campaign if n < 3 else None,
                                  **a1.jurisdiction_keys())

    def setUp(self):
        frozen = clock.frozen_at(NOW)
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)

    def ranking(self, sort="tasks_on_time_rate", actor="province_leader", parent="district_a"):
        return scorecard_ranking(actor=self.users[actor], parent=self.units[parent], period=PERIOD, sort=sort)

    def values(self, commune: str) -> dict:
        rows = {r.unit.pk: r for r in self.ranking().rows}
        return rows[self.units[commune].pk].values


class TaskIndicatorTests(ScorecardData):
    def test_tasks_done_in_the_period_are_on_time_or_late_by_their_deadline(self):
        a1 = self.values("commune_a1")
        self.assertEqual((a1["tasks_on_time"], a1["tasks_late"]), (1, 1))

    def test_open_tasks_are_those_still_owed_at_the_end_and_overdue_ones_are_past_the_deadline(self):
        a1 = self.values("commune_a1")
        self.assertEqual((a1["tasks_open"], a1["tasks_overdue"]), (2, 1))

    def test_the_on_time_rate_counts_overdue_tasks_against_the_unit(self):
        self.assertAlmostEqual(self.values("commune_a1")["tasks_on_time_rate"], 1 / 3)
        self.assertEqual(self.values("commune_a2")["tasks_on_time_rate"], 1.0)

    def test_recurring_reports_due_in_the_period_are_on_time_late_or_missing(self):
        a2 = self.values("commune_a2")
        self.assertEqual((a2["reports_on_time"], a2["reports_late"], a2["reports_missing"]), (1, 1, 1))

    def test_a_past_period_counts_what_was_done_then(self):
        earlier = Period(dt.date(2021, 5, 7), dt.date(2021, 5, 13))
        values = scorecards.compute(scorecards.Scope([self.units["commune_a1"]], "commune", earlier, NOW))
        a1 = values[self.units["commune_a1"].pk]
        self.assertEqual((a1["tasks_on_time"], a1["tasks_late"], a1["tasks_overdue"]), (1, 0, 0))


class GroundIndicatorTests(ScorecardData):
    def test_findings_still_open_at_the_end_are_counted_by_severity(self):
        a1 = self.values("commune_a1")
        self.assertEqual((a1["findings_open"], a1["findings_serious"], a1["findings_minor"]), (1, 1, 0))

    def test_a_unit_without_findings_has_none_open_rather_than_no_data(self):
        self.assertEqual(self.values("commune_a2")["findings_open"], 0)

    def test_new_cases_are_compared_with_the_previous_period(self):
        a1 = self.values("commune_a1")
        self.assertEqual((a1["cases"], a1["cases_previous"], a1["cases_change"]), (4, 2, 1.0))
        self.assertEqual(a1["cases_per_100k"], 40.0)  # 4 in a commune of 10,000

    def test_contacts_traced_are_summed_over_the_period(self):
        a1 = self.values("commune_a1")
        self.assertEqual((a1["contacts"], a1["contacts_per_case"]), (10, 2.5))

    def test_a_unit_with_no_cases_before_has_no_trend_rather_than_a_made_up_one(self):
        a2 = self.values("commune_a2")
        self.assertEqual((a2["cases"], a2["cases_previous"], a2["cases_change"]), (0, 0, None))

    def test_tests_are_counted_against_the_screening_plan(self):
        a1 = self.values("commune_a1")
        self.assertEqual((a1["tests"], a1["tests_planned"], a1["tests_coverage"]), (4, 100, 0.03))

    def test_without_a_plan_the_plan_is_no_data(self):
        a2 = self.values("commune_a2")
        self.assertEqual((a2["tests"], a2["tests_planned"], a2["tests_coverage"]), (0, None, None))

    def test_without_the_testing_app_tests_are_no_data(self):
        with mock.patch.object(scorecards, "_testing_installed", return_value=False):
            a1 = self.values("commune_a1")
        self.assertEqual((a1["tests"], a1["tests_planned"], a1["tests_coverage"]), (None, None, None))


class RankingTests(ScorecardData):
    def test_communes_are_ranked_best_first_by_the_chosen_column(self):
        ranking = self.ranking("tasks_on_time_rate")
        self.assertEqual([(r.unit.name, r.rank) for r in ranking.rows], [("commune_a2", 1), ("commune_a1", 2)])

    def test_lower_is_better_for_overdue_tasks(self):
        ranking = self.ranking("tasks_overdue")
        self.assertEqual([r.unit.name for r in ranking.rows], ["commune_a2", "commune_a1"])

    def test_districts_are_ranked_within_the_province_with_their_communes_results(self):
        ranking = self.ranking("cases", parent="province")
        by_name = {r.unit.name: r for r in ranking.rows}
        self.assertEqual(by_name["district_a"].values["cases"], 4)
        self.assertEqual(by_name["district_a"].values["tasks_overdue"], 1)

    def test_each_unit_shows_its_head(self):
        heads = {r.unit.name: r.head.name if r.head else None for r in self.ranking().rows}
        self.assertEqual(heads, {"commune_a1": "Nguyễn Văn Chủ", "commune_a2": "Trần Thị Hai"})

    def test_the_steering_committees_head_comes_before_the_peoples_committees(self):
        make_agency(self.units["commune_a1"], "BCĐ xã A1", AgencyKind.STEERING_COMMITTEE, head_name="Lê Trưởng Ban")
        heads = {r.unit.name: r.head.name for r in self.ranking().rows}
        self.assertEqual(heads["commune_a1"], "Lê Trưởng Ban")

    def test_an_indicator_registered_by_another_app_joins_every_scorecard(self):
        extra = Indicator("quarantine", "Cách ly", (Column("f1_isolated", "F1 cách ly trong 24 giờ", +1),),
                          lambda scope: {uid: {"f1_isolated": 7} for uid in scope.unit_ids})
        scorecards.register_indicator(extra)
        self.addCleanup(scorecards.INDICATORS.remove, extra)
        self.assertEqual(self.ranking("f1_isolated").rows[0].values["f1_isolated"], 7)

    def test_a_ranking_outside_the_actors_area_is_not_found(self):
        with self.assertRaises(NotFound):
            self.ranking(actor="outsider", parent="district_a")

    def test_a_commune_has_no_units_to_rank(self):
        with self.assertRaises(InvalidInput) as caught:
            self.ranking(parent="commune_a1", actor="commune_officer")
        self.assertEqual(caught.exception.field, "unit")


class UnitScorecardTests(ScorecardData):
    def test_the_unit_page_compares_with_the_previous_period(self):
        card = scorecard_unit(actor=self.users["commune_officer"], unit=self.units["commune_a1"], period=PERIOD)
        self.assertEqual((card.values["tasks_on_time"], card.previous["tasks_on_time"]), (1, 1))
        self.assertEqual((card.values["cases"], card.previous["cases"]), (4, 2))

    def test_the_unit_page_breaks_tasks_down_by_its_own_agencies(self):
        card = scorecard_unit(actor=self.users["commune_officer"], unit=self.units["commune_a1"], period=PERIOD)
        by_agency = {a.name: v for a, v in card.agencies}
        self.assertEqual(by_agency["Trạm y tế xã A1"]["tasks_late"], 1)
        self.assertEqual(by_agency["UBND xã A1"]["tasks_overdue"], 1)

    def test_another_communes_officer_cannot_see_the_unit(self):
        with self.assertRaises(NotFound):
            scorecard_unit(actor=self.users["outsider"], unit=self.units["commune_a1"], period=PERIOD)


class ScorecardPageTests(ScorecardData):
    QUERY = {"start": "2021-05-14", "end": "2021-05-20"}

    def test_the_ranked_table_lists_the_communes_with_their_heads(self):
        self.client.force_login(self.users["district_epi"])
        response = self.client.get(reverse("scorecards:ranking"), self.QUERY)
        self.assertContains(response, "Nguyễn Văn Chủ")
        self.assertContains(response, "Xã commune_a2")
        self.assertEqual([r.unit.name for r in response.context["result"].rows], ["commune_a2", "commune_a1"])

    def test_htmx_gets_only_the_table(self):
        self.client.force_login(self.users["district_epi"])
        response = self.client.get(reverse("scorecards:ranking"), {**self.QUERY, "sort": "cases"},
                                   HTTP_HX_REQUEST="true")
        self.assertContains(response, 'id="results"')
        self.assertNotContains(response, "<html")

    def test_a_commune_officer_is_sent_to_their_own_units_page(self):
        self.client.force_login(self.users["commune_officer"])
        response = self.client.get(reverse("scorecards:ranking"))
        self.assertRedirects(response, reverse("scorecards:unit", args=[self.units["commune_a1"].code]) + "?",
                             fetch_redirect_response=False)

    def test_the_unit_page_shows_no_data_where_there_is_none(self):
        self.client.force_login(self.users["commune_officer"])
        response = self.client.get(reverse("scorecards:unit", args=[self.units["commune_a2"].code]), self.QUERY)
        self.assertEqual(response.status_code, 404)
        self.client.force_login(self.users["district_epi"])
        response = self.client.get(reverse("scorecards:unit", args=[self.units["commune_a2"].code]), self.QUERY)
        self.assertContains(response, "không có dữ liệu")
        self.assertContains(response, "Trần Thị Hai")

    def test_an_outsider_gets_not_found_for_another_districts_ranking(self):
        self.client.force_login(self.users["outsider"])
        response = self.client.get(reverse("scorecards:ranking"), {"unit": self.units["district_a"].code})
        self.assertEqual(response.status_code, 404)

    def test_the_export_is_the_ranked_table_as_xlsx(self):
        self.client.force_login(self.users["district_epi"])
        response = self.client.get(reverse("scorecards:export"), {**self.QUERY, "sort": "tasks_overdue"})
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn(".xlsx", response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content)).active
        labels = [c.value for c in sheet[5]]
        first, second = [[c.value for c in row] for row in sheet.iter_rows(min_row=6, max_row=7)]
        self.assertEqual(first[:4], [1, self.units["commune_a2"].code, "Xã commune_a2", "Trần Thị Hai"])
        self.assertEqual(second[labels.index("Quá hạn")], 1)
        self.assertEqual(second[labels.index("Đạt kế hoạch")], 0.03)
        self.assertEqual(first[labels.index("Đạt kế hoạch")], "không có dữ liệu")

    def test_the_export_refuses_an_area_outside_the_actors(self):
        self.client.force_login(self.users["outsider"])
        response = self.client.get(reverse("scorecards:export"), {"unit": self.units["district_a"].code})
        self.assertEqual(response.status_code, 404)


class ScorecardApiTests(ScorecardData):
    QUERY = {"start": "2021-05-14", "end": "2021-05-20"}

    def test_the_ranking_as_json_with_no_data_as_null(self):
        self.client.force_login(self.users["district_epi"])
        response = self.client.get("/api/scorecards", {**self.QUERY, "sort": "tasks_overdue"})
        self.assertEqual(response.status_code, 200, response.content[:300])
        body = response.json()
        self.assertEqual((body["unit"]["code"], body["level"], body["sort"]),
                         (self.units["district_a"].code, "commune", "tasks_overdue"))
        first, second = body["rows"]
        self.assertEqual((first["rank"], first["unit"]["name"], first["head"]["name"]),
                         (1, "Xã commune_a2", "Trần Thị Hai"))
        self.assertEqual((second["values"]["tasks_overdue"], first["values"]["tests_coverage"]), (1, None))
        self.assertIn({"key": "cases_change", "label": "Xu hướng", "indicator": "cases", "better": -1,
                       "kind": "change"}, body["columns"])

    def test_a_unit_scorecard_as_json_with_the_previous_period(self):
        self.client.force_login(self.users["commune_officer"])
        response = self.client.get(f"/api/scorecards/{self.units['commune_a1'].code}", self.QUERY)
        body = response.json()
        self.assertEqual(body["previous_period"], {"start": "2021-05-07", "end": "2021-05-13", "days": 7})
        self.assertEqual((body["values"]["cases"], body["previous"]["cases"]), (4, 2))

    def test_an_unknown_sort_column_names_the_field(self):
        self.client.force_login(self.users["district_epi"])
        response = self.client.get("/api/scorecards", {"sort": "happiness"})
        self.assertEqual((response.status_code, response.json()["field"]), (422, "sort"))

    def test_another_communes_scorecard_is_not_found(self):
        self.client.force_login(self.users["outsider"])
        response = self.client.get(f"/api/scorecards/{self.units['commune_a1'].code}")
        self.assertEqual(response.status_code, 404)
