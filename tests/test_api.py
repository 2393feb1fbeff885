"""The JSON API: foods, entries and a day's report, by token and by session."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nutrients.models import Food, FoodNutrient, Nutrient, Portion
from tracker.days_api import NOTHING_LOGGED, OVER_UPPER
from tracker.entries_api import PORTION_NOT_OF_FOOD
from tracker.models import ApiToken, DayNote, DayTotal, Entry, Meal

DAY = dt.date(2026, 11, 22)
ENTRIES = "/api/entries/"


def entry_url(entry_id) -> str:
    return f"/api/entries/{entry_id}/"


def day_url(day=DAY) -> str:
    return f"/api/days/{day}/"


@pytest.fixture
def bearer(user) -> dict[str, str]:
    _, raw_token = ApiToken.create_for(user, "tests")
    return {"Authorization": f"Bearer {raw_token}"}


@pytest.fixture
def api(client, bearer):
    """A client that sends the user's token with every request; JSON in, JSON out."""

    class TokenClient:
        def get(self, url, **params):
            return client.get(url, params, headers=bearer)

        def post(self, url, body):
            return send(client.post, url, body, bearer)

        def patch(self, url, body):
            return send(client.patch, url, body, bearer)

        def delete(self, url):
            return client.delete(url, headers=bearer)

    return TokenClient()


def send(method, url, body, headers):
    """A dict is sent as JSON; a str as it is, to send broken JSON."""
    data = body if isinstance(body, str) else json.dumps(body)
    return method(url, data, content_type="application/json", headers=headers)


def log(user, food, grams, slot="breakfast", day=DAY, **fields):
    meal, _ = Meal.objects.get_or_create(user=user, day=day, slot=slot)
    fields.setdefault("quantity", grams)
    entry = Entry.objects.create(meal=meal, food=food, grams=grams, **fields)
    DayTotal.refresh(user, [day])
    return entry


def medium(banana) -> Portion:
    return banana.portions.get(description__startswith="1 medium")


def new_entry(food, **fields):
    return {"date": str(DAY), "food": food.pk, "meal": "breakfast", **fields}


def assert_field_error(response, field, message=None):
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "Some fields are not valid."
    assert field in body["errors"], body
    if message is not None:
        assert body["errors"][field] == [message]


# --- The schema ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_openapi_schema_is_public_at_api_openapi_json(client):
    response = client.get("/api/openapi.json")

    schema = response.json()
    assert response.status_code == 200
    assert {"/api/foods/", "/api/entries/", "/api/entries/{entry_id}/", "/api/days/{day}/"} <= set(
        schema["paths"]
    )
    assert set(schema["components"]["securitySchemes"]) == {"BearerToken", "SignedInSession"}


@pytest.mark.django_db
def test_the_docs_page_is_served_at_api_docs(client):
    assert client.get("/api/docs").status_code == 200


# --- Foods -----------------------------------------------------------------------------


def test_searching_foods_finds_bananas_with_nutrients_per_100_g_and_portions(api, foods):
    response = api.get("/api/foods/", q="banana")

    assert response.status_code == 200
    [banana] = response.json()
    assert banana["id"] == foods["banana"].pk
    assert banana["description"] == "Bananas, raw"
    assert banana["fdc_id"] == 173944
    assert banana["source"] == "seed"
    potassium = next(n for n in banana["nutrients"] if n["id"] == 1092)
    assert potassium == {"id": 1092, "name": "Potassium, K", "unit": "mg", "amount": 358.0}
    assert {"description": '1 medium (7" to 7-7/8" long)', "grams": 118.0} in [
        {"description": p["description"], "grams": p["grams"]} for p in banana["portions"]
    ]


def test_a_food_is_found_by_its_fdc_id(api, foods):
    response = api.get("/api/foods/", fdc_id="170567")

    assert [food["description"] for food in response.json()] == ["Nuts, almonds"]


def test_one_food_by_its_id(api, foods):
    response = api.get(f"/api/foods/{foods['almonds'].pk}/")

    assert response.status_code == 200
    assert response.json()["portions"][0]["description"] == "1 oz (23 whole kernels)"


