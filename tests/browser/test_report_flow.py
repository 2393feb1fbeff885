"""The dashboard in Chromium: meters, rating and reasons follow what is logged."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, search_foods
from tests.conftest import PASSWORD


@pytest.fixture
def seeded_diary(live_server, page: Page, user):
    call_command("seed_foods", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    return page


def add(page: Page, query: str, food: str, unit: str | None = None, amount: str | None = None):
    search_foods(page, query)
    page.locator("#search-results").get_by_role("link", name=food, exact=True).click()
    if unit:
        page.get_by_label("Unit").select_option(label=unit)
    if amount:
        page.get_by_label("Amount").fill(amount)
    page.get_by_role("button", name="Add to diary").click()
    expect(page.get_by_role("status")).to_contain_text(f"Added {food}")


def test_logging_foods_moves_the_meters_the_rating_and_the_reasons(seeded_diary: Page, screenshot):
    page = seeded_diary
    expect(page.get_by_test_id("risk")).to_have_count(0)  # nothing logged: no rating

    add(page, "banan", "Bananas, raw", unit='1 medium (7" to 7-7/8" long) (118 g)')
    expect(page.get_by_test_id("status-potassium")).to_have_text("8% · well short")
    expect(page.get_by_test_id("risk")).to_have_text("high")

    add(page, "yogurt plain low", "Yogurt, plain, low fat")
    expect(page.get_by_test_id("status-calcium")).to_contain_text("well short")

    page.get_by_role("link", name="See the full report").click()
    expect(page.get_by_test_id("risk")).to_have_text("high")
    reasons = page.get_by_test_id("reasons")
    expect(reasons).to_contain_text("Potassium is well short")
    expect(reasons).to_contain_text("Magnesium is well short")
    expect(page.locator("figure svg").first).to_be_visible()
    # With foods logged, each mineral lists where it came from: headings in order.
    expect(page.get_by_role("heading", name="Where the potassium came from")).to_be_visible()
    assert_accessible(page)

    page.set_viewport_size(DESKTOP)
    screenshot("report-1280")
    page.set_viewport_size(PHONE)
    screenshot("report-390")

    potassium = page.get_by_test_id("total-potassium")
    before = int(re.sub(r"\D", "", potassium.inner_text()))
    page.locator(".suggestions").get_by_role("button", name=re.compile("Log it")).first.click()
    expect(page.get_by_role("status")).to_contain_text("Added")
    after = int(re.sub(r"\D", "", potassium.inner_text()))
    assert after > before

    page.get_by_role("button", name="Mark as an intense-workout day").click()
    expect(page.get_by_test_id("reasons")).to_contain_text("intense-workout day")
    expect(page.get_by_role("button", name="Unmark the workout")).to_be_visible()
