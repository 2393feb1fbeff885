from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)
from django_htmx.http import reswap, retarget
from django_htmx.middleware import HtmxDetails

from nutrients.models import SEARCH_MAX_LENGTH, SEARCH_MIN_LENGTH, Food
from nutrients.report import HEADLINE_NAMES, TAP_WATER_FDC_ID
from tracker.day_data import day_report, trend
from tracker.diary_days import FIRST_DAY, LAST_DAY, parse_diary_day
from tracker.forms import CopyForm, EntryForm, ProfileForm, SignUpForm, WaterForm, default_slot
from tracker.models import DayNote, DayTotal, Entry, Meal, Profile

SEARCH_RESULTS = 20


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it (its documented typing pattern)."""

    htmx: HtmxDetails


@require_safe  # GET and HEAD: load balancers use either
def healthz(request: HttpRequest) -> HttpResponse:
    """For a load balancer's health check: the app answers, touching no database.

    Also the benchmarks' baseline: what Django and our middleware cost with no work.
    """
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("tracker:today")
    return render(request, "tracker/home.html")


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("tracker:today")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        Profile.objects.create(user=user)
        login(request, user, backend="tracker.middleware.UserWithProfileBackend")
        messages.success(request, f"Welcome, {user.username}! Your diary is ready.")
        return redirect("tracker:today")
    return render(request, "registration/signup.html", {"form": form})


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """What django-axes answers (AXES_LOCKOUT_CALLABLE) to a login refused after too many
    wrong passwords: our page, with how long to wait, and 429 Too Many Requests."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.profile)
    if request.method == "POST" and "reset_targets" in request.POST:
        form.reset_targets()
        messages.success(request, "Targets are back to the defaults.")
        return redirect("profile")
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Profile saved.")
        return redirect("profile")
    tokens = request.user.api_tokens.all()  # made and revoked in tracker/tokens.py
    return render(request, "tracker/profile.html", {"form": form, "tokens": tokens})


@login_required
@require_GET
def today(request: HtmxHttpRequest) -> HttpResponse:
    # The date picker submits ?date=YYYY-MM-DD; without JavaScript that lands here.
    picked = request.GET.get("date", "")
    if picked:
        try:
            day = parse_diary_day(picked)
        except ValueError:
            messages.error(request, f"“{picked}” is not a date the diary can show.")
            return redirect("tracker:today")
        return redirect("tracker:day", day=day)
    return day_page(request, timezone.localdate())


@login_required
@require_GET
def day(request: HtmxHttpRequest, day: date) -> HttpResponse:
    return day_page(request, day)


def day_page(request: HtmxHttpRequest, day: date) -> HttpResponse:
    """The diary of one day. With htmx, the same URL answers the search and the food pick."""
    search = food_search(request)
    food = chosen_food(request)
    if request.htmx and request.htmx.target == "search-results":
        return render(request, "tracker/day.html#search-results", {"day": day, **search})
    if request.htmx and request.htmx.target == "entry-form":
        return render(
            request,
            "tracker/day.html#entry-form",
            {"day": day, "entry_form": new_entry_form(request, food)},
        )
    context = day_context(request, day, entry_form=new_entry_form(request, food))
    return render(request, "tracker/day.html", {**context, **search})


@login_required
@require_POST
def add_entry(request: HtmxHttpRequest, day: date) -> HttpResponse:
    form = EntryForm(request.POST, user=request.user)
    if form.is_valid():
        entry = form.save(user=request.user, day=day)
        slot = entry.meal.get_slot_display().lower()
        messages.success(request, f"Added {entry.food}, {entry.amount_as_entered}, to {slot}.")
        if request.POST.get("next") == "report":  # logged from a suggestion on the dashboard
            return redirect("tracker:report", day=day)
        return day_changed(request, day)
    if request.htmx:
        response = render(request, "tracker/day.html#entry-form", {"day": day, "entry_form": form})
        return reswap(retarget(response, "#entry-form"), "outerHTML")
    return render(request, "tracker/day.html", day_context(request, day, entry_form=form))


@login_required
@require_http_methods(["GET", "POST"])
def edit_entry(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        Entry.objects.select_related("meal", "food"), pk=pk, meal__user=request.user
    )
    if request.method == "POST":
        # The food of an entry stays; only its amount, unit and meal change.
        data = request.POST.copy()
        data["food"] = str(entry.food_id)
        form = EntryForm(data, user=request.user, food=entry.food, auto_id=f"edit{entry.pk}_%s")
        if form.is_valid():
            form.save(user=request.user, day=entry.meal.day, entry=entry)
            messages.success(request, f"Changed {entry.food} to {entry.amount_as_entered}.")
            return day_changed(request, entry.meal.day)
    else:
        form = EntryForm(
            user=request.user,
            food=entry.food,
            auto_id=f"edit{entry.pk}_%s",
            initial={
                "food": entry.food_id,
                "quantity": entry.quantity.normalize(),
                "unit": str(entry.portion_id) if entry.portion_id else "g",
                "slot": entry.meal.slot,
            },
        )
    context = {"entry": entry, "form": form, "day": entry.meal.day}
    if request.htmx:
        response = render(request, "tracker/entry_edit.html#edit-form", context)
        if request.method == "POST":
            response = reswap(retarget(response, f"#edit-entry-{entry.pk}"), "outerHTML")
        return response
    return render(request, "tracker/entry_edit.html", context)


@login_required
@require_POST
def delete_entry(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        Entry.objects.select_related("meal", "food"), pk=pk, meal__user=request.user
    )
    entry.delete()
    DayTotal.refresh(request.user, [entry.meal.day])
    messages.success(request, f"Removed {entry.food}, {entry.amount_as_entered}.")
    return day_changed(request, entry.meal.day)


