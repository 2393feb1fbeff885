"""The API's saved meals: list, save, rename or change, delete, and log one into a day's
meal in one step, with an Idempotency-Key as every add has (tracker/saved_meals.py does
the work for the pages and here alike)."""

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from tracker.api_kit import (
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    FieldErrors,
    Id,
    Slot,
    check_if_match,
    idempotent,
)
from tracker.entries_api import EntryOut, entries_of
from tracker.models import SavedMeal
from tracker.recipes_api import FoodAmountIn, FoodAmountOut, food_amounts
from tracker.saved_meals import (
    SavedMealNameForm,
    log_saved_meal,
    own_saved_meal,
    replace_items,
    save_meal,
    saved_meals_of,
)

router = Router(tags=["saved meals"])


class SavedMealOut(Schema):
    # From a SavedMeal through saved_meals_of() (its items and their foods prefetched).
    id: int
    name: str
    version: int = Field(description="goes up at every change; send it as If-Match")
    items: list[FoodAmountOut] = Field(description="each logged as an entry of its own")

    @staticmethod
    def resolve_items(saved: SavedMeal) -> Any:
        return saved.items.all()


class SavedMealIn(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"name": "My usual breakfast", "items": [{"food": 1, "grams": 40}]}]
        },
    )

    name: str
    items: list[FoodAmountIn] = []


class SavedMealPatch(Schema):
    """A new name, and/or the whole list of items anew."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    items: list[FoodAmountIn] | None = None


class LogIn(Schema):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"date": "2026-11-22", "meal": "lunch"}]}
    )

    date: Day
    meal: Slot


class LoggedOut(Schema):
    date: date
    meal: str
    entries: list[EntryOut]


def checked_name(name: str) -> str:
    form = SavedMealNameForm({"name": name})
    if not form.is_valid():
        raise FieldErrors({"name": list(form.errors["name"])})
    return form.cleaned_data["name"]


@router.get("/", response={200: list[SavedMealOut], **READ_ERRORS}, url_name="saved_meals")
def list_saved_meals(request: HttpRequest) -> Any:
    """Your saved meals, by name."""
    return saved_meals_of(request.auth)


@router.post("/", response={201: SavedMealOut, **WRITE_ERRORS}, url_name="saved_meals")
@idempotent
def create_saved_meal(request: HttpRequest, payload: SavedMealIn) -> Status:
    name = checked_name(payload.name)
    items = food_amounts(request.auth, payload.items, "items")
    with transaction.atomic():
        saved = save_meal(request.auth, name, items)
        return Status(201, own_saved_meal(request.auth, saved.pk))


@router.get("/{saved_id}/", response={200: SavedMealOut, **READ_ERRORS}, url_name="saved_meal")
def get_saved_meal(request: HttpRequest, saved_id: Id) -> SavedMeal:
    return own_saved_meal(request.auth, saved_id)


@router.patch("/{saved_id}/", response={200: SavedMealOut, **WRITE_ERRORS}, url_name="saved_meal")
def change_saved_meal(request: HttpRequest, saved_id: Id, payload: SavedMealPatch) -> SavedMeal:
    saved = own_saved_meal(request.auth, saved_id)
    check_if_match(request, saved)
    name = checked_name(payload.name) if payload.name is not None else None
    items = (
        food_amounts(request.auth, payload.items, "items") if payload.items is not None else None
    )
    with transaction.atomic():
        if name is not None:
            saved.name = name
            saved.save(update_fields=["name"])
        if items is not None:
            replace_items(saved, items)
        return own_saved_meal(request.auth, saved_id)


@router.delete("/{saved_id}/", response={204: None, **WRITE_ERRORS}, url_name="saved_meal")
def delete_saved_meal(request: HttpRequest, saved_id: Id) -> Status:
    """The saved meal goes; the days that logged it keep their entries."""
    saved = own_saved_meal(request.auth, saved_id)
    check_if_match(request, saved)
    saved.delete()
    return Status(204, None)


@router.post(
    "/{saved_id}/log/", response={201: LoggedOut, **WRITE_ERRORS}, url_name="saved_meal_log"
)
@idempotent
def log_saved(request: HttpRequest, saved_id: Id, payload: LogIn) -> Status:
    """Add each food of the saved meal as an entry of the day's meal."""
    saved = own_saved_meal(request.auth, saved_id)
    made = log_saved_meal(request.auth, saved, payload.date, payload.meal)
    entries = list(entries_of(request.auth).filter(pk__in=[entry.pk for entry in made]))
    return Status(201, LoggedOut(date=payload.date, meal=payload.meal, entries=entries))
