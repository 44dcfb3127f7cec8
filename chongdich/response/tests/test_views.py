"""The board, a response's page, sign-off and disinfection forms, the compliance table, and the
scorecard indicator."""

from __future__ import annotations

import datetime as dt

from chongdich.command import scorecards
from chongdich.response import services
from chongdich.response.tests.base import MINUTE, T0, ResponseTestCase


class PageTests(ResponseTestCase):
    def setUp(self):
        super().setUp()
        self.case = self.confirm(at=T0 - 50 * MINUTE)
        self.response = self.response_of(self.case)

    def test_the_board_shows_live_clocks_with_their_deadlines(self):
        self.client.force_login(self.users["district_epi"])
        page = self.client.get("/responses/")
        assert page.status_code == 200
        html = page.content.decode()
        assert self.case.code in html
        assert f'data-due="{(T0 + 10 * MINUTE).isoformat()}"' in html
        assert "light-amber" in html and 'hx-trigger="every 30s"' in html

    def test_the_response_page_links_the_evidence_of_each_stage(self):
        from chongdich.zones import hooks as zone_hooks
        from chongdich.zones.models import LockdownArea

        self.contact(self.case, "Bình")
        placement = self.place("Bình")
        area = LockdownArea.objects.create(name="Thôn Đông", shape="units", reason="F0", trigger_case=self.case,
                                           starts_at=T0, **self.units["commune_a1"].jurisdiction_keys())
        zone_hooks.run_area_recorded([area.pk])
        services.disinfection_record(actor=self.users["tracer"], response=self.response, place="Chợ Đông",
                                     done_by_name="Tổ COVID")
        self.client.force_login(self.users["commune_officer"])
        html = self.client.get(f"/responses/{self.response.pk}/").content.decode()
        assert f"/quarantine/placements/{placement.pk}/" in html
        assert "Thôn Đông" in html and "Chợ Đông" in html
        assert html.count("light-done") >= 3  # every stage done by the records
        self.response.refresh_from_db()
        assert self.response.closed_at == T0

    def test_an_htmx_poll_gets_only_the_board(self):
        self.client.force_login(self.users["district_epi"])
        page = self.client.get("/responses/?state=open", headers={"HX-Request": "true"})
        html = page.content.decode()
        assert html.lstrip().startswith('<section id="board"') and "<html" not in html

    def test_the_outsider_sees_an_empty_board_and_no_response_page(self):
        self.client.force_login(self.users["outsider"])
        assert self.case.code not in self.client.get("/responses/").content.decode()
        assert self.client.get(f"/responses/{self.response.pk}/").status_code == 404
        assert self.client.get(f"/responses/case/{self.case.pk}/").status_code == 404

    def test_sign_off_from_the_page(self):
        self.client.force_login(self.users["commune_officer"])
        url = f"/responses/{self.response.pk}/stages/trace/sign-off/"
        assert self.client.post(url, {"trace-note": ""}).status_code == 422
        page = self.client.post(url, {"trace-note": "Đã truy vết 12 F1"}, follow=True)
        assert page.status_code == 200
        assert "Đã truy vết 12 F1" in page.content.decode()

    def test_disinfection_from_the_page(self):
        self.client.force_login(self.users["tracer"])
        page = self.client.post(f"/responses/{self.response.pk}/disinfections/",
                                {"place": "Nhà văn hóa thôn", "done_by_name": "Tổ COVID"}, follow=True)
        assert "Nhà văn hóa thôn" in page.content.decode()
        assert self.response.disinfections.count() == 1


class ComplianceTests(ResponseTestCase):
    def setUp(self):
        super().setUp()
        late = self.confirm("An", at=T0 - 10 * 60 * MINUTE)
        on_time = self.confirm("Dũng", at=T0 - 5 * 60 * MINUTE)
        self.freeze(T0 - 4 * 60 * MINUTE)
        services.stage_sign_off(actor=self.users["district_epi"], stage=self.stage(on_time, "trace"), note="ok")
        self.freeze(T0)
        services.stage_sign_off(actor=self.users["district_epi"], stage=self.stage(late, "trace"), note="ok")

    def test_the_table_gives_the_share_on_time_and_the_median_per_commune(self):
        self.client.force_login(self.users["district_epi"])
        page = self.client.get("/responses/compliance/", {"start": "2021-08-01", "end": "2021-08-02"})
        html = page.content.decode()
        assert page.status_code == 200
        # district A: trace 1 of 2 on time; zone and move both overdue for the older case only
        assert "50%" in html and "Xã commune_a1" in html

    def test_the_api_gives_the_same_figures_per_commune(self):
        self.client.force_login(self.users["district_epi"])
        body = self.client.get("/api/responses/compliance", {"start": "2021-08-01", "end": "2021-08-02"}).json()
        by_unit = {u["name"]: u["stages"]["trace"] for u in body["units"]}
        assert by_unit["Xã commune_a1"]["on_time_share"] == 0.0
        assert by_unit["Xã commune_a2"] == {"counted": 1, "on_time": 1, "on_time_share": 1.0, "median_minutes": 60.0}
        assert body["total"]["stages"]["trace"]["on_time_share"] == 0.5

    def test_the_scorecard_indicator_feeds_the_unit_record(self):
        units = [self.units["commune_a1"], self.units["commune_a2"], self.units["commune_b1"]]
        period = scorecards.Period(dt.date(2021, 8, 1), dt.date(2021, 8, 2))
        values = scorecards.compute(scorecards.Scope(units, "commune", period, T0))
        a1, a2, b1 = (values[u.pk] for u in units)
        assert (a1["response_trace_on_time"], a2["response_trace_on_time"]) == (0.0, 1.0)
        assert a1["response_move_on_time"] == 0.0 and a2["response_move_on_time"] is None  # a2 still running
        assert (b1["response_trace_on_time"], b1["response_count"]) == (None, 0)
        assert a1["response_count"] == 1