@login_required
@require_POST
def add_water(request: HtmxHttpRequest, day: date) -> HttpResponse:
    form = WaterForm(request.POST)
    if not form.is_valid():
        return day_not_changed(request, day, water_form=form)
    tap_water = Food.objects.filter(fdc_id=TAP_WATER_FDC_ID).first()
    if tap_water is None:
        messages.error(
            request,
            "Tap water is missing from the food table; ask the admin to load the seed foods.",
        )
        return day_not_changed(request, day)
    meal, _ = Meal.objects.get_or_create(
        user=request.user, day=day, slot=default_slot(timezone.localtime())
    )
    ml = form.cleaned_data["ml"]
    Entry.objects.create(meal=meal, food=tap_water, grams=ml, quantity=ml, unit="ml")
    DayTotal.refresh(request.user, [day])
    messages.success(request, f"Added {ml} ml of water.")
    return day_changed(request, day)


@login_required
@require_POST
def copy_entries(request: HtmxHttpRequest, day: date) -> HttpResponse:
    form = CopyForm(request.POST, day=day)
    if not form.is_valid():
        return day_not_changed(request, day, copy_form=form)
    from_day, slot = form.cleaned_data["from_day"], form.cleaned_data["slot"]
    entries = Entry.objects.for_day(request.user, from_day)
    if slot:
        entries = entries.filter(meal__slot=slot)
    copied = entries.copy_to(request.user, day)
    what = Meal.Slot(slot).label.lower() if slot else "entries"
    from_text = f"{from_day:%A} {from_day.day} {from_day:%B}"
    if copied:
        noun = "entry" if copied == 1 else "entries"
        messages.success(request, f"Copied {copied} {noun} ({what}) from {from_text}.")
    else:
        messages.warning(request, f"Nothing to copy: no {what} logged on {from_text}.")
    return day_changed(request, day)


@login_required
@require_GET
def report(request: HttpRequest, day: date) -> HttpResponse:
    """The dashboard: how the day's minerals stand, the cramp risk and what would help."""
    context = {
        **day_navigation(day),
        "report": day_report(request.profile, day, with_suggestions=True),
        "trend": trend(request.profile, day),
        "default_slot": default_slot(timezone.localtime()),
        "headline_names": HEADLINE_NAMES,
    }
    return render(request, "tracker/report.html", context)


@login_required
@require_POST
def set_workout(request: HttpRequest, day: date) -> HttpResponse:
    intense = request.POST.get("intense_workout") == "1"
    DayNote.objects.update_or_create(
        user=request.user, day=day, defaults={"intense_workout": intense}
    )
    if intense:
        messages.success(request, "Marked as an intense-workout day.")
    else:
        messages.success(request, "No longer marked as an intense-workout day.")
    return redirect("tracker:report", day=day)


def day_changed(request: HtmxHttpRequest, day: date) -> HttpResponse:
    """After a change: htmx gets the day's body again ("view restart"), others a redirect."""
    if not request.htmx:
        return redirect("tracker:day", day=day)
    context = day_context(request, day)
    context["autofocus_search"] = True  # ready for the next food
    return render(request, "tracker/day.html#day-body", context)


def day_not_changed(request: HtmxHttpRequest, day: date, **forms: Any) -> HttpResponse:
    template = "tracker/day.html#day-body" if request.htmx else "tracker/day.html"
    return render(request, template, day_context(request, day, **forms))


def chosen_food(request: HttpRequest) -> Food | None:
    food_id = request.GET.get("food", "")
    if not food_id:
        return None
    try:
        return Food.objects.visible_to(request.user).get(pk=food_id)
    except (Food.DoesNotExist, ValueError):  # ValueError: no whole number ("²", "abc")
        raise Http404("No such food.") from None


def food_search(request: HttpRequest) -> dict[str, Any]:
    """The search box's query (?q=), cut to length, and the first page of its results."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    too_short = len(query) < SEARCH_MIN_LENGTH
    results = [] if too_short else Food.objects.visible_to(request.user).search(query)
    return {
        "query": query,
        "query_too_short": query and too_short,
        "results": list(results[:SEARCH_RESULTS]),
        "search_min_length": SEARCH_MIN_LENGTH,
        "search_max_length": SEARCH_MAX_LENGTH,
    }


def new_entry_form(request: HttpRequest, food: Food | None) -> EntryForm | None:
    if food is None:
        return None
    form = EntryForm(user=request.user, food=food)
    # Picking a food moves the focus to its amount, so the keyboard flow goes on.
    form.fields["quantity"].widget.attrs["autofocus"] = True
    first_unit = next(iter(form.portions), "g")
    form.initial = {
        "food": food.pk,
        "quantity": 1 if first_unit != "g" else 100,
        "unit": first_unit,
        "slot": default_slot(timezone.localtime()),
    }
    return form


def day_context(
    request: HttpRequest,
    day: date,
    *,
    entry_form: EntryForm | None = None,
    water_form: WaterForm | None = None,
    copy_form: CopyForm | None = None,
) -> dict[str, Any]:
    report = day_report(request.profile, day)
    meals = [
        {
            "slot": slot,
            "label": label,
            "entries": [e for e in report.entries if e.meal.slot == slot],
        }
        for slot, label in Meal.Slot.choices
    ]
    return {
        **day_navigation(day),
        "report": report,
        "meals": meals,
        "recent": Entry.objects.recent_for(request.user),
        "entry_form": entry_form,
        "water_form": water_form or WaterForm(),
        "copy_form": copy_form or CopyForm(day=day),
    }


def day_navigation(day: date) -> dict[str, date]:
    return {
        "first_day": FIRST_DAY,
        "last_day": LAST_DAY,
        "day": day,
        "today": timezone.localdate(),
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
    }
