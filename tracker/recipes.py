"""Recipes: build a dish from foods, log it like any food (a recipe IS a Food).

A person's recipe is a Food they own, with its values per 100 g worked out from its
ingredients (nutrients/recipe_models.py). Every change goes through `recipe_changed`, which
recomputes the dish and re-adds, in the same transaction, the days that logged it, as an
own food's edit does. The everyday dishes the project ships are shown here too, read-only,
to log or copy. The API (tracker/recipes_api.py) goes through the same forms and functions.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nutrients.models import (
    SEARCH_TEXT_TOO_LONG,
    Food,
    FoodNutrient,
    Recipe,
    RecipeIngredient,
    search_text_fits,
)
from nutrients.numbers import grouped, plain
from nutrients.recipe_models import (
    MAX_COOKED_SHARE,
    MAX_INGREDIENTS,
    MAX_SERVINGS,
    MIN_COOKED_SHARE,
    RECIPE_CATEGORY,
    amount_fields,
)
from nutrients.report import ENERGY, HEADLINE_MINERALS, WATER, describe_amount
from tracker.diary_days import parse_diary_day
from tracker.forms import EntryForm
from tracker.models import DayTotal, Entry
from tracker.once import OneTimeKeyField, first_time
from tracker.own_foods import LabelNumberField, decimal_input
from tracker.quick_log import preview_of_form, starting_amount
from tracker.views import ALREADY_SAVED, food_search

KEEP = object()  # update_recipe: leave the cooked weight as it is
MAX_COOKED_GRAMS = Decimal(100_000)


# --- Forms: the web's and the API's rules ------------------------------------------------


class RecipeForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        help_text="As you would search for it, e.g. “Porridge made with milk”.",
        error_messages={"required": "Give the recipe a name."},
    )
    servings = forms.IntegerField(
        label="Servings it makes",
        min_value=1,
        max_value=MAX_SERVINGS,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        error_messages={
            "required": "Say how many servings it makes.",
            "invalid": "Enter a whole number of servings, like 2.",
            "min_value": "A recipe makes at least 1 serving.",
            "max_value": f"At most {MAX_SERVINGS} servings.",
        },
    )
    cooked_grams = LabelNumberField(
        unit="g",
        label="Weight once cooked, g (optional)",
        required=False,
        decimal_places=2,
        max_value=MAX_COOKED_GRAMS,
        widget=decimal_input(),
        help_text="Weigh the pot’s contents after cooking if water boils off or soaks "
        "in. Empty: the ingredients’ own weight.",
        error_messages={
            "invalid": "Enter the weight in grams, like 450.",
            "max_value": f"At most {grouped(MAX_COOKED_GRAMS)} g.",
            "max_decimal_places": "Use at most two decimal places.",
        },
    )

    def __init__(self, *args: Any, raw_grams: Decimal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.raw_grams = raw_grams  # the ingredients' weight, to judge the cooked weight

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not search_text_fits(name):
            raise forms.ValidationError(SEARCH_TEXT_TOO_LONG)
        return name

    def clean_cooked_grams(self) -> Decimal | None:
        grams = self.cleaned_data["cooked_grams"]
        if grams is None:
            return None
        if grams <= 0:
            raise forms.ValidationError("Enter a weight above 0 g, or leave it empty.")
        raw = self.raw_grams
        if raw:
            low, high = raw * MIN_COOKED_SHARE, raw * MAX_COOKED_SHARE
            if not low <= grams <= high:
                raise forms.ValidationError(
                    f"The ingredients weigh {grouped(raw)} g: once cooked the dish weighs "
                    f"between {grouped(low.quantize(Decimal(1)))} g and "
                    f"{grouped(high.quantize(Decimal(1)))} g. Check the number."
                )
        return grams


class IngredientForm(EntryForm):
    """An amount of a food for a recipe: the diary's own amount field, without a meal.

    Any food the user may log but a recipe: a dish inside a dish would have to follow the
    inner one's every change."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, foods=ingredient_foods(user), **kwargs)
        del self.fields["slot"]
        del self.fields["version"]
        self.fields["food"].error_messages["invalid_choice"] = (
            "Choose a food of the table or one of your own foods (a recipe cannot go in one)."
        )


def ingredient_foods(user: Any) -> QuerySet[Food]:
    return Food.objects.visible_to(user).filter(recipe__isnull=True)


