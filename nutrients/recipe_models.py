"""Recipes: a dish made of foods, which is itself a Food (imported by nutrients/models.py).

A recipe's Food holds FoodNutrient values per 100 g worked out from its ingredients
(Recipe.recompute), and one portion, "1 serving"; so the diary, search, the report, the
API and the exports log and add it up like any food. A user's recipe is a Food they own
(source "user"); the everyday dishes the project ships are shared (source "dish") and
loaded from nutrients/data/everyday_dishes.csv (nutrients/dishes.py).

Whoever changes a recipe recomputes it, in the same transaction, and then re-adds the
days that logged it: the diary calls DayTotal.refresh_for_foods, staff edits in the admin
call food_values_changed (nutrients/ never imports tracker/).
"""

from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q

from nutrients.models import Food, FoodNutrient, Portion
from nutrients.report import WATER, describe_amount

# FoodNutrient.amount keeps six decimal places: a recipe's values per 100 g, multiplied
# by up to 5,000 g eaten, stay within 0.001 mg of the ingredients' own sum.
AMOUNT_PLACES = Decimal("0.000001")
PORTION_PLACES = Decimal("0.001")
SERVING = "1 serving"
# Cooking may lose water (a sauce reduced) or gain it (rice, pasta): within these shares of
# the ingredients' weight; beyond them the weight is a typing mistake.
MIN_COOKED_SHARE = Decimal("0.1")
MAX_COOKED_SHARE = Decimal(10)
MAX_SERVINGS = 100
MAX_INGREDIENTS = 50
RECIPE_CATEGORY = "My recipes"
DISH_CATEGORY = "Everyday dishes"


