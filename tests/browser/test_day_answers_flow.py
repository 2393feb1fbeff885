"""Each write on the day page answers with only the parts it changed, swapped in out of
band (tracker/day_page.py): after every kind of write the day must read exactly as a
fresh load of it does."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.test_diary_flow import add_banana, diary, meal  # noqa: F401 (fixture)
from tracker.models import Entry, Meal, Profile, Supplement, SupplementIntake

# Shipped supplements come with a migration; a test that empties the database takes them.
pytestmark = pytest.mark.usefixtures("shipped_supplements")

# Every part of the day's body that a write may draw again.
PARTS = ("#day-totals", "#meals", "#quick-add", "#day-supplements", "#cramp-list")


def parts_read(page: Page) -> dict[str, str]:
    return {part: page.locator(part).inner_text() for part in PARTS}


def answered(page: Page, write) -> None:
    """Do the write and wait until its answer is in the page."""
    with page.expect_response(lambda response: response.request.method == "POST"):
        write()
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def test_after_each_kind_of_write_the_day_reads_as_a_fresh_load(diary: Page, user, foods):  # noqa: F811
    page = diary
    today = timezone.localdate()
    breakfast = Meal.objects.create(user=user, day=today - dt.timedelta(days=1), slot="breakfast")
    Entry.objects.create(meal=breakfast, food=foods["almonds"], grams=28, quantity=28)
    supplement = Supplement.objects.get(owner=None, name="Magnesium citrate")
    intake = SupplementIntake.objects.create(
        user=user, day=today, supplement=supplement, count=Decimal(1)
    )
    # Made behind the web's back: the kept page (page_cache.py) must learn of them.
    Profile.objects.filter(user=user).update(revision=F("revision") + 1)
    page.reload()
    page.on("dialog", lambda dialog: dialog.accept())
    quick = page.get_by_role("region", name="Quick add")

    def edit_banana() -> None:
        meal(page, "Breakfast").get_by_role("link", name="Edit Bananas, raw").first.click()
        page.locator(".entry-edit").get_by_label("Amount").fill("3")
        page.locator(".entry-edit").get_by_role("button", name="Save").click()

    def edit_intake() -> None:
        page.locator(f"#intake-{intake.pk}").get_by_role("link", name="Edit").click()
        page.locator(f"#intake-{intake.pk}").get_by_label("How many").fill("2")
        page.locator(f"#intake-{intake.pk}").get_by_role("button", name="Save").click()

    writes = {
        "add": lambda: add_banana(page, "breakfast"),
        # To a meal that shows rows: the answer appends the row (day_page.appended_rows).
        "add again": lambda: add_banana(page, "breakfast"),
        "water": lambda: quick.get_by_role("button", name="+250 ml").click(),
        "water again": lambda: quick.get_by_role("button", name="+500 ml").click(),
        "recent": lambda: quick.get_by_role("button", name="Bananas, raw").click(),
        "copy": lambda: quick.get_by_role("button", name="Copy here").click(),
        "edit": edit_banana,
        "delete": lambda: (
            meal(page, "Breakfast").get_by_role("button", name="Delete Nuts, almonds").click()
        ),
        "supplement": edit_intake,
    }
    for write_name, write in writes.items():
        answered(page, write)
        expect(page.get_by_role("status")).to_be_visible()
        after_write = parts_read(page)
        page.reload()
        assert parts_read(page) == after_write, write_name
    assert "Bananas, raw" in after_write["#meals"] and "Nuts, almonds" not in after_write["#meals"]


def test_a_double_click_adds_once_and_the_next_click_adds_again(diary: Page, user):  # noqa: F811
    page = diary
    water = page.get_by_role("region", name="Quick add").get_by_role("button", name="+250 ml")

    water.dblclick()
    expect(page.get_by_test_id("total-water")).to_have_text("250 ml")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    answered(page, water.click)  # the form's key was renewed with the first answer

    expect(page.get_by_test_id("total-water")).to_have_text("500 ml")
    expect(page.get_by_role("status")).to_contain_text("Added 250 ml of water")
    assert Entry.objects.filter(meal__user=user).count() == 2
