"""A person's data is theirs: download all of it, or delete the account with all of it.

`account_data(user)` is everything the app holds about a user, as one JSON document (its
shape is in the README, "Your data"); `erase_account(user)` removes every row of theirs.
The pages are /accounts/data/ and /accounts/delete/; staff answering a request by email
use `manage.py export_account` and `manage.py delete_account`, and the admin's user
delete erases the same way (tracker/admin.py).

A new model holding a user's rows adds a Section to SECTIONS (its rows in the download);
its foreign key to the user with on_delete=CASCADE is what takes its rows on deletion,
and tests/test_account.py checks that no model keeps a row of a deleted user.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F, Prefetch
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from nutrients.models import Food, FoodNutrient, Recipe
from nutrients.report import HEADLINE_MINERALS, TAP_WATER_FDC_ID
from tracker.cramps import cramps_of
from tracker.models import (
    TARGET_SETTINGS,
    ApiToken,
    Cramp,
    DayNote,
    Entry,
    Meal,
    Profile,
    RequestKey,
    SavedMeal,
    Supplement,
    SupplementIntake,
    TargetChange,
)
from tracker.supplements import intakes_of

EXPORT_FORMAT = "cramp-tracker-account"
EXPORT_VERSION = 1

User = Any  # settings.AUTH_USER_MODEL's class


# --- Download ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One kind of row in the download: the model it comes from, what it is in words
    (the download's link lists them), and the user's rows as JSON-ready dicts, made one
    at a time. `renamed`: a model field that the download names otherwise."""

    model: type[models.Model]
    title: str
    rows: Callable[[User], Iterable[dict[str, Any]]]
    renamed: dict[str, str] = field(default_factory=dict)


def account_of(user: User) -> Iterable[dict[str, Any]]:
    yield {
        name: getattr(user, name)
        for name in (
            "username",
            "email",
            "first_name",
            "last_name",
            "date_joined",
            "last_login",
            "is_active",
            "is_staff",
            "is_superuser",
        )
    }


def profile_of(user: User) -> Iterable[dict[str, Any]]:
    profile = Profile.of(user)
    today = profile.targets()
    yield {
        "time_zone": profile.time_zone,
        "sex": profile.sex or None,
        "birth_year": profile.birth_year,
        "birth_month": profile.birth_month,
        "life_stage": profile.life_stage or None,
        "target_source": profile.target_source,
        # The set in force today and why; each day's own is in the CSV export, and the
        # settings as they changed are the target_history section.
        "targets_today": {
            **{m.mg_field: int(today.target_mg(m)) for m in HEADLINE_MINERALS},
            "water_ml": today.water_ml,
            "in_force": today.in_force,
        },
        # null: not set, the set in force gives it.
        "targets": {
            **{
                mineral.target_field: getattr(profile, mineral.target_field)
                for mineral in HEADLINE_MINERALS
            },
            "water_target_ml": profile.water_target_ml,
        },
        "diuretic": profile.diuretic,
        "raises_potassium": profile.raises_potassium,
        "potassium_limited": profile.potassium_limited,
        "diet": profile.diet,
    }


def own_foods_of(user: User) -> Iterable[dict[str, Any]]:
    foods = Food.objects.filter(owner=user, recipe=None).prefetch_related(
        Prefetch("nutrient_amounts", queryset=FoodNutrient.objects.select_related("nutrient")),
        "portions",
    )
    for food in foods:
        yield {
            "id": food.pk,
            "description": food.description,
            "category": food.category,
            "hidden": food.hidden,  # deleted while entries use it: kept for those days
            "nutrients_per_100_g": [
                {
                    "id": amount.nutrient_id,
                    "name": amount.nutrient.name,
                    "unit": amount.nutrient.unit,
                    "amount": amount.amount,
                }
                for amount in food.nutrient_amounts.all()
            ],
            "portions": [
                {"description": portion.description, "grams": portion.grams}
                for portion in food.portions.all()
            ],
        }


# Entries are read in pages of this many, so that a long diary is never whole in memory.
ROWS_AT_ONCE = 2000


