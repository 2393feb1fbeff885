"""A food curator, in Chromium: finds the foods with no magnesium value, fixes one, and
sees how many people's diary days the fix moved."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import Page, expect

from nutrients.models import Nutrient
from tests.browser.conftest import PHONE
from tests.conftest import PASSWORD
from tracker.models import DayNutrientTotal, DayTotal, Entry, Meal

MAGNESIUM = 1090


def log_on(user, food, day: date, grams: int) -> None:
    meal, _ = Meal.objects.get_or_create(user=user, day=day, slot=Meal.Slot.DINNER)
    Entry.objects.create(meal=meal, food=food, grams=Decimal(grams), quantity=Decimal(grams))
    DayTotal.refresh(user, [day])


def test_a_curator_finds_a_food_missing_magnesium_fixes_it_and_sees_the_days_it_moved(
    live_server, page: Page, foods, make_user, console_problems, screenshot
):
    Nutrient.objects.create(id=1162, name="Vitamin C, total ascorbic acid", unit="mg")
    make_user("curator", is_staff=True, is_superuser=True)
    stew = foods["no_magnesium"]
    alice, bob = make_user("alice"), make_user("bob")
    log_on(alice, stew, date(2026, 11, 20), 300)
    log_on(alice, stew, date(2026, 11, 21), 200)
    log_on(bob, stew, date(2026, 11, 21), 250)
    log_on(bob, foods["banana"], date(2026, 11, 22), 118)
    magnesium_days = DayNutrientTotal.objects.filter(nutrient_id=MAGNESIUM)
    assert not magnesium_days.filter(day__lte=date(2026, 11, 21)).exists()

    page.goto(f"{live_server.url}{reverse('admin:index')}")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Foods", exact=True).click()

    filters = page.get_by_role("navigation", name="Filter")
    filters.get_by_role("link", name="No magnesium (Mg) value").click()
    results = page.locator("#result_list")
    expect(results).to_contain_text("Mystery stew")
    expect(results).not_to_contain_text("Bananas, raw")
    screenshot("curator-missing-magnesium-1280")

    results.get_by_role("link", name="Mystery stew").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change food")
    expect(page.locator("#diary-days")).to_have_text(
        "Saving re-adds the totals of 3 diary days of 2 people who logged this food."
    )
    expect(page.get_by_label("Potassium, mg per 100 g")).to_have_value("100")
    # Folded: the other groups open on demand.
    expect(page.get_by_label("Vitamin C, total ascorbic acid, mg per 100 g")).to_be_hidden()
    page.get_by_label("Magnesium, mg per 100 g").fill("30")
    screenshot("curator-food-page-1280")
    page.set_viewport_size(PHONE)
    screenshot("curator-food-page-390")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("listitem").filter(has_text="Re-added the totals")).to_have_text(
        "Re-added the totals of 3 diary days of 2 people."
    )
    # Back on the filtered list: the food has its value now and has left it.
    expect(page.locator("#changelist")).not_to_contain_text("Mystery stew")
    screenshot("curator-after-save-390")
    assert set(magnesium_days.values_list("user_id", "day", "amount")) >= {
        (alice.pk, date(2026, 11, 20), Decimal("90.00000")),
        (alice.pk, date(2026, 11, 21), Decimal("60.00000")),
        (bob.pk, date(2026, 11, 21), Decimal("75.00000")),
    }
    assert console_problems == [], "\n".join(console_problems)
