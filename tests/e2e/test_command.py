"""Browser test of command work: a secretary enters a notice with two tasks on one page, an
agency's officer reports one of them done from the agency's inbox, and the committee's leader
verifies it.

Run with `make test-e2e` (Playwright driving Debian's /usr/bin/chromium, headless, no network)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from chongdich.accounts.models import User
from chongdich.command.models import AgencyKind
from chongdich.command.services import agency_create
from chongdich.core import clock
from chongdich.core.testing import make_geography, make_user
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

PASSWORD = "pw-test-123456"


@pytest.fixture
def world(transactional_db):
    """A province committee (secretary, leader) and two agencies; the health department has an
    officer with an account. Made before Playwright's event loop starts."""
    units = make_geography()
    secretary = make_user(units["province"], User.Role.SECRETARY, full_name="Thư ký Văn phòng")
    leader = make_user(units["province"], User.Role.LEADER, full_name="Trưởng Ban Chỉ đạo")
    officer = make_user(units["province"], User.Role.OFFICER, full_name="Cán bộ Sở Y tế")
    health = agency_create(actor=secretary, unit=units["province"], name="Sở Y tế", kind=AgencyKind.HEALTH,
                           members=[officer])
    propaganda = agency_create(actor=secretary, unit=units["province"], name="Ban Tuyên giáo Tỉnh ủy",
                               kind=AgencyKind.PROPAGANDA)
    return {"secretary": secretary, "leader": leader, "officer": officer, "health": health,
            "propaganda": propaganda}


@pytest.fixture
def open_page(world, live_server, browser):
    """A fresh browser session per person (each logs in on their own device)."""
    contexts = []

    def open_as(user):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                      base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda msg: msg.type in ("error", "warning") and print(f"console {msg.type}: {msg.text}"))
        page.on("pageerror", lambda exc: print(f"page error: {exc}"))
        page.goto("/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("form.stacked button[type=submit]")
        expect(page).to_have_url(re.compile(r"/$"))
        return page

    yield open_as
    for context in contexts:
        context.pages[0].wait_for_load_state("networkidle")
        context.close()


def test_a_notice_with_two_tasks_is_entered_reported_and_verified(world, open_page):
    issued = clock.today() - dt.timedelta(days=1)
    deadline = dt.datetime.combine(clock.today() + dt.timedelta(days=5), dt.time(17, 0))

    # The secretary enters the notice and its two tasks on one page.
    page = open_page(world["secretary"])
    page.click("nav.mainnav >> text=Chỉ đạo")
    page.click("text=Nhập văn bản và giao nhiệm vụ")
    page.select_option("#id_kind", "notice")
    page.fill("#id_number", "2032-TB/TU")
    page.fill("#id_issuing_body", "Ban Thường vụ Tỉnh ủy")
    page.fill("#id_issued_on", issued.isoformat())
    page.fill("#id_title", "Ý kiến của Ban Thường vụ Tỉnh ủy về phòng, chống dịch")
    page.fill("#id_tasks-0-point", "2")
    page.select_option("#id_tasks-0-agencies", label="Sở Y tế")
    page.fill("#id_tasks-0-description", "Rà soát, đảm bảo cung cấp đầy đủ vật tư y tế cho các địa phương")
    page.select_option("#id_tasks-0-timing", "deadline")
    expect(page.locator("#id_tasks-0-deadline")).to_be_visible()
    expect(page.locator("#id_tasks-0-cadence")).to_be_hidden()
    page.fill("#id_tasks-0-deadline", deadline.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_tasks-1-point", "3")
    page.select_option("#id_tasks-1-agencies", label="Ban Tuyên giáo Tỉnh ủy")
    page.fill("#id_tasks-1-description", "Tuyên truyền sâu, rộng về công tác phòng, chống dịch")
    page.click("#document-form button[type=submit].primary")
    expect(page).to_have_url(re.compile(r"/command/documents/\d+/$"))
    expect(page.locator("h1")).to_contain_text("2032-TB/TU")
    expect(page.locator("#tasks table tbody tr")).to_have_count(2)
    document_url = page.url
    page.screenshot(path=str(ARTIFACTS / "command-document.png"), full_page=True)

    # The health department's officer finds the task in the agency's inbox and reports it done.
    page = open_page(world["officer"])
    page.goto("/command/my-tasks/")
    expect(page.locator("h1")).to_contain_text("Sở Y tế")
    page.click("#owed a:has-text('Rà soát, đảm bảo cung cấp')")
    page.fill("#report-form textarea[name=text]", "Đã cấp bổ sung 20.000 khẩu trang cho 9 huyện")
    page.check("#report-form input[name=done]")
    page.click("#report-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("chờ Ban chỉ đạo xác nhận")
    expect(page.locator(".page-head .lead")).to_contain_text("Báo cáo hoàn thành, chờ xác nhận")

    # The committee's leader sees it waiting on the board and verifies it.
    page = open_page(world["leader"])
    page.goto("/command/")
    page.select_option("#id_lateness", "awaiting")
    row = page.locator("#results tr", has_text="Rà soát, đảm bảo cung cấp")
    expect(row).to_have_count(1)
    row.locator("a").first.click()
    page.fill("#verify-form textarea[name=note]", "Đã kiểm tra thực tế tại 2 huyện")
    page.click("#verify-form button[type=submit]")
    expect(page.locator(".page-head .lead")).to_contain_text("Đã xác nhận hoàn thành")
    expect(page.locator("#history")).to_contain_text("Xác nhận hoàn thành")
    page.screenshot(path=str(ARTIFACTS / "command-task-verified.png"), full_page=True)

    page.goto(document_url)
    expect(page.locator("#tasks tr", has_text="Sở Y tế")).to_contain_text("Đã xác nhận hoàn thành")
    expect(page.locator("#tasks tr", has_text="Ban Tuyên giáo Tỉnh ủy")).to_contain_text("Đã giao")