@dataclass(frozen=True)
class IngredientData:
    food: Food
    grams: Decimal
    quantity: Decimal
    portion_id: int | None
    unit: str

    @classmethod
    def of(cls, row: Any) -> "IngredientData":
        """The food and amount of an entry, an ingredient or a saved meal's item."""
        return cls(row.food, row.grams, row.quantity, row.portion_id, row.unit)


def ingredient_of(form: IngredientForm) -> IngredientData:
    data = form.cleaned_data
    portion = form.portions.get(data["unit"])
    return IngredientData(
        food=data["food"],
        grams=data["grams"],
        quantity=data["quantity"],
        portion_id=portion.pk if portion else None,
        unit=portion.description if portion else "g",
    )


# --- Changing recipes: one way, for the pages and the API ------------------------------


def own_recipes(user: Any) -> QuerySet[Recipe]:
    """The user's recipes that are not deleted."""
    return Recipe.objects.filter(food__owner=user, food__hidden=False).select_related("food")


def readable_recipes(user: Any) -> QuerySet[Recipe]:
    """The user's recipes and the shipped dishes: another user's recipe is not found."""
    return Recipe.objects.filter(
        Q(food__owner=user) | Q(food__source=Food.Source.DISH), food__hidden=False
    ).select_related("food")


def recipe_changed(recipe: Recipe) -> None:
    """After a recipe's ingredients or weights changed, in the same transaction: its
    values per 100 g and serving anew, and every day that logged it added up again."""
    recipe.recompute()
    Recipe.objects.filter(pk=recipe.pk).update(version=F("version") + 1)
    DayTotal.refresh_for_foods([recipe.food_id])


@transaction.atomic
def create_recipe(
    user: Any,
    name: str,
    servings: int,
    cooked_grams: Decimal | None,
    ingredients: Sequence[IngredientData] = (),
) -> Recipe:
    food = Food.objects.create(
        description=name, source=Food.Source.USER, owner=user, category=RECIPE_CATEGORY
    )
    recipe = Recipe.objects.create(food=food, servings=servings, cooked_grams=cooked_grams)
    add_ingredients(recipe, ingredients)
    recipe.recompute()
    return recipe


def add_ingredients(recipe: Recipe, ingredients: Sequence[IngredientData]) -> None:
    RecipeIngredient.objects.bulk_create(
        RecipeIngredient(recipe=recipe, **amount_fields(ingredient)) for ingredient in ingredients
    )


@transaction.atomic
def update_recipe(
    recipe: Recipe,
    *,
    name: str | None = None,
    servings: int | None = None,
    cooked_grams: Any = KEEP,  # Decimal, or None for the ingredients' weight
    ingredients: list[IngredientData] | None = None,
) -> Recipe:
    """Change what is given (ingredients: the whole list anew), then recompute."""
    recipe = Recipe.objects.select_for_update().select_related("food").get(pk=recipe.pk)
    if name is not None and name != recipe.food.description:
        recipe.food.description = name
        recipe.food.save()
    if servings is not None:
        recipe.servings = servings
    if cooked_grams is not KEEP:
        recipe.cooked_grams = cooked_grams
    recipe.save()
    if ingredients is not None:
        recipe.ingredients.all().delete()
        add_ingredients(recipe, ingredients)
    recipe_changed(recipe)
    return recipe


@transaction.atomic
def delete_recipe(recipe: Recipe) -> int:
    """Delete a recipe; one the diary (or a saved meal) uses is hidden instead, from
    search and the list, and kept for the days that logged it. Returns the entries."""
    food = recipe.food
    entries = food.entries.count()
    if entries or food.in_saved_meals.exists():
        food.hidden = True
        food.save(update_fields=["hidden"])
    else:
        food.delete()  # the recipe and its ingredients with it
    return entries


@transaction.atomic
def copy_recipe(recipe: Recipe, user: Any, name: str | None = None) -> Recipe:
    """A recipe of the user's own with the same ingredients and weights, to change."""
    ingredients = [IngredientData.of(i) for i in recipe.ingredients.select_related("food")]
    name = name or copy_name(recipe.name)
    return create_recipe(user, name, recipe.servings, recipe.cooked_grams, ingredients)


def copy_name(name: str) -> str:
    suffix = " (copy)"
    return name[: 200 - len(suffix)] + suffix


