"""Recipes: a dish built from foods is a food of its owner's, with values per 100 g from
its ingredients; its pages, copying, deleting, and "save this meal as a recipe"."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from nutrients.models import Food, FoodNutrient, Portion, Recipe
from tracker.models import DayNutrientTotal, Entry, Meal
from tracker.recipes import IngredientData, create_recipe

DAY = dt.date(2026, 11, 22)
K, CA, MG, WATER = 1092, 1087, 1090, 1051


def amounts(food: Food) -> dict[int, Decimal]:
    return dict(food.nutrient_amounts.values_list("nutrient_id", "amount"))


def ingredient(food: Food, grams: str) -> IngredientData:
    return IngredientData(food, Decimal(grams), Decimal(grams), None, "g")


@pytest.fixture
def smoothie(user, foods) -> Recipe:
    """118 g banana and 28.35 g almonds, 2 servings."""
    return create_recipe(
        user,
        "Banana almond smoothie",
        2,
        None,
        [ingredient(foods["banana"], "118"), ingredient(foods["almonds"], "28.35")],
    )


def recipe_url(recipe: Recipe, name: str = "recipe", **kwargs) -> str:
    return reverse(name, kwargs={"pk": recipe.pk, **kwargs})


def log(user, food: Food, grams: str, day: dt.date = DAY) -> Entry:
    from tracker.models import DayTotal

    meal, _ = Meal.objects.get_or_create(user=user, day=day, slot="lunch")
    entry = Entry.objects.create(meal=meal, food=food, grams=Decimal(grams), quantity=grams)
    DayTotal.refresh(user, [day])
    return entry


def stored(user, nutrient_id: int, day: dt.date = DAY) -> Decimal | None:
    row = DayNutrientTotal.objects.filter(user=user, day=day, nutrient_id=nutrient_id).first()
    return None if row is None else row.amount


# --- Values ------------------------------------------------------------------------------


def test_a_recipes_values_per_100_g_are_its_ingredients_sum_over_its_weight(smoothie):
    potassium = Decimal(118) * 358 / 100 + Decimal("28.35") * 733 / 100
    food = smoothie.food

    assert food.owner == smoothie.food.owner and food.source == Food.Source.USER
    assert amounts(food)[K] == (potassium * 100 / Decimal("146.35")).quantize(Decimal("1e-6"))
    serving = Portion.objects.get(food=food)
    assert (serving.description, serving.grams) == ("1 serving", Decimal("73.175"))


def test_a_cooked_weight_concentrates_the_dish_and_changes_only_its_water(user, foods):
    # 100 g banana and 100 g water, simmered down to 150 g: 50 g of water boiled off.
    recipe = create_recipe(
        user,
        "Banana compote",
        3,
        Decimal(150),
        [ingredient(foods["banana"], "100"), ingredient(foods["water"], "100")],
    )

    values = amounts(recipe.food)
    assert values[K] == (Decimal(358) * 100 / 150).quantize(Decimal("1e-6"))
    water_left = Decimal("74.91") + Decimal("99.91") - 50
    assert values[WATER] == (water_left * 100 / 150).quantize(Decimal("1e-6"))
    assert Portion.objects.get(food=recipe.food).grams == 50


def test_a_nutrient_is_known_only_as_far_as_the_ingredients_know_it(user_client, user, foods):
    recipe = create_recipe(
        user,
        "Stew with banana",
        1,
        None,
        [ingredient(foods["banana"], "100"), ingredient(foods["no_magnesium"], "100")],
    )
    unknown = create_recipe(user, "Plain stew", 1, None, [ingredient(foods["no_magnesium"], "50")])

    page = user_client.get(recipe_url(recipe)).content.decode()
    assert "Magnesium known for 1 of 2 ingredients" in page
    assert amounts(recipe.food)[MG] == Decimal("13.5")  # the banana's 27 mg over 200 g
    assert MG not in amounts(unknown.food)  # no data, not zero
    page = user_client.get(recipe_url(unknown)).content.decode()
    assert "no data (no ingredient gives it)" in page


# --- Pages: build, keyboard order, other users ---------------------------------------------


def test_starting_a_recipe_then_adding_ingredients_by_portion_and_grams(user_client, user, foods):
    response = user_client.post(
        reverse("recipe_create"), {"name": "Banana snack", "servings": "2", "cooked_grams": ""}
    )
    recipe = Recipe.objects.get()
    assert response.status_code == 302 and response.url.startswith(recipe_url(recipe))

    medium = foods["banana"].portions.get(description__startswith="1 medium")
    add = recipe_url(recipe, "ingredient_add")
    user_client.post(add, {"food": foods["banana"].pk, "quantity": "2", "unit": medium.pk})
    response = user_client.post(
        add,
        {"food": foods["almonds"].pk, "quantity": "30", "unit": "g"},
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert 'id="recipe-body"' in page and "autofocus" in page  # ready for the next food
    rows = list(recipe.ingredients.values_list("food__description", "grams", "unit"))
    assert rows == [
        ("Bananas, raw", Decimal("236.00"), medium.description),
        ("Nuts, almonds", Decimal("30.00"), "g"),
    ]
    assert Portion.objects.get(food=recipe.food).grams == Decimal("133.000")


def test_the_ingredient_search_finds_foods_but_not_recipes(user_client, user, foods, smoothie):
    url = recipe_url(smoothie)
    response = user_client.get(
        url, {"q": "banana"}, headers={"HX-Request": "true", "HX-Target": "search-results"}
    )
    page = response.content.decode()
    assert "Bananas, raw" in page and "Banana almond smoothie" not in page

    response = user_client.post(
        recipe_url(smoothie, "ingredient_add"),
        {"food": smoothie.food_id, "quantity": "10", "unit": "g"},
    )
    assert "a recipe cannot go in one" in response.content.decode()
    assert smoothie.ingredients.count() == 2


def test_the_diary_search_finds_the_owners_recipe_first_and_logs_a_serving(
    user_client, user, other_user, foods, smoothie
):
    response = user_client.get(
        reverse("tracker:day", kwargs={"day": DAY}),
        {"q": "banana"},
        headers={"HX-Request": "true", "HX-Target": "search-results"},
    )
    first = re.search(r'class="result"[^>]*>([^<]*)<', response.content.decode())
    assert first.group(1) == "Banana almond smoothie"

    serving = smoothie.food.portions.get()
    user_client.post(
        reverse("tracker:add_entry", kwargs={"day": DAY}),
        {"food": smoothie.food_id, "quantity": "1", "unit": serving.pk, "slot": "breakfast"},
    )
    entry = Entry.objects.get()
    assert (entry.amount_as_entered, entry.grams) == ("1 serving", Decimal("73.18"))


def test_another_users_recipe_is_not_found_anywhere(client, other_user, smoothie, foods):
    client.force_login(other_user)
    for name in ("recipe", "recipe_copy", "recipe_delete", "ingredient_add"):
        method = client.get if name == "recipe" else client.post
        assert method(recipe_url(smoothie, name)).status_code == 404, name
    first = smoothie.ingredients.first()
    assert (
        client.post(recipe_url(smoothie, "ingredient_delete", ingredient_pk=first.pk)).status_code
        == 404
    )
    response = client.post(
        reverse("tracker:add_entry", kwargs={"day": DAY}),
        {"food": smoothie.food_id, "quantity": "100", "unit": "g", "slot": "lunch"},
    )
    assert not Entry.objects.exists() and response.status_code == 200
    found = client.get(reverse("tracker:day", kwargs={"day": DAY}), {"q": "smoothie"})
    assert "Banana almond smoothie" not in found.content.decode()
    assert Recipe.objects.count() == 1 and smoothie.ingredients.count() == 2


def test_a_recipe_is_not_an_own_food_to_edit_from_a_label(user_client, smoothie):
    assert "Banana almond smoothie" not in user_client.get(reverse("own_foods")).content.decode()
    assert (
        user_client.get(reverse("own_food_edit", kwargs={"pk": smoothie.food_id})).status_code
        == 404
    )


# --- Editing moves the days; deleting hides -----------------------------------------------


def test_editing_a_recipe_moves_the_stored_totals_of_the_days_that_logged_it(
    user_client, user, foods, smoothie
):
    log(user, smoothie.food, "100")
    before = stored(user, K)
    almonds = smoothie.ingredients.get(food=foods["almonds"])

    user_client.post(recipe_url(smoothie, "ingredient_delete", ingredient_pk=almonds.pk))

    assert stored(user, K) == Decimal(358) and before != Decimal(358)
    user_client.post(
        recipe_url(smoothie), {"name": "Banana mash", "servings": "1", "cooked_grams": "59"}
    )
    assert stored(user, K) == Decimal(716)  # 118 g banana cooked down to 59 g
    assert Food.objects.get(pk=smoothie.food_id).description == "Banana mash"


def test_changing_an_ingredients_amount_in_place_moves_the_days(user_client, user, foods, smoothie):
    log(user, smoothie.food, "100")
    banana = smoothie.ingredients.get(food=foods["banana"])
    url = recipe_url(smoothie, "ingredient_edit", ingredient_pk=banana.pk)
    form = user_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'value="118"' in form and "autofocus" in form

    cup = foods["banana"].portions.get(description__startswith="1 cup")
    response = user_client.post(
        url, {"quantity": "2", "unit": cup.pk}, headers={"HX-Request": "true"}
    )

    assert 'id="recipe-body"' in response.content.decode()
    banana.refresh_from_db()
    assert (banana.grams, banana.amount_as_entered) == (Decimal("300.00"), "2 cups, sliced")
    dish = Decimal(300) * 358 / 100 + Decimal("28.35") * 733 / 100
    assert abs(stored(user, K) - dish * 100 / Decimal("328.35")) < Decimal("0.001")
    bad = user_client.post(url, {"quantity": "0", "unit": "g"}, headers={"HX-Request": "true"})
    assert bad["HX-Retarget"] == f"#edit-ingredient-{banana.pk}"
    assert "greater than zero" in bad.content.decode()


def test_a_cooked_weight_far_from_the_ingredients_weight_is_refused(user_client, smoothie):
    response = user_client.post(
        recipe_url(smoothie), {"name": "x", "servings": "2", "cooked_grams": "5"}
    )

    assert "once cooked the dish weighs between 15 g and 1,464 g" in response.content.decode()
    assert Recipe.objects.get().cooked_grams is None and smoothie.food.description != "x"


def test_deleting_a_recipe_the_diary_uses_hides_it_and_keeps_the_days(
    user_client, user, foods, smoothie
):
    log(user, smoothie.food, "100")
    total = stored(user, K)

    response = user_client.post(recipe_url(smoothie, "recipe_delete"))

    assert response.status_code == 302
    food = Food.objects.get(pk=smoothie.food_id)
    assert food.hidden and stored(user, K) == total
    assert user_client.get(recipe_url(smoothie)).status_code == 404
    assert recipe_url(smoothie) not in user_client.get(reverse("recipes")).content.decode()
    unused = create_recipe(user, "Unused", 1, None, [ingredient(foods["banana"], "10")])
    user_client.post(recipe_url(unused, "recipe_delete"))
    assert not Food.objects.filter(pk=unused.food_id).exists()


def test_an_own_food_in_a_recipe_is_hidden_not_deleted(user_client, user, foods):
    bar = Food.objects.create(description="Bar", source="user", owner=user, category="My foods")
    create_recipe(user, "Bar crumble", 1, None, [ingredient(bar, "40")])

    response = user_client.post(reverse("own_food_delete", kwargs={"pk": bar.pk}))

    assert response.status_code == 302
    assert Food.objects.get(pk=bar.pk).hidden


# --- Copying and saving a meal as a recipe ----------------------------------------------------


def test_copying_a_recipe_makes_a_variant_to_change(user_client, user, smoothie):
    response = user_client.post(recipe_url(smoothie, "recipe_copy"))

    copy = Recipe.objects.exclude(pk=smoothie.pk).get()
    assert response.url.startswith(recipe_url(copy))
    assert copy.name == "Banana almond smoothie (copy)" and copy.food.owner == user
    assert amounts(copy.food) == amounts(smoothie.food)


def test_saving_a_meal_as_a_recipe(user_client, user, foods):
    meal = Meal.objects.create(user=user, day=DAY, slot="lunch")
    medium = foods["banana"].portions.get(description__startswith="1 medium")
    Entry.objects.create(
        meal=meal,
        food=foods["banana"],
        grams=118,
        quantity=1,
        portion=medium,
        unit=medium.description,
    )
    Entry.objects.create(meal=meal, food=foods["almonds"], grams=30, quantity=30)

    response = user_client.post(
        reverse("tracker:save_meal", kwargs={"day": DAY, "slot": "lunch"}),
        {"name": "Banana and almonds", "as": "recipe"},
    )

    recipe = Recipe.objects.get()
    assert response.url.startswith(recipe_url(recipe))
    assert recipe.name == "Banana and almonds" and recipe.servings == 1
    assert list(recipe.ingredients.values_list("food_id", "grams", "unit")) == [
        (foods["banana"].pk, Decimal("118.00"), medium.description),
        (foods["almonds"].pk, Decimal("30.00"), "g"),
    ]


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 25])
def test_the_recipe_page_runs_a_constant_number_of_queries(
    user_client, user, foods, count, django_assert_num_queries
):
    parts = [ingredient(foods["banana" if i % 2 else "almonds"], str(10 + i)) for i in range(count)]
    recipe = create_recipe(user, "Many parts", 2, None, parts)

    # The session with the user; the recipe; its ingredients; its values; how many know each.
    with django_assert_num_queries(5):
        response = user_client.get(recipe_url(recipe))
    assert len(response.context["ingredients"]) == count
    assert FoodNutrient.objects.filter(food=recipe.food).exists()


# --- Everywhere else a food goes ----------------------------------------------------------


def test_the_report_and_the_csv_export_name_the_dish(user_client, user, smoothie):
    log(user, smoothie.food, "146.35")  # the whole dish

    report = user_client.get(reverse("tracker:report", kwargs={"day": DAY})).content.decode()
    sources = report[report.index("Where the potassium came from") :]
    assert "Banana almond smoothie" in sources[:2000]

    from tests.test_export import download, rows_of

    [row] = rows_of(download(user_client, "export_entries"))
    assert row["food"] == "Banana almond smoothie" and row["fdc_id"] == ""
    potassium = next(value for name, value in row.items() if name.startswith("Potassium"))
    assert Decimal(potassium).quantize(Decimal("0.01")) == Decimal("630.25")  # the whole dish


@pytest.mark.parametrize("count", [1, 25])
def test_logging_a_recipe_runs_a_constant_number_of_queries(
    user_client, user, foods, count, django_assert_num_queries
):
    parts = [ingredient(foods["banana" if i % 2 else "almonds"], str(10 + i)) for i in range(count)]
    recipe = create_recipe(user, "Many parts", 2, None, parts)
    serving = recipe.food.portions.get()
    data = {"food": recipe.food_id, "quantity": "1", "unit": serving.pk, "slot": "lunch"}

    # As any food: the ingredients are not read when the dish is logged (the request's
    # one transaction and its savepoint included: tracker/page_cache.py).
    with django_assert_num_queries(12):
        user_client.post(reverse("tracker:add_entry", kwargs={"day": DAY}), data)
    assert Entry.objects.get().food == recipe.food


@pytest.mark.parametrize("count", [1, 25])
def test_adding_an_ingredient_runs_a_constant_number_of_queries(
    user_client, user, foods, count, django_assert_num_queries
):
    parts = [ingredient(foods["banana" if i % 2 else "almonds"], str(10 + i)) for i in range(count)]
    recipe = create_recipe(user, "Many parts", 2, None, parts)
    log(user, recipe.food, "50")
    data = {"food": foods["banana"].pk, "quantity": "100", "unit": "g"}

    # The request's transaction and savepoint, and the recipe's version, among them.
    with django_assert_num_queries(28):
        user_client.post(recipe_url(recipe, "ingredient_add"), data)
    assert recipe.ingredients.count() == count + 1


def test_staff_changing_an_ingredients_values_moves_the_recipe_and_its_days(
    admin_client, user, foods, smoothie
):
    from tests.test_day_totals import admin_change

    log(user, smoothie.food, "146.35")  # the whole dish

    admin_change(admin_client, foods["banana"], Decimal(400))  # was 358 mg per 100 g

    expected = Decimal(118) * 400 / 100 + Decimal("28.35") * 733 / 100
    assert abs(stored(user, K) - expected) < Decimal("0.001")
    serving = smoothie.food.portions.get().grams
    per_100_g = amounts(Food.objects.get(pk=smoothie.food_id))[K]
    assert abs(per_100_g * serving * 2 / 100 - expected) < Decimal("0.001")
