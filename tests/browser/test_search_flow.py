"""Searching the whole shipped food table in real Chromium, and logging what was found."""

import pytest
from playwright.sync_api import Page, expect

from nutrients.shipped import load_shipped_foods
from tests.browser.conftest import assert_accessible, search_foods
from tests.conftest import PASSWORD
from tracker.models import Entry

pytestmark = pytest.mark.slow


@pytest.fixture
def diary(live_server, page: Page, user):
    """A fresh database with the shipped table loaded, as `make run` leaves it; Alice on today's diary."""
    load_shipped_foods()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    page.evaluate("window.noReload = true")
    return page


def first_result(page: Page):
    return page.locator("#search-results a.result").first


def log_first_result(page: Page, query: str, expected: str) -> None:
    search_foods(page, query)
    expect(first_result(page)).to_have_text(expected)
    first_result(page).click()
    expect(page.locator(".chosen-food")).to_have_text(expected)
    page.get_by_role("button", name="Add to diary").click()
    expect(page.locator(".entry-food", has_text=expected)).to_be_visible()


def test_yoghurt_bananna_and_coffee_find_what_was_meant_and_log_it(diary: Page, screenshot):
    page = diary

    log_first_result(page, "yoghurt", "Yogurt, plain, low fat")
    log_first_result(page, "bananna", "Bananas, raw")
    log_first_result(page, "coffee", "Beverages, coffee, brewed, prepared with tap water")

    logged = Entry.objects.order_by("pk").values_list("food__fdc_id", flat=True)
    assert list(logged) == [170886, 173944, 171890]
    assert page.evaluate("window.noReload") is True
    screenshot("search-logged-three")


def test_more_results_by_keyboard_and_the_page_passes_axe(diary: Page, screenshot):
    page = diary
    search_foods(page, "cheese")
    expect(page.locator("#search-results a.result")).to_have_count(20)
    more = page.get_by_role("link", name="More results for “cheese”")

    more.focus()
    page.keyboard.press("Enter")

    expect(page.locator("#search-results a.result")).to_have_count(40)
    # The focus lands on the 21st food, so the keyboard goes on where the list grew.
    expect(page.locator("#search-results a.result").nth(20)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Add to diary")).to_be_visible()
    screenshot("search-more-results")

    assert_accessible(page)