@transaction.atomic
def recipe_from_entries(user: Any, name: str, entries: QuerySet[Entry]) -> Recipe:
    """ "Save this meal as a recipe": one serving of what the meal holds; a dish logged in
    it is left out (a recipe cannot hold a recipe)."""
    kept = entries.filter(food__recipe__isnull=True).select_related("food")
    ingredients = [IngredientData.of(entry) for entry in kept]
    return create_recipe(user, name, 1, None, ingredients)


# --- What the pages show -----------------------------------------------------------------


@dataclass(frozen=True)
class NutrientLine:
    name: str
    unit: str
    per_serving: Decimal | None  # None: no ingredient knows it
    per_100_g: Decimal | None
    known: int  # ingredients that know it
    of: int  # ingredients

    @property
    def partly_known(self) -> bool:
        return 0 < self.known < self.of


# Shown on a recipe's page: the headline minerals, then energy and water for context.
SHOWN_NUTRIENTS = [
    *((m.nutrient_id, m.name, "mg") for m in HEADLINE_MINERALS),
    (ENERGY, "Energy", "kcal"),
    (WATER, "Water", "g"),
]


def nutrient_lines(
    recipe: Recipe, ingredient_count: int, serving: Decimal | None
) -> list[NutrientLine]:
    """Per serving (of `serving` g) and per 100 g, with how many ingredients know each.
    Two queries."""
    ids = [nutrient_id for nutrient_id, _, _ in SHOWN_NUTRIENTS]
    per_100_g = dict(
        FoodNutrient.objects.filter(food_id=recipe.food_id, nutrient_id__in=ids)
        .order_by()
        .values_list("nutrient_id", "amount")
    )
    coverage = recipe.coverage()
    lines = []
    for nutrient_id, name, unit in SHOWN_NUTRIENTS:
        amount = per_100_g.get(nutrient_id)
        lines.append(
            NutrientLine(
                name=name,
                unit=unit,
                per_serving=None if amount is None or serving is None else amount * serving / 100,
                per_100_g=amount,
                known=coverage.get(nutrient_id, 0),
                of=ingredient_count,
            )
        )
    return lines


HEADLINE_IDS = [mineral.nutrient_id for mineral in HEADLINE_MINERALS]


def recipes_with_details(recipes: Any) -> Any:
    """What lists and the API show of recipes, in five more queries however many recipes
    and ingredients: portions, headline amounts, ingredients with foods, their amounts."""
    headline = FoodNutrient.objects.filter(nutrient_id__in=HEADLINE_IDS)
    return recipes.prefetch_related(
        "food__portions",
        Prefetch("food__nutrient_amounts", queryset=headline, to_attr="headline_amounts"),
        Prefetch(
            "ingredients",
            queryset=RecipeIngredient.objects.select_related("food").prefetch_related(
                Prefetch("food__nutrient_amounts", queryset=headline, to_attr="headline_amounts")
            ),
        ),
    )


def serving_of(recipe: Recipe) -> Decimal | None:
    """One serving's grams, from recipes_with_details()' portions."""
    portions = list(recipe.food.portions.all())
    return portions[0].grams if portions else None


def with_serving_minerals(recipe: Recipe) -> Recipe:
    """Set each headline mineral per serving (its mg_field; None: no data) and
    known_ingredients (per mg_field, how many ingredients give it), from
    recipes_with_details()."""
    serving = serving_of(recipe)
    amounts = {row.nutrient_id: row.amount for row in recipe.food.headline_amounts}
    known = {mineral.mg_field: 0 for mineral in HEADLINE_MINERALS}
    for ingredient in recipe.ingredients.all():
        ids = {row.nutrient_id for row in ingredient.food.headline_amounts}
        for mineral in HEADLINE_MINERALS:
            known[mineral.mg_field] += mineral.nutrient_id in ids
    recipe.known_ingredients = known
    for mineral in HEADLINE_MINERALS:
        amount = amounts.get(mineral.nutrient_id)
        value = None if amount is None or serving is None else amount * serving / 100
        setattr(recipe, mineral.mg_field, value)
    return recipe


def minerals_per_serving(recipe: Recipe) -> list[tuple[str, Decimal | None]]:
    """(name, mg per serving) of each headline mineral, for a list."""
    with_serving_minerals(recipe)
    return [(mineral.name, getattr(recipe, mineral.mg_field)) for mineral in HEADLINE_MINERALS]


