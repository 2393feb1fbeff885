"""The person's own clock, in real Chromium: a browser in Los Angeles at 03:30 signs up,
presses "Cramp now", and the cramp reads 03:30 and belongs to the night before; a
browser in another zone than the diary's is offered the switch in one click.

Both clocks stand at 03:30 in Los Angeles: the browser's (Playwright's clock) and the
server's. The server's is moved by this test alone (`los_angeles_night`), at today's
03:30 there, whatever the hour the suite runs: the product has no settable clock. What
the test shows is that nothing but the person's zone decides the local time: the
browser's zone reaches the profile at sign-up, and the server reads the cramp's stored
instant in that zone.
"""

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, assert_accessible
from tests.conftest import PASSWORD
from tracker.cramp_models import Cramp
from tracker.models import Profile

LOS_ANGELES = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def los_angeles_night(monkeypatch) -> dt.datetime:
    """03:30 today in Los Angeles, for the server of this test: the clock starts there
    and runs on."""
    night = dt.datetime.combine(dt.datetime.now(LOS_ANGELES).date(), dt.time(3, 30), LOS_ANGELES)
    started = time.monotonic()
    monkeypatch.setattr(
        timezone,
        "now",
        lambda: night.astimezone(dt.UTC) + dt.timedelta(seconds=time.monotonic() - started),
    )
    return night


def page_in(browser: Browser, zone: str, viewport: dict, at: dt.datetime | None = None) -> Page:
    context = browser.new_context(timezone_id=zone, viewport=viewport)
    page = context.new_page()
    if at is not None:
        page.clock.set_fixed_time(at)
    return page


def screenshot(page: Page, name: str) -> None:
    """The screenshot fixture's, for a page of a context of our own (its time zone)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_a_browser_in_los_angeles_at_0330_logs_a_cramp_of_the_night_before(
    live_server, browser: Browser, foods, los_angeles_night
):
    page = page_in(browser, "America/Los_Angeles", PHONE, at=los_angeles_night)
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )

    page.goto(f"{live_server.url}/accounts/signup/")
    # The form fills the zone from the browser's clock; the person sees it.
    expect(page.get_by_label("Time zone")).to_have_value("America/Los_Angeles")
    assert_accessible(page)
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Email").fill("lena@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    today = los_angeles_night.date()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Today, {today:%A} {today.day} {today:%B %Y}"
    )
    # Browser and diary agree: nothing is offered.
    expect(page.locator("#zone-offer")).to_be_hidden()

    page.get_by_role("button", name="Cramp now").click()
    expect(page.get_by_role("status")).to_contain_text("Cramp logged at 03:30")
    night_before = today - dt.timedelta(days=1)
    back = page.get_by_role(
        "link", name=f"Back to the diary for {night_before:%A} {night_before.day} {night_before:%B}"
    )
    expect(back).to_be_visible()
    # The keyboard is on the first detail to give, not on the page's body.
    expect(page.get_by_label("Muscle")).to_be_focused()
    assert_accessible(page)
    screenshot(page, "cramp-now-los-angeles-0330-390")

    back.click()
    row = page.get_by_test_id("day-cramps").get_by_role("listitem")
    expect(row).to_contain_text(f"Cramp at 03:30 ({today:%a} {today.day} {today:%b})")
    cramp = Cramp.objects.get(user__username="lena")
    assert cramp.day == night_before
    assert Profile.objects.get(user__username="lena").time_zone == "America/Los_Angeles"
    assert problems == []


def test_a_browser_in_another_zone_is_offered_the_switch_in_one_click(
    live_server, browser: Browser, user, foods
):
    user.profile.time_zone = "Europe/London"
    user.profile.save()
    page = page_in(browser, "Asia/Tokyo", DESKTOP)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    offer = page.locator("#zone-offer")
    expect(offer).to_contain_text("Your browser’s clock is on Asia/Tokyo time")
    assert_accessible(page)
    screenshot(page, "zone-offer-1280")
    offer.get_by_role("button", name="Use Asia/Tokyo time").click()

    expect(page.get_by_role("status")).to_contain_text("Your diary now keeps Asia/Tokyo time")
    expect(page.locator("#zone-offer")).to_be_hidden()
    today = dt.datetime.now(ZoneInfo("Asia/Tokyo")).date()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{today.day} {today:%B %Y}")
    user.profile.refresh_from_db()
    assert user.profile.time_zone == "Asia/Tokyo"


def test_keeping_the_diarys_zone_stops_the_offer(live_server, browser: Browser, user, foods):
    page = page_in(browser, "America/New_York", DESKTOP)  # the diary is on UTC
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.locator("#zone-offer").get_by_role("button", name="Keep UTC").click()

    expect(page.locator("#zone-offer")).to_be_hidden()
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    expect(page.locator("#zone-offer")).to_be_hidden()
    user.profile.refresh_from_db()
    assert user.profile.time_zone == "UTC"
