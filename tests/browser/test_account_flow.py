"""A person takes their data and deletes their account, in Chromium; an edit made stale
by another tab is not saved over."""

from datetime import date

from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, assert_accessible
from tests.conftest import PASSWORD
from tracker.models import Entry, Meal


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")


def test_a_person_downloads_their_data_then_deletes_their_account(
    live_server, page: Page, user, foods, screenshot, console_problems
):
    meal = Meal.objects.create(user=user, day=date(2026, 11, 22), slot="lunch")
    Entry.objects.create(meal=meal, food=foods["banana"], grams=118, quantity=118)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, user.username)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", level=2, name="Your targets today")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download all your data").click()
    assert download.value.suggested_filename.endswith(".json")
    page.get_by_role("link", name="Delete your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    screenshot("delete-account-390")

    # Keyboard only: the password field, then the delete button.
    page.get_by_label("Your password").fill("not-my-password")
    page.keyboard.press("Enter")
    expect(page.get_by_text("That is not your password; nothing was deleted.")).to_be_visible()
    page.set_viewport_size(DESKTOP)
    screenshot("delete-account-wrong-password-1280")
    page.get_by_label("Your password").fill(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Delete my account and all my data")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Your account and all its data are deleted.")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert not Entry.objects.exists()
    assert console_problems == [], "\n".join(console_problems)


def test_an_edit_opened_before_a_change_in_another_tab_shows_the_current_values(
    live_server, page: Page, user, foods, console_problems
):
    day = date(2026, 11, 22)
    meal = Meal.objects.create(user=user, day=day, slot="breakfast")
    entry = Entry.objects.create(meal=meal, food=foods["banana"], grams=118, quantity=118)
    log_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/day/{day}/")

    page.get_by_role("link", name="Edit Bananas, raw").click()
    page.get_by_label("Amount").fill("50")
    # Meanwhile, another tab makes it 200 g.
    Entry.objects.filter(pk=entry.pk).update(grams=200, quantity=200, version=2)
    page.get_by_role("button", name="Save").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("it is now 200 g in breakfast")
    expect(page.get_by_label("Amount")).to_have_value("50")
    # caret="initial": hiding the caret leaves style="" on the inputs, which htmx's next
    # swap would copy and the CSP refuse; people's browsers never do that.
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "stale-edit-1280.png", full_page=True, caret="initial")
    entry.refresh_from_db()
    assert entry.grams == 200

    page.get_by_role("button", name="Save").click()  # yes, replace it
    expect(page.get_by_role("status")).to_contain_text("Changed Bananas, raw to 50 g")
    entry.refresh_from_db()
    assert entry.grams == 50
    assert console_problems == [], "\n".join(console_problems)