def test_search_results_take_the_same_queries_for_one_food_or_many(api, foods):
    """Nutrients and portions are prefetched: no query per food."""
    for number in range(5):
        extra = Food.objects.create(description=f"Bananas, dried {number}", source="fdc")
        FoodNutrient.objects.create(food=extra, nutrient_id=1092, amount=1491)
        Portion.objects.create(food=extra, description="1 cup", grams=100)
    api.get("/api/foods/", q="almonds")  # the token's last_used_at is written once

    with CaptureQueriesContext(connection) as one:
        assert len(api.get("/api/foods/", q="almonds").json()) == 1
    with CaptureQueriesContext(connection) as six:
        assert len(api.get("/api/foods/", q="bananas").json()) == 6

    assert len(one) == len(six)


def test_the_search_limit_caps_the_results(api, foods):
    for number in range(3):
        Food.objects.create(description=f"Bananas, dried {number}", source="fdc")

    assert len(api.get("/api/foods/", q="bananas", limit="2").json()) == 2
    assert_field_error(api.get("/api/foods/", q="bananas", limit="101"), "limit")
    assert_field_error(api.get("/api/foods/", q="bananas", limit="0"), "limit")


def test_own_foods_are_found_and_another_users_are_not(api, user, other_user, foods):
    Food.objects.create(description="Banana smoothie, mine", source="user", owner=user)
    theirs = Food.objects.create(
        description="Banana smoothie, theirs", source="user", owner=other_user
    )

    found = [food["description"] for food in api.get("/api/foods/", q="banana smoothie").json()]

    assert found == ["Banana smoothie, mine"]
    response = api.get(f"/api/foods/{theirs.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such food among those you may see.", "errors": {}}


def test_food_search_needs_words_or_an_fdc_id(api, foods):
    assert_field_error(api.get("/api/foods/"), "q", "Send q (words to search for) or fdc_id.")
    assert_field_error(api.get("/api/foods/", q="b"), "q", "Enter at least 2 characters.")


@pytest.mark.parametrize(
    ("fdc_id", "message"),
    [
        ("banana", "Enter a whole number."),
        ("1.5", "Enter a whole number."),
        ("1" * 31, "That number is too large."),
        ("0", "Enter a whole number from 1 up."),
        ("-1", "Enter a whole number from 1 up."),
    ],
)
def test_an_fdc_id_that_is_no_id_is_422(api, foods, fdc_id, message):
    assert_field_error(api.get("/api/foods/", fdc_id=fdc_id), "fdc_id", message)


def test_an_fdc_id_beyond_any_database_integer_finds_nothing(api, foods):
    response = api.get("/api/foods/", fdc_id="9" * 25)

    assert (response.status_code, response.json()) == (200, [])


def test_a_food_id_beyond_any_database_integer_is_404(api, foods):
    assert api.get(f"/api/foods/{'9' * 25}/").status_code == 404


@pytest.mark.parametrize("food_id", ["-1", "0", "banana"])
def test_a_food_id_that_is_no_id_is_422(api, foods, food_id):
    assert_field_error(api.get(f"/api/foods/{food_id}/"), "food_id")


def test_a_search_of_symbols_only_finds_nothing(api, foods):
    response = api.get("/api/foods/", q="%_\x00'\"")

    assert (response.status_code, response.json()) == (200, [])


# --- Entries: adding -------------------------------------------------------------------


def test_adding_118_g_of_banana_answers_201_with_the_entry(api, user, foods):
    banana = foods["banana"]

    response = api.post(ENTRIES, new_entry(banana, grams=118))

    assert response.status_code == 201
    entry = Entry.objects.get()
    assert (entry.meal.user, entry.meal.day, entry.meal.slot) == (user, DAY, "breakfast")
    assert response.json() == {
        "id": entry.pk,
        "date": "2026-11-22",
        "meal": "breakfast",
        "food": {"id": banana.pk, "description": "Bananas, raw"},
        "quantity": 118.0,
        "unit": "g",
        "amount": "118 g",
        "grams": 118.0,
        "portion": None,
        "potassium_mg": 422.44,  # 358 mg per 100 g × 1.18
        "calcium_mg": 5.9,
        "magnesium_mg": 31.86,
        "version": 1,
    }
    assert response["ETag"] == '"1"'


