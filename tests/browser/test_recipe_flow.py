"""A home-made meal in one step, in real Chromium: porridge made with milk built from the
day page by keyboard and logged as one serving, then lunch saved as a saved meal and
logged the next day; on a phone and a wide screen, axe clean, console clean."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from nutrients.models import Food, Recipe
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, htmx_settled
from tests.browser.test_quick_log_flow import log_in, meal
from tracker.models import Entry, SavedMeal

REDUCED_FAT_MILK = 171267


@pytest.fixture
def seed_foods(db):
    call_command("seed_foods", verbosity=0)


class Keyboard:
    """Presses keys and types, counting every key a person would press."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.keys = 0

    def press(self, *keys: str) -> None:
        for key in keys:
            self.keys += 1
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.keys += len(text)
        self.page.keyboard.type(text)


def pick_first_result(page: Page, keyboard: Keyboard, query: str, expected: str) -> None:
    htmx_settled(page)
    keyboard.type(query)
    expect(page.locator("#search-results a.result").first).to_contain_text(expected)
    keyboard.press("ArrowDown", "Enter")
    expect(page.get_by_label("Amount")).to_be_focused()
    htmx_settled(page)


def test_porridge_built_by_keyboard_logged_and_lunch_saved_and_logged_the_next_day(
    live_server, page: Page, user, seed_foods, console_problems, screenshot
):
    page.set_viewport_size(DESKTOP)
    log_in(live_server, page, user)
    today = timezone.localdate()
    keyboard = Keyboard(page)

    # From the day page: the search box has the focus; two Tabs reach "Make a recipe".
    expect(page.get_by_label("Search foods")).to_be_focused()
    keyboard.press("Tab", "Tab")
    expect(page.get_by_role("link", name="Make a recipe")).to_be_focused()
    keyboard.press("Enter")
    expect(page.get_by_label("Name")).to_be_focused()
    keyboard.type("Porridge made with milk")
    keyboard.press("Enter")  # one serving, the ingredients' own weight

    expect(page.get_by_role("heading", level=1)).to_have_text("Porridge made with milk")
    expect(page.get_by_label("Search foods")).to_be_focused()
    # 40 g of oats: the unit "g" by its first letter, then the amount.
    pick_first_result(page, keyboard, "oats quick", "Cereals, oats")
    keyboard.press("Tab")
    keyboard.type("g")
    keyboard.press("Shift+Tab", "Control+A")
    keyboard.type("40")
    keyboard.press("Enter")
    expect(page.get_by_test_id("ingredients")).to_contain_text("Cereals, oats")
    expect(page.get_by_label("Search foods")).to_be_focused()  # ready for the next food
    # A cup of reduced-fat milk: the portion a person would pick comes first.
    pick_first_result(page, keyboard, "milk reduced", "Milk, reduced fat")
    cup = Food.objects.get(fdc_id=REDUCED_FAT_MILK).portions.get(description="1 cup")
    expect(page.get_by_label("Unit")).to_have_value(str(cup.pk))
    keyboard.press("Enter")
    expect(page.get_by_test_id("ingredients")).to_contain_text("Milk, reduced fat")
    expect(page.get_by_test_id("serving-grams")).to_have_text("284")
    assert_accessible(page)
    screenshot("recipe-porridge-1280")
    built_with = keyboard.keys

    # Log one serving into today's lunch: back to the day with the dish picked.
    keyboard.press("Shift+Tab")
    expect(page.get_by_role("link", name="Log it on")).to_be_focused()
    keyboard.press("Enter")
    expect(page.get_by_label("Amount")).to_be_focused()
    expect(page.locator(".chosen-food")).to_have_text("Porridge made with milk")
    htmx_settled(page)
    keyboard.press("Tab", "Tab")
    keyboard.type("l")  # the meal: Lunch, whatever the hour
    keyboard.press("Shift+Tab", "Shift+Tab", "Enter")
    expect(page.get_by_role("status")).to_contain_text("Added Porridge made with milk, 1 serving")
    lunch = meal(page, "Lunch")
    expect(lunch).to_contain_text("Porridge made with milk")
    entry = Entry.objects.get()
    assert (entry.meal.slot, entry.grams, entry.amount_as_entered) == ("lunch", 284, "1 serving")
    assert console_problems == []

    # Save lunch as a saved meal (two clicks and its name), then log it the next day.
    clicks = 0
    lunch.get_by_text("Save this meal").click()
    clicks += 1
    lunch.get_by_label("Name").fill("Porridge lunch")
    keyboard.keys += len("Porridge lunch")
    keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Saved lunch as “Porridge lunch”")
    assert SavedMeal.objects.get().items.count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Next day").click()
    clicks += 1
    saved_meals = page.get_by_role("form", name="Saved meals")
    saved_meals.get_by_label("Log into").select_option("lunch")
    clicks += 1
    saved_meals.get_by_role("button", name="Porridge lunch").click()
    clicks += 1
    expect(page.get_by_role("status")).to_contain_text("Added “Porridge lunch” (1 food) to lunch")
    expect(meal(page, "Lunch")).to_contain_text("Porridge made with milk")
    tomorrow = today + dt.timedelta(days=1)
    assert Entry.objects.filter(meal__day=tomorrow, meal__slot="lunch").count() == 1
    assert_accessible(page)
    screenshot("recipe-saved-meal-logged-1280")
    assert console_problems == []
    # Building and logging the dish by keyboard alone, then saving and reusing lunch:
    print(f"porridge: {built_with} keys to build, {keyboard.keys} keys and {clicks} clicks in all")
    assert built_with <= 61 and clicks <= 4  # 23 of them the name


def test_the_recipe_pages_on_a_phone(
    live_server, page: Page, user, seed_foods, console_problems, screenshot
):
    page.set_viewport_size(PHONE)
    log_in(live_server, page, user)
    page.get_by_role("link", name="Make a recipe").click()
    page.get_by_label("Name").fill("Banana and almonds")
    page.get_by_label("Servings it makes").fill("2")
    page.get_by_role("button", name="Start the recipe").click()
    for query, name in (("banana", "Bananas, raw"), ("almonds", "Nuts, almonds")):
        htmx_settled(page)
        page.get_by_label("Search foods").fill(query)
        page.locator("#search-results").get_by_role("link", name=name, exact=True).click()
        htmx_settled(page)
        page.get_by_role("button", name="Add to recipe").click()
        expect(page.get_by_test_id("ingredients")).to_contain_text(name)
    expect(page.get_by_test_id("value-potassium")).to_be_visible()
    # An ingredient's amount changed in place; Esc leaves another one as it was.
    page.get_by_role("link", name="Edit Bananas, raw").click()
    htmx_settled(page)
    page.locator("#recipe-body").get_by_label("Amount").fill("2")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_role("status")).to_contain_text("Changed Bananas, raw to 2 medium")
    page.get_by_role("link", name="Edit Nuts, almonds").click()
    htmx_settled(page)
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Edit Nuts, almonds")).to_be_visible()
    screenshot("recipe-phone-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)

    page.goto(f"{live_server.url}/recipes/")
    expect(page.get_by_role("link", name="Banana and almonds")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    screenshot("recipe-list-phone-390")
    recipe = Recipe.objects.get()
    assert recipe.servings == 2 and recipe.ingredients.count() == 2
    assert recipe.food.nutrient_amounts.filter(nutrient_id=1092).get().amount > Decimal(0)
    assert console_problems == []
