from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.conftest import PASSWORD, PROJECT_ROOT
from tracker.models import Cramp, DayTotal, Entry, Meal

SCREENSHOTS = PROJECT_ROOT / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def console_problems(page: Page) -> list[str]:
    """Every console message of level warning or error (CSP refusals are errors), and
    every uncaught exception, page after page."""
    found: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            found.append(f"{page.url}: {message.type}: {message.text}")

    page.on("console", listen)
    page.on("pageerror", lambda error: found.append(f"{page.url}: exception: {error}"))
    return found


@pytest.fixture
def screenshot(page):
    """Save a full-page PNG under screenshots/ for a person to look at."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


def assert_accessible(page: Page) -> None:
    """axe-core finds no violation on the page as it is now."""
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def htmx_settled(page: Page) -> None:
    """Wait until htmx has finished with the last swap.

    htmx attaches its listeners to swapped-in elements only when they settle (20 ms
    later, the "htmx-settling" class marks them meanwhile); a person cannot type that
    fast, but Playwright can, and its input would go unheard.
    """
    expect(page.locator(".htmx-settling, .htmx-request")).to_have_count(0)


def search_foods(page: Page, query: str) -> None:
    """Type into the diary's search box once htmx has finished with the last swap."""
    htmx_settled(page)
    page.get_by_label("Search foods").fill(query)


def log_in(live_server, page: Page, user) -> None:
    """Log in as the user through the form, as a person does; their day page opens."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")


@pytest.fixture
def almonds_and_two_cramps(user, foods) -> dict:
    """Yesterday: 100 g of almonds at lunch, cramps at 21:00 and 22:00 (severity 4)."""
    day = timezone.localdate() - timedelta(days=1)
    meal = Meal.objects.create(user=user, day=day, slot="lunch")
    entry = Entry.objects.create(meal=meal, food=foods["almonds"], grams=100, quantity=100)
    DayTotal.refresh(user, [day])
    early, late = (
        Cramp.objects.create(
            user=user,
            day=day,
            started_at=timezone.make_aware(datetime.combine(day, time(hour, 0))),
            muscle="calf",
            severity=4,
        )
        for hour in (21, 22)
    )
    return {"day": day, "entry": entry, "cramp": early, "late": late}