def test_adding_one_medium_banana_by_its_portion(api, foods):
    banana = foods["banana"]
    portion = medium(banana)

    response = api.post(ENTRIES, new_entry(banana, portion=portion.pk, count=2, meal="lunch"))

    body = response.json()
    assert response.status_code == 201
    assert (body["grams"], body["portion"], body["quantity"]) == (236.0, portion.pk, 2.0)
    assert body["amount"] == '2 medium (7" to 7-7/8" long)'
    assert body["meal"] == "lunch"
    assert Entry.objects.get().grams == Decimal("236.00")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"grams": 0}, "grams", "Enter an amount greater than zero."),
        ({"grams": -5}, "grams", "Enter an amount greater than zero."),
        ({"grams": 5001}, "grams", "One entry can be at most 5,000 g."),
        ({"grams": 1e300}, "grams", "That amount is too large."),
        ({"grams": 10.555}, "grams", "Use at most two decimal places."),
        ({"grams": "lots"}, "grams", "Enter a number, like 1 or 150."),
        ({"grams": True}, "grams", "Enter a number, like 1 or 150."),
        ({"grams": [118]}, "grams", "Enter a number, like 1 or 150."),
        ({"count": 101, "portion": "medium"}, "count", "One entry can be at most 100 portions."),
        ({"count": 0, "portion": "medium"}, "count", "Enter an amount greater than zero."),
        ({"count": 1}, "portion", "Send the portion the count is of."),
        ({"portion": "medium"}, "count", "Send how many of the portion."),
        ({}, "grams", "Send grams, or portion and count."),
        ({"grams": 100, "count": 1}, "grams", "Send grams, or portion and count, not both."),
        ({"grams": 100, "meal": "brunch"}, "meal", "Choose breakfast, lunch, dinner or snacks."),
        ({"grams": 100, "date": "2026-02-30"}, "date", "That date does not exist."),
        ({"grams": 100, "date": "22.11.2026"}, "date", "Enter a date as YYYY-MM-DD."),
        ({"grams": 100, "date": 20261122}, "date", "Enter a date as YYYY-MM-DD."),
        ({"grams": 100, "date": "1899-12-31"}, "date", "Choose a day between 1900 and 2200."),
        ({"grams": 100, "date": "2201-01-01"}, "date", "Choose a day between 1900 and 2200."),
        ({"grams": 100, "food": "bananas"}, "food", "Enter a whole number."),
        ({"grams": 100, "food": 10**30}, "food", "That food is not in your food list."),
        ({"grams": 100, "food": -1}, "food", "Enter a whole number from 1 up."),
        ({"grams": 100, "food": 999_999}, "food", "That food is not in your food list."),
        ({"grams": 100, "food": None}, "food", "Enter a whole number."),
        ({"grams": 100, "gram": 100}, "gram", "Unknown field."),
    ],
)
def test_a_bad_entry_is_422_with_the_webs_message_and_logs_nothing(
    api, foods, fields, field, message
):
    banana = foods["banana"]
    body = {**new_entry(banana), **fields}
    if body.get("portion") == "medium":
        body["portion"] = medium(banana).pk

    response = api.post(ENTRIES, body)

    assert_field_error(response, field, message)
    assert not Entry.objects.exists()


def test_a_missing_field_is_named(api, foods):
    response = api.post(ENTRIES, {"food": foods["banana"].pk, "grams": 100})

    assert response.json()["errors"] == {
        "date": ["This field is required."],
        "meal": ["This field is required."],
    }


def test_a_portion_of_another_food_is_refused(api, foods):
    almond_portion = foods["almonds"].portions.get()

    response = api.post(ENTRIES, new_entry(foods["banana"], portion=almond_portion.pk, count=1))

    assert_field_error(response, "portion", PORTION_NOT_OF_FOOD)


