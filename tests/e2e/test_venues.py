"""Browser test: a tracer opens the QR exposure queue, picks the factory where the F0 was, ticks
"select the whole group" and confirms: the people become the F0's contacts (F1), the queue empties,
and the trace stage of the F0's 5-hour response, open with proposals waiting, turns done.

Run with `DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest -q -m e2e tests/e2e/test_venues.py`."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chongdich.accounts.models import User
from chongdich.cases.models import Contact, Detection
from chongdich.cases.services import case_register
from chongdich.core import clock
from chongdich.core.testing import make_geography, make_user
from chongdich.people.models import Person
from chongdich.people.services import person_create
from chongdich.response.models import ResponseRuleSet
from chongdich.response.rule_data import load_rule_sets as load_response_rule_sets
from chongdich.venues import services, services_exposures
from chongdich.venues.models import ExposureRuleSet, Proposal
from chongdich.venues.rule_data import load_rule_sets
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e
PASSWORD = "pw-test-123456"


@pytest.fixture
def scene(transactional_db):
    load_rule_sets(ExposureRuleSet)  # the data migrations' rows are gone after a flush
    load_response_rule_sets(ResponseRuleSet)
    units = make_geography()
    leader = make_user(units["province"], User.Role.LEADER)
    tracer = make_user(units["commune_a1"], User.Role.TRACER, full_name="Truy vết Thử")
    now = timezone.now().replace(microsecond=0)
    with clock.frozen_at(now):
        factory = services.venue_create(actor=leader, commune=units["commune_a1"], name="Nhà máy Thử",
                                        kind="factory", capacity=500)
        people = [person_create(actor=leader, commune=units["commune_a1"], full_name=f"Công Nhân {i}",
                                birth_year=1990 + i) for i in range(5)]
        start = (now - dt.timedelta(hours=20)).replace(minute=0, second=0)
        rows = [services.CheckInRow(factory.pk, p.pk, start + dt.timedelta(minutes=10 * i)) for i, p in enumerate(people)]
        services.checkins_record(actor=leader, rows=rows)
        case = case_register(actor=leader, person=people[0], confirmed_at=now - dt.timedelta(hours=1),
                             detection=Detection.COMMUNITY)
        services_exposures.matching_run_queued()
    return {"tracer": tracer, "factory": factory, "case": case, "people": people}


def test_a_tracer_confirms_a_whole_group(scene, live_server, browser):
    assert Proposal.objects.filter(status="pending").count() == 4
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                  base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/login/")
    page.fill("#id_username", scene["tracer"].username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))
    trace = page.locator("article.stage").first
    page.goto(f"/responses/case/{scene['case'].pk}/")
    expect(trace).to_contain_text("Đề xuất F1 từ quét mã QR đang chờ duyệt: 4")
    expect(trace).not_to_contain_text("tự động theo dữ liệu")
    page.goto("/venues/proposals/")
    page.get_by_role("link", name="Nhà máy Thử").click()
    expect(page.locator("input[name=ids]")).to_have_count(4)
    page.locator("input.select-group").first.check()
    expect(page.locator("input[name=ids]:checked")).to_have_count(4)
    page.get_by_role("button", name="Xác nhận là tiếp xúc").click()
    expect(page.locator("body")).to_contain_text("Đã xác nhận 4 người là tiếp xúc.")
    page.screenshot(path=str(ARTIFACTS / "venues-queue.png"))
    # Confirmed F1s queue the matching of their own visits (proposed F2): the worker's job. The
    # trace stage waits for it, as it waits for any proposal.
    page.goto(f"/responses/case/{scene['case'].pk}/")
    expect(trace).not_to_contain_text("tự động theo dữ liệu")
    services_exposures.matching_run_queued()
    page.goto(f"/responses/case/{scene['case'].pk}/")
    expect(trace).to_contain_text("tự động theo dữ liệu")  # the trace stage, done by the records
    expect(trace).to_contain_text("Tiếp xúc ghi nhận trong điều tra ca này: 4")
    page.screenshot(path=str(ARTIFACTS / "venues-response.png"))
    context.close()
    assert Contact.objects.filter(person=scene["people"][0]).count() == 4
    assert set(Person.objects.filter(pk__in=[p.pk for p in scene["people"][1:]]).values_list("rank", flat=True)) == {1}
