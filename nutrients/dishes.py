"""The everyday dishes the project ships (nutrients/data/everyday_dishes.csv), loaded as
recipes made of the table's own foods: a latte, porridge made with milk, a tuna sandwich.

Columns, one row per ingredient: key (the dish's stable name), dish (its name), servings,
cooked_grams (empty: the ingredients' own weight), fdc_id and grams of the ingredient, and
ingredient (for people reading the file). `manage.py load_foods` calls this on every run,
after the food table: a dish already there (by its key) stays as staff left it, so a
second run adds nothing; a dish whose foods are not all in the table yet (only the seed
foods loaded) waits for a later run.
"""

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from nutrients.models import Food, FoodTableVersion, Recipe, RecipeIngredient, SearchWord
from nutrients.recipe_models import DISH_CATEGORY

EVERYDAY_DISHES_CSV = Path(__file__).resolve().parent / "data" / "everyday_dishes.csv"


def read_dishes(path: Path = EVERYDAY_DISHES_CSV) -> dict[str, list[dict[str, str]]]:
    """The file's rows by dish key, in the file's order."""
    dishes: dict[str, list[dict[str, str]]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            dishes[row["key"]].append(row)
    return dict(dishes)


@transaction.atomic
def load_everyday_dishes(path: Path = EVERYDAY_DISHES_CSV) -> int:
    """Add the dishes that are not there yet; return how many were added."""
    dishes = read_dishes(path)
    present = set(Recipe.objects.filter(key__in=dishes).values_list("key", flat=True))
    wanted = {int(row["fdc_id"]) for rows in dishes.values() for row in rows}
    pks = dict(Food.objects.filter(owner=None, fdc_id__in=wanted).values_list("fdc_id", "pk"))
    added = 0
    for key, rows in dishes.items():
        if key in present or any(int(row["fdc_id"]) not in pks for row in rows):
            continue
        first = rows[0]
        food = Food.objects.create(
            description=first["dish"], source=Food.Source.DISH, category=DISH_CATEGORY
        )
        cooked = Decimal(first["cooked_grams"]) if first["cooked_grams"] else None
        recipe = Recipe.objects.create(
            food=food, key=key, servings=int(first["servings"]), cooked_grams=cooked
        )
        RecipeIngredient.objects.bulk_create(
            RecipeIngredient(
                recipe=recipe,
                food_id=pks[int(row["fdc_id"])],
                grams=Decimal(row["grams"]),
                quantity=Decimal(row["grams"]),
                unit="g",
            )
            for row in rows
        )
        recipe.recompute()
        SearchWord.objects.add_words_of(food)  # "latte", "bolognese" for typo correction
        added += 1
    if added:
        FoodTableVersion.bump()  # search and the kept pages see the new dishes
    return added