class Recipe(models.Model):
    """The dish's servings and cooked weight; its name is its food's description."""

    food = models.OneToOneField(Food, on_delete=models.CASCADE, related_name="recipe")
    servings = models.PositiveSmallIntegerField(
        default=1, help_text="how many servings the dish makes"
    )
    cooked_grams = models.DecimalField(
        "weight once cooked (g)",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="empty: the ingredients' own weight (nothing lost or added in cooking)",
    )
    # The shipped dishes' stable name in everyday_dishes.csv; empty for a user's recipe.
    key = models.SlugField(max_length=80, null=True, blank=True, unique=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Goes up at every change of the recipe (tracker/recipes.recipe_changed), so that the
    # API's If-Match catches an edit made from an older reading.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["food__description"]
        constraints = [
            models.CheckConstraint(
                condition=Q(servings__gte=1) & Q(servings__lte=MAX_SERVINGS),
                name="recipe_servings_sensible",
            ),
            models.CheckConstraint(
                condition=Q(cooked_grams__isnull=True) | Q(cooked_grams__gt=0),
                name="recipe_cooked_grams_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.food.description

    @property
    def name(self) -> str:
        return self.food.description

    def raw_grams(self) -> Decimal:
        """The ingredients' weight (from a prefetch when there is one)."""
        return sum((ingredient.grams for ingredient in self.ingredients.all()), Decimal(0))

    def total_grams(self) -> Decimal:
        """What the whole dish weighs: cooked, or its ingredients' weight."""
        return self.cooked_grams or self.raw_grams()

    def serving_grams(self, total: Decimal | None = None) -> Decimal | None:
        """One serving's weight (its portion's grams), of `total` g when already known."""
        total = self.total_grams() if total is None else total
        if not total:
            return None
        return (total / self.servings).quantize(PORTION_PLACES, rounding=ROUND_HALF_UP)

    def recompute(self) -> None:
        """Write the dish's values per 100 g and its serving from its ingredients.

        Call it in the transaction that changed the recipe, then re-add the days that
        logged it. Five queries, however many ingredients: the ingredients, their foods'
        amounts, the old amounts deleted, the new ones written, the serving.
        """
        ingredients = list(self.ingredients.all())
        raw = sum((ingredient.grams for ingredient in ingredients), Decimal(0))
        total = self.cooked_grams or raw
        sums = ingredient_sums(ingredients)
        if WATER in sums:
            # Water is what cooking loses or gains: the rest keeps its weight.
            sums[WATER] = max(sums[WATER] + total - raw, Decimal(0))
        FoodNutrient.objects.filter(food=self.food).delete()
        if total:
            FoodNutrient.objects.bulk_create(
                FoodNutrient(
                    food=self.food,
                    nutrient_id=nutrient_id,
                    amount=(amount * 100 / total).quantize(AMOUNT_PLACES, rounding=ROUND_HALF_UP),
                )
                for nutrient_id, amount in sums.items()
            )
        serving = self.serving_grams()
        if serving is None or serving == 0:
            Portion.objects.filter(food=self.food).delete()
        else:
            Portion.objects.update_or_create(
                food=self.food, seq=1, defaults={"description": SERVING, "grams": serving}
            )

    def coverage(self) -> dict[int, int]:
        """Per nutrient, how many of the ingredients know it (one query)."""
        return nutrient_coverage(self.ingredients.all())


def ingredient_sums(ingredients: "list[RecipeIngredient]") -> dict[int, Decimal]:
    """Per nutrient, the sum of grams × amount / 100 over the ingredients that know it,
    exactly (one query). A nutrient no ingredient knows is absent: no data."""
    amounts: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = FoodNutrient.objects.filter(
        food_id__in={ingredient.food_id for ingredient in ingredients}
    ).order_by()
    for food_id, nutrient_id, amount in rows.values_list("food_id", "nutrient_id", "amount"):
        amounts[food_id][nutrient_id] = amount
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for ingredient in ingredients:
        for nutrient_id, amount in amounts[ingredient.food_id].items():
            sums[nutrient_id] += ingredient.grams * amount / 100
    return dict(sums)


def nutrient_coverage(ingredients: "models.QuerySet[RecipeIngredient]") -> dict[int, int]:
    # One row per ingredient that knows the nutrient: a food used twice counts twice.
    rows = (
        FoodNutrient.objects.filter(food__in_recipes__in=ingredients)
        .order_by()
        .values_list("nutrient_id", flat=True)
    )
    return dict(Counter(rows))


class FoodAmount(models.Model):
    """An amount of a food as the diary takes it: grams, and what was typed (a count of
    one of the food's portions, or grams). A recipe's ingredients and a saved meal's
    items (tracker/saved_meal_models.py) are these; each names its own food key."""

    grams = models.DecimalField(max_digits=9, decimal_places=2)
    quantity = models.DecimalField(max_digits=9, decimal_places=2)
    portion = models.ForeignKey(
        Portion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.CharField(max_length=255, default="g")

    class Meta:
        abstract = True
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(grams__gt=0), name="%(class)s_grams_positive"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="%(class)s_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount_as_entered} {self.food}"

    @property
    def amount_as_entered(self) -> str:
        return describe_amount(self.quantity, self.unit)


def amount_fields(row: object) -> dict[str, object]:
    """food_id, grams, quantity, portion_id and unit of an entry, an ingredient, a saved
    meal's item or IngredientData alike: what copying one into another takes."""
    return {
        "food_id": getattr(row, "food_id", None) or row.food.pk,
        "grams": row.grams,
        "quantity": row.quantity,
        "portion_id": row.portion_id,
        "unit": row.unit,
    }


class RecipeIngredient(FoodAmount):
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="ingredients")
    # RESTRICT: a food in a recipe is not deleted from under it (an own food is hidden
    # instead); a user who goes takes their recipes and own foods with them at once.
    food = models.ForeignKey(Food, on_delete=models.RESTRICT, related_name="in_recipes")

    class Meta(FoodAmount.Meta):
        pass


def recompute_recipes_with(food_ids: "set[int]") -> list[int]:
    """After the values of these foods changed (staff, an import): the recipes made with
    them, recomputed; returns their foods' ids, whose diary days move too. Reads the
    ingredient table's pairs once (small beside the food table) rather than sending an
    import's thousands of ids to the database."""
    pairs = RecipeIngredient.objects.order_by().values_list("recipe_id", "food_id")
    recipe_ids = {recipe_id for recipe_id, food_id in pairs if food_id in food_ids}
    recipes = Recipe.objects.filter(pk__in=recipe_ids).exclude(food_id__in=food_ids)
    changed = []
    for recipe in recipes.select_related("food"):
        recipe.recompute()
        changed.append(recipe.food_id)
    return changed
