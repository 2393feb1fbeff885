"""Logging in few steps: the portion a food's form starts with, what an amount will add
before it is added (the live preview), and recent foods logged into the meal of the moment.

The day page (views.day_page) serves the entry form and its preview as htmx fragments of
its own URL; logging a recent food has a URL of its own here.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from nutrients.models import Food, FoodNutrient
from nutrients.numbers import plain
from nutrients.portions import adds, first_amount
from nutrients.report import ENERGY, HEADLINE_MINERALS
from tracker.day_page import day_changed, meal_in_use
from tracker.forms import EntryForm
from tracker.models import DayTotal, Entry, Meal, describe_amount
from tracker.once import ALREADY_SAVED, OneTimeKeyField, first_time
from tracker.once import FIELD_NAME as ONE_TIME_KEY_FIELD

# What the preview shows: the headline minerals, then energy for context.
PREVIEW_NUTRIENT_IDS = [*(mineral.nutrient_id for mineral in HEADLINE_MINERALS), ENERGY]


@dataclass(frozen=True)
class PreviewLine:
    symbol: str  # "K", or "" for energy
    name: str  # "potassium", "energy"
    amount: Decimal | None  # None: the food has no value for it
    unit: str


@dataclass(frozen=True)
class Preview:
    grams: Decimal | None  # None: the amount is not valid yet
    lines: list[PreviewLine]
    # The amount in words, in full ("1 medium (7" to 7-7/8" long)"), which a phone-wide
    # portion list cuts short.
    amount: str = ""


def per_100_g_of(food: Food) -> dict[int, Decimal | None]:
    """The food's headline minerals and energy per 100 g (None: no data), in one query."""
    per_100_g: dict[int, Decimal | None] = dict.fromkeys(PREVIEW_NUTRIENT_IDS)
    per_100_g.update(
        FoodNutrient.objects.filter(food=food, nutrient_id__in=PREVIEW_NUTRIENT_IDS)
        .order_by()
        .values_list("nutrient_id", "amount")
    )
    return per_100_g


def preview_for(
    per_100_g: dict[int, Decimal | None], grams: Decimal | None, amount: str = ""
) -> Preview:
    """What `grams` of a food adds, from its amounts per 100 g (per_100_g_of)."""
    if grams is None:
        return Preview(None, [])
    amounts = adds(per_100_g, grams)
    lines = [
        PreviewLine(m.symbol, m.name.lower(), amounts[m.nutrient_id], "mg")
        for m in HEADLINE_MINERALS
    ]
    lines.append(PreviewLine("", "energy", amounts[ENERGY], "kcal"))
    return Preview(grams, lines, amount)


def preview_of_form(form: EntryForm) -> Preview | None:
    """The preview of a bound entry form's amount; None before a food is chosen."""
    food = form.chosen_food
    if food is None:
        return None
    if not form.is_valid():
        return preview_for({}, None)
    data = form.cleaned_data
    return preview_for(
        per_100_g_of(food), data["grams"], amount_text(form, data["quantity"], data["unit"])
    )


def new_entry_form(
    user: "settings.AUTH_USER_MODEL", food: Food, slot: str
) -> tuple[EntryForm, Preview]:
    """A fresh entry form for `food` in the meal `slot`, starting at the amount this user
    would log, and the preview of that amount. Three queries: the portions, the last
    entry, the amounts."""
    form = EntryForm(user=user, food=food)
    per_100_g = per_100_g_of(food)
    quantity, unit = starting_amount(user, food, form, per_100_g[ENERGY])
    form.initial = {
        "food": food.pk,
        "quantity": quantity,
        "unit": unit,
        "slot": slot,
    }
    amount = amount_text(form, quantity, unit)
    return form, preview_for(per_100_g, grams_of(form, quantity, unit), amount)


def starting_amount(
    user: "settings.AUTH_USER_MODEL",
    food: Food,
    form: EntryForm,
    kcal_per_100_g: Decimal | None,
) -> tuple[Decimal, str]:
    """(quantity, unit) a new entry of `food` starts with: what this user logged of it
    last time; failing that, the portion people eat (nutrients.portions.first_amount:
    the everyday list's serving, a spoon of a spread, one whole thing, a kitchen measure);
    failing that, 100 g. One query, on top of the form's portions: the everyday serving
    comes with the food (views.chosen_food annotates it)."""
    last = (
        Entry.objects.filter(meal__user=user, food=food)
        .order_by("-meal__day", "-created_at", "-id")
        .values("quantity", "portion_id", "unit", "grams")
        .first()
    )
    if last is not None:
        if last["unit"] in ("g", "ml"):
            return Decimal(plain(last["grams"])), "g"
        if str(last["portion_id"]) in form.portions:
            return Decimal(plain(last["quantity"])), str(last["portion_id"])
    count, portion = first_amount(
        list(form.portions.values()),
        kcal_per_100_g,
        food.description,
        getattr(food, "everyday_serving", None) or "",
        getattr(food, "everyday_grams", None),
    )
    return Decimal(plain(count)), str(portion.pk) if portion else "g"


def amount_text(form: EntryForm, quantity: Decimal, unit: str) -> str:
    """ "2 cups, sliced" for portions; "" for grams, which the grams already say."""
    portion = form.portions.get(unit)
    return describe_amount(quantity, portion.description) if portion else ""


def grams_of(form: EntryForm, quantity: Decimal, unit: str) -> Decimal:
    if unit == "g":
        return quantity
    return (quantity * form.portions[unit].grams).quantize(Decimal("0.01"))


@login_required
@require_POST
def log_recent(request: HttpRequest, day: date) -> HttpResponse:
    """Log a recent food again, with the amount of its latest entry, into the chosen meal
    (the meal of the moment unless changed)."""
    entry_id = request.POST.get("entry", "")
    # Only an id of the user's own entries: anything else is as missing as another's.
    if not (entry_id.isascii() and entry_id.isdigit() and len(entry_id) <= 9):
        raise Http404("No such entry.")
    entry = get_object_or_404(
        Entry.objects.select_related("food"), pk=int(entry_id), meal__user=request.user
    )
    slot = meal_in_use(request)
    once = OneTimeKeyField().clean(request.POST.get(ONE_TIME_KEY_FIELD))
    # The page is rendered after the transaction, whichever way it went.
    with transaction.atomic(savepoint=False):
        if first_time(request.user, once, request.path):
            meal, _ = Meal.objects.get_or_create(user=request.user, day=day, slot=slot)
            copy = Entry.objects.create(
                meal=meal,
                food=entry.food,
                grams=entry.grams,
                quantity=entry.quantity,
                portion_id=entry.portion_id,
                unit=entry.unit,
            )
            stored = DayTotal.refresh(request.user, [day], only_added=True)
        else:
            copy = None
    if copy is None:
        messages.info(request, ALREADY_SAVED)
        return day_changed(request, day)
    label = Meal.Slot(slot).label.lower()
    messages.success(request, f"Added {entry.food}, {copy.amount_as_entered}, to {label}.")
    return day_changed(request, day, stored[day].totals, meals=[slot], added=[copy])
