"""Browser test: a province leader opens the coverage page, sees the table by age group and dose
with its source, changes the date (htmx swaps the table) and drills down to a commune.

Run with `make test-e2e` (Playwright driving Debian's /usr/bin/chromium, headless, no network)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from chongdich.accounts.models import User
from chongdich.core.testing import make_geography, make_user
from chongdich.people.models import Person
from chongdich.vaccination.models import CoverageConfig, VaccineProduct
from chongdich.vaccination.reference_data import load_reference_data
from chongdich.vaccination.services import dose_record

pytestmark = pytest.mark.e2e

PASSWORD = "pw-test-123456"


@pytest.fixture
def leader(transactional_db):
    load_reference_data(VaccineProduct, CoverageConfig)
    units = make_geography()
    leader = make_user(units["province"], User.Role.LEADER, full_name="Lãnh đạo Thử")
    az = VaccineProduct.objects.get(code="AZ")
    people = [Person.objects.create(full_name=f"Người {i}", name_folded=f"nguoi {i}", birth_year=1960 + i,
                                    **units["commune_a1"].jurisdiction_keys()) for i in range(3)]
    for person in people:
        dose_record(actor=leader, person=person, product=az, dose_number=1, given_on=dt.date(2021, 8, 2))
    leader.units = units
    return leader


def test_coverage_page_drills_down_and_follows_the_date(leader, live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/login/")
    page.fill("#id_username", leader.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.goto("/vaccination/")
    table = page.locator("#coverage-table")
    expect(table).to_be_visible()
    expect(page.locator("#coverage")).to_contain_text("từ danh sách tiêm")
    expect(table.locator('tr[data-group="all"] td[data-dose="1"]')).to_contain_text("3")
    page.fill("#id_as_of", "2021-07-01")
    page.locator("#id_as_of").dispatch_event("change")
    expect(page.locator("#coverage")).to_contain_text("chưa có số liệu")
    page.goto("/vaccination/")
    page.get_by_role("link", name="Huyện district_a").click()
    expect(page.locator("h1")).to_contain_text("Huyện district_a")
    page.get_by_role("link", name="Xã commune_a1").click()
    expect(page.locator("h1")).to_contain_text("Xã commune_a1")
    context.close()
