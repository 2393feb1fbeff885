"""The property the diary rests on, for recipes: a day that logged a recipe stores exactly
what its ingredients add up to, for the share of the dish eaten, before and after the
recipe changes (runs on SQLite, and on PostgreSQL with DATABASE_URL set)."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nutrients.models import FoodNutrient, Portion, Recipe
from nutrients.report import WATER
from tests.test_odd_input import undone
from tracker.models import DayNutrientTotal, Entry
from tracker.recipes import IngredientData, create_recipe

DAY = dt.date(2026, 11, 22)
TOLERANCE = Decimal("0.001")
CHECKED = (1092, 1087, 1090, WATER)

FOOD_KEYS = ["banana", "almonds", "water", "no_magnesium"]

ingredients_strategy = st.lists(
    st.tuples(
        st.sampled_from(FOOD_KEYS),
        st.booleans(),  # by a portion (when the food has one) or by grams
        st.decimals(min_value=Decimal("0.5"), max_value=Decimal(800), places=2),
        st.decimals(min_value=Decimal("0.25"), max_value=Decimal(3), places=2),
    ),
    min_size=1,
    max_size=8,
)
cooked_share = st.one_of(st.none(), st.decimals(min_value=Decimal("0.5"), max_value=2, places=2))
servings_strategy = st.integers(min_value=1, max_value=12)
amounts_eaten = st.lists(
    st.tuples(st.booleans(), st.decimals(min_value=Decimal("0.1"), max_value=5, places=2)),
    min_size=1,
    max_size=3,
)


def ingredients_of(foods, drawn) -> list[IngredientData]:
    parts = []
    for key, by_portion, grams, count in drawn:
        food = foods[key]
        portion = food.portions.first() if by_portion else None
        if portion is not None:
            weight = (count * portion.grams).quantize(Decimal("0.01"))
            parts.append(IngredientData(food, weight, count, portion.pk, portion.description))
        else:
            parts.append(IngredientData(food, grams, grams, None, "g"))
    return parts


def expected_totals(user) -> dict[int, Decimal]:
    """From the raw ingredients, with none of the stored per-100 g values: per nutrient,
    grams × value / 100 over each recipe's ingredients, times the share of it eaten."""
    totals: dict[int, Decimal] = {}
    for entry in Entry.objects.filter(meal__user=user, meal__day=DAY).select_related("food"):
        recipe = Recipe.objects.get(food=entry.food)
        ingredients = list(recipe.ingredients.all())
        raw = sum(i.grams for i in ingredients)
        whole = recipe.cooked_grams or raw
        share = entry.grams / whole
        sums: dict[int, Decimal] = {}
        for ingredient in ingredients:
            for nutrient_id, amount in FoodNutrient.objects.filter(
                food_id=ingredient.food_id
            ).values_list("nutrient_id", "amount"):
                sums[nutrient_id] = (
                    sums.get(nutrient_id, Decimal(0)) + ingredient.grams * amount / 100
                )
        if WATER in sums:  # cooking loses or gains water, nothing else
            sums[WATER] = max(sums[WATER] + whole - raw, Decimal(0))
        for nutrient_id, amount in sums.items():
            totals[nutrient_id] = totals.get(nutrient_id, Decimal(0)) + amount * share
    return totals


def assert_stored_totals_match(user) -> None:
    expected = expected_totals(user)
    stored = dict(
        DayNutrientTotal.objects.filter(user=user, day=DAY).values_list("nutrient_id", "amount")
    )
    for nutrient_id in CHECKED:
        if nutrient_id not in expected:
            assert nutrient_id not in stored  # no ingredient knows it: no data
            continue
        assert abs(stored[nutrient_id] - expected[nutrient_id]) <= TOLERANCE, nutrient_id


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=ingredients_strategy,
    cooked=cooked_share,
    servings=servings_strategy,
    eaten=amounts_eaten,
    changed=ingredients_strategy,
    cooked_after=cooked_share,
    servings_after=servings_strategy,
)
def test_a_recipes_stored_day_totals_equal_its_ingredients_sum(
    user_client, user, foods, first, cooked, servings, eaten, changed, cooked_after, servings_after
):
    with undone():
        parts = ingredients_of(foods, first)
        raw = sum(part.grams for part in parts)
        cooked_grams = None if cooked is None else (raw * cooked).quantize(Decimal("0.01"))
        recipe = create_recipe(user, "Random dish", servings, cooked_grams, parts)
        serving = Portion.objects.get(food=recipe.food)
        for by_serving, amount in eaten:
            unit = serving.pk if by_serving else "g"
            quantity = amount if by_serving else (amount * 100).quantize(Decimal("0.01"))
            if by_serving and amount * serving.grams > 5000:
                continue  # more than one entry may hold: the form says so, tested elsewhere
            response = user_client.post(
                reverse("tracker:add_entry", kwargs={"day": DAY}),
                # Random amounts may be far beyond one sitting: "Yes, I had that much".
                {
                    "food": recipe.food_id,
                    "quantity": str(quantity),
                    "unit": unit,
                    "slot": "lunch",
                    "really": "on",
                },
            )
            assert response.status_code == 302
        assert_stored_totals_match(user)

        # The recipe is edited: its ingredients one by one on its page, then its weights.
        for ingredient in recipe.ingredients.all():
            url = reverse(
                "ingredient_delete", kwargs={"pk": recipe.pk, "ingredient_pk": ingredient.pk}
            )
            assert user_client.post(url).status_code == 302
        for part in ingredients_of(foods, changed):
            data = {
                "food": part.food.pk,
                "quantity": str(part.quantity),
                "unit": part.portion_id or "g",
            }
            url = reverse("ingredient_add", kwargs={"pk": recipe.pk})
            assert user_client.post(url, data).status_code == 302
        raw = sum(i.grams for i in recipe.ingredients.all())
        weight = "" if cooked_after is None else str((raw * cooked_after).quantize(Decimal("0.01")))
        details = {"name": "Random dish", "servings": servings_after, "cooked_grams": weight}
        assert (
            user_client.post(reverse("recipe", kwargs={"pk": recipe.pk}), details).status_code
            == 302
        )
        assert_stored_totals_match(user)