def test_another_users_own_food_cannot_be_logged(api, other_user, foods):
    theirs = Food.objects.create(description="Bob's shake", source="user", owner=other_user)

    response = api.post(ENTRIES, new_entry(theirs, grams=100))

    assert_field_error(response, "food", "That food is not in your food list.")
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("{not json", "The request body is not valid JSON."),
        # Python reads no integer of more than 4,300 digits.
        ('{"food": 1' + "0" * 5000 + "}", "The request body is not valid JSON."),
        ("", "The request body must be a JSON object."),
        ("[1, 2]", "The request body must be a JSON object."),
        ('"entry"', "The request body must be a JSON object."),
        ("null", "The request body must be a JSON object."),
    ],
)
def test_a_body_that_is_no_json_object_is_400(api, foods, body, detail):
    response = api.post(ENTRIES, body)

    assert response.status_code == 400
    assert response.json() == {"detail": detail, "errors": {}}


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1e5000000000", "NaN", "Infinity"])
def test_numbers_json_cannot_hold_are_422_not_500(api, foods, number):
    body = f'{{"date": "2026-11-22", "food": {foods["banana"].pk}, "meal": "lunch", "grams": {number}}}'

    assert_field_error(api.post(ENTRIES, body), "grams")


# --- Entries: reading ------------------------------------------------------------------


def test_entries_of_a_day_are_the_users_own_of_that_day(api, user, other_user, foods):
    mine = log(user, foods["banana"], 118)
    log(user, foods["banana"], 50, day=DAY + dt.timedelta(days=1))
    log(other_user, foods["banana"], 100)

    response = api.get(ENTRIES, date="2026-11-22")

    assert response.status_code == 200
    assert [entry["id"] for entry in response.json()] == [mine.pk]
    assert response.json()[0]["potassium_mg"] == 422.44


def test_an_entrys_minerals_are_null_where_its_food_has_no_value(api, user, foods):
    log(user, foods["no_magnesium"], 200)

    [entry] = api.get(ENTRIES, date="2026-11-22").json()

    assert (entry["potassium_mg"], entry["magnesium_mg"]) == (200.0, None)


def test_water_is_listed_in_ml_as_entered(api, user, foods):
    log(user, foods["water"], 250, quantity=250, unit="ml")

    [entry] = api.get(ENTRIES, date="2026-11-22").json()

    assert (entry["amount"], entry["unit"], entry["grams"]) == ("250 ml", "ml", 250.0)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "This field is required."),
        ({"date": "yesterday"}, "Enter a date as YYYY-MM-DD."),
        ({"date": "2026-11-31"}, "That date does not exist."),
        ({"date": "0001-01-01"}, "Choose a day between 1900 and 2200."),
        ({"date": "９９９９-01-01"}, "Enter a date as YYYY-MM-DD."),
    ],
)
def test_entries_need_a_real_date_in_range(api, foods, params, message):
    assert_field_error(api.get(ENTRIES, **params), "date", message)


def test_one_entry_by_its_id(api, user, foods):
    entry = log(user, foods["banana"], 118)

    response = api.get(entry_url(entry.pk))

    assert (response.status_code, response.json()["id"]) == (200, entry.pk)


# --- Entries: changing and deleting ----------------------------------------------------


def test_patching_grams_changes_the_amount_and_keeps_the_food(api, user, foods):
    entry = log(user, foods["banana"], 118)

    response = api.patch(entry_url(entry.pk), {"grams": 200})

    assert response.status_code == 200
    assert (response.json()["grams"], response.json()["potassium_mg"]) == (200.0, 716.0)
    entry.refresh_from_db()
    assert (entry.grams, entry.food) == (Decimal("200.00"), foods["banana"])


def test_patching_a_portion_and_count_and_then_the_count_alone(api, user, foods):
    banana = foods["banana"]
    entry = log(user, banana, 100)
    portion = medium(banana)

    api.patch(entry_url(entry.pk), {"portion": portion.pk, "count": 1})
    response = api.patch(entry_url(entry.pk), {"count": 3})

    body = response.json()
    assert (body["portion"], body["quantity"], body["grams"]) == (portion.pk, 3.0, 354.0)


def test_a_count_alone_on_an_entry_by_grams_asks_for_the_portion(api, user, foods):
    entry = log(user, foods["banana"], 100)

    assert_field_error(api.patch(entry_url(entry.pk), {"count": 2}), "portion")


