"""A user's own foods, typed in from a nutrition label: list, add, edit, delete.

A label gives amounts per serving (US) or per 100 g (Europe); every food in the database
holds them per 100 g, so the form converts on the way in (per serving × 100 / serving
grams) and back on the way out. An empty field means the label does not say: no
FoodNutrient row, never a stored zero. Numbers are read as labels print them: "2,5",
"350 mg", vitamin D in µg or IU.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nutrients.models import (
    SEARCH_TEXT_TOO_LONG,
    Food,
    FoodNutrient,
    Nutrient,
    Portion,
    search_text_fits,
)
from nutrients.numbers import grouped, plain, whole
from nutrients.report import (
    CALCIUM,
    ENERGY,
    HEADLINE_MINERALS,
    MAGNESIUM,
    POTASSIUM,
    SODIUM,
    WATER,
)
from tracker.forms import StorableText
from tracker.models import DayTotal
from tracker.number_fields import TypedDecimalField, decimal_input
from tracker.once import ALREADY_SAVED, earlier_post


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
# A serving left unnamed: reads "2 servings" in the diary.
DEFAULT_SERVING = "1 serving"
# Vitamin D: 1 µg is 40 IU (international units), as US labels and supplements give it.
IU_PER_MICROGRAM_VITAMIN_D = Decimal(40)
VITAMIN_D = 1114
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


# Other ways labels write a unit, each meaning the field's own.
UNIT_SPELLINGS = {"µg": ("µg", "μg", "mcg", "ug"), "kcal": ("kcal", "cal")}


def label_number(text: str, unit: str) -> str:
    """The number of a label's value without its unit: "350 mg" → "350" when the field
    is in mg ("2,5" and "1,200" are the field's to read: TypedDecimalField). Anything
    else is left as typed, for the field to refuse with its message."""
    text = text.strip()
    for spelling in sorted(UNIT_SPELLINGS.get(unit, (unit,)), key=len, reverse=True):
        if text.lower().endswith(spelling.lower()) and text[: -len(spelling)].strip():
            text = text[: -len(spelling)].strip()
            break
    return text


class LabelNumberField(TypedDecimalField):
    """A TypedDecimalField that also reads "350 mg" (see label_number)."""

    def __init__(self, *args: Any, unit: str, **kwargs: Any) -> None:
        self.unit = unit
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = label_number(value, self.unit)
        return super().to_python(value)


class VitaminDField(LabelNumberField):
    """µg, or IU with "IU" after the number: "400 IU" is 10 µg."""

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str) and value.strip().lower().endswith("iu"):
            international_units = super().to_python(value.strip()[:-2])
            if international_units is None:  # "IU" and no number
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return (international_units / IU_PER_MICROGRAM_VITAMIN_D).quantize(THOUSANDTH)
        return super().to_python(value)


PER_SERVING = "serving"
PER_100_G = "100g"


class OwnFoodForm(StorableText, forms.Form):
    name = forms.CharField(
        max_length=200,
        help_text="As you would search for it, e.g. “Peanut protein bar”.",
        error_messages={"required": "Give the food a name."},
    )
    basis = forms.ChoiceField(
        label="The label gives values",
        choices=[(PER_SERVING, "per serving"), (PER_100_G, "per 100 g (or 100 ml)")],
        initial=PER_SERVING,
        required=False,  # an older form without the choice meant per serving
        widget=forms.RadioSelect,
    )
    serving_description = forms.CharField(
        label="Serving",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "1 bar"}),
        help_text="How the label names one serving: “1 bar”, “1 cup”, “2 biscuits”. "
        "Empty: “1 serving”.",
    )
    serving_grams = LabelNumberField(
        unit="g",
        label="Serving size (g)",
        required=False,  # needed per serving only; clean() says so
        decimal_places=3,
        max_value=MAX_SERVING_GRAMS,
        widget=decimal_input(),
        help_text="The weight of one serving, from the label (optional for values per "
        "100 g). For drinks, millilitres count as grams (1 ml ≈ 1 g).",
        error_messages={
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
            is_vitamin_d = nutrient.nutrient_id == VITAMIN_D
            field_class = VitaminDField if is_vitamin_d else LabelNumberField
            self.fields[nutrient.field] = field_class(
                unit=nutrient.unit,
                label=f"{nutrient.label} ({nutrient.unit}{' or IU' if is_vitamin_d else ''})",
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

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if not search_text_fits(name):
            raise forms.ValidationError(SEARCH_TEXT_TOO_LONG)
        return name

    def clean_basis(self) -> str:
        return self.cleaned_data["basis"] or PER_SERVING

    def clean_serving_grams(self) -> Decimal | None:
        grams = self.cleaned_data["serving_grams"]
        if grams is not None and grams <= 0:
            raise forms.ValidationError("A serving must weigh more than 0 g.")
        return grams

    def clean_serving_description(self) -> str:
        return self.cleaned_data["serving_description"].strip() or DEFAULT_SERVING

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "serving_grams" in self.errors:  # the serving size has its own message already
            return cleaned
        grams = cleaned.get("serving_grams")
        if cleaned.get("basis") == PER_100_G:
            reference = Decimal(100)
        elif grams is None:
            self.add_error("serving_grams", "Enter the serving size in grams, from the label.")
            return cleaned
        else:
            reference = grams
        cleaned["reference_grams"] = reference  # what the values are given for
        for nutrient in LABEL_NUTRIENTS:
            value = cleaned.get(nutrient.field)
            if value is not None and (problem := too_much(nutrient, value, reference)):
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

        grams: Decimal | None = data["serving_grams"]
        portion = first_portion(food)
        if grams is not None:
            portion = portion or Portion(food=food, seq=1)
            portion.description = data["serving_description"]
            portion.grams = grams
            portion.save()
        elif portion is not None:  # values per 100 g and no serving any more
            portion.delete()
        reference: Decimal = data["reference_grams"]

        rows = {row.nutrient_id: row for row in food.nutrient_amounts.all()}
        cleared: list[int] = []
        for nutrient in LABEL_NUTRIENTS:
            value: Decimal | None = data.get(nutrient.field)
            row = rows.get(nutrient.nutrient_id)
            if value is None:
                if row is not None:
                    cleared.append(row.pk)
                continue
            amount = per_100_g(value, reference)
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
    """The form's values for `food`, per serving again, as a person would type them; per
    100 g for a food without a serving."""
    description, grams = serving_of(food)
    if first_portion(food) is None:
        initial = {"name": food.description, "basis": PER_100_G}
    else:
        initial = {
            "name": food.description,
            "basis": PER_SERVING,
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
        # Whole mg, by the rule every page shows amounts by (numbers.whole).
        text = None if amount is None else f"{whole(per_serving(amount, grams)):,} mg"
        minerals.append(MineralAmount(mineral.name, text))
    serving = f"{description} ({plain(grams)} g)" if first_portion(food) else "100 g"
    return OwnFoodRow(food, serving, minerals)


def own_foods_of(user: AbstractBaseUser) -> "QuerySet[Food]":
    """The user's own foods from labels, not deleted; not their recipes (tracker/recipes.py),
    whose values come from their ingredients."""
    return Food.objects.filter(owner=user, source=Food.Source.USER, hidden=False, recipe=None)


@login_required
@require_GET
def food_list(request: HttpRequest) -> HttpResponse:
    headline_ids = [mineral.nutrient_id for mineral in HEADLINE_MINERALS]
    foods = (
        own_foods_of(request.user)
        .annotate(entry_count=Count("entries"))
        .prefetch_related(
            "portions",
            Prefetch(
                "nutrient_amounts",
                queryset=FoodNutrient.objects.filter(nutrient_id__in=headline_ids),
            ),
        )
    )
    rows = [own_food_row(food) for food in foods]
    return render(request, "tracker/own_food_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def food_create(request: HttpRequest) -> HttpResponse:
    # Not `request.POST or None`: an empty POST must show "required", not a blank form.
    data = request.POST if request.method == "POST" else None
    # "Nothing matches …: make it as your own food" names it (?name=).
    form = OwnFoodForm(data, initial={"name": request.GET.get("name", "").strip()[:200]})
    if form.is_valid():
        if earlier_post(request) is not None:
            messages.info(request, ALREADY_SAVED)
            return redirect("own_foods")
        food = form.save(owner=request.user)
        messages.success(request, f"Saved “{food.description}”.")
        return redirect("own_foods")
    return render(request, "tracker/own_food_form.html", {"form": form, "food": None})


@login_required
@require_http_methods(["GET", "POST"])
def food_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Shared foods and other users' foods are not found, rather than forbidden: the
    # answer should not tell whether someone else has a food with this id.
    food = get_object_or_404(own_foods_of(request.user), pk=pk)
    data = request.POST if request.method == "POST" else None
    form = OwnFoodForm(data, initial=initial_for(food))
    if form.is_valid():
        form.save(owner=request.user, food=food)
        messages.success(request, f"Saved “{food.description}”.")
        return redirect("own_foods")
    return render(request, "tracker/own_food_form.html", {"form": form, "food": food})


@login_required
@require_POST
def food_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an own food; one that diary entries (or a recipe, or a saved meal) use is
    hidden instead (from search and this list) and kept, so that those days still add up."""
    food = get_object_or_404(own_foods_of(request.user), pk=pk)
    with transaction.atomic():
        entries = food.entries.count()
        if entries or food.in_recipes.exists() or food.in_saved_meals.exists():
            food.hidden = True
            food.save(update_fields=["hidden"])
            noun = "entry" if entries == 1 else "entries"
            where = f"the {entries:,} diary {noun}" if entries else "the recipes and saved meals"
            messages.success(
                request,
                f"Deleted “{food.description}” from your foods and search. It stays in "
                f"{where} that use it.",
            )
        else:
            food.delete()
            messages.success(request, f"Deleted “{food.description}”.")
    return redirect("own_foods")
