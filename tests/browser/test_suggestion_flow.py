"""A short day in Chromium: "Log it" on a suggestion, into the meal the user picks, and
the report updates in place (htmx), without a full reload."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from nutrients.models import Food
from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import PASSWORD
from tracker.models import Entry, Meal


@pytest.fixture
def short_day(live_server, page: Page, user):
    call_command("seed_foods", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    day = page.evaluate("document.querySelector('#pick-date').value")
    meal = Meal.objects.create(user=user, day=day, slot="breakfast")
    banana = Food.objects.get(fdc_id=173944)
    Entry.objects.create(meal=meal, food=banana, grams=Decimal(118), quantity=Decimal(118))
    return f"{live_server.url}/day/{day}/report/"


def test_log_it_into_a_chosen_meal_updates_the_report_in_place(
    short_day: str, page: Page, user, screenshot, console_problems
):
    page.set_viewport_size(DESKTOP)
    page.goto(short_day)
    expect(page.get_by_test_id("risk")).to_have_text("high")
    expect(page.get_by_role("heading", name="Cramp risk so far today")).to_be_visible()
    suggestions = page.locator(".suggestions [data-testid=suggestion]")
    expect(suggestions.first).to_be_visible()
    screenshot("suggestions-1280")
    page.set_viewport_size(PHONE)
    screenshot("suggestions-390")
    page.set_viewport_size(DESKTOP)

    first_text = suggestions.first.inner_text()
    calcium = page.get_by_test_id("total-calcium")
    before = int(re.sub(r"\D", "", calcium.inner_text()))
    page.evaluate("window.notReloaded = true")  # gone if the page were loaded again

    first = page.locator(".suggestions li").first
    first.get_by_label(re.compile("^Meal for")).select_option("dinner")
    first.get_by_role("button", name=re.compile("^Log it")).click()

    expect(page.get_by_role("status")).to_contain_text("to dinner")
    after = int(re.sub(r"\D", "", calcium.inner_text()))
    assert after > before
    assert page.evaluate("window.notReloaded === true")
    entry = Entry.objects.exclude(food__fdc_id=173944).get(meal__user=user)
    assert entry.meal.slot == "dinner"
    assert entry.food.description in first_text
    screenshot("suggestions-logged-1280")
    page.get_by_role("link", name="Back to the diary for this day").click()
    expect(page.get_by_test_id("day-suggestions")).to_be_visible()
    page.set_viewport_size(PHONE)
    screenshot("day-suggestions-390")
    assert console_problems == []


def test_the_suggestions_work_by_keyboard_alone(short_day: str, page: Page, user):
    page.goto(short_day)
    first = page.locator(".suggestions li").first
    select = first.get_by_label(re.compile("^Meal for"))
    select.focus()
    page.keyboard.press("Tab")
    expect(first.get_by_role("button", name=re.compile("^Log it"))).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Added")
    assert Entry.objects.filter(meal__user=user).count() == 2
