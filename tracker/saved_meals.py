"""Saved meals ("my usual breakfast"): save a day's meal, log it into any day's meal in one
step, rename it, take a food out, delete it. Also "Save this meal as a recipe", which the
same control on the day page offers (tracker/recipes.py builds the recipe).

Logging a saved meal adds each of its foods as an entry of its own, with the amount it
was saved with, and re-adds the day in the same transaction; a one-time key (the web
form's, or the API's Idempotency-Key) makes a resend store nothing more.
"""

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from nutrients.recipe_models import amount_fields
from tracker.day_page import day_changed
from tracker.diary_days import DiaryDayField
from tracker.forms import default_slot
from tracker.models import DayTotal, Entry, Meal, SavedMeal, SavedMealItem
from tracker.once import ALREADY_SAVED, OneTimeKeyField, first_time
from tracker.recipes import recipe_from_entries, recipe_url

SAVE_AS_RECIPE = "recipe"
SAVE_AS_MEAL = "meal"


class SavedMealNameForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        error_messages={
            "required": "Give the meal a name, like “My usual breakfast”.",
            "max_length": "At most 100 characters.",
        },
    )

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()


class LogSavedMealForm(forms.Form):
    """Which day and meal a saved meal goes into."""

    day = DiaryDayField(
        label="Day", error_messages={"required": "Choose a day.", "invalid": "Enter a date."}
    )
    slot = forms.ChoiceField(label="Meal", choices=Meal.Slot.choices)
    once = OneTimeKeyField()

    def __init__(self, *args: Any, prefix_id: str = "log", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{prefix_id}_%s")
        kwargs.setdefault(
            "initial",
            {"day": timezone.localdate(), "slot": default_slot(timezone.localtime())},
        )
        super().__init__(*args, **kwargs)


# --- What changes saved meals: one way, for the pages and the API ---------------------


def saved_meals_of(user: Any) -> QuerySet[SavedMeal]:
    """The user's saved meals, each with its items and their foods (two queries)."""
    return SavedMeal.objects.filter(user=user).prefetch_related(
        Prefetch("items", queryset=SavedMealItem.objects.select_related("food"))
    )


def own_saved_meal(user: Any, pk: int) -> SavedMeal:
    meal = saved_meals_of(user).filter(pk=pk).first()
    if meal is None:
        raise Http404("No such saved meal among yours.")
    return meal


@transaction.atomic
def save_meal(user: Any, name: str, items: list[Any]) -> SavedMeal:
    """A saved meal of these amounts (entries, or the API's ingredient data alike: each
    has food, grams, quantity, portion_id and unit)."""
    saved = SavedMeal.objects.create(user=user, name=name)
    add_items(saved, items)
    return saved


def replace_items(saved: SavedMeal, items: list[Any]) -> None:
    saved.save(update_fields=["version"])  # other items: a new version (Versioned.save)
    saved.items.all().delete()
    add_items(saved, items)


def add_items(saved: SavedMeal, items: list[Any]) -> None:
    SavedMealItem.objects.bulk_create(
        SavedMealItem(saved_meal=saved, **amount_fields(item)) for item in items
    )


def log_saved_meal(user: Any, saved: SavedMeal, day: date, slot: str) -> list[Entry]:
    """Each food of the saved meal as an entry of the day's meal; the day added up again.
    Call inside the transaction that claims the one-time key. Five queries, however many
    foods: the meal, the entries, and the day's totals (besides DayTotal.refresh's own)."""
    meal, _ = Meal.objects.get_or_create(user=user, day=day, slot=slot)
    entries = Entry.objects.bulk_create(
        Entry(meal=meal, **amount_fields(item)) for item in saved.items.all()
    )
    DayTotal.refresh(user, [day], only_added=True)
    return entries


# --- Pages -------------------------------------------------------------------------------


def list_context(
    request: HttpRequest, *, log_form: LogSavedMealForm | None = None, failed: int | None = None
) -> dict[str, Any]:
    meals = []
    for saved in saved_meals_of(request.user):
        form = log_form if failed == saved.pk else LogSavedMealForm(prefix_id=f"log{saved.pk}")
        meals.append({"saved": saved, "log_form": form})
    return {"meals": meals}


@login_required
@require_GET
def saved_meal_list(request: HttpRequest) -> HttpResponse:
    return render(request, "tracker/saved_meals.html", list_context(request))


@login_required
@require_POST
def save_day_meal(request: HttpRequest, day: date, slot: str) -> HttpResponse:
    """The day page's "Save this meal" control: as a saved meal, or as a recipe."""
    if slot not in Meal.Slot.values:
        raise Http404("No such meal.")
    label = Meal.Slot(slot).label
    form = SavedMealNameForm(request.POST)
    entries = Entry.objects.for_day(request.user, day).filter(meal__slot=slot)
    if not form.is_valid():
        messages.error(request, f"{label}: {form.errors['name'][0]}")
        return redirect("tracker:day", day=day)
    if not entries.exists():
        messages.warning(request, f"Nothing to save: nothing logged for {label.lower()}.")
        return redirect("tracker:day", day=day)
    name = form.cleaned_data["name"]
    once = OneTimeKeyField().clean(request.POST.get("once"))
    as_recipe = request.POST.get("as") == SAVE_AS_RECIPE
    with transaction.atomic():
        if not first_time(request.user, once, request.path):
            messages.info(request, ALREADY_SAVED)
            return redirect("tracker:day", day=day)
        if as_recipe:
            recipe = recipe_from_entries(request.user, name, entries)
        else:
            save_meal(request.user, name, list(entries.select_related("food")))
    if as_recipe:
        left_out = " (dishes logged in it are left out: a recipe cannot hold a recipe)"
        has_dishes = entries.filter(food__recipe__isnull=False).exists()
        messages.success(
            request,
            f"Saved {label.lower()} as the recipe “{name}”{left_out if has_dishes else ''}: "
            "set its servings and cooked weight here.",
        )
        return redirect(recipe_url(recipe, day))
    messages.success(request, f"Saved {label.lower()} as “{name}”: log it on any day in one step.")
    return redirect("tracker:day", day=day)


@login_required
@require_POST
def saved_meal_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a saved meal into a day's meal. From the day page (htmx: the day again) or
    from the list of saved meals."""
    saved = own_saved_meal(request.user, pk)
    form = LogSavedMealForm(request.POST, prefix_id=f"log{saved.pk}")
    if not form.is_valid():
        if request.POST.get("next") == "day" and "day" not in form.errors:
            # Only the meal can be wrong here (a select): say so on the day it was for.
            messages.error(request, f"“{saved.name}” was not added: choose a meal.")
            return redirect("tracker:day", day=form.cleaned_data["day"])
        context = list_context(request, log_form=form, failed=saved.pk)
        return render(request, "tracker/saved_meals.html", context, status=200)
    day, slot = form.cleaned_data["day"], form.cleaned_data["slot"]
    with transaction.atomic(savepoint=False):
        first = first_time(request.user, form.cleaned_data["once"], request.path)
        entries = log_saved_meal(request.user, saved, day, slot) if first else None
    if entries is None:
        messages.info(request, ALREADY_SAVED)
    else:
        count = len(entries)
        messages.success(
            request,
            f"Added “{saved.name}” ({count} food{'' if count == 1 else 's'}) to "
            f"{Meal.Slot(slot).label.lower()} on {day:%A} {day.day} {day:%B}.",
        )
    if request.POST.get("next") == "day":
        return day_changed(request, day, meals=[slot], added=entries or ())
    return redirect("tracker:day", day=day)


@login_required
@require_POST
def saved_meal_rename(request: HttpRequest, pk: int) -> HttpResponse:
    saved = own_saved_meal(request.user, pk)
    form = SavedMealNameForm(request.POST)
    if form.is_valid():
        old = saved.name
        saved.name = form.cleaned_data["name"]
        saved.save(update_fields=["name"])
        messages.success(request, f"Renamed “{old}” to “{saved.name}”.")
    else:
        messages.error(request, f"“{saved.name}” keeps its name: {form.errors['name'][0]}")
    return redirect("saved_meals")


@login_required
@require_POST
def saved_meal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = own_saved_meal(request.user, pk)
    saved.delete()
    messages.success(
        request, f"Deleted the saved meal “{saved.name}”. Days that logged it keep it."
    )
    return redirect("saved_meals")


@login_required
@require_POST
def saved_meal_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    saved = own_saved_meal(request.user, pk)
    item = next((item for item in saved.items.all() if item.pk == item_pk), None)
    if item is None:
        raise Http404("No such food in this saved meal.")
    item.delete()
    messages.success(request, f"Took {item.food} out of “{saved.name}”.")
    return redirect("saved_meals")