def food_of(food: Food) -> dict[str, Any]:
    """A food as an entry, an ingredient or a saved meal's item names it."""
    return {
        "id": food.pk,
        "description": food.description,
        "fdc_id": food.fdc_id,
        "own": food.owner_id is not None,
    }


def amounts_of(rows: Any) -> list[dict[str, Any]]:
    """Ingredients or a saved meal's items: each food and its amount as entered."""
    return [
        {
            "food": food_of(row.food),
            "quantity": row.quantity,
            "unit": row.unit,
            "amount": row.amount_as_entered,
            "grams": row.grams,
        }
        for row in rows
    ]


def recipes_of(user: User) -> Iterable[dict[str, Any]]:
    recipes = Recipe.objects.filter(food__owner=user).select_related("food").order_by("pk")
    return (
        {
            "id": recipe.pk,
            "name": recipe.name,
            "food_id": recipe.food_id,
            "deleted": recipe.food.hidden,  # kept for the days that logged it
            "servings": recipe.servings,
            "cooked_grams": recipe.cooked_grams,
            "ingredients": amounts_of(recipe.ingredients.all()),
        }
        for recipe in recipes.prefetch_related("ingredients__food")
    )


def saved_meals_of(user: User) -> Iterable[dict[str, Any]]:
    return (
        {"name": saved.name, "created_at": saved.created_at, "items": amounts_of(saved.items.all())}
        for saved in user.saved_meals.order_by("pk").prefetch_related("items__food")
    )


def entries_of(user: User, *, water: bool) -> Iterable[dict[str, Any]]:
    entries = Entry.objects.filter(meal__user=user).order_by("meal__day", "created_at", "id")
    if water:
        for entry in (
            entries.filter(food__fdc_id=TAP_WATER_FDC_ID)
            .select_related("meal")
            .iterator(ROWS_AT_ONCE)
        ):
            yield {
                "date": entry.meal.day,
                "meal": entry.meal.slot,
                "ml": entry.grams,
                "created_at": entry.created_at,
            }
        return
    for entry in (
        entries.exclude(food__fdc_id=TAP_WATER_FDC_ID)
        .select_related("meal", "food")
        .iterator(ROWS_AT_ONCE)
    ):
        yield {
            "date": entry.meal.day,
            "meal": entry.meal.slot,
            "food": food_of(entry.food),
            "quantity": entry.quantity,
            "unit": entry.unit,
            "amount": entry.amount_as_entered,
            "grams": entry.grams,
            "created_at": entry.created_at,
        }


def values_of(queryset: Any, *names: str, **renamed: Any) -> Iterable[dict[str, Any]]:
    return queryset.values(*names, **renamed).iterator(ROWS_AT_ONCE)


LOGIN_FIELDS = ("attempt_time", "ip_address", "user_agent", "http_accept", "path_info")

