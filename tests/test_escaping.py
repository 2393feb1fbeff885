"""Text that people type (food names, servings, token names, form input) is shown as text.

One name holds a script, markup, an ampersand and both quotes. Every page that shows it
must show it escaped: the raw <script> never reaches a browser, its escaped form does.
CSV and JSON are not HTML: there the name comes back exactly as typed.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from nutrients.models import EverydayFood, Food, FoodNutrient, Portion
from tracker.models import ApiToken, Entry, Meal

PAYLOAD = "<script>alert(1)</script> & <b>bold</b> \"quoted\" 'single'"
# What Django's autoescaping makes of it, written out so that the test does not trust
# the function it checks.
ESCAPED = (
    "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; "
    "&quot;quoted&quot; &#x27;single&#x27;"
)
RAW_MARKUP = ("<script>alert(1)</script>", "<b>bold</b>")

DAY = dt.date(2026, 11, 22)
HTMX = {"HX-Request": "true"}


@dataclass(frozen=True)
class Scene:
    """Alice's diary of one day, where every name she could type is PAYLOAD."""

    user: AbstractBaseUser
    own_food: Food  # her own food, its serving also named PAYLOAD
    shared_food: Food  # a food of the shared table (as if imported) with that name
    own_entry: Entry
    shared_entry: Entry
    token: ApiToken


@pytest.fixture
def scene(user, foods) -> Scene:
    own_food = Food.objects.create(
        description=PAYLOAD, source=Food.Source.USER, owner=user, category="My foods"
    )
    own_serving = Portion.objects.create(food=own_food, seq=1, description=PAYLOAD, grams=40)
    FoodNutrient.objects.create(food=own_food, nutrient_id=1092, amount=500)
    # A seed food rich in potassium with one portion, on the everyday list at that
    # portion: the report suggests it.
    shared_food = Food.objects.create(
        description=PAYLOAD, source=Food.Source.SEED, fdc_id=990001, category=PAYLOAD
    )
    Portion.objects.create(food=shared_food, seq=1, description=PAYLOAD, grams=100)
    EverydayFood.objects.create(
        food=shared_food, rank=1, kind="escaping", serving=PAYLOAD, serving_grams=100
    )
    FoodNutrient.objects.create(food=shared_food, nutrient_id=1092, amount=1000)
    FoodNutrient.objects.create(food=shared_food, nutrient_id=1087, amount=100)
    meal = Meal.objects.create(user=user, day=DAY, slot=Meal.Slot.BREAKFAST)
    own_entry = Entry.objects.create(
        meal=meal, food=own_food, quantity=1, unit=PAYLOAD, portion=own_serving, grams=40
    )
    shared_entry = Entry.objects.create(meal=meal, food=shared_food, quantity=50, grams=50)
    token, _ = ApiToken.create_for(user, PAYLOAD)
    return Scene(user, own_food, shared_food, own_entry, shared_entry, token)


def day_url() -> str:
    return reverse("tracker:day", kwargs={"day": DAY})


def add_url() -> str:
    return reverse("tracker:add_entry", kwargs={"day": DAY})


def edit_url(entry: Entry) -> str:
    return reverse("tracker:edit_entry", kwargs={"pk": entry.pk})


def assert_shown_as_text(response: HttpResponse) -> None:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    for markup in RAW_MARKUP:
        assert markup not in html
    assert ESCAPED in html


Request = Callable[[Client, Scene], HttpResponse]


def logged_out(request: Request) -> Request:
    def as_visitor(client: Client, scene: Scene) -> HttpResponse:
        client.logout()
        return request(client, scene)

    return as_visitor


