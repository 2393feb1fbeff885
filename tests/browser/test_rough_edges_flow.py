"""Rough edges of issue #28, in real Chromium: the add form in view after a pick, the
search's placeholder whole on a phone, chart labels of 12 px or more with months on the
axis, and the report's wide table scrollable by keyboard."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    assert_accessible,
    htmx_settled,
    search_foods,
)
from tests.browser.test_quick_log_flow import log_in
from tracker.models import Entry, Meal

PLACEHOLDER_FITS = """(input) => {
    const style = getComputedStyle(input);
    const context = document.createElement("canvas").getContext("2d");
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return context.measureText(input.placeholder).width <= room;
}"""

SMALLEST_LABEL_PX = """(svg) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return parseFloat(svg.getAttribute("font-size")) * scale;
}"""


def test_after_a_pick_the_amount_meal_and_add_are_in_view(live_server, page: Page, user, foods):
    page.set_viewport_size(DESKTOP)
    log_in(live_server, page, user)
    search_foods(page, "bana")
    result = page.get_by_role("link", name="Bananas, raw")
    expect(result).to_be_visible()
    htmx_settled(page)
    result.click()
    expect(page.get_by_label("Amount")).to_be_focused()
    htmx_settled(page)

    for control in (
        page.get_by_label("Amount"),
        page.get_by_label("Meal", exact=True),
        page.get_by_role("button", name="Add to diary"),
    ):
        expect(control).to_be_in_viewport()


def test_the_search_placeholder_is_whole_on_a_phone(live_server, page: Page, user):
    page.set_viewport_size(PHONE)
    log_in(live_server, page, user)

    assert page.get_by_label("Search foods").evaluate(PLACEHOLDER_FITS)


def test_chart_labels_are_12_px_or_more_on_a_phone_and_name_the_month(
    live_server, page: Page, user, foods
):
    today = timezone.localdate()
    for offset in range(30):
        meal = Meal.objects.create(user=user, day=today - dt.timedelta(days=offset), slot="lunch")
        Entry.objects.create(
            meal=meal, food=foods["banana"], grams=Decimal(118), quantity=Decimal(118)
        )
    from tracker.models import DayTotal

    DayTotal.refresh(user, [today - dt.timedelta(days=offset) for offset in range(30)])
    page.set_viewport_size(PHONE)
    log_in(live_server, page, user)
    page.goto(f"{live_server.url}/day/{today.isoformat()}/report/")

    charts = page.locator("figure.trend-chart > svg")
    expect(charts.first).to_be_visible()
    for index in range(charts.count()):
        assert charts.nth(index).evaluate(SMALLEST_LABEL_PX) >= 12
    # The 30-day chart names the month on its first day label ("12 Nov").
    labels = charts.last.locator("text").all_text_contents()
    assert f"{(today - dt.timedelta(days=25)):%-d %b}" in labels, labels
    chart_card = page.locator("figure.trend-chart").last
    chart_card.scroll_into_view_if_needed()
    chart_card.screenshot(path=SCREENSHOTS / "trend-chart-390.png")

    # The wide table scrolls by keyboard: it takes the focus.
    table = page.get_by_role("region", name="The table of supporting nutrients (scrolls sideways)")
    table.focus()
    expect(table).to_be_focused()
    assert_accessible(page)


def test_a_date_out_of_the_diarys_range_is_answered_with_a_message(live_server, page: Page, user):
    page.set_viewport_size(PHONE)
    log_in(live_server, page, user)

    page.get_by_label("Go to date").fill("1800-01-01")
    page.get_by_role("button", name="Go", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text(
        "“1800-01-01” is not a date the diary can show. Choose a day between 1900 and 2200."
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
