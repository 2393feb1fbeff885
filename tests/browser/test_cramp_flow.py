"""The cramp diary in Chromium: "Cramp now" from the day page, a supplement, the insights
page and the printable summary printed to PDF."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, assert_accessible, log_in
from tracker.models import Cramp, DayTotal, Entry, Meal, Supplement


@pytest.fixture
def signed_in(live_server, page: Page, user, foods, console_problems) -> Page:
    # A transactional test's database is emptied after each test, the migration's
    # shipped supplements too: they are added again.
    Supplement.add_shipped()
    page.set_viewport_size(DESKTOP)
    log_in(live_server, page, user)
    return page


def test_cramp_now_from_the_day_page_then_details(signed_in: Page, console_problems, screenshot):
    page = signed_in
    assert_accessible(page)
    page.get_by_role("button", name="Cramp now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cramp details")
    expect(page.get_by_role("status")).to_contain_text("Cramp logged at")
    assert_accessible(page)

    page.get_by_label("Muscle").select_option(label="Calf")
    page.get_by_label("Severity (0–10)").fill("7")
    page.get_by_label("What you were doing").select_option(label="During exercise")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("Cramp saved: calf, severity 7")
    cramps = page.get_by_test_id("day-cramps")
    expect(cramps).to_contain_text("Calf, severity 7, during exercise")

    page.get_by_text("Log a supplement").click()
    page.get_by_label("Supplement", exact=True).select_option(label="Magnesium citrate (tablet)")
    page.get_by_label("How many").fill("2")
    page.get_by_role("button", name="Log supplement").click()
    expect(page.get_by_test_id("day-supplements")).to_contain_text("2 tablets")

    page.get_by_text("Log a supplement").click()
    page.get_by_label("How many").fill("0")
    page.get_by_label("Supplement", exact=True).select_option(label="Magnesium citrate (tablet)")
    page.get_by_role("button", name="Log supplement").click()
    expect(page.get_by_text("Enter how many you took: more than 0.")).to_be_visible()
    assert_accessible(page)

    page.locator(".cramp-diary").scroll_into_view_if_needed()
    screenshot("cramp-day-1280")
    page.set_viewport_size(PHONE)
    screenshot("cramp-day-390")
    # Keyboard only: the button is reachable and Enter presses it.
    page.get_by_role("button", name="Cramp now").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cramp details")
    assert console_problems == []


def history(user, magnesium_food) -> None:
    """30 days: 100 g of almonds (270 mg magnesium) on most, 20 g on the days around
    five cramps."""
    today = timezone.localdate()
    cramp_offsets = (2, 8, 14, 20, 26)
    low = {o for o in cramp_offsets} | {o + 1 for o in cramp_offsets}
    for offset in range(30):
        day = today - timedelta(days=offset)
        meal = Meal.objects.create(user=user, day=day, slot="lunch")
        grams = 20 if offset in low else 100
        Entry.objects.create(meal=meal, food=magnesium_food, grams=grams, quantity=grams)
    DayTotal.refresh(user, [today - timedelta(days=offset) for offset in range(30)])
    for offset in cramp_offsets:
        day = today - timedelta(days=offset)
        Cramp.objects.create(
            user=user,
            day=day,
            started_at=timezone.make_aware(datetime.combine(day, time(22, 30))),
            muscle="calf",
            severity=3 + offset % 7,
            activity="night",
        )


def test_the_insights_page_and_the_summary_printed_to_pdf(
    signed_in: Page, live_server, user, foods, console_problems, screenshot
):
    history(user, foods["almonds"])
    page = signed_in
    page.goto(f"{live_server.url}/cramps/insights/?days=30")
    expect(page.get_by_role("heading", level=1)).to_have_text("What came before your cramps")
    magnesium = page.get_by_test_id("comparison-magnesium")
    # The cramps came at 22:30, asleep: their day before is the evening before them.
    expect(magnesium).to_contain_text("On the 5 days before a cramp, magnesium averaged 12%")
    expect(page.get_by_test_id("tests")).to_contain_text("measures compared, each two-sided")
    expect(magnesium).to_contain_text("pattern")
    expect(page.get_by_test_id("association")).to_contain_text("not a diagnosis")
    expect(page.locator(".timeline-cramps circle")).to_have_count(5)
    page.get_by_text("Show the numbers").click()
    expect(page.locator(".cramp-timeline table")).to_contain_text("calf, severity")
    assert_accessible(page)
    screenshot("insights-1280")
    page.set_viewport_size(PHONE)
    screenshot("insights-390")
    # Nothing wider than the phone: the table scrolls inside its card.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator(".cramp-timeline").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "insights-390-timeline.png")

    page.set_viewport_size(DESKTOP)
    page.get_by_test_id("summary-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("the last 30 days")
    assert_accessible(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=SCREENSHOTS / "summary.pdf", format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2
    page.emulate_media(media="print")
    screenshot("summary-print")
    assert console_problems == []


def long_history(user, foods) -> None:
    """A year: almonds and a banana every day but every ninth, a cramp every fourth
    night or afternoon with a note, supplements on some days and a workout now and then."""
    from tracker.models import DayNote, SupplementIntake

    today = timezone.localdate()
    citrate = Supplement.objects.get(owner=None, name="Magnesium citrate")
    days = []
    for offset in range(365):
        day = today - timedelta(days=offset)
        if offset % 9 == 4:
            continue
        days.append(day)
        meal = Meal.objects.create(user=user, day=day, slot="lunch")
        Entry.objects.create(meal=meal, food=foods["almonds"], grams=10 + offset % 40, quantity=1)
        Entry.objects.create(meal=meal, food=foods["banana"], grams=118, quantity=1)
        if offset % 3 == 0:
            SupplementIntake.objects.create(user=user, day=day, supplement=citrate, count=2)
        if offset % 10 == 0:
            DayNote.objects.create(user=user, day=day, intense_workout=True)
        if offset % 4 == 1:
            night = offset % 8 == 1
            Cramp.objects.create(
                user=user,
                day=day,
                started_at=timezone.make_aware(
                    datetime.combine(day, time(23, 40) if night else time(16, 5))
                ),
                muscle="calf" if night else "foot",
                severity=offset % 11,
                duration_minutes=1 + offset % 15,
                activity="night" if night else "rest",
                note="woke up, stretched it out and walked it off" if offset % 12 == 1 else "",
            )
    DayTotal.refresh(user, days)


@pytest.mark.parametrize("span", [30, 365])
def test_the_summary_of_a_short_and_a_long_history_prints_on_two_pages_at_most(
    signed_in: Page, live_server, user, foods, console_problems, screenshot, span
):
    long_history(user, foods)
    page = signed_in
    page.goto(f"{live_server.url}/cramps/insights/?days={span}")
    expect(page.get_by_test_id("comparison-supplements")).to_contain_text("Fisher’s exact test")
    expect(page.locator(".timeline-cramps circle")).to_have_count(
        Cramp.objects.filter(day__gt=timezone.localdate() - timedelta(days=span)).count()
    )
    assert_accessible(page)
    screenshot(f"insights-{span}-1280")
    page.set_viewport_size(PHONE)
    screenshot(f"insights-{span}-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto(f"{live_server.url}/cramps/summary/?days={span}")
    expect(page.get_by_test_id("person")).to_contain_text("not given")
    assert_accessible(page)
    screenshot(f"summary-{span}-390")
    page.screenshot(path=SCREENSHOTS / f"summary-{span}-390-top.png")  # what a phone shows first
    page.get_by_test_id("cramp-list").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / f"summary-{span}-390-cramps.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)
    screenshot(f"summary-{span}-1280")
    SCREENSHOTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=SCREENSHOTS / f"summary-{span}.pdf", format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2
    assert console_problems == []


def test_a_short_history_says_what_is_still_needed(
    signed_in: Page, live_server, user, foods, console_problems, screenshot
):
    today = timezone.localdate()
    for offset in (3, 3, 9):  # two cramps on one afternoon, one on another
        day = today - timedelta(days=offset)
        Cramp.objects.create(
            user=user, day=day, started_at=timezone.make_aware(datetime.combine(day, time(15)))
        )
    page = signed_in
    page.goto(f"{live_server.url}/cramps/insights/?days=30")
    expect(page.get_by_test_id("needs")).to_contain_text(
        "Needs cramps on 3 more days before it can compare"
    )
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    screenshot("insights-short-390")
    page.get_by_test_id("summary-link").click()
    expect(page.get_by_test_id("needs")).to_be_visible()
    assert_accessible(page)
    assert console_problems == []


def test_the_report_and_the_supplements_page_pass_axe(
    signed_in: Page, live_server, user, console_problems, screenshot
):
    from tracker.models import SupplementIntake

    page = signed_in
    day = timezone.localdate()
    citrate = Supplement.objects.get(owner=None, name="Magnesium citrate")
    SupplementIntake.objects.create(user=user, day=day, supplement=citrate, count=4)
    mix = Supplement.objects.get(owner=None, name="Electrolyte drink mix")
    SupplementIntake.objects.create(user=user, day=day, supplement=mix, count=1)
    page.goto(f"{live_server.url}/day/{day}/report/")
    expect(page.get_by_test_id("limit-warning").first).to_contain_text("Magnesium from supplements")
    # A supporting nutrient from a supplement: sodium, with no food logged.
    expect(page.get_by_test_id("supporting-supplements-1093")).to_have_text(
        "from food 0 mg, from supplements 500 mg"
    )
    assert_accessible(page)
    screenshot("cramp-report-1280")
    page.set_viewport_size(PHONE)
    page.get_by_role("heading", name="Supporting nutrients").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -20)")
    page.screenshot(path=SCREENSHOTS / "report-supporting-390.png")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/supplements/")
    assert_accessible(page)
    assert console_problems == []


def tab_to(page: Page, target, most: int = 12) -> None:
    """Press Tab until the target has the focus, as a keyboard user does (Chromium's
    date-and-time field takes a Tab for each of its parts)."""
    for _ in range(most):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(target).to_be_focused()


def open_and_type_severity(page: Page, severity: str) -> None:
    """With the focus on a cramp's Edit link: Enter opens its form, whose first field
    takes the focus; Tab reaches the severity, typed over with this one."""
    page.keyboard.press("Enter")
    expect(page.get_by_label("Started")).to_be_focused()
    tab_to(page, page.get_by_label("Severity (0–10)"))
    page.keyboard.press("Control+a")
    page.keyboard.type(severity)


def test_a_cramp_is_edited_and_deleted_in_place_on_the_day_page(
    signed_in: Page, live_server, user, console_problems, screenshot
):
    day = timezone.localdate() - timedelta(days=1)  # its evening is never still to come
    started_at = timezone.make_aware(datetime.combine(day, time(21, 0)))
    Cramp.objects.create(user=user, day=day, started_at=started_at, muscle="calf", severity=4)
    page = signed_in
    page.goto(f"{live_server.url}/day/{day}/")
    page.evaluate("window.noReload = true")  # set in the page: a full load would lose it
    cramps = page.get_by_test_id("day-cramps")
    edit = cramps.get_by_role("link", name="Edit the cramp at 21:00")

    edit.click()
    expect(page.get_by_label("Started")).to_be_focused()
    expect(page.get_by_label("Severity (0–10)")).to_have_value("4")
    assert_accessible(page)
    page.locator(".cramp-diary").scroll_into_view_if_needed()
    screenshot("cramp-edit-in-place-1280")
    page.set_viewport_size(PHONE)
    page.locator(".cramp-diary").scroll_into_view_if_needed()
    screenshot("cramp-edit-in-place-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)

    # A bad value: its message beside the field, in the row, the focus on it; nothing saved.
    page.get_by_label("Severity (0–10)").fill("11")
    page.get_by_role("button", name="Save").click()
    expect(cramps.get_by_text("Severity goes from 0 to 10.")).to_be_visible()
    expect(page.get_by_label("Severity (0–10)")).to_be_focused()
    assert Cramp.objects.get().severity == 4

    page.get_by_label("Severity (0–10)").fill("7")
    page.get_by_label("Muscle").select_option(label="Foot")
    page.get_by_role("button", name="Save").click()
    expect(cramps).to_contain_text("Foot, severity 7")
    expect(edit).to_be_focused()
    expect(page.get_by_role("status")).to_contain_text("Cramp saved: foot, severity 7.")
    assert (Cramp.objects.get().muscle, Cramp.objects.get().severity) == ("foot", 7)

    # Keyboard only: Enter opens the form, Esc closes it and leaves the cramp as it was.
    open_and_type_severity(page, "2")
    page.keyboard.press("Escape")
    expect(edit).to_be_focused()
    expect(cramps).to_contain_text("Foot, severity 7")
    # …and Enter in a field saves.
    open_and_type_severity(page, "3")
    page.keyboard.press("Enter")
    expect(cramps).to_contain_text("Foot, severity 3")
    expect(edit).to_be_focused()

    page.once("dialog", lambda dialog: dialog.accept())
    cramps.get_by_role("button", name="Delete the cramp at 21:00").click()
    expect(page.get_by_test_id("day-cramps")).to_have_count(0)
    expect(page.get_by_role("link", name="Log an earlier cramp")).to_be_focused()
    assert not Cramp.objects.exists()
    assert page.evaluate("window.noReload") is True
    assert_accessible(page)
    assert console_problems == []


def test_a_supplements_count_is_changed_in_place_and_the_totals_follow(
    signed_in: Page, live_server, user, foods, console_problems, screenshot
):
    from tracker.models import SupplementIntake

    day = timezone.localdate() - timedelta(days=1)
    meal = Meal.objects.create(user=user, day=day, slot="lunch")
    Entry.objects.create(meal=meal, food=foods["almonds"], grams=100, quantity=100)
    DayTotal.refresh(user, [day])  # as every write path of food does
    citrate = Supplement.objects.get(owner=None, name="Magnesium citrate")
    SupplementIntake.objects.create(user=user, day=day, supplement=citrate, count=2)
    page = signed_in
    page.goto(f"{live_server.url}/day/{day}/")
    page.evaluate("window.noReload = true")
    magnesium = page.get_by_test_id("total-magnesium")
    expect(magnesium).to_have_text("470 mg")  # 270 from almonds, 2 × 100 from tablets
    taken = page.get_by_test_id("day-supplements")
    edit = taken.get_by_role("link", name="Edit 2 tablets of Magnesium citrate")

    edit.click()
    expect(taken.get_by_label("How many")).to_be_focused()
    assert_accessible(page)
    page.locator(".cramp-diary").scroll_into_view_if_needed()
    screenshot("supplement-edit-in-place-1280")

    taken.get_by_label("How many").fill("0")
    taken.get_by_role("button", name="Save").click()
    expect(taken.get_by_text("Enter how many you took: more than 0.")).to_be_visible()
    expect(taken.get_by_label("How many")).to_be_focused()
    expect(magnesium).to_have_text("470 mg")
    assert SupplementIntake.objects.get().count == 2
    assert_accessible(page)

    taken.get_by_label("How many").fill("3")
    page.keyboard.press("Enter")
    expect(magnesium).to_have_text("570 mg")
    edit = taken.get_by_role("link", name="Edit 3 tablets of Magnesium citrate")
    expect(edit).to_be_focused()
    expect(page.get_by_role("status")).to_contain_text("Changed Magnesium citrate to 3 tablets.")

    page.keyboard.press("Enter")  # open again; Esc leaves it as it was
    expect(taken.get_by_label("How many")).to_be_focused()
    page.keyboard.press("Escape")
    expect(edit).to_be_focused()
    assert page.evaluate("window.noReload") is True

    page.goto(f"{live_server.url}/day/{day}/report/")
    expect(page.get_by_test_id("supplement-line-magnesium")).to_have_text(
        "From food 270 mg, from supplements 300 mg."
    )
    assert console_problems == []


def test_rows_still_open_for_editing_keep_what_was_typed_when_another_row_is_saved(
    signed_in: Page, live_server, almonds_and_two_cramps, console_problems
):
    rows = almonds_and_two_cramps
    day, early, late, entry = rows["day"], rows["cramp"], rows["late"], rows["entry"]
    page = signed_in
    page.goto(f"{live_server.url}/day/{day}/")
    page.evaluate("window.noReload = true")
    early_row, late_row = page.locator(f"#cramp-{early.pk}"), page.locator(f"#cramp-{late.pk}")
    entry_row = page.locator(f"#entry-{entry.pk}")
    # Each form is open before the next Edit is clicked: a form opening moves the rows
    # below it, and a click aimed before the move lands where the row was (it clicked the
    # late cramp's Edit a second time, whose fresh form then replaced the typed 9 by 4).
    early_row.get_by_role("link", name="Edit the cramp at 21:00").click()
    expect(early_row.get_by_label("Severity (0–10)")).to_be_visible()
    late_row.get_by_role("link", name="Edit the cramp at 22:00").click()
    expect(late_row.get_by_label("Severity (0–10)")).to_be_visible()
    entry_row.get_by_role("link", name="Edit Nuts, almonds").click()
    expect(entry_row.get_by_label("Amount")).to_be_visible()
    late_row.get_by_label("Severity (0–10)").fill("9")
    entry_row.get_by_label("Amount").fill("150")

    # Saving one cramp re-draws the cramp list: the other cramp's form keeps its 9.
    early_row.get_by_label("Severity (0–10)").fill("6")
    early_row.get_by_role("button", name="Save").click()
    expect(early_row).to_contain_text("Calf, severity 6")
    expect(early_row.get_by_role("link", name="Edit the cramp at 21:00")).to_be_focused()
    expect(late_row.get_by_label("Severity (0–10)")).to_have_value("9")
    expect(entry_row.get_by_label("Amount")).to_have_value("150")

    # Saving the entry re-draws the whole day: the cramp's form is still open, with its 9.
    entry_row.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("total-magnesium")).to_have_text("405 mg")  # 150 g × 270 / 100
    expect(late_row.get_by_label("Severity (0–10)")).to_have_value("9")

    late_row.get_by_role("button", name="Save").click()
    expect(late_row).to_contain_text("Calf, severity 9")
    assert [c.severity for c in Cramp.objects.order_by("started_at")] == [6, 9]
    assert Entry.objects.get().grams == 150
    assert page.evaluate("window.noReload") is True
    assert_accessible(page)
    assert console_problems == []