def test_patching_the_meal_alone_moves_the_entry_and_keeps_water_in_ml(api, user, foods):
    entry = log(user, foods["water"], 330, quantity=330, unit="ml")

    response = api.patch(entry_url(entry.pk), {"meal": "dinner"})

    assert response.status_code == 200
    assert (response.json()["meal"], response.json()["amount"]) == ("dinner", "330 ml")
    entry.refresh_from_db()
    assert (entry.meal.slot, entry.meal.day, entry.unit) == ("dinner", DAY, "ml")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"grams": 6000}, "grams"),
        ({"grams": -1}, "grams"),
        ({"meal": "elevenses"}, "meal"),
        ({"food": 1}, "food"),
        ({"date": "2026-11-23"}, "date"),
    ],
)
def test_a_bad_patch_is_422_and_changes_nothing(api, user, foods, fields, field):
    entry = log(user, foods["banana"], 118)

    assert_field_error(api.patch(entry_url(entry.pk), fields), field)
    entry.refresh_from_db()
    assert (entry.grams, entry.meal.slot) == (Decimal("118.00"), "breakfast")


def test_deleting_an_entry_answers_204(api, user, foods):
    entry = log(user, foods["banana"], 118)

    response = api.delete(entry_url(entry.pk))

    assert (response.status_code, response.content) == (204, b"")
    assert not Entry.objects.exists()


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_users_entry_is_404_and_stays_as_it_was(api, other_user, foods, method):
    theirs = log(other_user, foods["banana"], 118)

    if method == "patch":
        response = api.patch(entry_url(theirs.pk), {"grams": 1})
    else:
        response = getattr(api, method)(entry_url(theirs.pk))

    assert response.status_code == 404
    assert response.json() == {"detail": "No such entry in your diary.", "errors": {}}
    theirs.refresh_from_db()
    assert theirs.grams == Decimal("118.00")


@pytest.mark.parametrize("entry_id", ["999", "9" * 25])
def test_an_entry_that_never_was_is_404(api, foods, entry_id):
    assert api.get(entry_url(entry_id)).status_code == 404
    assert api.patch(entry_url(entry_id), {"grams": 1}).status_code == 404
    assert api.delete(entry_url(entry_id)).status_code == 404


@pytest.mark.parametrize("entry_id", ["banana", "0", "-1", "1e3"])
def test_an_entry_id_that_is_no_id_is_422(api, foods, entry_id):
    assert_field_error(api.get(entry_url(entry_id)), "entry_id")


# --- A day's report --------------------------------------------------------------------


def test_a_day_has_the_same_numbers_as_the_dashboard(api, user_client, user, foods):
    profile = user.profile
    profile.diuretic = "loop"
    profile.magnesium_target_mg = 300
    profile.save()
    DayNote.objects.create(user=user, day=DAY, intense_workout=True)
    log(user, foods["banana"], 118)
    log(user, foods["almonds"], 28, slot="snacks")
    log(user, foods["no_magnesium"], 300, slot="lunch")
    log(user, foods["water"], 500, quantity=500, unit="ml")

    body = api.get(day_url()).json()
    report = user_client.get(reverse("tracker:report", kwargs={"day": DAY})).context["report"]

    assert body["date"] == "2026-11-22"
    assert body["entries"] == len(report.entries) == 4
    assert [
        (m["name"], m["amount"], m["unit"], m["target"], m["percent"], m["status"])
        for m in body["minerals"]
    ] == [
        (
            line.status.mineral.name,
            float(line.status.eaten_mg),
            "mg",
            float(line.status.target_mg),
            line.status.percent,
            line.status.status,
        )
        for line in report.minerals
    ]
    assert [(m["known_entries"], m["entries"]) for m in body["minerals"]] == [
        (line.known_entries, 4) for line in report.minerals
    ]
    assert body["minerals"][2]["target"] == 300.0  # the profile's own target
    assert [
        (s["name"], s["amount"], s["unit"], s["percent"], s["known_entries"], s["entries"])
        for s in body["supporting"]
    ] == [
        (
            line.reference.name,
            None if line.amount is None else float(line.amount),
            line.reference.unit,
            line.percent,
            line.known_entries,
            line.entries,
        )
        for line in report.supporting()
    ]
    assert body["water"] == {
        "amount_ml": float(report.water_ml),
        "target_ml": report.water_target_ml,
        "below_target": True,
    }
    assert body["risk_factors"] == {
        "water_below_target": True,
        "intense_workout": True,
        "diuretic": True,
    }
    assert body["cramp_risk"] == {"level": report.risk.level, "reasons": report.risk.reasons}
    assert body["cramp_risk"]["level"] == "high"


