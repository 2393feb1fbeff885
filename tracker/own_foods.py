"""A user's own foods, typed in from a nutrition label: list, add, edit.

A label gives amounts per serving; every food in the database holds them per 100 g, so the
form converts on the way in (per serving × 100 / serving grams) and back on the way out.
An empty field means the label does not say: no FoodNutrient row, never a stored zero.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from nutrients.models import Food, FoodNutrient, Nutrient, Portion
from nutrients.numbers import grouped, plain
from nutrients.report import (
    CALCIUM,
    ENERGY,
    HEADLINE_MINERALS,
    MAGNESIUM,
    POTASSIUM,
    SODIUM,
    WATER,
)
from tracker.models import DayTotal


class LabelNutrient(NamedTuple):
    field: str
    nutrient_id: int  # FoodData Central's
    label: str
    unit: str
    # Used only when this nutrient's row does not exist yet (a fresh database): the same
    # name and rank an FDC import writes, so the row looks the same whoever creates it.
    fdc_name: str
    fdc_rank: int


# Everything the form asks for. The fields, the saving and the loading all come from
# this table. The first MAIN_COUNT rows are shown first; the rest are "more from the label".
LABEL_NUTRIENTS = (
    LabelNutrient("energy", ENERGY, "Energy", "kcal", "Energy", 300),
    LabelNutrient("potassium", POTASSIUM, "Potassium", "mg", "Potassium, K", 5700),
    LabelNutrient("calcium", CALCIUM, "Calcium", "mg", "Calcium, Ca", 5300),
    LabelNutrient("magnesium", MAGNESIUM, "Magnesium", "mg", "Magnesium, Mg", 5500),
    LabelNutrient("sodium", SODIUM, "Sodium", "mg", "Sodium, Na", 5800),
    LabelNutrient("phosphorus", 1091, "Phosphorus", "mg", "Phosphorus, P", 5600),
    LabelNutrient("vitamin_d", 1114, "Vitamin D", "µg", "Vitamin D (D2 + D3)", 8700),
    LabelNutrient("vitamin_e", 1109, "Vitamin E", "mg", "Vitamin E (alpha-tocopherol)", 7905),
    LabelNutrient("thiamin", 1165, "Thiamin", "mg", "Thiamin", 6400),
    LabelNutrient("vitamin_b6", 1175, "Vitamin B-6", "mg", "Vitamin B-6", 6800),
    LabelNutrient("vitamin_b12", 1178, "Vitamin B-12", "µg", "Vitamin B-12", 7300),
    LabelNutrient("selenium", 1103, "Selenium", "µg", "Selenium, Se", 6200),
    LabelNutrient("protein", 1003, "Protein", "g", "Protein", 600),
    LabelNutrient("fat", 1004, "Total fat", "g", "Total lipid (fat)", 800),
    LabelNutrient("carbohydrate", 1005, "Carbohydrate", "g", "Carbohydrate, by difference", 1110),
    LabelNutrient("fiber", 1079, "Fiber", "g", "Fiber, total dietary", 1200),
    LabelNutrient("sugars", 2000, "Sugars", "g", "Sugars, total including NLEA", 1510),
    LabelNutrient("water", WATER, "Water", "g", "Water", 100),
)
MAIN_COUNT = 5  # energy and the four electrolytes

OWN_FOOD_CATEGORY = "My foods"
DEFAULT_SERVING = "serving"
MAX_SERVING_GRAMS = Decimal(2000)
# FoodNutrient.amount and Portion.grams keep three decimal places.
THOUSANDTH = Decimal("0.001")

# Sanity bounds, to catch a slipped digit or a wrong unit before it lands in a report.
# Nothing in a serving weighs more than the serving itself...
UNITS_PER_GRAM = {"g": Decimal(1), "mg": Decimal(1000), "µg": Decimal(1_000_000)}
# ...and no label states 100 g of a mineral or 0.1 g of a vitamin.
MAX_PER_SERVING = {"mg": Decimal(100_000), "µg": Decimal(100_000)}
# Pure fat has 9 kcal per gram, so more means kJ typed as kcal. Labels round energy to
# the nearest 5 kcal, which a tiny serving (a teaspoon of oil) can push over the line.
MAX_KCAL_PER_GRAM = Decimal(9)
LABEL_ROUNDING_KCAL = Decimal(5)


def per_100_g(per_serving: Decimal, serving_grams: Decimal) -> Decimal:
    return (per_serving * 100 / serving_grams).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def per_serving(amount: Decimal, serving_grams: Decimal) -> Decimal:
    """The shortest per-serving value that per_100_g() turns back into `amount`.

    The stored amount is rounded, so amount × grams / 100 may come out as 99.9999 where
    the label said 100. The shortest value that saves back to the same amount is what the
    user typed, and saving the form unchanged then changes nothing.
    """
    exact = amount * serving_grams / 100
    for places in range(4):
        candidate = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if per_100_g(candidate, serving_grams) == amount:
            return candidate
    return exact.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def first_portion(food: Food) -> Portion | None:
    # .all() rather than .first(), so that a prefetch on the list page is used.
    portions = food.portions.all()
    return portions[0] if portions else None


def serving_of(food: Food) -> tuple[str, Decimal]:
    """The serving the label values refer to: the food's first portion.

    A food without a portion (one made in the admin) shows its values per 100 g.
    """
    portion = first_portion(food)
    if portion is None:
        return "100 g", Decimal(100)
    return portion.description, portion.grams


def decimal_input() -> forms.TextInput:
    # A text input, not type="number": a browser sends a number input it cannot parse as
    # "", which would turn a typo into "no data" instead of a message at the field.
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class OwnFoodForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        help_text="As you would search for it, e.g. “Peanut protein bar”.",
        error_messages={"required": "Give the food a name."},
    )
    serving_description = forms.CharField(
        label="Serving",
        max_length=100,
        required=False,
        initial=DEFAULT_SERVING,
        help_text="How the label names one serving: “1 bar”, “1 cup”, “2 biscuits”.",
    )
    serving_grams = forms.DecimalField(
        label="Serving size (g)",
        decimal_places=3,
        max_value=MAX_SERVING_GRAMS,
        widget=decimal_input(),
        help_text="The weight of one serving, from the label. For drinks, "
        "millilitres count as grams (1 ml ≈ 1 g).",
        error_messages={
            "required": "Enter the serving size in grams, from the label.",
            "invalid": "Enter the serving size as a number of grams, e.g. 40.",
            "max_value": f"A serving can be at most {grouped(MAX_SERVING_GRAMS)} g.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for nutrient in LABEL_NUTRIENTS:
            cap = MAX_PER_SERVING.get(nutrient.unit)
            error_messages = {
                "invalid": "Enter a number, or leave it empty.",
                "min_value": "Enter 0 or more, or leave it empty.",
            }
            if cap is not None:
                error_messages["max_value"] = (
                    f"At most {grouped(cap)} {nutrient.unit} per serving: "
                    "check the unit on the label."
                )
            self.fields[nutrient.field] = forms.DecimalField(
                label=f"{nutrient.label} ({nutrient.unit} per serving)",
                required=False,
                min_value=Decimal(0),
                max_value=cap,
                decimal_places=3,
                widget=decimal_input(),
                error_messages=error_messages,
            )

    def main_fields(self) -> list[forms.BoundField]:
        return [self[nutrient.field] for nutrient in LABEL_NUTRIENTS[:MAIN_COUNT]]

    def more_fields(self) -> list[forms.BoundField]:
        return [self[nutrient.field] for nutrient in LABEL_NUTRIENTS[MAIN_COUNT:]]

    def more_is_open(self) -> bool:
        """Unfold "more from the label" when it holds a value or an error."""
        return any(field.errors or field.value() not in (None, "") for field in self.more_fields())

    def clean_serving_grams(self) -> Decimal:
        grams = self.cleaned_data["serving_grams"]
        if grams <= 0:
            raise forms.ValidationError("A serving must weigh more than 0 g.")
        return grams

    def clean_serving_description(self) -> str:
        return self.cleaned_data["serving_description"] or DEFAULT_SERVING

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        grams = cleaned.get("serving_grams")
        if grams is None:  # the serving size has its own message already
            return cleaned
        for nutrient in LABEL_NUTRIENTS:
            value = cleaned.get(nutrient.field)
            if value is not None and (problem := too_much(nutrient, value, grams)):
                self.add_error(nutrient.field, problem)
        return cleaned

    @transaction.atomic
    def save(self, owner: AbstractBaseUser, food: Food | None = None) -> Food:
        """Create the food (or update `food`), its serving and its amounts per 100 g."""
        data = self.cleaned_data
        if food is None:
            food = Food(source=Food.Source.USER, owner=owner, category=OWN_FOOD_CATEGORY)
        food.description = data["name"]
        food.save()

        grams: Decimal = data["serving_grams"]
        portion = first_portion(food) or Portion(food=food, seq=1)
        portion.description = data["serving_description"]
        portion.grams = grams
        portion.save()

        rows = {row.nutrient_id: row for row in food.nutrient_amounts.all()}
        cleared: list[int] = []
        for nutrient in LABEL_NUTRIENTS:
            value: Decimal | None = data.get(nutrient.field)
            row = rows.get(nutrient.nutrient_id)
            if value is None:
                if row is not None:
                    cleared.append(row.pk)
                continue
            amount = per_100_g(value, grams)
            if row is None:
                FoodNutrient.objects.create(
                    food=food, nutrient=nutrient_row(nutrient), amount=amount
                )
            elif row.amount != amount:
                row.amount = amount
                row.save(update_fields=["amount"])
        if cleared:
            FoodNutrient.objects.filter(pk__in=cleared).delete()
        DayTotal.refresh_for_foods([food.pk])
        return food


def too_much(nutrient: LabelNutrient, value: Decimal, grams: Decimal) -> str | None:
    """Why `value` per serving of `grams` g cannot be right, or None when it can."""
    if nutrient.unit == "kcal":
        most = grams * MAX_KCAL_PER_GRAM + LABEL_ROUNDING_KCAL
        if value > most:
            return (
                f"At most {grouped(most.quantize(Decimal(1)))} kcal for {plain(grams)} g "
                f"(pure fat has {plain(MAX_KCAL_PER_GRAM)} kcal per gram). Is this kJ?"
            )
        return None
    per_gram = UNITS_PER_GRAM[nutrient.unit]
    if value > grams * per_gram:
        weight = f"{plain(grams)} g"
        if nutrient.unit != "g":
            weight += f" = {grouped(grams * per_gram)} {nutrient.unit}"
        return (
            f"{nutrient.label} cannot weigh more than the whole serving ({weight}). "
            "Check the unit and the serving size."
        )
    return None


def nutrient_row(nutrient: LabelNutrient) -> Nutrient:
    # A fresh database has no nutrients until the first FDC import.
    row, _ = Nutrient.objects.get_or_create(
        id=nutrient.nutrient_id,
        defaults={
            "name": nutrient.fdc_name,
            "unit": nutrient.unit,
            "display_order": nutrient.fdc_rank,
        },
    )
    return row


def initial_for(food: Food) -> dict[str, str]:
    """The form's values for `food`, per serving again, as a person would type them."""
    description, grams = serving_of(food)
    initial = {
        "name": food.description,
        "serving_description": description,
        "serving_grams": plain(grams),
    }
    amounts = {row.nutrient_id: row.amount for row in food.nutrient_amounts.all()}
    for nutrient in LABEL_NUTRIENTS:
        amount = amounts.get(nutrient.nutrient_id)
        if amount is not None:
            initial[nutrient.field] = plain(per_serving(amount, grams))
    return initial