def diary_day(request: HttpRequest) -> date:
    """The day the person came from (?day= or a form's day), else today: where "Log it"
    goes back to."""
    text = request.POST.get("day") or request.GET.get("day") or ""
    try:
        return parse_diary_day(text)
    except ValueError:
        return timezone.localdate()


# --- Pages -------------------------------------------------------------------------------


@login_required
@require_GET
def recipe_list(request: HttpRequest) -> HttpResponse:
    return render(request, "tracker/recipe_list.html", list_context(request, RecipeForm()))


def with_counts(recipes: QuerySet[Recipe]) -> QuerySet[Recipe]:
    """Recipes as a list shows them: with their ingredients' and entries' counts."""
    return recipes_with_details(recipes).annotate(
        ingredient_count=Count("ingredients", distinct=True),
        entry_count=Count("food__entries", distinct=True),
    )


def list_context(request: HttpRequest, form: RecipeForm) -> dict[str, Any]:
    mine = with_counts(own_recipes(request.user))
    dishes = with_counts(
        Recipe.objects.filter(food__source=Food.Source.DISH, food__hidden=False).select_related(
            "food"
        )
    )
    return {
        "form": form,
        "day": diary_day(request),
        "recipes": [(recipe, minerals_per_serving(recipe)) for recipe in mine],
        "dishes": [(recipe, minerals_per_serving(recipe)) for recipe in dishes],
    }