# Each section of the download, in its order. A new model that holds a user's rows adds a
# section here (tests/test_account.py walks every model that points at a user and fails
# until it is here, or in LEFT_OUT with the reason).
SECTIONS: dict[str, Section] = {
    "account": Section(get_user_model(), "your account", account_of),
    "profile": Section(Profile, "profile and settings", profile_of),
    "target_history": Section(
        TargetChange,
        "the history of your targets",
        lambda user: values_of(
            TargetChange.objects.filter(user=user).order_by("valid_from"),
            "valid_from",
            *TARGET_SETTINGS,
        ),
    ),
    "own_foods": Section(Food, "your own foods", own_foods_of),
    "recipes": Section(Recipe, "your recipes", recipes_of),
    "saved_meals": Section(SavedMeal, "saved meals", saved_meals_of),
    "entries": Section(
        Meal,
        "food entries",
        lambda user: entries_of(user, water=False),
        renamed={"day": "date", "slot": "meal"},
    ),
    "water": Section(Meal, "water", lambda user: entries_of(user, water=True)),
    "day_notes": Section(
        DayNote,
        "workout days",
        lambda user: values_of(
            DayNote.objects.filter(user=user).order_by("day"), "intense_workout", date=F("day")
        ),
        renamed={"day": "date"},
    ),
    "cramps": Section(
        Cramp,
        "cramps",
        lambda user: values_of(
            cramps_of(user).order_by("started_at"),
            "started_at",
            "muscle",
            "severity",
            "duration_minutes",
            "activity",
            "note",
            "created_at",
            date=F("day"),
        ),
        renamed={"day": "date"},
    ),
    "own_supplements": Section(
        Supplement,
        "your own supplements",
        lambda user: (
            {
                "name": supplement.name,
                "unit": supplement.unit,
                "per_unit": [str(amount) for amount in supplement.amounts.all()],
            }
            for supplement in user.supplements.prefetch_related("amounts")
        ),
    ),
    "supplements_taken": Section(
        SupplementIntake,
        "supplements taken",
        lambda user: (
            {
                "date": intake.day,
                "supplement": intake.supplement.name,
                "count": intake.count,
                "created_at": intake.created_at,
            }
            for intake in intakes_of(user)
        ),
        renamed={"day": "date"},
    ),
    "api_tokens": Section(
        ApiToken,
        "API tokens (never the tokens themselves)",
        lambda user: values_of(
            user.api_tokens.order_by("created_at"), "name", "prefix", "created_at", "last_used_at"
        ),
    ),
    "request_keys": Section(
        RequestKey,
        "the one-time keys of your latest writes",
        lambda user: values_of(
            user.request_keys.order_by("created_at"), "key", "status_code", "created_at"
        ),
    ),
    "sign_ins": Section(
        AccessLog,
        "sign-ins (time, address, browser)",
        lambda user: values_of(
            AccessLog.objects.filter(username=user.get_username()).order_by("attempt_time"),
            *LOGIN_FIELDS,
            "logout_time",
        ),
    ),
    "failed_sign_ins": Section(
        AccessFailureLog,
        "failed sign-ins",
        lambda user: values_of(
            AccessFailureLog.objects.filter(username=user.get_username()).order_by("attempt_time"),
            *LOGIN_FIELDS,
            "locked_out",
        ),
    ),
    "sign_in_throttling": Section(
        AccessAttempt,
        "sign-in pauses",
        lambda user: values_of(
            AccessAttempt.objects.filter(username=user.get_username()).order_by("attempt_time"),
            *LOGIN_FIELDS,
            "get_data",
            "post_data",
            "failures_since_start",
        ),
    ),
    "admin_actions": Section(
        LogEntry,
        "your changes as staff",
        lambda user: values_of(
            LogEntry.objects.filter(user=user).order_by("action_time"),
            "action_time",
            "content_type",
            "object_id",
            "object_repr",
            "action_flag",
            "change_message",
        ),
    ),
}

# What the app holds about a person and leaves out of the download, and why: each is a
# copy, a sum or a hash of what the download holds, or the app's own bookkeeping.
LEFT_OUT = {
    "auth.User.password": "a salted hash of your password, of no use to anyone",
    "tracker.Profile.revision": "a count of your changes, for the pages kept in memory",
    "tracker.Cramp.version": "a count of changes, to catch an edit from an old page",
    "tracker.SavedMeal.version": "a count of changes, to catch an edit from an old page",
    "tracker.Profile.version": "a count of changes, to catch an edit from an old page",
    "tracker.SupplementIntake.version": "a count of changes, to catch an edit from an old page",
    "tracker.ApiToken.token_hash": "a hash of the token, which only you hold",
    "tracker.RequestKey.fingerprint": "a hash of the request the key came with",
    "tracker.RequestKey.response_body": "the answer to that request: a row already here",
    "tracker.DayTotal": "each day's sums of the entries here, kept for speed",
    "tracker.DayNutrientTotal": "each day's sums of the entries here, kept for speed",
    "nutrients.Food.source": "always user for your own foods",
    "nutrients.Food.fdc_id": "FoodData Central's id: empty for your own foods",
    "nutrients.Food.data_type": "FoodData Central's kind of food: empty for your own foods",
    "nutrients.Food.brand_owner": "a brand: empty for your own foods",
    "nutrients.Food.gtin": "a barcode: empty for your own foods",
    "nutrients.Food.search_text": "the description as search reads it",
    "nutrients.Food.search_rank": "search's order, made from the description",
    "nutrients.Food.everyday_rank": "search's order, for the everyday foods list",
    "nutrients.Food.times_logged": "how often foods are logged across the site",
    "nutrients.Food.staff_edited": "a mark for staff's edits of shared foods",
    "nutrients.Food.calcium_poorly_absorbed": "a mark staff give shared foods",
    "axes.AccessLog.session_hash": "a hash of the session's key",
    "tracker.UserSession": "your signed-in browsers' keys: anyone holding them could act as you",
}


