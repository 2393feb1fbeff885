"""Logging a day in few steps, in real Chromium: the keyboard alone, remembered portions,
the live preview, the phone layout, and a console that stays clean throughout."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE, htmx_settled, log_in, search_foods
from tracker.models import Entry, Meal

MEDIUM_BANANA = '1 medium (7" to 7-7/8" long) (118 g)'


def potassium(page: Page):
    return page.get_by_test_id("total-potassium")


def meal(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def test_one_medium_banana_from_a_fresh_day_page_takes_bana_and_three_keys(
    live_server, page: Page, user, foods, console_problems, screenshot
):
    page.set_viewport_size(DESKTOP)
    log_in(live_server, page, user)
    page.goto(f"{live_server.url}/day/")
    keys: list[str] = []

    def press(key: str) -> None:
        keys.append(key)
        page.keyboard.press(key)

    # The search box has the focus on arrival: no Tab, no click.
    expect(page.get_by_label("Search foods")).to_be_focused()
    expect(page.locator(".htmx-settling, .htmx-request")).to_have_count(0)
    for letter in "bana":
        press(letter)
    expect(page.locator("#search-results a.result").first).to_have_text("Bananas, raw")
    press("ArrowDown")
    press("Enter")  # picks the food; the amount has the focus, at one medium banana
    expect(page.get_by_label("Amount")).to_be_focused()
    expect(page.get_by_label("Unit")).to_have_value(
        str(foods["banana"].portions.get(description__startswith="1 medium").pk)
    )
    expect(page.get_by_test_id("preview-potassium")).to_contain_text("422 mg")
    screenshot("quick-log-picked-1280")
    press("Enter")  # adds it

    expect(page.get_by_role("status")).to_contain_text("Added Bananas, raw, 1 medium")
    expect(potassium(page)).to_have_text("422 mg")
    expect(page.get_by_label("Search foods")).to_be_focused()  # ready for the next food
    assert len(keys) - len("bana") == 3 <= 4
    entry = Entry.objects.get()
    assert (entry.quantity, entry.grams) == (1, 118)
    assert console_problems == []


def test_the_portion_logged_last_is_the_one_offered_next_time(live_server, page: Page, user, foods):
    cup = foods["banana"].portions.get(description__startswith="1 cup")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    breakfast = Meal.objects.create(user=user, day=yesterday, slot="breakfast")
    Entry.objects.create(
        meal=breakfast, food=foods["banana"], grams=150, quantity=1, portion=cup,
        unit=cup.description,
    )  # fmt: skip
    log_in(live_server, page, user)

    search_foods(page, "banan")
    page.locator("#search-results").get_by_role("link", name="Bananas, raw", exact=True).click()

    expect(page.get_by_label("Unit")).to_have_value(str(cup.pk))
    expect(page.get_by_label("Amount")).to_have_value("1")


def test_the_preview_follows_the_amount_and_matches_the_entry_once_added(
    live_server, page: Page, user, foods
):
    log_in(live_server, page, user)
    search_foods(page, "almond")
    page.locator("#search-results").get_by_role("link", name="Nuts, almonds", exact=True).click()
    expect(page.get_by_label("Unit")).to_have_value(str(foods["almonds"].portions.get().pk))
    expect(page.get_by_test_id("preview-potassium")).to_have_text(
        "K 208 mg"
    )  # 733 × 0.2835; 1.5 × 28.35 g = 42.525, kept as 42.52 g

    htmx_settled(page)  # the picked food's form, swapped in, listens for the typing
    page.get_by_label("Amount").fill("1.5")

    preview = page.locator("#entry-preview")
    expect(preview).to_contain_text("1.5 oz (23 whole kernels) = 42.52 g adds:")
    shown = [
        page.get_by_test_id(f"preview-{name}").inner_text()
        for name in ("potassium", "calcium", "magnesium")
    ]
    assert shown == ["K 312 mg", "Ca 114 mg", "Mg 115 mg"]
    page.get_by_role("button", name="Add to diary").click()

    entry = page.locator(".entry", has_text="Nuts, almonds")
    expect(entry.locator(".entry-minerals")).to_have_text(
        "K 312 mg Ca 114 mg Mg 115 mg", use_inner_text=True
    )


def test_esc_closes_an_edit_unchanged_and_gives_the_focus_back(
    live_server, page: Page, user, foods
):
    breakfast = Meal.objects.create(user=user, day=timezone.localdate(), slot="breakfast")
    Entry.objects.create(meal=breakfast, food=foods["almonds"], grams=28, quantity=28)
    log_in(live_server, page, user)

    page.get_by_role("link", name="Edit Nuts, almonds").click()
    expect(page.get_by_label("Amount", exact=True).last).to_be_focused()
    page.keyboard.type("5")
    page.keyboard.press("Escape")

    expect(page.locator(".entry-edit")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit Nuts, almonds")).to_be_focused()
    assert Entry.objects.get().grams == 28


def test_on_a_phone_adding_comes_before_the_totals_and_nothing_scrolls_sideways(
    live_server, page: Page, user, foods, screenshot
):
    page.set_viewport_size(PHONE)
    call_command("seed_foods", stdout=open("/dev/null", "w"))  # noqa: SIM115
    log_in(live_server, page, user)
    search_foods(page, "banan")
    page.locator("#search-results").get_by_role(
        "link", name="Bananas, raw", exact=True
    ).first.click()
    expect(page.locator("#entry-preview")).to_contain_text("adds")

    search_top = page.get_by_label("Search foods").bounding_box()["y"]
    add_button = page.get_by_role("button", name="Add to diary").bounding_box()
    totals_top = page.get_by_role("region", name="Minerals so far today").bounding_box()["y"]
    screenshot("quick-log-day-390")
    assert search_top + 50 < PHONE["height"]  # on the first screen
    assert add_button["y"] + add_button["height"] < totals_top
    unit = page.get_by_label("Unit").bounding_box()
    assert unit["x"] + unit["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("quick-log-day-390")

    page.get_by_role("button", name="Add to diary").click()
    expect(page.get_by_role("status")).to_contain_text("Added Bananas, raw")
    page.get_by_role("link", name="See the full report").click()
    expect(page.get_by_test_id("risk")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["height"]
    # The headline, the risk and the first suggestion within the first three screens.
    first_suggestion = page.locator(".suggestion-text").first.bounding_box()
    assert first_suggestion["y"] + first_suggestion["height"] <= 3 * PHONE["height"]
    assert page.get_by_test_id("risk").bounding_box()["y"] <= 3 * PHONE["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("quick-log-report-390")
    # What a phone shows in its first three screens, for a person to look at.
    first_screens = {"x": 0, "y": 0, "width": PHONE["width"], "height": 3 * PHONE["height"]}
    page.screenshot(
        path=screenshot("quick-log-report-390").with_name("quick-log-report-390-top.png"),
        clip=first_screens,
        full_page=True,
    )


def test_a_whole_days_logging_leaves_the_console_clean(
    live_server, page: Page, user, foods, console_problems, screenshot
):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    lunch = Meal.objects.create(user=user, day=yesterday, slot="lunch")
    # A food not added below: around noon the adds go to lunch, where a copy of the same
    # food and amount would be skipped as already here.
    Entry.objects.create(meal=lunch, food=foods["no_magnesium"], grams=200, quantity=200)
    page.set_viewport_size(DESKTOP)
    log_in(live_server, page, user)

    for query, food, amount, unit in (
        ("banan", "Bananas, raw", "2", None),  # the portion offered: 1 medium, 118 g
        ("almond", "Nuts, almonds", "28", "g"),
    ):
        search_foods(page, query)
        page.locator("#search-results").get_by_role("link", name=food, exact=True).click()
        page.get_by_label("Amount").fill(amount)
        if unit:
            page.get_by_label("Unit").select_option(unit)
        expect(page.locator("#entry-preview")).to_contain_text("adds")
        page.get_by_role("button", name="Add to diary").click()
        expect(page.get_by_role("status")).to_contain_text(f"Added {food}")
    page.get_by_role("button", name="+500 ml").click()
    # 236 g of banana (176.8 ml) and 28 g of almonds (1.2 ml) hold water too; + 500 ml.
    expect(page.get_by_test_id("total-water")).to_have_text("678 ml")
    page.get_by_role("button", name="+250 ml").click()
    expect(page.get_by_role("status")).to_contain_text("Added 250 ml of water")
    page.get_by_role("region", name="Quick add").get_by_role("button", name="Nuts, almonds").click()
    expect(page.get_by_role("status")).to_contain_text("Added Nuts, almonds")
    page.get_by_label("What").select_option("lunch")
    page.get_by_role("button", name="Copy here").click()
    expect(page.get_by_role("status")).to_contain_text("Copied 1 entry")
    page.get_by_label("What").select_option("lunch")
    page.get_by_role("button", name="Copy here").click()
    expect(page.get_by_role("status")).to_contain_text("already here")
    page.get_by_role("link", name="Edit Bananas, raw").click()
    page.get_by_label("Amount", exact=True).last.fill("3")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Changed Bananas, raw")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete Bananas, raw").click()
    expect(page.get_by_role("status")).to_contain_text("Removed Bananas, raw")
    screenshot("quick-log-day-1280")
    page.get_by_role("link", name="See the full report").click()
    expect(page.get_by_test_id("risk")).to_be_visible()
    screenshot("quick-log-report-1280")

    assert console_problems == []


def test_an_own_food_per_100_g_with_vitamin_d_in_iu_then_deleted(
    live_server, page: Page, user, foods, console_problems, screenshot
):
    log_in(live_server, page, user)
    page.get_by_role("link", name="My foods").click()
    page.get_by_role("link", name="Add a food from a label").click()
    page.get_by_label("Name").fill("Skyr")
    page.get_by_label("per 100 g (or 100 ml)").check()
    page.get_by_label("Calcium", exact=False).fill("150 mg")
    page.get_by_label("Potassium", exact=False).fill("156,5")
    page.get_by_text("More from the label").click()
    page.get_by_label("Vitamin D", exact=False).fill("40 IU")
    page.set_viewport_size(PHONE)
    screenshot("own-food-form-390")
    page.set_viewport_size(DESKTOP)
    screenshot("own-food-form-1280")
    page.get_by_role("button", name="Save food").click()
    expect(page.get_by_role("status")).to_contain_text("Saved “Skyr”")
    expect(page.locator(".own-food", has_text="Skyr")).to_contain_text("157 mg")

    page.get_by_role("link", name="Diary").click()
    search_foods(page, "skyr")
    page.locator("#search-results").get_by_role("link", name="Skyr").click()
    expect(page.get_by_test_id("preview-calcium")).to_have_text("Ca 150 mg")  # 100 g
    page.get_by_role("button", name="Add to diary").click()
    expect(page.get_by_test_id("total-calcium")).to_have_text("150 mg")

    page.get_by_role("link", name="My foods").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete Skyr").click()
    expect(page.get_by_role("status")).to_contain_text("stays in the 1 diary entry that use it")
    page.get_by_role("link", name="Diary").click()
    expect(page.get_by_test_id("total-calcium")).to_have_text("150 mg")
    search_foods(page, "skyr")
    expect(page.locator("#search-results")).to_contain_text("Nothing matches “skyr”")
    assert console_problems == []