@login_required
@require_http_methods(["GET", "POST"])
def recipe_create(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # "Nothing matches …: build it as a recipe" names it (?name=).
        form = RecipeForm(initial={"name": request.GET.get("name", "").strip()[:200]})
        form.fields["name"].widget.attrs["autofocus"] = True
        return render(request, "tracker/recipe_new.html", {"form": form, "day": diary_day(request)})
    form = RecipeForm(request.POST)
    once = OneTimeKeyField().clean(request.POST.get("once"))
    if form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            if first_time(request.user, once, request.path):
                recipe = create_recipe(
                    request.user, data["name"], data["servings"], data["cooked_grams"]
                )
            else:
                recipe = own_recipes(request.user).order_by("-pk").first()
        if recipe is None:  # pragma: no cover - a key without its write cannot be
            raise Http404("No such recipe.")
        messages.success(request, f"Started “{recipe.name}”: add its ingredients.")
        return redirect(recipe_url(recipe, diary_day(request)))
    return render(request, "tracker/recipe_new.html", {"form": form, "day": diary_day(request)})


def recipe_url(recipe: Recipe, day: date | None = None) -> str:
    url = reverse("recipe", kwargs={"pk": recipe.pk})
    return f"{url}?day={day.isoformat()}" if day else url


def recipe_page_context(
    request: HttpRequest,
    recipe: Recipe,
    *,
    details_form: RecipeForm | None = None,
    ingredient_form: IngredientForm | None = None,
) -> dict[str, Any]:
    ingredients = list(recipe.ingredients.select_related("food"))
    raw = sum((i.grams for i in ingredients), Decimal(0))
    editable = recipe.food.owner_id == request.user.pk
    if details_form is None and editable:
        details_form = RecipeForm(
            initial={
                "name": recipe.name,
                "servings": recipe.servings,
                "cooked_grams": plain(recipe.cooked_grams) if recipe.cooked_grams else "",
            },
            raw_grams=raw,
        )
    total = recipe.cooked_grams or raw
    serving = recipe.serving_grams(total)
    return {
        "recipe": recipe,
        "editable": editable,
        "ingredients": ingredients,
        "raw_grams": raw,
        "total_grams": total,
        "serving_grams": serving,
        "lines": nutrient_lines(recipe, len(ingredients), serving),
        "details_form": details_form,
        "entry_form": ingredient_form,
        "preview": preview_of_form(ingredient_form) if ingredient_form else None,
        "day": diary_day(request),
        "max_ingredients": MAX_INGREDIENTS,
    }


def owned_recipe(request: HttpRequest, pk: int) -> Recipe:
    recipe = own_recipes(request.user).filter(pk=pk).first()
    if recipe is None:
        raise Http404("No such recipe among yours.")
    return recipe


@login_required
@require_http_methods(["GET", "POST"])
def recipe_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A recipe: its ingredients, its values, and (for its owner) the search that adds
    more; with htmx the same URL answers the search and the food pick, as the day does.
    POST changes its name, servings and cooked weight."""
    recipe = readable_recipes(request.user).filter(pk=pk).first()
    if recipe is None:
        raise Http404("No such recipe.")
    target = getattr(request, "htmx", None) and request.htmx.target
    if request.method == "POST":
        recipe = owned_recipe(request, pk)
        form = RecipeForm(request.POST, raw_grams=recipe.raw_grams())
        if form.is_valid():
            data = form.cleaned_data
            update_recipe(
                recipe,
                name=data["name"],
                servings=data["servings"],
                cooked_grams=data["cooked_grams"],
            )
            messages.success(request, f"Saved “{data['name']}”.")
            return recipe_restart(request, owned_recipe(request, pk))
        return render_recipe(request, recipe, details_form=form)
    if target == "search-results":
        search = food_search(request, foods=ingredient_foods(request.user))
        return render(request, "tracker/recipe.html#search-results", {"recipe": recipe, **search})
    food = picked_food(request)
    if food is not None and target == "entry-preview":
        form = IngredientForm(request.GET, user=request.user, food=food)
        context = {"recipe": recipe, "entry_form": form, "preview": preview_of_form(form)}
        return render(request, "tracker/recipe.html#entry-preview", context)
    ingredient_form = new_ingredient_form(request, food) if food else None
    if target == "entry-form":
        context = {
            "recipe": recipe,
            "entry_form": ingredient_form,
            "preview": preview_of_form(ingredient_form) if ingredient_form else None,
            "day": diary_day(request),
        }
        return render(request, "tracker/recipe.html#entry-form", context)
    search = food_search(request, foods=ingredient_foods(request.user))
    return render_recipe(request, recipe, ingredient_form=ingredient_form, extra=search)


def render_recipe(
    request: HttpRequest, recipe: Recipe, *, extra: dict[str, Any] | None = None, **forms_: Any
) -> HttpResponse:
    context = {**recipe_page_context(request, recipe, **forms_), **(extra or {})}
    is_fragment = getattr(request, "htmx", None) and not request.htmx.boosted
    template = "tracker/recipe.html#recipe-body" if is_fragment else "tracker/recipe.html"
    return render(request, template, context)


def recipe_restart(request: HttpRequest, recipe: Recipe) -> HttpResponse:
    """After a change: htmx gets the recipe's body again, ready for the next food."""
    if not getattr(request, "htmx", None):
        return redirect(recipe_url(recipe, diary_day(request)))
    context = recipe_page_context(request, recipe)
    context["autofocus_search"] = True
    return render(request, "tracker/recipe.html#recipe-body", context)


def picked_food(request: HttpRequest) -> Food | None:
    food_id = request.GET.get("food", "")
    if not food_id:
        return None
    if not (food_id.isascii() and food_id.isdigit() and len(food_id) <= 12):
        raise Http404("No such food.")
    food = ingredient_foods(request.user).filter(pk=int(food_id)).first()
    if food is None:
        raise Http404("No such food.")
    return food


def new_ingredient_form(request: HttpRequest, food: Food) -> IngredientForm:
    form = IngredientForm(user=request.user, food=food)
    quantity, unit = starting_amount(request.user, food, form, None)
    form.initial = {"food": food.pk, "quantity": quantity, "unit": unit}
    form.fields["quantity"].widget.attrs["autofocus"] = True
    return form


@login_required
@require_POST
def ingredient_add(request: HttpRequest, pk: int) -> HttpResponse:
    recipe = owned_recipe(request, pk)
    form = IngredientForm(request.POST, user=request.user)
    if form.is_valid() and recipe.ingredients.count() >= MAX_INGREDIENTS:
        form.add_error(None, f"A recipe holds at most {MAX_INGREDIENTS} ingredients.")
    if not form.is_valid():
        if getattr(request, "htmx", None):
            context = {
                "recipe": recipe,
                "entry_form": form,
                "preview": preview_of_form(form),
                "day": diary_day(request),
            }
            response = render(request, "tracker/recipe.html#entry-form", context)
            response["HX-Retarget"] = "#entry-form"
            response["HX-Reswap"] = "outerHTML"
            return response
        return render_recipe(request, recipe, ingredient_form=form)
    ingredient = ingredient_of(form)
    with transaction.atomic():
        if first_time(request.user, form.cleaned_data["once"], request.path):
            locked = Recipe.objects.select_for_update().get(pk=recipe.pk)
            add_ingredients(locked, [ingredient])
            recipe_changed(locked)
            messages.success(
                request,
                f"Added {ingredient.food}, {describe(ingredient)}, to “{recipe.name}”.",
            )
        else:
            messages.info(request, ALREADY_SAVED)
    return recipe_restart(request, owned_recipe(request, pk))


def describe(ingredient: IngredientData) -> str:
    return describe_amount(ingredient.quantity, ingredient.unit)


@login_required
@require_http_methods(["GET", "POST"])
def ingredient_edit(request: HttpRequest, pk: int, ingredient_pk: int) -> HttpResponse:
    """Change an ingredient's amount in place (its food stays, as an entry's does)."""
    recipe = owned_recipe(request, pk)
    ingredient = (
        RecipeIngredient.objects.select_related("food")
        .filter(pk=ingredient_pk, recipe=recipe)
        .first()
    )
    if ingredient is None:
        raise Http404("No such ingredient in this recipe.")
    auto_id = f"ingredient{ingredient.pk}_%s"
    if request.method == "POST":
        data = request.POST.copy()
        data["food"] = str(ingredient.food_id)
        form = IngredientForm(data, user=request.user, food=ingredient.food, auto_id=auto_id)
        if form.is_valid():
            changed = ingredient_of(form)
            with transaction.atomic():
                locked = Recipe.objects.select_for_update().get(pk=recipe.pk)
                RecipeIngredient.objects.filter(pk=ingredient.pk).update(**amount_fields(changed))
                recipe_changed(locked)
            messages.success(request, f"Changed {ingredient.food} to {describe(changed)}.")
            return recipe_restart(request, owned_recipe(request, pk))
    else:
        form = IngredientForm(
            user=request.user,
            food=ingredient.food,
            auto_id=auto_id,
            initial={
                "food": ingredient.food_id,
                "quantity": ingredient.quantity.normalize(),
                "unit": str(ingredient.portion_id) if ingredient.portion_id else "g",
            },
        )
        form.fields["quantity"].widget.attrs["autofocus"] = True
    context = {"recipe": recipe, "ingredient": ingredient, "form": form, "day": diary_day(request)}
    if getattr(request, "htmx", None):
        response = render(request, "tracker/ingredient_edit.html#edit-form", context)
        if request.method == "POST":
            response["HX-Retarget"] = f"#edit-ingredient-{ingredient.pk}"
            response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "tracker/ingredient_edit.html", context)


