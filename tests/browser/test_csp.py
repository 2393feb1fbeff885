"""The Content Security Policy in real Chromium: every page we have works within it.

Chromium refuses what the policy forbids (an inline script or style, a CDN) and says so
in the console; a refused script or style is a page that silently half-works.
"""

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.conftest import search_foods
from tests.conftest import PASSWORD

MEDIUM_BANANA = '1 medium (7" to 7-7/8" long) (118 g)'


@pytest.fixture
def refusals(page: Page) -> list[str]:
    """What Chromium refused under the policy (or found wrong in the Permissions-Policy
    header), from the console, page after page."""
    found: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        text = message.text
        if (
            "Content Security Policy" in text
            or "Refused to" in text
            or "Permissions-Policy" in text
        ):
            found.append(f"{page.url}: {text}")

    page.on("console", listen)
    return found


@pytest.fixture
def staff(make_user):
    return make_user("alice", is_staff=True, is_superuser=True)


def test_the_diary_report_profile_export_admin_and_api_docs_run_within_the_policy(
    live_server, page: Page, refusals, console_problems, staff, foods, screenshot
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")

    # The diary, all by htmx: search, pick, add, edit, delete after the confirm dialog.
    search_foods(page, "banan")
    page.locator("#search-results").get_by_role("link", name="Bananas, raw", exact=True).click()
    page.get_by_label("Unit").select_option(label=MEDIUM_BANANA)
    page.get_by_role("button", name="Add to diary").click()
    expect(page.get_by_role("status")).to_contain_text("Added Bananas, raw")
    page.get_by_role("link", name="Edit Bananas, raw").click()
    page.get_by_label("Amount").fill("2")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Changed Bananas, raw")
    search_foods(page, "almond")
    page.locator("#search-results").get_by_role("link", name="Nuts, almonds", exact=True).click()
    page.get_by_role("button", name="Add to diary").click()
    expect(page.get_by_role("status")).to_contain_text("Added Nuts, almonds")
    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Delete Nuts, almonds").click()
    expect(page.get_by_role("status")).to_contain_text("Removed Nuts, almonds")
    assert dialogs == ["Remove 1 oz (23 whole kernels) Nuts, almonds?"]

    page.get_by_role("link", name="See the full report").click()
    expect(page.locator("figure.trend-chart svg").first).to_be_visible()

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")

    page.goto(f"{live_server.url}/export/")
    with page.expect_download() as download:  # a form posting to a formaction: form-action
        page.get_by_role("button", name="Download entries (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")

    nav.get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="Foods", exact=True).click()
    expect(page.locator("#result_list")).to_contain_text("Bananas, raw")
    page.get_by_role("link", name="Bananas, raw").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change food")
    screenshot("admin-food-1280")

    page.goto(f"{live_server.url}/api/docs")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cramp Tracker API reference")
    page.get_by_role("link", name="GET /api/foods/", exact=True).click()
    expect(page.locator("#tracker_api_list_foods pre")).to_contain_text("curl -s")
    screenshot("api-docs-1280")

    assert refusals == []
    assert console_problems == [], "\n".join(console_problems)


def test_the_lockout_page_runs_within_the_policy(
    live_server, page: Page, refusals, user, screenshot
):
    def log_in(password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()

    for _ in range(5):
        log_in("not-the-password")
    log_in(PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed logins")
    expect(page.get_by_role("link", name="Set a new one by email")).to_be_visible()
    screenshot("locked-out-1280")
    assert refusals == []
