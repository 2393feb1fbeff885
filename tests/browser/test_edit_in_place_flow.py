"""A row of the day page opened for editing in place (an entry, a cramp, a supplement
taken) keeps what the person types, however the clicks and the answers interleave: a
double click on "Edit", and an "Edit" answer that comes late while another form is being
typed in."""

from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import DESKTOP, htmx_settled, log_in
from tracker.models import Cramp, Supplement, SupplementIntake


@dataclass(frozen=True)
class Row:
    """An editable row of the day page, and its form as the person meets it."""

    kind: str  # "entry", "cramp", "intake": the row's id is "<kind>-<pk>"
    link: str  # the accessible name of its Edit link
    field: str  # the label of the field its form puts the keyboard in
    stored: str  # what that field holds when the form opens


ROWS = {
    "entry": Row("entry", "Edit Nuts, almonds", "Amount", "100"),
    "cramp": Row("cramp", "Edit the cramp at 21:00", "Started", ""),
    "intake": Row("intake", "Edit 2 tablets of Magnesium citrate", "How many", "2"),
}


@pytest.fixture
def day_of_rows(user, almonds_and_two_cramps) -> dict:
    """Yesterday's almonds and two cramps, and 2 tablets of magnesium citrate."""
    # A transactional test's database is emptied after each test, the migration's
    # shipped supplements too: they are added again.
    Supplement.add_shipped()
    citrate = Supplement.objects.get(owner=None, name="Magnesium citrate")
    day = almonds_and_two_cramps["day"]
    intake = SupplementIntake.objects.create(user=user, day=day, supplement=citrate, count=2)
    return {**almonds_and_two_cramps, "intake": intake}


@pytest.fixture
def day_page(live_server, page: Page, user, day_of_rows, console_problems) -> Page:
    """Alice, logged in, on the day of those rows."""
    page.set_viewport_size(DESKTOP)
    log_in(live_server, page, user)
    page.goto(f"{live_server.url}/day/{day_of_rows['day']}/")
    page.evaluate("window.noReload = true")  # set in the page: a full load would lose it
    return page


def centre_of(page: Page, locator) -> tuple[float, float]:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


TYPED = {"entry": "150", "intake": "3"}  # typed where the keyboard is, then saved
SAVED = {"entry": "150 g", "cramp": "severity 9", "intake": "3 tablets"}


def type_and_save(page: Page, row, kind: str) -> None:
    """Type a new value where the keyboard is (a cramp's severity by its label) and save."""
    if kind == "cramp":  # its form opens on when it started
        row.get_by_label("Severity (0–10)").fill("9")
    else:
        page.keyboard.press("Control+a")
        page.keyboard.type(TYPED[kind])
    row.get_by_role("button", name="Save").click()


@pytest.mark.parametrize("kind", ROWS)
def test_a_double_click_on_edit_opens_one_form_with_the_keyboard_in_it(
    day_page: Page, day_of_rows, kind, console_problems
):
    page, shape = day_page, ROWS[kind]
    row = page.locator(f"#{kind}-{day_of_rows[kind].pk}")
    field = row.get_by_label(shape.field)
    asked = []
    page.on(
        "request", lambda r: asked.append(r) if r.method == "GET" and "/edit/" in r.url else None
    )
    x, y = centre_of(page, row.get_by_role("link", name=shape.link))

    # A person's double click: the form usually comes before the second press, which
    # lands on the form where the link was (on its title). It once took the keyboard
    # out of the field, so that what was typed next went nowhere.
    page.mouse.click(x, y)
    expect(field).to_be_focused()
    page.mouse.down(click_count=2)
    page.mouse.up(click_count=2)
    htmx_settled(page)
    expect(field).to_be_focused()
    type_and_save(page, row, kind)
    expect(row).to_contain_text(SAVED[kind])

    # A quicker one, both presses before the answer: the second asks for nothing.
    held: list[Route] = []
    page.route("**/edit/**", lambda route: held.append(route))
    row.get_by_role("link", name="Edit").dblclick()
    page.wait_for_timeout(300)  # a second request, had it been sent, is held too
    assert len(held) == 1
    held[0].continue_()
    expect(field).to_be_focused()
    page.unroute("**/edit/**")
    assert len(asked) == 2  # one form asked for per double click
    assert page.evaluate("window.noReload") is True
    assert console_problems == []


@pytest.mark.parametrize("kind", ROWS)
def test_an_edit_answer_that_comes_late_leaves_the_keyboard_where_the_person_types(
    day_page: Page, day_of_rows, kind, console_problems
):
    page, shape = day_page, ROWS[kind]
    late_pk = day_of_rows[kind].pk
    late_row = page.locator(f"#{kind}-{late_pk}")
    typing_row = page.locator(f"#cramp-{day_of_rows['late'].pk}")
    severity = typing_row.get_by_label("Severity (0–10)")
    typing_row.get_by_role("link", name="Edit the cramp at 22:00").click()
    expect(typing_row.get_by_label("Started")).to_be_focused()

    # The person asks for another row's form; its answer is slow (a loaded server or a
    # phone's network), so they go on typing in the form already open.
    held: list[Route] = []
    late_link = late_row.get_by_role("link", name=shape.link)
    page.route(f"**{late_link.get_attribute('href')}**", lambda route: held.append(route))
    late_link.click()
    severity.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("1")
    assert len(held) == 1
    held[0].continue_()
    expect(late_row.get_by_label(shape.field)).to_be_visible()
    htmx_settled(page)  # a person types the next key later than htmx settles the form
    page.keyboard.type("0")

    # The late form drew where it was asked for, and took none of the typing.
    expect(severity).to_have_value("10")
    expect(severity).to_be_focused()
    if shape.stored:
        expect(late_row.get_by_label(shape.field)).to_have_value(shape.stored)
    typing_row.get_by_role("button", name="Save").click()
    expect(typing_row).to_contain_text("Calf, severity 10")
    assert Cramp.objects.get(pk=day_of_rows["late"].pk).severity == 10
    assert page.evaluate("window.noReload") is True
    assert console_problems == []


@pytest.mark.parametrize("kind", ROWS)
def test_edit_by_enter_puts_the_keyboard_in_the_form(
    day_page: Page, day_of_rows, kind, console_problems
):
    page, shape = day_page, ROWS[kind]
    row = page.locator(f"#{kind}-{day_of_rows[kind].pk}")
    row.get_by_role("link", name=shape.link).focus()
    page.keyboard.press("Enter")
    expect(row.get_by_label(shape.field)).to_be_focused()
    page.keyboard.press("Escape")
    expect(row.get_by_role("link", name=shape.link)).to_be_focused()
    assert page.evaluate("window.noReload") is True
    assert console_problems == []


def test_a_field_clicked_as_the_form_appears_keeps_the_keyboard_on_a_slow_browser(
    day_page: Page, day_of_rows, console_problems
):
    page = day_page
    # htmx puts the keyboard in the form's first field when the swap settles, 20 ms after
    # it is drawn, and later on a busy machine: here, half a second later.
    page.evaluate("htmx.config.defaultSettleDelay = 500")
    row = page.locator(f"#cramp-{day_of_rows['cramp'].pk}")
    severity = row.get_by_label("Severity (0–10)")
    row.get_by_role("link", name="Edit the cramp at 21:00").click()
    severity.click()  # as soon as it shows
    page.keyboard.press("Control+a")
    page.keyboard.type("9")
    page.wait_for_timeout(600)
    page.keyboard.type("0")

    expect(severity).to_have_value("90")
    expect(severity).to_be_focused()
    assert console_problems == []
