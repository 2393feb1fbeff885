"""Logging meals in real Chromium: search, pick, add, edit, delete, copy, water, own food."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE, search_foods
from tests.conftest import PASSWORD
from tracker.models import Entry, Meal

MEDIUM_BANANA = '1 medium (7" to 7-7/8" long) (118 g)'


@pytest.fixture
def diary(live_server, page: Page, user, foods):
    """Alice, logged in, on today's diary page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    # Set in the page; a full reload would lose it.
    page.evaluate("window.noReload = true")
    return page


def potassium(page: Page):
    return page.get_by_test_id("total-potassium")


def meal(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def add_banana(page: Page, slot: str = "breakfast") -> None:
    search_foods(page, "banan")
    page.locator("#search-results").get_by_role("link", name="Bananas, raw", exact=True).click()
    page.get_by_label("Unit").select_option(label=MEDIUM_BANANA)
    page.get_by_label("Meal", exact=True).select_option(slot)
    page.get_by_role("button", name="Add to diary").click()


def test_search_pick_add_edit_and_delete_a_banana(diary: Page, screenshot):
    page = diary
    expect(potassium(page)).to_have_text("0 mg")

    add_banana(page)

    breakfast = meal(page, "Breakfast")
    expect(breakfast.locator(".entry-food")).to_have_text("Bananas, raw")
    expect(breakfast).to_contain_text('1 medium (7" to 7-7/8" long) · 118 g')
    expect(potassium(page)).to_have_text("422 mg")
    assert page.evaluate("window.noReload") is True
    page.set_viewport_size(DESKTOP)
    screenshot("diary-banana-1280")
    page.set_viewport_size(PHONE)
    screenshot("diary-banana-390")

    breakfast.get_by_role("link", name="Edit Bananas, raw").click()
    page.get_by_label("Amount").fill("2")
    page.get_by_role("button", name="Save").click()
    expect(potassium(page)).to_have_text("845 mg")  # 358 × 2.36 = 844.88
    expect(meal(page, "Breakfast")).to_contain_text("2 medium")

    page.once("dialog", lambda dialog: dialog.accept())
    meal(page, "Breakfast").get_by_role("button", name="Delete Bananas, raw").click()
    expect(meal(page, "Breakfast")).to_contain_text("Nothing logged.")
    expect(potassium(page)).to_have_text("0 mg")
    assert page.evaluate("window.noReload") is True
    assert not Entry.objects.exists()


def test_the_whole_add_flow_works_by_keyboard_alone(diary: Page):
    page = diary
    page.get_by_label("Search foods").focus()
    page.keyboard.type("banan")
    expect(page.locator("#search-results a.result").first).to_be_visible()

    page.keyboard.press("ArrowDown")
    expect(page.locator("#search-results a.result").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Amount")).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.type("150")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Unit")).to_be_focused()
    page.keyboard.press("End")  # the last choice is grams
    page.keyboard.press("Tab")
    expect(page.get_by_label("Meal", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Add to diary")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Added Bananas, raw, 150 g")
    expect(potassium(page)).to_have_text("537 mg")  # 358 × 1.5
    expect(page.get_by_label("Search foods")).to_be_focused()


def test_copy_yesterdays_breakfast(diary: Page, user, foods):
    page = diary
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    breakfast, _ = Meal.objects.get_or_create(user=user, day=yesterday, slot="breakfast")
    Entry.objects.create(meal=breakfast, food=foods["almonds"], grams=28, quantity=28)

    page.get_by_label("What").select_option("breakfast")
    page.get_by_role("button", name="Copy here").click()

    expect(meal(page, "Breakfast")).to_contain_text("Nuts, almonds")
    expect(potassium(page)).to_have_text("205 mg")  # 733 × 0.28
    expect(page.get_by_role("status")).to_contain_text("Copied 1 entry")


def test_water_button_adds_250_ml(diary: Page):
    page = diary

    page.get_by_role("button", name="+250 ml").click()

    expect(page.get_by_test_id("total-water")).to_have_text("250 ml")
    expect(page.get_by_role("status")).to_contain_text("Added 250 ml of water")


def test_recent_food_logs_again_in_one_click(diary: Page, user, foods):
    page = diary
    add_banana(page, slot="lunch")
    expect(potassium(page)).to_have_text("422 mg")

    quick = page.get_by_role("region", name="Quick add")
    quick.get_by_label("Log into").select_option("dinner")
    quick.get_by_role("button", name="Bananas, raw").click()

    expect(potassium(page)).to_have_text("845 mg")  # 358 × 2.36 = 844.88
    expect(meal(page, "Dinner")).to_contain_text("Bananas, raw")
    assert Entry.objects.filter(meal__slot="dinner", grams=Decimal(118)).count() == 1


def test_add_an_own_food_and_log_it(diary: Page, screenshot):
    page = diary
    page.get_by_role("link", name="My foods").click()
    page.get_by_role("link", name="Add a food from a label").click()
    page.get_by_label("Name").fill("Trail mix bar")
    page.get_by_label("Serving size", exact=False).first.fill("40")
    page.get_by_label("Potassium", exact=False).fill("200")
    page.get_by_label("Magnesium", exact=False).fill("60")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved “Trail mix bar”")

    page.get_by_role("link", name="Diary").click()
    search_foods(page, "trail mix")
    page.locator("#search-results").get_by_role("link", name="Trail mix bar").click()
    page.get_by_role("button", name="Add to diary").click()

    expect(potassium(page)).to_have_text("200 mg")
    screenshot("diary-own-food-1280")


def test_a_bad_amount_shows_a_message_at_the_field(diary: Page):
    page = diary
    search_foods(page, "almond")
    page.locator("#search-results").get_by_role("link", name="Nuts, almonds").click()
    page.get_by_label("Unit").select_option("g")
    page.get_by_label("Amount").fill("6000")
    page.get_by_role("button", name="Add to diary").click()

    expect(page.get_by_text("One entry can be at most 5,000 g.")).to_be_visible()
    assert not Entry.objects.exists()