@dataclass(frozen=True)
class MineralAmount:
    name: str
    per_serving: str | None  # "200 mg", or None for no data


@dataclass(frozen=True)
class OwnFoodRow:
    food: Food
    serving: str  # "1 bar (40 g)"
    minerals: list[MineralAmount]


def own_food_row(food: Food) -> OwnFoodRow:
    description, grams = serving_of(food)
    amounts = {row.nutrient_id: row.amount for row in food.nutrient_amounts.all()}
    minerals = []
    for mineral in HEADLINE_MINERALS:
        amount = amounts.get(mineral.nutrient_id)
        text = None if amount is None else f"{grouped(per_serving(amount, grams))} mg"
        minerals.append(MineralAmount(mineral.name, text))
    return OwnFoodRow(food, f"{description} ({plain(grams)} g)", minerals)


@login_required
@require_GET
def food_list(request: HttpRequest) -> HttpResponse:
    headline_ids = [mineral.nutrient_id for mineral in HEADLINE_MINERALS]
    foods = Food.objects.filter(owner=request.user, source=Food.Source.USER).prefetch_related(
        "portions",
        Prefetch(
            "nutrient_amounts",
            queryset=FoodNutrient.objects.filter(nutrient_id__in=headline_ids),
        ),
    )
    rows = [own_food_row(food) for food in foods]
    return render(request, "tracker/own_food_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def food_create(request: HttpRequest) -> HttpResponse:
    # Not `request.POST or None`: an empty POST must show "required", not a blank form.
    data = request.POST if request.method == "POST" else None
    form = OwnFoodForm(data)
    if form.is_valid():
        food = form.save(owner=request.user)
        messages.success(request, f"Saved “{food.description}”.")
        return redirect("own_foods")
    return render(request, "tracker/own_food_form.html", {"form": form, "food": None})


@login_required
@require_http_methods(["GET", "POST"])
def food_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Shared foods and other users' foods are not found, rather than forbidden: the
    # answer should not tell whether someone else has a food with this id.
    food = get_object_or_404(Food, pk=pk, owner=request.user, source=Food.Source.USER)
    data = request.POST if request.method == "POST" else None
    form = OwnFoodForm(data, initial=initial_for(food))
    if form.is_valid():
        form.save(owner=request.user, food=food)
        messages.success(request, f"Saved “{food.description}”.")
        return redirect("own_foods")
    return render(request, "tracker/own_food_form.html", {"form": form, "food": food})