@login_required
@require_POST
def ingredient_delete(request: HttpRequest, pk: int, ingredient_pk: int) -> HttpResponse:
    recipe = owned_recipe(request, pk)
    with transaction.atomic():
        ingredient = (
            RecipeIngredient.objects.select_related("food")
            .filter(pk=ingredient_pk, recipe=recipe)
            .first()
        )
        if ingredient is None:
            raise Http404("No such ingredient in this recipe.")
        ingredient.delete()
        recipe_changed(Recipe.objects.select_for_update().get(pk=recipe.pk))
    messages.success(request, f"Removed {ingredient.food} from “{recipe.name}”.")
    return recipe_restart(request, owned_recipe(request, pk))


@login_required
@require_POST
def recipe_delete(request: HttpRequest, pk: int) -> HttpResponse:
    recipe = owned_recipe(request, pk)
    entries = delete_recipe(recipe)
    if entries:
        noun = "entry" if entries == 1 else "entries"
        messages.success(
            request,
            f"Deleted “{recipe.name}” from your recipes and search. It stays in the "
            f"{entries:,} diary {noun} that use it.",
        )
    else:
        messages.success(request, f"Deleted “{recipe.name}”.")
    return redirect("recipes")


@login_required
@require_POST
def recipe_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy one of your recipes or a shipped dish into your recipes, to change it."""
    recipe = readable_recipes(request.user).filter(pk=pk).first()
    if recipe is None:
        raise Http404("No such recipe.")
    once = OneTimeKeyField().clean(request.POST.get("once"))
    with transaction.atomic():
        copy = (
            copy_recipe(recipe, request.user)
            if first_time(request.user, once, request.path)
            else None
        )
    if copy is None:
        messages.info(request, ALREADY_SAVED)
        return redirect("recipes")
    messages.success(request, f"Copied “{recipe.name}” into your recipes: change it here.")
    return redirect(recipe_url(copy, diary_day(request)))