# Every page of the site that shows something a user typed, as Alice sees it.
SITE_PAGES: list = [
    # The diary: the page, its htmx fragments and the answers to its forms.
    pytest.param(lambda c, s: c.get(day_url()), id="day page: entries and recent foods"),
    pytest.param(
        lambda c, s: c.get(day_url(), {"q": "alert bold"}),
        id="day page: search results without JavaScript",
    ),
    pytest.param(
        lambda c, s: c.get(
            day_url(), {"q": "alert bold"}, headers={**HTMX, "HX-Target": "search-results"}
        ),
        id="search results fragment",
    ),
    pytest.param(
        lambda c, s: c.get(
            day_url(), {"q": PAYLOAD}, headers={**HTMX, "HX-Target": "search-results"}
        ),
        id="search results fragment: the query itself",
    ),
    pytest.param(
        lambda c, s: c.get(
            day_url(), {"food": s.shared_food.pk}, headers={**HTMX, "HX-Target": "entry-form"}
        ),
        id="entry form fragment: a shared food and its portion",
    ),
    pytest.param(
        lambda c, s: c.get(
            day_url(), {"food": s.own_food.pk}, headers={**HTMX, "HX-Target": "entry-form"}
        ),
        id="entry form fragment: an own food and its serving",
    ),
    pytest.param(
        lambda c, s: c.post(
            add_url(),
            {"food": s.own_food.pk, "quantity": PAYLOAD, "unit": "g", "slot": "lunch"},
            headers=HTMX,
        ),
        id="entry form fragment with errors",
    ),
    pytest.param(
        lambda c, s: c.post(
            add_url(),
            {"food": s.own_food.pk, "quantity": "2", "unit": "g", "slot": "lunch"},
            follow=True,
        ),
        id="day page: the message after adding",
    ),
    pytest.param(
        lambda c, s: c.post(
            add_url(),
            {"food": s.own_food.pk, "quantity": "2", "unit": "g", "slot": "lunch"},
            headers=HTMX,
        ),
        id="day body fragment after adding",
    ),
    pytest.param(
        lambda c, s: c.post(
            reverse("tracker:delete_entry", kwargs={"pk": s.own_entry.pk}), headers=HTMX
        ),
        id="day body fragment after deleting",
    ),
    pytest.param(lambda c, s: c.get(edit_url(s.own_entry), headers=HTMX), id="edit row fragment"),
    pytest.param(lambda c, s: c.get(edit_url(s.own_entry)), id="edit page without JavaScript"),
    pytest.param(
        lambda c, s: c.post(
            edit_url(s.own_entry),
            {"quantity": PAYLOAD, "unit": "g", "slot": "lunch"},
            headers=HTMX,
        ),
        id="edit row fragment with errors",
    ),
    pytest.param(
        lambda c, s: c.post(reverse("tracker:add_water", kwargs={"day": DAY}), {"ml": PAYLOAD}),
        id="day page: water form with errors",
    ),
    pytest.param(
        lambda c, s: c.post(reverse("tracker:copy", kwargs={"day": DAY}), {"from_day": PAYLOAD}),
        id="day page: copy form with errors",
    ),
    pytest.param(
        lambda c, s: c.get(reverse("tracker:today"), {"date": PAYLOAD}, follow=True),
        id="day page: the message about a typed date",
    ),
    # The report: top contributors and suggestions hold the names.
    pytest.param(
        lambda c, s: c.get(reverse("tracker:report", kwargs={"day": DAY})),
        id="report: sources, suggestions and trends",
    ),
    # Own foods.
    pytest.param(lambda c, s: c.get(reverse("own_foods")), id="own-foods list"),
    pytest.param(
        lambda c, s: c.get(reverse("own_food_edit", kwargs={"pk": s.own_food.pk})),
        id="own-food edit form",
    ),
    pytest.param(
        lambda c, s: c.post(
            reverse("own_food_create"),
            {"name": PAYLOAD, "serving_description": PAYLOAD, "serving_grams": "30"},
            follow=True,
        ),
        id="own-foods list: the message after saving",
    ),
    pytest.param(
        lambda c, s: c.post(reverse("own_food_create"), {"name": PAYLOAD, "serving_grams": "x"}),
        id="own-food form with errors",
    ),
    # The profile and its API tokens.
    pytest.param(lambda c, s: c.get(reverse("profile")), id="profile: token table"),
    pytest.param(
        lambda c, s: c.post(reverse("api_token_create"), {"name": PAYLOAD}, follow=True),
        id="profile: a new token shown once",
    ),
    pytest.param(
        lambda c, s: c.post(reverse("api_token_create"), {"name": PAYLOAD * 2}),
        id="profile: token form with errors",
    ),
    pytest.param(
        lambda c, s: c.post(reverse("api_token_revoke", kwargs={"pk": s.token.pk}), follow=True),
        id="profile: the message after revoking",
    ),
    pytest.param(
        lambda c, s: c.post(reverse("profile"), {"time_zone": PAYLOAD}),
        id="profile form with errors",
    ),
    # Export: dates from a link are shown back in the form.
    pytest.param(
        lambda c, s: c.get(reverse("export"), {"from": PAYLOAD, "to": "2026-11-22"}),
        id="export page: dates from a link",
    ),
    pytest.param(
        lambda c, s: c.get(reverse("export_entries"), {"from": PAYLOAD, "to": "2026-11-22"}),
        id="export download with a bad date",
    ),
    # Accounts: what a visitor typed comes back in the form.
    pytest.param(
        logged_out(lambda c, s: c.post(reverse("signup"), {"username": PAYLOAD, "email": PAYLOAD})),
        id="sign-up form with errors",
    ),
    pytest.param(
        logged_out(
            lambda c, s: c.post(reverse("login"), {"username": PAYLOAD, "password": "wrong"})
        ),
        id="login form with errors",
    ),
    pytest.param(
        logged_out(lambda c, s: c.get(reverse("login"), {"next": f"/day/?{PAYLOAD}"})),
        id="login page: the next address",
    ),
    pytest.param(
        logged_out(lambda c, s: c.post(reverse("password_reset"), {"email": PAYLOAD})),
        id="password reset form with errors",
    ),
]