def test_a_day_with_nothing_logged_has_no_risk_level(api, foods):
    body = api.get(day_url()).json()

    assert body["entries"] == 0
    assert body["cramp_risk"] == {"level": None, "reasons": [NOTHING_LOGGED]}
    assert [m["amount"] for m in body["minerals"]] == [None, None, None]
    assert body["water"]["amount_ml"] == 0


def test_sodium_over_its_upper_limit_says_so(api, user, foods):
    Nutrient.objects.create(id=1093, name="Sodium, Na", unit="mg")
    salty = Food.objects.create(description="Soy sauce", source="fdc")
    FoodNutrient.objects.create(food=salty, nutrient_id=1093, amount=5493)
    log(user, salty, 50)

    sodium = next(s for s in api.get(day_url()).json()["supporting"] if s["name"] == "Sodium")

    assert (sodium["amount"], sodium["upper"], sodium["status"]) == (2746.5, 2300.0, OVER_UPPER)


def test_a_day_counts_only_the_users_own_entries(api, other_user, foods):
    log(other_user, foods["banana"], 118)

    assert api.get(day_url()).json()["entries"] == 0


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-02-29", "That date does not exist."),
        ("1899-12-31", "Choose a day between 1900 and 2200."),
        ("2201-01-01", "Choose a day between 1900 and 2200."),
        ("today", "Enter a date as YYYY-MM-DD."),
    ],
)
def test_a_day_that_is_no_diary_day_is_422(api, foods, day, message):
    assert_field_error(api.get(day_url(day)), "day", message)


# --- Signing in: token or session ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/foods/?q=banana"),
        ("get", "/api/entries/?date=2026-11-22"),
        ("post", "/api/entries/"),
        ("patch", "/api/entries/1/"),
        ("delete", "/api/entries/1/"),
        ("get", "/api/days/2026-11-22/"),
    ],
)
def test_without_a_session_or_token_every_endpoint_is_401(client, method, url):
    response = getattr(client, method)(url, content_type="application/json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["errors"] == {}


def test_a_signed_in_session_reads_without_a_token(user_client, user, foods):
    log(user, foods["banana"], 118)

    response = user_client.get(ENTRIES, {"date": "2026-11-22"})

    assert response.status_code == 200
    assert len(response.json()) == 1


@pytest.fixture
def csrf_client(user):
    """A browser-like client: Django's test client skips CSRF checks unless told."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("profile"))  # sets the csrftoken cookie
    return client


def test_a_session_write_with_the_csrf_token_works(csrf_client, foods):
    csrf_token = csrf_client.cookies["csrftoken"].value

    response = send(
        csrf_client.post,
        ENTRIES,
        new_entry(foods["banana"], grams=118),
        {"X-CSRFToken": csrf_token},
    )

    assert response.status_code == 201


def test_a_session_write_without_the_csrf_token_is_403(csrf_client, foods):
    response = send(csrf_client.post, ENTRIES, new_entry(foods["banana"], grams=118), {})

    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF check failed")
    assert not Entry.objects.exists()


def test_a_token_write_needs_no_csrf_token(csrf_client, bearer, foods):
    response = send(csrf_client.post, ENTRIES, new_entry(foods["banana"], grams=118), bearer)

    assert response.status_code == 201


def test_a_token_speaks_for_its_user_even_beside_another_users_session(
    client, other_user, bearer, user, foods
):
    client.force_login(other_user)
    log(user, foods["banana"], 118)

    response = client.get(ENTRIES, {"date": "2026-11-22"}, headers=bearer)

    assert len(response.json()) == 1  # alice's entry, by alice's token


def test_a_wrong_token_is_401_even_with_a_session(user_client, foods):
    response = user_client.get(
        "/api/foods/", {"q": "banana"}, headers={"Authorization": "Bearer not-a-token"}
    )

    assert response.status_code == 401
    assert response.json()["detail"] == "That token is not valid: it may have been revoked."
