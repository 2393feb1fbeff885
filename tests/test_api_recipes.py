"""The API's recipes and saved meals: the paths and fields the issue names, the web's own
rules, another user's as missing as one that never was, and a log sent twice stored once."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from nutrients.models import Food, Recipe
from tracker.models import ApiToken, DayNutrientTotal, Entry

DAY = "2026-11-22"


@pytest.fixture
def api(user):
    return token_client(user)


def token_client(user):
    _, raw_token = ApiToken.create_for(user, "tests")
    client = Client()
    headers = {"Authorization": f"Bearer {raw_token}"}

    class TokenClient:
        def get(self, url):
            return client.get(url, headers=headers)

        def post(self, url, body, **extra):
            return client.post(
                url, json.dumps(body), content_type="application/json", headers={**headers, **extra}
            )

        def patch(self, url, body):
            return client.patch(
                url, json.dumps(body), content_type="application/json", headers=headers
            )

        def delete(self, url):
            return client.delete(url, headers=headers)

    return TokenClient()


def porridge_body(foods) -> dict:
    medium = foods["banana"].portions.get(description__startswith="1 medium")
    return {
        "name": "Banana almond porridge",
        "servings": 2,
        "ingredients": [
            {"food": foods["banana"].pk, "portion": medium.pk, "count": 1},
            {"food": foods["almonds"].pk, "grams": 30},
        ],
    }


def test_a_recipe_made_by_the_api_is_a_food_to_log_by_the_serving(api, user, foods):
    response = api.post("/api/recipes/", porridge_body(foods))

    assert response.status_code == 201
    body = response.json()
    recipe = Recipe.objects.get()
    assert body["id"] == recipe.pk and body["food"] == recipe.food_id
    assert body["name"] == "Banana almond porridge" and body["servings"] == 2
    assert body["cooked_grams"] is None and body["serving_grams"] == 74.0
    assert body["potassium_mg"] == pytest.approx((118 * 358 + 30 * 733) / 100 / 2)
    assert body["known_ingredients"] == {"potassium_mg": 2, "calcium_mg": 2, "magnesium_mg": 2}
    assert [i["amount"] for i in body["ingredients"]] == ['1 medium (7" to 7-7/8" long)', "30 g"]

    serving = recipe.food.portions.get()
    entry = api.post(
        "/api/entries/",
        {"date": DAY, "food": body["food"], "portion": serving.pk, "count": 1, "meal": "lunch"},
    )
    assert entry.status_code == 201 and entry.json()["amount"] == "1 serving"
    assert entry.json()["potassium_mg"] == pytest.approx(body["potassium_mg"], abs=0.01)


def test_patching_a_recipe_moves_the_days_that_logged_it(api, user, foods):
    recipe = api.post("/api/recipes/", porridge_body(foods)).json()
    api.post("/api/entries/", {"date": DAY, "food": recipe["food"], "grams": 74, "meal": "lunch"})

    response = api.patch(
        f"/api/recipes/{recipe['id']}/",
        {"ingredients": [{"food": foods["banana"].pk, "grams": 148}], "cooked_grams": 74},
    )

    assert response.status_code == 200
    assert response.json()["serving_grams"] == 37.0 and response.json()["servings"] == 2
    stored = DayNutrientTotal.objects.get(user=user, nutrient_id=1092).amount
    assert stored == Decimal(148) * 358 / 100  # the whole dish, cooked down to 74 g


def test_the_webs_rules_answer_per_field(api, foods, other_user):
    bob_food = Food.objects.create(description="Bob's bar", source="user", owner=other_user)
    response = api.post(
        "/api/recipes/",
        {
            "name": "",
            "servings": 0,
            "ingredients": [
                {"food": bob_food.pk, "grams": 10},
                {"food": foods["banana"].pk, "grams": 9000},
            ],
        },
    )

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"ingredients.0.food", "ingredients.1.grams"}
    assert errors["ingredients.1.grams"] == ["One entry can be at most 5,000 g."]
    response = api.post("/api/recipes/", {"name": "", "servings": 0})
    assert set(response.json()["errors"]) == {"name", "servings"}
    assert not Recipe.objects.exists()


def test_another_users_recipe_is_a_404_and_a_shipped_dish_is_readable(api, user, other_user, foods):
    theirs = token_client(other_user).post("/api/recipes/", porridge_body(foods)).json()
    dish_food = Food.objects.create(
        description="Latte", source=Food.Source.DISH, category="Everyday dishes"
    )
    dish = Recipe.objects.create(food=dish_food, servings=1, key="latte")

    for method, body in (("get", None), ("patch", {"name": "Mine"}), ("delete", None)):
        args = (f"/api/recipes/{theirs['id']}/",) + ((body,) if body else ())
        assert getattr(api, method)(*args).status_code == 404
    assert (
        api.post(
            "/api/entries/", {"date": DAY, "food": theirs["food"], "grams": 10, "meal": "lunch"}
        ).status_code
        == 422
    )
    assert api.get("/api/recipes/").json() == []
    assert api.get(f"/api/recipes/{dish.pk}/").json()["shipped"] is True
    assert api.patch(f"/api/recipes/{dish.pk}/", {"name": "Mine"}).status_code == 404
    found = api.get(f"/api/foods/{dish_food.pk}/").json()
    assert found["recipe"] == dish.pk


def test_deleting_a_logged_recipe_hides_it(api, foods):
    recipe = api.post("/api/recipes/", porridge_body(foods)).json()
    api.post("/api/entries/", {"date": DAY, "food": recipe["food"], "grams": 50, "meal": "lunch"})

    assert api.delete(f"/api/recipes/{recipe['id']}/").status_code == 204

    assert Food.objects.get(pk=recipe["food"]).hidden
    assert api.get(f"/api/recipes/{recipe['id']}/").status_code == 404
    assert Entry.objects.count() == 1


def test_saved_meals_are_made_changed_and_logged_once_per_key(api, user, foods):
    response = api.post(
        "/api/saved-meals/",
        {"name": "My usual breakfast", "items": [{"food": foods["banana"].pk, "grams": 118}]},
    )
    assert response.status_code == 201
    saved = response.json()
    assert saved["items"][0]["food"]["id"] == foods["banana"].pk

    changed = api.patch(
        f"/api/saved-meals/{saved['id']}/",
        {
            "name": "Breakfast",
            "items": [
                {"food": foods["banana"].pk, "grams": 118},
                {"food": foods["almonds"].pk, "grams": 30},
            ],
        },
    )
    assert changed.json()["name"] == "Breakfast" and len(changed.json()["items"]) == 2

    url = f"/api/saved-meals/{saved['id']}/log/"
    first = api.post(url, {"date": DAY, "meal": "dinner"}, **{"Idempotency-Key": "log-1"})
    again = api.post(url, {"date": DAY, "meal": "dinner"}, **{"Idempotency-Key": "log-1"})

    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert [e["meal"] for e in first.json()["entries"]] == ["dinner", "dinner"]
    assert Entry.objects.filter(meal__slot="dinner").count() == 2
    other = api.post(url, {"date": DAY, "meal": "lunch"}, **{"Idempotency-Key": "log-1"})
    assert other.status_code == 422 and Entry.objects.count() == 2
    assert api.post(url, {"date": DAY, "meal": "lunch"}).status_code == 201
    assert Entry.objects.count() == 4

    assert api.delete(f"/api/saved-meals/{saved['id']}/").status_code == 204
    assert api.get("/api/saved-meals/").json() == [] and Entry.objects.count() == 4


def test_another_users_saved_meal_is_a_404(api, other_user, foods):
    theirs = (
        token_client(other_user)
        .post(
            "/api/saved-meals/",
            {"name": "Bob's", "items": [{"food": foods["banana"].pk, "grams": 10}]},
        )
        .json()
    )

    assert api.get(f"/api/saved-meals/{theirs['id']}/").status_code == 404
    assert (
        api.post(
            f"/api/saved-meals/{theirs['id']}/log/", {"date": DAY, "meal": "lunch"}
        ).status_code
        == 404
    )
    assert api.delete(f"/api/saved-meals/{theirs['id']}/").status_code == 404
    assert not Entry.objects.exists()


@pytest.mark.parametrize("count", [1, 20])
def test_the_recipes_answer_runs_a_constant_number_of_queries(
    api, foods, count, django_assert_num_queries
):
    body = {
        "name": "Big",
        "servings": 1,
        "ingredients": [{"food": foods["banana"].pk, "grams": 10 + i} for i in range(count)],
    }
    recipe = api.post("/api/recipes/", body).json()

    # The token and its user; the recipe; its portion; its amounts; ingredients with foods;
    # their amounts.
    with django_assert_num_queries(6):
        assert len(api.get(f"/api/recipes/{recipe['id']}/").json()["ingredients"]) == count
