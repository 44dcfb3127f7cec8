"""Browser test: the level map. An officer opens the map of their district; each commune is a
circle coloured by the newest assessed week; moving the week slider back one week recolours the
markers without reloading the page. The public map opens without logging in, on a phone.

Run with `make test-e2e` (Playwright driving Debian's /usr/bin/chromium, headless, no network)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chongdich.accounts.models import User
from chongdich.core.testing import make_geography, make_user
from chongdich.risk.models import Assessment, RiskRuleSet
from chongdich.zones import domain, services
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_import import log_in

pytestmark = pytest.mark.e2e

W49, W50 = dt.date(2021, 12, 6), dt.date(2021, 12, 13)
GREEN, YELLOW, ORANGE, RED, GREY = (domain.level_colour(n) for n in (1, 2, 3, 4, None))


@pytest.fixture
def world(transactional_db):
    units = make_geography()
    for n, key in enumerate(("commune_a1", "commune_a2", "commune_b1")):
        units[key].lat, units[key].lon = 21.0 + n * 0.02, 105.8 + n * 0.03
        units[key].save(update_fields=["lat", "lon"])
    for n, key in enumerate(("province", "district_a", "district_b")):
        units[key].lat, units[key].lon = 21.1 + n * 0.05, 105.9 + n * 0.05
        units[key].save(update_fields=["lat", "lon"])
    rules = RiskRuleSet.objects.create(code="e2e-4800", name="Thử", legal_source="QĐ 4800/QĐ-BYT",
                                       valid_from=dt.date(2021, 10, 12), rules={})
    for key, week, level in (("commune_a1", W49, 1), ("commune_a1", W50, 4),
                             ("commune_a2", W49, 2), ("commune_a2", W50, 3), ("province", W50, 3)):
        Assessment.objects.create(unit=units[key], week=week, rule_set=rules, level=level,
                                  explanation=f"cấp {level}", computed_at=timezone.now())
    officer = make_user(units["district_a"], User.Role.EPIDEMIOLOGIST, full_name="Cán bộ Bản đồ")
    services.area_record_point(  # in force only during 2021-W50
        actor=officer, name="Ngõ 5", reason="F0", lat=21.001, lon=105.801, rings={"core": 100, "buffer": 300},
        commune=units["commune_a1"], starts_at=at(2021, 12, 14), ends_at=at(2021, 12, 19))
    return units, officer


def at(*day):
    return timezone.make_aware(dt.datetime(*day, 9))


def new_page(browser, live_server, **options):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, **options)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("pageerror", lambda exc: print(f"page error: {exc}"))
    return page


def marker(page, unit):
    return page.locator(f"path.u-{unit.code}")


def test_moving_the_week_slider_recolours_the_communes(world, live_server, browser):
    units, officer = world
    page = new_page(browser, live_server, viewport={"width": 1280, "height": 900})
    log_in(page, officer)
    page.goto("/map/")
    expect(page.locator("#zone-map")).to_have_attribute("data-week", "2021-W50")
    expect(page.locator("#week-label")).to_contain_text("2021-W50")
    a1, a2 = marker(page, units["commune_a1"]), marker(page, units["commune_a2"])
    expect(a1).to_have_attribute("fill", RED)
    expect(a2).to_have_attribute("fill", ORANGE)
    expect(page.locator('[data-level-count="4"]')).to_have_text("1")  # the legend counts the communes
    expect(page.locator("path.ring-core")).to_have_count(1)  # the point lockdown of that week
    expect(page.locator("path.ring-buffer")).to_have_count(1)
    expect(page.locator("#map-areas li")).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / "map-w50.png"))
    url_before = page.url

    page.locator("#week-slider").fill("10")  # one week back: 2021-W49

    expect(page.locator("#zone-map")).to_have_attribute("data-week", "2021-W49")
    expect(a1).to_have_attribute("fill", GREEN)
    expect(a2).to_have_attribute("fill", YELLOW)
    expect(page.locator("#week-label")).to_contain_text("2021-W49")
    expect(page.locator("path.ring-core")).to_have_count(0)  # not yet in force
    assert page.url == url_before  # no reload, no navigation
    page.screenshot(path=str(ARTIFACTS / "map-w49.png"))

    page.locator("#week-slider").fill("9")  # nothing assessed in 2021-W48: grey
    expect(page.locator("#zone-map")).to_have_attribute("data-week", "2021-W48")
    expect(a1).to_have_attribute("fill", GREY)
    expect(page.locator('[data-level-count=""]')).to_have_text("2")  # A1 and A2 (B1 is in another district)
    page.locator("#week-next").click()  # and forward again with the button
    expect(page.locator("#zone-map")).to_have_attribute("data-week", "2021-W49")
    expect(a1).to_have_attribute("fill", GREEN)


def test_the_public_map_opens_without_login_on_a_phone(world, live_server, browser):
    units, _officer = world
    page = new_page(browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto("/public/levels/")
    expect(page.locator("#zone-map")).to_have_attribute("data-state", "ready")
    expect(marker(page, units["province"])).to_have_attribute("fill", ORANGE)
    marker(page, units["province"]).click(force=True)
    page.locator(".leaflet-popup button.drill").click()
    expect(page).to_have_url(re.compile(r"level=district&parent=" + units["province"].code))
    expect(marker(page, units["district_a"])).to_have_attribute("fill", GREY)
    page.locator("[data-view-level=commune]").click()  # the communes of the province
    expect(marker(page, units["commune_b1"])).to_have_attribute("fill", GREY)
    expect(marker(page, units["commune_a1"])).to_have_attribute("fill", RED)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone: {width}px"
    page.screenshot(path=str(ARTIFACTS / "map-public-phone.png"), full_page=True)
