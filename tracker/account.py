"""A person's data is theirs: download all of it, or delete the account with all of it.

`account_data(user)` is everything the app holds about a user, as one JSON document (its
shape is in the README, "Your data"); `erase_account(user)` removes every row of theirs.
The pages are /accounts/data/ and /accounts/delete/; staff answering a request by email
use `manage.py export_account` and `manage.py delete_account`, and the admin's user
delete erases the same way (tracker/admin.py).

A new model holding a user's rows adds one line to SECTIONS (its rows in the download);
its foreign key to the user with on_delete=CASCADE is what takes its rows on deletion,
and tests/test_account.py checks that no model keeps a row of a deleted user.
"""

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from nutrients.models import Food, FoodNutrient
from nutrients.report import HEADLINE_MINERALS, TAP_WATER_FDC_ID
from tracker.cramps import cramps_of
from tracker.models import DayNote, Entry, Profile, settings_of
from tracker.supplements import intakes_of

EXPORT_FORMAT = "cramp-tracker-account"
EXPORT_VERSION = 1

User = Any  # settings.AUTH_USER_MODEL's class


# --- Download ---------------------------------------------------------------------------


def profile_of(user: User) -> dict[str, Any]:
    profile = Profile.of(user)
    today = profile.targets()
    return {
        "time_zone": profile.time_zone,
        "sex": profile.sex or None,
        "birth_year": profile.birth_year,
        "birth_month": profile.birth_month,
        "life_stage": profile.life_stage or None,
        "target_source": profile.target_source,
        # The set in force today and why; each day's own is in the CSV export.
        "targets_today": {
            **{m.mg_field: int(today.target_mg(m)) for m in HEADLINE_MINERALS},
            "water_ml": today.water_ml,
            "in_force": today.in_force,
        },
        # The settings as they changed, each from its date: past days keep theirs.
        "target_history": [
            {"valid_from": change.valid_from.isoformat(), **settings_of(change)}
            for change in user.target_changes.order_by("valid_from")
        ],
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


def own_foods_of(user: User) -> list[dict[str, Any]]:
    foods = Food.objects.filter(owner=user).prefetch_related(
        Prefetch("nutrient_amounts", queryset=FoodNutrient.objects.select_related("nutrient")),
        "portions",
    )
    return [
        {
            "id": food.pk,
            "description": food.description,
            "category": food.category,
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
        for food in foods
    ]


def entries_of(user: User, *, water: bool) -> list[dict[str, Any]]:
    entries = Entry.objects.filter(meal__user=user).order_by("meal__day", "created_at", "id")
    if water:
        return [
            {
                "date": entry.meal.day,
                "meal": entry.meal.slot,
                "ml": entry.grams,
                "created_at": entry.created_at,
            }
            for entry in entries.filter(food__fdc_id=TAP_WATER_FDC_ID).select_related("meal")
        ]
    return [
        {
            "date": entry.meal.day,
            "meal": entry.meal.slot,
            "food": {
                "id": entry.food_id,
                "description": entry.food.description,
                "fdc_id": entry.food.fdc_id,
                "own": entry.food.owner_id is not None,
            },
            "quantity": entry.quantity,
            "unit": entry.unit,
            "amount": entry.amount_as_entered,
            "grams": entry.grams,
            "created_at": entry.created_at,
        }
        for entry in entries.exclude(food__fdc_id=TAP_WATER_FDC_ID).select_related("meal", "food")
    ]


# Each section of the download: a name and the user's rows. One line per kind of row.
SECTIONS: dict[str, Callable[[User], Any]] = {
    "profile": profile_of,
    "own_foods": own_foods_of,
    "entries": lambda user: entries_of(user, water=False),
    "water": lambda user: entries_of(user, water=True),
    "day_notes": lambda user: list(
        DayNote.objects.filter(user=user).order_by("day").values("intense_workout", date=F("day"))
    ),
    "cramps": lambda user: list(
        cramps_of(user)
        .order_by("started_at")
        .values(
            "started_at",
            "muscle",
            "severity",
            "duration_minutes",
            "activity",
            "note",
            date=F("day"),
        )
    ),
    "own_supplements": lambda user: [
        {
            "name": supplement.name,
            "unit": supplement.unit,
            "per_unit": [str(amount) for amount in supplement.amounts.all()],
        }
        for supplement in user.supplements.prefetch_related("amounts")
    ],
    "supplements_taken": lambda user: [
        {"date": intake.day, "supplement": intake.supplement.name, "count": intake.count}
        for intake in intakes_of(user)
    ],
    "api_tokens": lambda user: list(
        user.api_tokens.order_by("created_at").values(
            "name", "prefix", "created_at", "last_used_at"
        )
    ),
}


def account_data(user: User) -> dict[str, Any]:
    """Everything the app holds about the user, as plain JSON-ready values."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now(),
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined,
        },
        **{name: rows(user) for name, rows in SECTIONS.items()},
    }


def account_json(user: User) -> str:
    # DjangoJSONEncoder: dates and times in ISO 8601, decimals as exact strings ("118.00").
    return json.dumps(account_data(user), cls=DjangoJSONEncoder, indent=1, ensure_ascii=False)


@login_required
@require_GET
def download_data(request: HttpRequest) -> HttpResponse:
    """/accounts/data/: all of it as one JSON file."""
    response = HttpResponse(account_json(request.user), content_type="application/json")
    filename = f"cramp-tracker-{request.user.pk}-{date.today():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Deletion ---------------------------------------------------------------------------


def erase_account(user: User) -> None:
    """Delete the user and every row of theirs, in one transaction.

    The user's foreign keys cascade to their profile, meals and entries, own foods (with
    their nutrients, portions and the entries of them), day notes, API tokens and request
    keys, and the admin's log of what they did as staff. Rows that name the user without a
    foreign key go by hand: the login throttling's records (by user name), their sessions
    (by the user id inside the session data; each session is read, which is fine at this
    app's size), and the user's name in the admin's history of changes to the account.
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
        their_sessions = [
            session.pk
            for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
            if session.get_decoded().get("_auth_user_id") == str(user.pk)
        ]
        Session.objects.filter(pk__in=their_sessions).delete()
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
