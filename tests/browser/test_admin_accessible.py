"""Every admin screen a curator uses, and the API reference, pass axe-core in Chromium at a
phone's width and a desktop's, with a clean console.

To check one more screen, add a line to ADMIN_SCREENS: a name and a function from the
test's data to the screen's path.
"""

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from nutrients.models import (
    EverydayFood,
    Food,
    FoodDataVersion,
    Recipe,
    RecipeIngredient,
    Synonym,
)
from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import PASSWORD
from tracker.models import Supplement


def admin_url(name: str, *args) -> Callable[[dict], str]:
    return lambda data: reverse(f"admin:{name}", args=[data[arg] for arg in args])


# (name, path from the data that admin_data builds)
ADMIN_SCREENS: list[tuple[str, Callable[[dict], str]]] = [
    ("index", admin_url("index")),
    ("food list", admin_url("nutrients_food_changelist")),
    (
        "food list, filtered",
        lambda data: reverse("admin:nutrients_food_changelist") + "?missing=1090",
    ),
    ("food change", admin_url("nutrients_food_change", "banana")),
    ("staff-edited food change", admin_url("nutrients_food_change", "edited")),
    ("food add", admin_url("nutrients_food_add")),
    ("everyday foods", admin_url("nutrients_everydayfood_changelist")),
    ("everyday food change", admin_url("nutrients_everydayfood_change", "everyday")),
    ("synonyms", admin_url("nutrients_synonym_changelist")),
    ("nutrients", admin_url("nutrients_nutrient_changelist")),
    ("synonym change", admin_url("nutrients_synonym_change", "synonym")),
    ("food table versions", admin_url("nutrients_fooddataversion_changelist")),
    ("food table version", admin_url("nutrients_fooddataversion_change", "version")),
    ("shipped dishes", admin_url("nutrients_recipe_changelist")),
    ("shipped dish change", admin_url("nutrients_recipe_change", "dish")),
    ("supplements", admin_url("tracker_supplement_changelist")),
    ("supplement change", admin_url("tracker_supplement_change", "supplement")),
    ("users", admin_url("auth_user_changelist")),
    ("user change", admin_url("auth_user_change", "staff")),
    ("API reference", lambda data: "/api/docs"),
]


@pytest.fixture
def admin_data(foods, shipped_supplements, make_user) -> dict:
    staff = make_user("curator", is_staff=True, is_superuser=True)
    banana = foods["banana"]
    everyday = EverydayFood.objects.create(
        food=banana,
        rank=1,
        terms="banana;bananas",
        serving="1 medium",
        serving_grams=118,
        kind="fruit",
    )
    edited = foods["almonds"]
    Food.objects.filter(pk=edited.pk).update(staff_edited=True)
    synonym = Synonym.objects.create(term="courgette", means="zucchini")
    version = FoodDataVersion.objects.create(
        name="SR Legacy", checksum="ab" * 32, summary="Loaded."
    )
    dish = Recipe.objects.create(
        food=Food.objects.create(description="Banana smoothie", source=Food.Source.DISH),
        servings=1,
        key="banana-smoothie",
    )
    RecipeIngredient.objects.create(recipe=dish, food=banana, grams=118, quantity=118, unit="g")
    return {
        "staff": staff.pk,
        "dish": dish.pk,
        "banana": banana.pk,
        "edited": edited.pk,
        "everyday": everyday.pk,
        "synonym": synonym.pk,
        "version": version.pk,
        "supplement": Supplement.objects.order_by("pk").first().pk,
    }


def violations(page: Page) -> str:
    results = Axe().run(page)
    return "" if results.violations_count == 0 else results.generate_report()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "390"])
def test_every_admin_screen_and_the_api_reference_pass_axe(
    live_server, page: Page, admin_data, console_problems, size
):
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff log in")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Site administration")

    # First the console, page by page; then axe (whose own injected styles Chromium
    # reports under the CSP, which would blame the page for them).
    for name, path in ADMIN_SCREENS:
        response = page.goto(f"{live_server.url}{path(admin_data)}")
        assert response is not None and response.status == 200, name
    assert console_problems == [], "\n".join(console_problems)
    found = {}
    for name, path in ADMIN_SCREENS:
        page.goto(f"{live_server.url}{path(admin_data)}")
        found[name] = violations(page)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    found["login"] = violations(page)

    failing = {name: report for name, report in found.items() if report}
    assert failing == {}, "\n\n".join(f"== {name}\n{report}" for name, report in failing.items())
