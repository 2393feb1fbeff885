"""The API's recipes, validated by the web's own RecipeForm and IngredientForm and changed
by the same functions as the recipe's page (tracker/recipes.py)."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, create_model

from nutrients.models import Recipe
from nutrients.report import HEADLINE_MINERALS
from tracker.api_kit import (
    READ_ERRORS,
    WRITE_ERRORS,
    Count,
    FieldErrors,
    FoodRefOut,
    Grams,
    Id,
    WholeNumber,
    check_if_match,
    idempotent,
)
from tracker.entries_api import PORTION_NOT_OF_FOOD, amount_as_form_data
from tracker.recipes import (
    KEEP,
    IngredientData,
    IngredientForm,
    RecipeForm,
    create_recipe,
    delete_recipe,
    ingredient_of,
    own_recipes,
    readable_recipes,
    recipes_with_details,
    serving_of,
    update_recipe,
    with_serving_minerals,
)

router = Router(tags=["recipes"])


class FoodAmountIn(Schema):
    """A food and its amount: grams, or a portion of the food and a count."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"food": 1, "grams": 40}, {"food": 2, "portion": 3, "count": 1}]
        },
    )

    food: Id
    grams: Grams | None = None
    portion: Id | None = Field(None, description="one of the food's portions")
    count: Count | None = Field(None, description="how many of the portion")


class FoodAmountOut(Schema):
    # From a RecipeIngredient or a SavedMealItem with its food fetched.
    food: FoodRefOut
    amount: str = Field(validation_alias="amount_as_entered", description='"1 cup", "40 g"')
    grams: float
    portion: int | None = Field(validation_alias="portion_id")
    count: float | None = Field(None, description="how many of the portion; null: by grams")

    @staticmethod
    def resolve_count(item: Any) -> float | None:
        return None if item.portion_id is None and item.unit in ("g", "ml") else item.quantity


class RecipeBase(Schema):
    # From a Recipe through recipes_with_details(), with with_serving_minerals() applied.
    id: int
    name: str = Field(validation_alias="food.description")
    food: int = Field(
        validation_alias="food_id", description="the food id to log it by (POST /api/entries/)"
    )
    version: int = Field(description="goes up at every change; send it as If-Match")
    servings: int
    cooked_grams: float | None = Field(description="null: the ingredients' own weight")
    serving_grams: float | None = Field(description="one serving; null without ingredients")
    shipped: bool = Field(description="an everyday dish the app ships, readable by everyone")
    ingredients: list[FoodAmountOut]
    known_ingredients: dict[str, int] = Field(
        description="per headline mineral (potassium_mg…), how many ingredients give a value: "
        "fewer than all means the dish holds at least the amount shown"
    )

    @staticmethod
    def resolve_ingredients(recipe: Recipe) -> Any:
        return recipe.ingredients.all()

    @staticmethod
    def resolve_serving_grams(recipe: Recipe) -> Decimal | None:
        return serving_of(recipe)

    @staticmethod
    def resolve_shipped(recipe: Recipe) -> bool:
        return recipe.food.owner_id is None


RecipeOut = create_model(
    "RecipeOut",
    __base__=RecipeBase,
    **{
        mineral.mg_field: (float | None, Field(description="per serving; null: no data"))
        for mineral in HEADLINE_MINERALS
    },
)


class RecipeIn(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Porridge made with milk",
                    "servings": 1,
                    "ingredients": [{"food": 1, "grams": 40}, {"food": 2, "grams": 250}],
                }
            ]
        },
    )

    name: str
    servings: WholeNumber = 1
    cooked_grams: Grams | None = None
    ingredients: list[FoodAmountIn] = []


