"""Amounts as typed, in real Chromium: a picked food's amount is selected, so "2" is 2
of its first portion; "2,5" is 2.5; an amount far beyond a meal asks first; an edit
form shows 40 g as "40"; and the meal chosen for one add stays chosen for the next."""

from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, htmx_settled, search_foods
from tests.browser.test_quick_log_flow import log_in
from tracker.forms import default_slot
from tracker.models import Entry, Meal


def pick(page: Page, query: str, food: str) -> None:
    """Search, and pick the food by keyboard: the amount gets the focus."""
    search_foods(page, query)
    result = page.get_by_role("link", name=food, exact=True)
    expect(result).to_be_visible()
    htmx_settled(page)  # else Enter follows the link's href: a page of its own
    result.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Amount")).to_be_focused()
    htmx_settled(page)


def amounts_logged(page: Page) -> list[str]:
    return page.locator(".entry-amount").all_inner_texts()


def test_typing_after_a_pick_replaces_the_amount_and_a_decimal_comma_is_a_point(
    live_server, page: Page, user, foods, console_problems
):
    page.set_viewport_size(DESKTOP)
    log_in(live_server, page, user)

    pick(page, "bana", "Bananas, raw")
    page.keyboard.type("2")  # the "1" of one medium banana was selected: now 2
    expect(page.get_by_label("Amount")).to_have_value("2")
    page.keyboard.press("Enter")
    expect(page.locator("#day-body .messages")).to_contain_text("Added Bananas, raw, 2 medium")

    pick(page, "bana", "Bananas, raw")
    page.keyboard.type("2,5")
    expect(page.get_by_test_id("preview-potassium")).to_contain_text("1,056 mg")  # 295 g
    page.keyboard.press("Enter")
    expect(page.locator("#day-body .messages")).to_contain_text("Added Bananas, raw, 2.5 medium")

    grams = sorted(Entry.objects.filter(meal__user=user).values_list("grams", flat=True))
    assert grams == [Decimal("236.00"), Decimal("295.00")]
    assert console_problems == []


def test_an_amount_far_beyond_a_meal_asks_before_it_is_added(
    live_server, page: Page, user, foods, console_problems, screenshot
):
    page.set_viewport_size(PHONE)
    log_in(live_server, page, user)
    pick(page, "bana", "Bananas, raw")
    page.keyboard.type("25")
    page.get_by_role("button", name="Add to diary").click()

    amount_error = page.locator("#entry-form .form-errors")
    expect(amount_error).to_contain_text("Really 25 medium")
    expect(amount_error).to_contain_text("2,950 g")
    really = page.get_by_label("Yes, I had that much")
    expect(really).to_be_focused()
    assert not Entry.objects.exists()
    assert_accessible(page)
    screenshot("really-25-bananas-390")

    really.check()
    page.get_by_role("button", name="Add to diary").click()
    expect(page.locator("#day-body .messages")).to_contain_text("Added Bananas, raw, 25 medium")
    assert Entry.objects.get().grams == Decimal("2950.00")
    assert console_problems == []


def test_the_edit_form_of_40_g_shows_40(live_server, page: Page, user, foods, console_problems):
    day = timezone.localdate()
    meal = Meal.objects.create(user=user, day=day, slot="snacks")
    Entry.objects.create(
        meal=meal, food=foods["almonds"], grams=Decimal("40"), quantity=Decimal("40.00"), unit="g"
    )
    page.set_viewport_size(DESKTOP)
    log_in(live_server, page, user)

    page.get_by_role("link", name="Edit Nuts, almonds").click()

    expect(page.get_by_label("Amount")).to_have_value("40")
    assert "E+" not in page.locator("#day-body").inner_html()
    assert console_problems == []


def test_the_meal_chosen_for_one_add_stays_chosen_for_the_next(
    live_server, page: Page, user, foods, console_problems
):
    # Another meal than the one of the moment, whatever the hour.
    moment = default_slot(timezone.localtime())
    chosen = "dinner" if moment != "dinner" else "breakfast"
    label = Meal.Slot(chosen).label
    page.set_viewport_size(DESKTOP)
    log_in(live_server, page, user)

    pick(page, "bana", "Bananas, raw")
    expect(page.get_by_label("Meal", exact=True)).to_have_value(moment)
    page.get_by_label("Meal", exact=True).select_option(chosen)
    page.get_by_role("button", name="Add to diary").click()
    expect(page.locator("#day-body .messages")).to_contain_text(f"to {label.lower()}")

    pick(page, "almo", "Nuts, almonds")
    expect(page.get_by_label("Meal", exact=True)).to_have_value(chosen)
    page.keyboard.press("Enter")
    expect(page.locator("#day-body .messages")).to_contain_text("Added Nuts, almonds, 1 oz")
    # Recent foods go there too.
    expect(page.get_by_label("Log into")).to_have_value(chosen)
    assert set(Entry.objects.values_list("meal__slot", flat=True)) == {chosen}

    # A fresh page starts again at the meal of the moment.
    page.reload()
    pick(page, "bana", "Bananas, raw")
    expect(page.get_by_label("Meal", exact=True)).to_have_value(moment)
    assert console_problems == []
