"""Browser tests: an officer registers an F0 with two contacts and sees them as F1 in the chain;
the dashboard's map and curve render; the interface switches to English.

Run with `make test-e2e` (Playwright driving Debian's /usr/bin/chromium, headless, no network)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from chongdich.accounts.models import User
from chongdich.core.testing import make_geography, make_user
from chongdich.people.services import person_create
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

PASSWORD = "pw-test-123456"

CHART_HAS_DATA = """(id) => {
    const el = document.getElementById(id);
    const chart = el && window.echarts && echarts.getInstanceByDom(el);
    if (!chart) return 0;
    return chart.getOption().series.reduce((n, s) => n + (s.data ? s.data.length : 0), 0);
}"""


@pytest.fixture
def officer(transactional_db):
    units = make_geography()
    user = make_user(units["commune_a1"], User.Role.OFFICER, full_name="Cán bộ Thử")
    person_create(actor=user, commune=units["commune_a1"], full_name="Lê Văn Đồng", birth_year=1979)
    return user


@pytest.fixture
def page(officer, live_server, browser):
    # The data exist before Playwright's event loop starts: ORM calls made inside it would open
    # a connection of their own that the test database teardown cannot close.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                  base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Shown by pytest when a test fails: what the browser complained about.
    page.on("console", lambda msg: msg.type in ("error", "warning") and print(f"console {msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: print(f"page error: {exc}"))
    page.on("requestfailed", lambda req: print(f"request failed: {req.url}"))
    yield page
    page.wait_for_load_state("networkidle")  # no request left half-served when the server stops
    context.close()


def log_in(page, user):
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))


def open_contact_form(page):
    form = page.locator("#contact-form")
    if not form.is_visible():
        page.click("#contacts details.action > summary")
    return form


def add_new_contact(page, name: str, setting: str):
    form = open_contact_form(page)
    form.locator("[name=new-full_name]").fill(name)
    form.locator("[name=setting]").select_option(setting)
    form.locator("button[type=submit]").click()
    expect(page.locator("#contacts table")).to_contain_text(name)


def add_existing_contact(page, search: str, name: str, setting: str):
    """Find a registered person by typing their name without diacritics, then pick them."""
    form = open_contact_form(page)
    form.locator("#pick-contact").press_sequentially(search, delay=20)
    form.locator("#pick-results-contact label.pick", has_text=name).click()
    form.locator("[name=setting]").select_option(setting)
    form.locator("button[type=submit]").click()
    expect(page.locator("#contacts table")).to_contain_text(name)


def test_an_officer_registers_a_case_with_two_contacts_and_sees_them_as_f1(page, officer):
    log_in(page, officer)

    page.goto("/cases/new/")
    page.fill("#id_new-full_name", "Nguyễn Văn Thử")
    page.fill("#id_new-birth_year", "1985")
    page.select_option("#id_new-sex", "male")
    page.fill("#id_new-phone", "0912 345 678")
    page.select_option("#id_detection", "symptoms")
    page.click("#case-form button[type=submit].primary")
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Nguyễn Văn Thử")

    add_new_contact(page, "Trần Thị Vợ", "household")
    add_existing_contact(page, "le van dong", "Lê Văn Đồng", "workplace")
    f1_rows = page.locator('#contacts tr.contact-row[data-rank="1"]')
    expect(f1_rows).to_have_count(2)
    expect(f1_rows.first.locator(".rank")).to_have_text("F1")

    page.wait_for_function("() => window.chainGraph && window.chainGraph.nodes().length === 3")
    assert page.locator("#chain-graph canvas").count() > 0
    ranks = page.evaluate("() => window.chainGraph.nodes().map(n => n.data('rank')).sort()")
    assert ranks == ["F0", "F1", "F1"]
    page.screenshot(path=str(ARTIFACTS / "case-page.png"), full_page=True)

    page.goto("/")
    expect(page.locator('[data-figure="wave_total"]')).to_have_text("1")
    expect(page.locator('[data-figure="f1"]')).to_have_text("2")
    page.wait_for_function(f"() => ({CHART_HAS_DATA})('map') > 0")
    page.wait_for_function(f"() => ({CHART_HAS_DATA})('curve') > 0")
    map_cases = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('map')).getOption()"
        ".series[1].data.map(d => d.value[2]).reduce((a, b) => a + b, 0)"
    )
    assert map_cases == 1
    assert page.locator("#map canvas").count() > 0 and page.locator("#curve canvas").count() > 0
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)


def test_the_interface_switches_to_english_and_back(page, officer):
    log_in(page, officer)
    expect(page.locator("nav.mainnav")).to_contain_text("Bảng điều hành")

    page.click("form.lang button[value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("nav.mainnav")).to_contain_text("Dashboard")
    expect(page.locator(".figures")).to_contain_text("New cases today")
    page.goto("/cases/new/")
    expect(page.locator("#id_status")).to_contain_text("Hospital tier 1")
    page.screenshot(path=str(ARTIFACTS / "register-case-en.png"), full_page=True)

    page.click("form.lang button[value=vi]")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_contain_text("Đăng ký ca bệnh")
