"""The everyday dishes the project ships: loaded once as recipes of the table's own foods,
found and logged by everyone, copied into a person's recipes, edited by staff."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from nutrients.dishes import EVERYDAY_DISHES_CSV, load_everyday_dishes, read_dishes
from nutrients.models import Food, FoodTableVersion, Recipe
from tracker.models import DayNutrientTotal, DayTotal, Entry, Meal

K = 1092
DAY = date(2026, 11, 22)


def write_dishes(folder: Path) -> Path:
    path = folder / "dishes.csv"
    path.write_text(
        "key,dish,servings,cooked_grams,fdc_id,grams,ingredient\n"
        "nut-banana,Banana with almonds,1,,173944,118,banana\n"
        "nut-banana,Banana with almonds,1,,170567,28,almonds\n"
        "banana-drink,Banana drink,2,300,173944,100,banana\n"
        "banana-drink,Banana drink,2,300,173647,250,water\n"
        "waits,Dish of a food not loaded yet,1,,999999,10,nothing\n",
        encoding="utf-8",
    )
    return path


def test_dishes_load_once_and_a_dish_of_missing_foods_waits(foods, tmp_path):
    path = write_dishes(tmp_path)
    version = FoodTableVersion.current()

    assert load_everyday_dishes(path) == 2
    assert load_everyday_dishes(path) == 0

    assert FoodTableVersion.current() == version + 1
    dishes = Recipe.objects.order_by("key")
    assert [(d.key, d.name, d.food.source, d.food.owner) for d in dishes] == [
        ("banana-drink", "Banana drink", "dish", None),
        ("nut-banana", "Banana with almonds", "dish", None),
    ]
    drink = dishes[0]
    per_100_g = drink.food.nutrient_amounts.get(nutrient_id=K).amount
    assert per_100_g == (Decimal(358) * 100 / 300).quantize(Decimal("1e-6"))
    assert drink.food.portions.get().grams == 150


def test_a_dish_staff_changed_stays_as_they_left_it(foods, tmp_path):
    path = write_dishes(tmp_path)
    load_everyday_dishes(path)
    dish = Recipe.objects.get(key="nut-banana")
    dish.servings = 3
    dish.save()

    load_everyday_dishes(path)

    assert Recipe.objects.get(key="nut-banana").servings == 3
    assert Recipe.objects.filter(key="nut-banana").count() == 1


def test_everyone_finds_logs_and_copies_a_dish(user_client, user, other_user, foods, tmp_path):
    load_everyday_dishes(write_dishes(tmp_path))
    dish = Recipe.objects.get(key="nut-banana")

    found = user_client.get(reverse("tracker:day", kwargs={"day": DAY}), {"q": "banana almonds"})
    assert "Banana with almonds" in found.content.decode()
    page = user_client.get(reverse("recipe", kwargs={"pk": dish.pk})).content.decode()
    assert (
        "An everyday dish" in page and "Nuts, almonds" in page and "Add an ingredient" not in page
    )

    serving = dish.food.portions.get()
    user_client.post(
        reverse("tracker:add_entry", kwargs={"day": DAY}),
        {"food": dish.food_id, "quantity": "1", "unit": serving.pk, "slot": "snacks"},
    )
    assert Entry.objects.get().food == dish.food

    response = user_client.post(reverse("recipe_copy", kwargs={"pk": dish.pk}))
    copy = Recipe.objects.get(food__owner=user)
    assert response.url.startswith(reverse("recipe", kwargs={"pk": copy.pk}))
    assert copy.name == "Banana with almonds (copy)"
    assert list(copy.ingredients.values_list("food_id", "grams")) == list(
        dish.ingredients.values_list("food_id", "grams")
    )
    # The shipped dish cannot be changed through the pages.
    edit = user_client.post(reverse("recipe", kwargs={"pk": dish.pk}), {"name": "x", "servings": 1})
    assert edit.status_code == 404 and Recipe.objects.get(pk=dish.pk).name == "Banana with almonds"


def test_staff_changing_a_dish_moves_every_diary_that_logged_it(
    admin_client, user, foods, tmp_path
):
    load_everyday_dishes(write_dishes(tmp_path))
    dish = Recipe.objects.get(key="nut-banana")
    meal = Meal.objects.create(user=user, day=DAY, slot="lunch")
    Entry.objects.create(meal=meal, food=dish.food, grams=146, quantity=146)
    DayTotal.refresh(user, [meal.day])
    banana, almonds = dish.ingredients.order_by("pk")
    url = reverse("admin:nutrients_recipe_change", args=[dish.pk])
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(
        url,
        {
            "servings": "1",
            "cooked_grams": "",
            "ingredients-TOTAL_FORMS": "2",
            "ingredients-INITIAL_FORMS": "2",
            "ingredients-0-id": banana.pk,
            "ingredients-0-recipe": dish.pk,
            "ingredients-0-food": banana.food_id,
            "ingredients-0-grams": "118",
            "ingredients-1-id": almonds.pk,
            "ingredients-1-recipe": dish.pk,
            "ingredients-1-food": almonds.food_id,
            "ingredients-1-grams": "28",
            "ingredients-1-DELETE": "on",
        },
    )

    assert response.status_code == 302
    stored = DayNutrientTotal.objects.get(user=user, nutrient_id=K).amount
    assert abs(stored - Decimal(146) * 358 / 100) < Decimal("0.001")  # banana alone now


@pytest.mark.slow
def test_every_shipped_dish_loads_from_the_shipped_table(db):
    from nutrients.shipped import load_shipped_foods

    load_shipped_foods()
    expected = read_dishes(EVERYDAY_DISHES_CSV)

    assert load_everyday_dishes() == len(expected) >= 40
    assert load_everyday_dishes() == 0
    for recipe in Recipe.objects.select_related("food"):
        assert recipe.food.nutrient_amounts.filter(nutrient_id=K).exists(), recipe.name
        assert recipe.ingredients.count() == len(expected[recipe.key])
    assert Food.objects.filter(source=Food.Source.DISH).count() == len(expected)
    # What found nothing useful before: each query now finds its dish among the first five.
    for query, dish in [
        ("latte", "Latte (espresso with milk)"),
        ("cappuccino", "Cappuccino"),
        ("muesli", "Muesli with milk"),
        ("spaghetti bolognese", "Spaghetti bolognese"),
        ("porridge milk", "Porridge made with milk"),
        ("tuna sandwich", "Tuna sandwich"),
    ]:
        found = [food.description for food in Food.objects.visible_to(None).search(query)[:5]]
        assert dish in found, (query, found)