def download_contents() -> str:
    """What the download holds, in words, for its link."""
    titles = list(dict.fromkeys(section.title for section in SECTIONS.values()))
    return ", ".join(titles[:-1]) + " and " + titles[-1]


def to_json(value: Any) -> str:
    # DjangoJSONEncoder: dates and times in ISO 8601, decimals as exact strings ("118.00").
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def account_json_chunks(user: User) -> Iterator[str]:
    """Everything the app holds about the user, as one JSON document made a row at a
    time: its shape is in the README ("Your data"). "account" and "profile" are one
    object each; every other section a list."""
    yield "{\n" + ",\n".join(
        f"{to_json(name)}: {to_json(value)}"
        for name, value in (
            ("format", EXPORT_FORMAT),
            ("version", EXPORT_VERSION),
            ("exported_at", timezone.now()),
        )
    )
    for name, section in SECTIONS.items():
        rows = section.rows(user)
        if name in SINGLE_ROW_SECTIONS:
            yield f",\n{to_json(name)}: {to_json(next(iter(rows)))}"
            continue
        yield f",\n{to_json(name)}: ["
        for number, row in enumerate(rows):
            yield ("," if number else "") + "\n " + to_json(row)
        yield "]"
    yield "\n}\n"


SINGLE_ROW_SECTIONS = ("account", "profile")


def account_json(user: User) -> str:
    return "".join(account_json_chunks(user))


@login_required
@require_GET
def download_data(request: HttpRequest) -> StreamingHttpResponse:
    """/accounts/data/: all of it as one JSON file, sent as it is made."""
    response = StreamingHttpResponse(
        account_json_chunks(request.user), content_type="application/json"
    )
    filename = f"cramp-tracker-{request.user.pk}-{date.today():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Deletion ---------------------------------------------------------------------------


def erase_account(user: User) -> None:
    """Delete the user and every row of theirs, in one transaction.

    The user's foreign keys cascade to their profile, meals and entries, own foods (with
    their nutrients, portions and the entries of them), day notes, API tokens and request
    keys, their recipes (own foods too, with their ingredients) and saved meals, their
    sessions (UserSession), and the admin's log of what they did as staff.
    Rows that name the user without a foreign key go by hand: the login throttling's
    records (by user name), and the user's name in the admin's history of changes to the
    account. No query reads rows of other users.
    """
    username = user.get_username()
    with transaction.atomic():
        # The admin's history of changes to the account (kept: it is the staff's record)
        # names it by number only from now on.
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
        ).update(object_repr=f"deleted user #{user.pk}")
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username=username).delete()
        # Their sessions (UserSession, expired ones too) go with the user, by its foreign key.
        user.delete()


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you.",
        error_messages={"required": "Enter your password to delete your account."},
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password; nothing was deleted.")
        return password


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    """/accounts/delete/: with the password, the account and all its data go at once."""
    # Bound on every POST, an empty one too: it then says that the password is missing.
    data = request.POST if request.method == "POST" else None
    form = DeleteAccountForm(data, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        erase_account(user)
        messages.success(request, "Your account and all its data are deleted.")
        return redirect("home")
    return render(request, "registration/delete_account.html", {"form": form})


def user_for_command(username: str) -> User:
    """The user a staff command names; CommandError when there is none."""
    from django.contrib.auth import get_user_model
    from django.core.management.base import CommandError

    try:
        return get_user_model().objects.get(**{get_user_model().USERNAME_FIELD: username})
    except get_user_model().DoesNotExist:
        raise CommandError(f"No user {username!r}.") from None
