"""A new visitor signs up in Chromium and lands on their diary."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import PASSWORD


def test_visitor_signs_up_and_reaches_the_diary(live_server, page: Page, foods, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url)
    screenshot("landing-390")

    page.get_by_role("link", name="Create a free account").click()
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Email").fill("erin@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    expect(page.get_by_role("status")).to_contain_text("Welcome, erin")
    screenshot("diary-after-signup-390")

    page.set_viewport_size(DESKTOP)
    screenshot("diary-after-signup-1280")

    # The first food logged: its message takes the welcome's place, one box, not two.
    page.get_by_label("Search foods").fill("bana")
    page.get_by_role("link", name="Bananas, raw").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Amount")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#day-body .messages")).to_contain_text("Added Bananas, raw")
    expect(page.get_by_role("status")).to_have_count(1)
    page.get_by_role("button", name="Log out").click()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()


def test_skip_link_is_the_first_thing_the_keyboard_reaches(live_server, page: Page):
    page.goto(live_server.url)

    page.keyboard.press("Tab")

    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