class RecipePatch(Schema):
    """Any of the fields; ingredients, when sent, replace the whole list; a null
    cooked_grams means the ingredients' own weight."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    servings: WholeNumber | None = None
    cooked_grams: Grams | None = None
    ingredients: list[FoodAmountIn] | None = None


def recipe_answer(user: Any, recipe_id: int, *, own: bool = False) -> Recipe:
    recipes = own_recipes(user) if own else readable_recipes(user)
    recipe = recipes_with_details(recipes.filter(pk=recipe_id)).first()
    if recipe is None:
        raise Http404("No such recipe among yours or the shipped dishes.")
    return with_serving_minerals(recipe)


def food_amounts(user: Any, items: list[FoodAmountIn], field: str) -> list[IngredientData]:
    """Each food and amount checked by the web's IngredientForm; errors keyed
    "ingredients.2.grams" (field, index, the API's name)."""
    parts, errors = [], {}
    for index, item in enumerate(items):
        try:
            amount = amount_as_form_data(item.grams, item.portion, item.count)
        except FieldErrors as error:
            errors.update({f"{field}.{index}.{k}": v for k, v in error.errors.items()})
            continue
        form = IngredientForm({"food": str(item.food), **amount}, user=user)
        form.fields["unit"].error_messages["invalid_choice"] = PORTION_NOT_OF_FOOD
        if form.is_valid():
            parts.append(ingredient_of(form))
            continue
        names = {"unit": "portion", "quantity": "grams" if amount["unit"] == "g" else "count"}
        for name, messages in form.errors.items():
            if name == "unit" and "food" in form.errors:
                continue  # a portion can only be judged against a known food
            errors[f"{field}.{index}.{names.get(name, name)}"] = list(messages)
    if errors:
        raise FieldErrors(errors)
    return parts


def checked_details(data: dict[str, Any], raw_grams: Decimal | None) -> dict[str, Any]:
    """Name, servings and cooked weight by the web's RecipeForm."""
    form = RecipeForm(data, raw_grams=raw_grams)
    if not form.is_valid():
        raise FieldErrors({name: list(messages) for name, messages in form.errors.items()})
    return form.cleaned_data


@router.get("/", response={200: list[RecipeOut], **READ_ERRORS}, url_name="recipes")
def list_recipes(request: HttpRequest) -> Any:
    """Your recipes, by name (the shipped dishes are in GET /api/foods/, with their recipe)."""
    return [with_serving_minerals(r) for r in recipes_with_details(own_recipes(request.auth))]


@router.post("/", response={201: RecipeOut, **WRITE_ERRORS}, url_name="recipes")
@idempotent
def add_recipe(request: HttpRequest, payload: RecipeIn) -> Status:
    parts = food_amounts(request.auth, payload.ingredients, "ingredients")
    raw = sum((part.grams for part in parts), Decimal(0))
    details = checked_details(
        {
            "name": payload.name,
            "servings": str(payload.servings),
            "cooked_grams": "" if payload.cooked_grams is None else str(payload.cooked_grams),
        },
        raw,
    )
    with transaction.atomic():  # the recipe and its read-back: both or neither
        recipe = create_recipe(
            request.auth, details["name"], details["servings"], details["cooked_grams"], parts
        )
        return Status(201, recipe_answer(request.auth, recipe.pk))


@router.get("/{recipe_id}/", response={200: RecipeOut, **READ_ERRORS}, url_name="recipe")
def get_recipe(request: HttpRequest, recipe_id: Id) -> Recipe:
    return recipe_answer(request.auth, recipe_id)


@router.patch("/{recipe_id}/", response={200: RecipeOut, **WRITE_ERRORS}, url_name="recipe")
def change_recipe(request: HttpRequest, recipe_id: Id, payload: RecipePatch) -> Recipe:
    """Change what you send; the days that logged the recipe are added up again."""
    recipe = recipe_answer(request.auth, recipe_id, own=True)
    check_if_match(request, recipe)
    sent = payload.model_fields_set
    parts = None
    if payload.ingredients is not None:
        parts = food_amounts(request.auth, payload.ingredients, "ingredients")
    raw = sum(p.grams for p in parts) if parts is not None else recipe.raw_grams()
    cooked = payload.cooked_grams if "cooked_grams" in sent else recipe.cooked_grams
    details = checked_details(
        {
            "name": payload.name if payload.name is not None else recipe.name,
            "servings": str(payload.servings if payload.servings is not None else recipe.servings),
            "cooked_grams": "" if cooked is None else str(cooked),
        },
        raw,
    )
    with transaction.atomic():
        update_recipe(
            recipe,
            name=details["name"],
            servings=details["servings"],
            cooked_grams=details["cooked_grams"] if "cooked_grams" in sent else KEEP,
            ingredients=parts,
        )
        return recipe_answer(request.auth, recipe_id, own=True)


@router.delete("/{recipe_id}/", response={204: None, **WRITE_ERRORS}, url_name="recipe")
def remove_recipe(request: HttpRequest, recipe_id: Id) -> Status:
    """Deleted; one the diary uses is hidden instead, and its days keep it."""
    recipe = recipe_answer(request.auth, recipe_id, own=True)
    check_if_match(request, recipe)
    delete_recipe(recipe)
    return Status(204, None)
