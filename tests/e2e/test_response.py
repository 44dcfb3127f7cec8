"""Browser test: an officer watches a new F0's clocks count down on the response board without
reloading, opens the response, signs the zone stage off with a note and sees it ticked; the trace
stage turns done by itself when a contact is recorded meanwhile (the board's 30 s refresh).

Run with `make test-e2e` (Playwright driving Debian's /usr/bin/chromium, headless, no network)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chongdich.accounts.models import User
from chongdich.cases.services import case_register, contact_add
from chongdich.core.testing import make_geography, make_user
from chongdich.people.services import person_create
from chongdich.response.models import ResponseRuleSet
from chongdich.response.rule_data import load_rule_sets
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_import import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(transactional_db):
    load_rule_sets(ResponseRuleSet)  # the data migration's rows are gone after a flush
    units = make_geography()
    officer = make_user(units["commune_a1"], User.Role.OFFICER, full_name="Cán bộ Thử")
    leader = make_user(units["province"], User.Role.LEADER)
    f0 = person_create(actor=leader, commune=units["commune_a1"], full_name="Nguyễn Văn Ca")
    case = case_register(actor=leader, person=f0, confirmed_at=timezone.now() - dt.timedelta(minutes=50),
                         detection="community")
    contact = person_create(actor=leader, commune=units["commune_a1"], full_name="Trần Thị Tiếp")
    return {"officer": officer, "leader": leader, "case": case, "contact": contact}


@pytest.fixture
def page(world, live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN",  # a phone
                                  base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def test_an_officer_follows_the_clocks_and_signs_a_stage_off(page, world, monkeypatch):
    monkeypatch.setattr("chongdich.venues.selectors.open_proposal_counts", lambda case_ids: {})
    case = world["case"]
    log_in(page, world["officer"])
    page.goto("/responses/")
    card = page.locator(".rcard", has_text=case.code)
    trace = card.locator(".clock").first
    expect(trace).to_have_class(re.compile("light-amber"))  # 10 minutes left of the first hour
    before = trace.locator("[data-left]").inner_text()
    page.wait_for_timeout(1500)
    assert trace.locator("[data-left]").inner_text() != before  # counting down, no reload
    page.screenshot(path=str(ARTIFACTS / "response-board.png"), full_page=True)

    card.locator("a").click()
    expect(page).to_have_url(re.compile(r"/responses/\d+/$"))
    zone = page.locator("article.stage").nth(1)
    zone.locator("summary").click()
    zone.locator("textarea").fill("Đã phong tỏa thôn Đông theo quyết định của UBND xã")
    zone.locator("button[type=submit]").click()
    expect(page.locator("article.stage").nth(1)).to_have_class(re.compile("light-done"))
    expect(page.locator("article.stage").nth(1)).to_contain_text("Đã phong tỏa thôn Đông")
    page.screenshot(path=str(ARTIFACTS / "response-detail.png"), full_page=True)

    contact_add(actor=world["leader"], person=case.person, contact=world["contact"], case=case)
    page.goto("/responses/")
    expect(page.locator(".rcard", has_text=case.code).locator(".clock").first).to_have_class(
        re.compile("light-done"))
    page.screenshot(path=str(ARTIFACTS / "response-board-after.png"), full_page=True)
