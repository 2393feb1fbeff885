"""A teen, a pregnant person and a person on a potassium-sparing diuretic sign up in
Chromium and read a report that is right for them, at 390 and 1280 px, axe clean."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, htmx_settled, search_foods
from tests.conftest import PASSWORD

TODAY = dt.date.today()


def sign_up(page: Page, url: str, name: str, *, sex: str, age: int, life_stage: str = "") -> None:
    page.goto(url + "/accounts/signup/")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Email").fill(f"{name}@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_label("Sex (optional)").select_option(sex)
    # Born this month `age` years ago: `age` today, whatever the month.
    page.get_by_label("Birth month (optional)").select_option(str(TODAY.month))
    page.get_by_label("Year of birth (optional)").fill(str(TODAY.year - age))
    if life_stage:
        page.get_by_label("Pregnant or breastfeeding? (optional)").select_option(life_stage)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome, {name}")


def log_a_banana(page: Page) -> None:
    search_foods(page, "bana")
    page.get_by_role("link", name="Bananas, raw").click()
    htmx_settled(page)
    page.get_by_role("button", name="Add").first.click()
    expect(page.locator("#day-body .messages")).to_contain_text("Added Bananas, raw")


@pytest.mark.parametrize(
    ("name", "sex", "age", "life_stage", "group", "calcium"),
    [
        ("teen", "male", 15, "", "boys 14–18", "1,300"),
        ("mum", "female", 30, "pregnant", "pregnancy 19–30", "1,000"),
    ],
)
def test_a_person_signs_up_and_reads_targets_for_their_life_stage(
    live_server, page: Page, foods, screenshot, console_problems, name, sex, age, life_stage,
    group, calcium,
):  # fmt: skip
    page.set_viewport_size(PHONE)
    sign_up(page, live_server.url, name, sex=sex, age=age, life_stage=life_stage)
    log_a_banana(page)
    expect(page.get_by_test_id("targets-in-force")).to_contain_text(group)

    page.get_by_role("link", name="See the full report").click()
    expect(page.get_by_test_id("target-source-calcium")).to_contain_text(
        f"Target {calcium} mg: reference intake for {group}"
    )
    expect(page.get_by_test_id("targets-in-force")).to_contain_text(f"age {age}")
    assert_accessible(page)
    screenshot(f"person-{name}-report-390")
    page.set_viewport_size(DESKTOP)
    assert_accessible(page)
    screenshot(f"person-{name}-report-1280")
    assert console_problems == []


def test_a_person_on_a_potassium_sparing_diuretic_is_not_pushed_potassium(
    live_server, page: Page, foods, screenshot, console_problems
):
    page.set_viewport_size(DESKTOP)
    sign_up(page, live_server.url, "sam", sex="male", age=62)
    page.get_by_role("link", name="Profile", exact=True).click()
    page.get_by_label(
        "Potassium-sparing: spironolactone, eplerenone, amiloride, triamterene"
    ).check()
    assert_accessible(page)
    screenshot("person-sam-profile-1280")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Profile saved")

    page.get_by_role("link", name="Diary", exact=True).click()
    log_a_banana(page)
    page.get_by_role("link", name="See the full report").click()

    expect(page.get_by_test_id("caution").first).to_contain_text(
        "ask your doctor before eating more potassium"
    )
    # Potassium's numbers are shown, but its shortfall is not counted against the day.
    expect(page.get_by_test_id("total-potassium")).to_be_visible()
    expect(page.get_by_test_id("reasons")).not_to_contain_text("Potassium is")
    assert_accessible(page)
    screenshot("person-sam-report-1280")
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    screenshot("person-sam-report-390")
    assert console_problems == []