@pytest.mark.parametrize("request_page", SITE_PAGES)
def test_markup_that_users_type_is_shown_as_text_on_the_site(
    request_page: Request, scene: Scene, client: Client
):
    client.force_login(scene.user)

    assert_shown_as_text(request_page(client, scene))


ADMIN_PAGES: list = [
    pytest.param(lambda c, s: c.get(reverse("admin:nutrients_food_changelist")), id="food list"),
    pytest.param(
        lambda c, s: c.get(reverse("admin:nutrients_food_changelist"), {"q": PAYLOAD}),
        id="food list: the search",
    ),
    pytest.param(
        lambda c, s: c.get(reverse("admin:nutrients_food_change", args=[s.shared_food.pk])),
        id="food change form and its portions",
    ),
    pytest.param(
        lambda c, s: c.get(reverse("admin:nutrients_food_delete", args=[s.shared_food.pk])),
        id="food delete page: the food is in a diary",
    ),
    pytest.param(
        lambda c, s: c.get(reverse("admin:tracker_meal_change", args=[s.own_entry.meal_id])),
        id="meal change form and its entries",
    ),
]


@pytest.mark.parametrize("request_page", ADMIN_PAGES)
def test_markup_in_food_names_is_shown_as_text_in_the_admin(
    request_page: Request, scene: Scene, admin_client: Client
):
    assert_shown_as_text(request_page(admin_client, scene))


def test_the_report_shows_the_name_as_text_among_sources_and_suggestions(
    scene: Scene, client: Client
):
    client.force_login(scene.user)

    html = client.get(reverse("tracker:report", kwargs={"day": DAY})).content.decode()

    sources = html.split('class="sources"', 1)[1].split("</ol>", 1)[0]
    suggestions = html.split('class="suggestions"', 1)[1].split("</ul>", 1)[0]
    assert ESCAPED in sources
    assert ESCAPED in suggestions
    assert "<script>" not in sources + suggestions


# --- Not HTML: the name comes back as typed -------------------------------------------


def csv_rows(response: HttpResponse) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_export_holds_the_name_exactly_as_typed(scene: Scene, client: Client):
    client.force_login(scene.user)

    response = client.get(reverse("export_entries"), {"from": "2026-11-22", "to": "2026-11-22"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    own, shared = csv_rows(response)
    assert own["food"] == shared["food"] == PAYLOAD
    assert own["amount"] == f"1 × {PAYLOAD}"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_name_a_spreadsheet_would_run_gets_a_leading_apostrophe_in_the_csv(
    start: str, scene: Scene, client: Client
):
    Food.objects.filter(pk__in=[scene.own_food.pk, scene.shared_food.pk]).update(
        description=f'{start}HYPERLINK("http://example.org")'
    )
    client.force_login(scene.user)

    response = client.get(reverse("export_entries"), {"from": "2026-11-22", "to": "2026-11-22"})

    own, shared = csv_rows(response)
    assert own["food"] == shared["food"] == f'\'{start}HYPERLINK("http://example.org")'


def test_the_api_returns_the_name_as_a_json_string(scene: Scene, client: Client):
    client.force_login(scene.user)

    food = client.get(f"/api/foods/{scene.shared_food.pk}/")
    entries = client.get("/api/entries/", {"date": "2026-11-22"})
    found = client.get("/api/foods/", {"q": "alert bold"})

    for response in (food, entries, found):
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["X-Content-Type-Options"] == "nosniff"  # never sniffed as HTML
    assert food.json()["description"] == PAYLOAD
    assert food.json()["portions"][0]["description"] == PAYLOAD
    own, _ = entries.json()
    assert (own["food"]["description"], own["unit"]) == (PAYLOAD, PAYLOAD)
    assert [f["description"] for f in found.json()] == [PAYLOAD, PAYLOAD]
