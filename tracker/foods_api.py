"""The API's foods: the shared table and the user's own, searched as the diary does."""

from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from nutrients.models import Food, FoodNutrient
from nutrients.search import SEARCH_MAX_LENGTH, SEARCH_MIN_LENGTH
from tracker.api_kit import (
    DEFAULT_SEARCH_RESULTS,
    MAX_SEARCH_RESULTS,
    READ_ERRORS,
    FieldErrors,
    Id,
    Limit,
)

router = Router(tags=["foods"])


# The output schemas read model instances and report objects directly. A field whose
# value lies elsewhere names the path to it (`validation_alias="nutrient.name"`, which
# ninja follows attribute by attribute); a value to compute has a resolve_… method.
# Comments, not docstrings: a docstring would enter the published schema.


class NutrientAmountOut(Schema):
    # From a FoodNutrient with its nutrient fetched.
    id: int = Field(
        validation_alias="nutrient_id",
        description="FoodData Central nutrient id: 1092 potassium, 1087 calcium…",
    )
    name: str = Field(validation_alias="nutrient.name")
    unit: str = Field(validation_alias="nutrient.unit")
    amount: float = Field(description="per 100 g")


class PortionOut(Schema):
    id: int
    description: str
    grams: float


class FoodOut(Schema):
    # From a Food, through foods_with_details().
    id: int
    description: str
    fdc_id: int | None
    category: str
    source: str = Field(
        description="seed, fdc (FoodData Central), user (your own food or recipe) or dish "
        "(an everyday dish the app ships)"
    )
    nutrients: list[NutrientAmountOut] = Field(description="per 100 g; a missing one: no data")
    portions: list[PortionOut]
    recipe: int | None = Field(
        description="a dish's recipe (GET /api/recipes/{id}/: its ingredients); null for a food"
    )

    @staticmethod
    def resolve_recipe(food: Food) -> int | None:
        recipe = getattr(food, "recipe", None)  # select_related by foods_with_details()
        return None if recipe is None else recipe.pk

    @staticmethod
    def resolve_nutrients(food: Food) -> Any:
        return food.nutrient_amounts.all()


class FoodsQuery(Schema):
    q: str | None = Field(None, description="words as in the diary's search", examples=["banana"])
    fdc_id: Id | None = Field(None, description="a FoodData Central id", examples=[173944])
    limit: Limit = DEFAULT_SEARCH_RESULTS


def foods_with_details(foods: Any) -> Any:
    """Nutrients and portions in two more queries, however many foods; a dish's recipe
    in the same query as the foods."""
    return foods.select_related("recipe").prefetch_related(
        Prefetch(
            "nutrient_amounts",
            queryset=FoodNutrient.objects.select_related("nutrient"),
        ),
        "portions",
    )


@router.get("/", response={200: list[FoodOut], **READ_ERRORS}, url_name="foods")
def list_foods(request: HttpRequest, filters: Query[FoodsQuery]) -> Any:
    """Foods you may log (the shared table and your own), searched as the diary does."""
    query = (filters.q or "").strip()[:SEARCH_MAX_LENGTH]
    errors: dict[str, list[str]] = {}
    if not query and filters.fdc_id is None:
        errors["q"] = ["Send q (words to search for) or fdc_id."]
    elif query and len(query) < SEARCH_MIN_LENGTH:
        errors["q"] = [f"Enter at least {SEARCH_MIN_LENGTH} characters."]
    if filters.limit > MAX_SEARCH_RESULTS:
        errors["limit"] = [f"Choose a limit from 1 to {MAX_SEARCH_RESULTS}."]
    if errors:
        raise FieldErrors(errors)
    foods = Food.objects.visible_to(request.auth)
    if query:
        foods = foods.search(query)
    if filters.fdc_id is not None:
        foods = foods.filter(fdc_id=filters.fdc_id)
    return foods_with_details(foods)[: filters.limit]


@router.get("/{food_id}/", response={200: FoodOut, **READ_ERRORS}, url_name="food")
def get_food(request: HttpRequest, food_id: Id) -> Food:
    food = foods_with_details(Food.objects.visible_to(request.auth).filter(pk=food_id)).first()
    if food is None:
        raise Http404("No such food among those you may see.")
    return food
