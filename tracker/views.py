from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)
from django_htmx.http import reswap, retarget

from nutrients.models import Food
from nutrients.report import HEADLINE_MINERALS, HEADLINE_NAMES, TAP_WATER_FDC_ID
from nutrients.search import SEARCH_MAX_LENGTH, SEARCH_MIN_LENGTH, short_name
from nutrients.supplements import POTASSIUM_WARNING
from nutrients.targets import DEFAULTS_EXPLAINED
from tracker import quick_log
from tracker.day_data import day_report, trend
from tracker.day_page import (
    HtmxHttpRequest,
    day_changed,
    day_context,
    day_navigation,
    day_not_changed,
    meal_in_use,
)
from tracker.diary_days import parse_diary_day
from tracker.forms import CopyForm, EntryForm, ProfileForm, SignUpForm, WaterForm, default_slot
from tracker.models import (
    RECENT_ENTRIES,
    TIME_ZONES,
    Copied,
    DayNote,
    DayTotal,
    EmailNotice,
    Entry,
    Meal,
    Profile,
    TargetChange,
    settings_of,
)
from tracker.once import ALREADY_SAVED, first_time
from tracker.page_cache import kept_page
from tracker.quick_log import Preview, preview_of_form

SEARCH_RESULTS = 20
# "More results" stops here (200 foods): past that, more words help more than paging.
SEARCH_MAX_PAGES = 10


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
    # Not `request.POST or None`: an empty POST must say what is missing, not show the form.
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            form.profile(user)
        login(request, user, backend="tracker.middleware.UserWithProfileBackend")
        messages.success(request, f"Welcome, {user.username}! Your diary is ready.")
        response = redirect("tracker:today")
        after_response(response, lambda: tell_owners_of_the_email(request, user))
        return response
    return render(request, "registration/signup.html", {"form": form})


def after_response(response: HttpResponse, work: Callable[[], None]) -> None:
    """Run work once the answer has been sent (the server closes the response then), so
    that the person waits for none of it."""
    response._resource_closers.append(work)


def tell_owners_of_the_email(request: HttpRequest, new_user: Any) -> None:
    """Signing up with an email that an account has already works, so that the page does
    not tell who is registered; the address gets one email about it instead, naming its
    accounts, and at most one a day (EmailNotice), however many sign-ups use it."""
    others = list(
        type(new_user)
        .objects.filter(email__iexact=new_user.email)
        .exclude(pk=new_user.pk)
        .order_by("pk")
        .values_list(type(new_user).USERNAME_FIELD, "email")
    )
    if not others or not EmailNotice.claim(new_user.email):
        return
    context = {
        "new_username": new_user.get_username(),
        "existing_usernames": ", ".join(f'"{username}"' for username, _ in others),
        "several": len(others) > 1,
        "reset_url": request.build_absolute_uri(reverse("password_reset")),
    }
    send_mail(
        "A new Cramp Tracker account uses your email address",
        render_to_string("registration/email_in_use_email.txt", context),
        None,
        sorted({email for _, email in others}),
    )


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
    before = settings_of(request.profile)  # the form changes the instance as it validates
    # Not `request.POST or None`: an empty POST must say what is missing, not show the form.
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, instance=request.profile)
    if request.method == "POST" and "reset_targets" in request.POST:
        TargetChange.record(form.reset_targets(), before)
        messages.success(request, "Targets are back to the defaults.")
        return redirect("profile")
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        TargetChange.record(saved, before)
        if form.switched_to_reference:
            messages.success(
                request,
                f"Profile saved. Your targets are now the reference intakes for "
                f"{saved.targets().reference.group}; choose the defaults below to keep those.",
            )
        else:
            messages.success(request, "Profile saved.")
        return redirect("profile")
    return profile_page(request, form)


# A token just made, kept in the session only until the profile page shows it once.
NEW_TOKEN_SESSION_KEY = "new_api_token"


def profile_page(request: HttpRequest, form: ProfileForm, **context: Any) -> HttpResponse:
    """The profile page: its form, the targets in force, the API tokens (made and revoked
    in tracker/tokens.py) and, once, a token just made."""
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None) or {}
    tokens = request.user.api_tokens.all()
    targets = Profile.objects.get(pk=request.profile.pk).targets()  # as saved, not as typed
    target_lines = [
        {
            "name": m.name,
            "amount": f"{targets.target_mg(m):,.0f} mg",
            "source": targets.sources[m.key],
        }
        for m in HEADLINE_MINERALS
    ] + [
        {"name": "Water", "amount": f"{targets.water_ml:,} ml", "source": targets.sources["water"]}
    ]
    context = {
        "form": form,
        "tokens": tokens,
        "target_lines": target_lines,
        "targets": targets,
        "defaults_explained": [(m.name, DEFAULTS_EXPLAINED[m.key]) for m in HEADLINE_MINERALS],
        "new_token": new_token.get("token"),
        "new_token_name": new_token.get("name", ""),
        **context,
    }
    return render(request, "tracker/profile.html", context)


@login_required
@require_POST
def switch_time_zone(request: HttpRequest) -> HttpResponse:
    """The one-click answer to "your browser's clock is in another zone" (base.html): the
    diary follows the browser's zone from now on, and the page is shown again."""
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("tracker:today")
    zone = request.POST.get("time_zone", "")
    if zone not in TIME_ZONES:
        messages.error(request, "That time zone is not one we know: choose yours in your profile.")
        return redirect(next_url)
    request.profile.time_zone = zone
    request.profile.save(update_fields=["time_zone"])
    messages.success(request, f"Your diary now keeps {zone.replace('_', ' ')} time.")
    return redirect(next_url)


@login_required
@require_GET
@kept_page
def today(request: HtmxHttpRequest) -> HttpResponse:
    # The date picker submits ?date=YYYY-MM-DD; without JavaScript that lands here.
    picked = request.GET.get("date", "")
    if picked:
        try:
            day = parse_diary_day(picked)
        except ValueError as error:
            messages.error(request, f"“{picked[:20]}” is not a date the diary can show. {error}")
            return redirect("tracker:today")
        return redirect("tracker:day", day=day)
    return day_page(request, timezone.localdate())


@login_required
@require_GET
@kept_page
def day(request: HtmxHttpRequest, day: date) -> HttpResponse:
    return day_page(request, day)


def day_page(request: HtmxHttpRequest, day: date) -> HttpResponse:
    """The diary of one day. With htmx, the same URL answers the search and the food pick."""
    search = food_search(request)
    food = chosen_food(request)
    if request.htmx and request.htmx.target == "search-results":
        return render(request, "tracker/day.html#search-results", {"day": day, **search})
    if request.htmx and request.htmx.target == "entry-preview" and food is not None:
        # The live preview: what the amount being typed will add, before "Add".
        form = EntryForm(request.GET, user=request.user, food=food)
        context = {"day": day, "entry_form": form, "preview": preview_of_form(form)}
        return render(request, "tracker/day.html#entry-preview", context)
    entry_form, preview = new_entry_form(request, food)
    if request.htmx and request.htmx.target == "entry-form":
        context = {"day": day, "entry_form": entry_form, "preview": preview}
        return render(request, "tracker/day.html#entry-form", context)
    context = day_context(request, day, entry_form=entry_form)
    return render(request, "tracker/day.html", {**context, **search, "preview": preview})


@login_required
@require_POST
def add_entry(request: HtmxHttpRequest, day: date) -> HttpResponse:
    form = EntryForm(request.POST, user=request.user, ask_really=True)
    if form.is_valid():
        with transaction.atomic(savepoint=False):  # in the request's (page_cache.py)
            first = first_time(request.user, form.cleaned_data["once"], request.path)
            entry = form.save(user=request.user, day=day) if first else None
        if entry is None:
            messages.info(request, ALREADY_SAVED)
        else:
            slot = entry.meal.get_slot_display().lower()
            food = short_name(entry.food.description)
            messages.success(request, f"Added {food}, {entry.amount_as_entered}, to {slot}.")
        if request.POST.get("next") == "report":  # logged from a suggestion on the dashboard
            if request.htmx:  # view restart: the report's body again, with the new totals
                return render(
                    request, "tracker/report.html#report-body", report_context(request, day)
                )
            return redirect("tracker:report", day=day)
        if entry is None:
            return day_changed(request, day)
        return day_changed(
            request, day, form.stored[day].totals, meals=[entry.meal.slot], added=[entry]
        )
    preview = preview_of_form(form)
    if request.htmx:
        context = {"day": day, "entry_form": form, "preview": preview}
        response = render(request, "tracker/day.html#entry-form", context)
        return reswap(retarget(response, "#entry-form"), "outerHTML")
    context = day_context(request, day, entry_form=form)
    return render(request, "tracker/day.html", {**context, "preview": preview})


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
        form = EntryForm(
            data, user=request.user, food=entry.food, auto_id=f"edit{entry.pk}_%s", ask_really=True
        )
        if form.is_valid():
            with transaction.atomic(savepoint=False):
                # Locked until saved: two saves of the same version cannot both win.
                entry = (
                    Entry.objects.select_for_update(of=("self",))
                    .select_related("meal", "food")
                    .get(pk=entry.pk)
                )
                seen = form.cleaned_data["version"]
                stale = seen is not None and seen != entry.version
                moved_from = entry.meal.slot
                if not stale:
                    form.save(user=request.user, day=entry.meal.day, entry=entry)
            if stale:
                form = stale_edit_form(request, entry, data)
            else:
                messages.success(request, f"Changed {entry.food} to {entry.amount_as_entered}.")
                day = entry.meal.day
                meals = [moved_from, entry.meal.slot]
                return day_changed(request, day, form.stored[day].totals, meals=meals)
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
                "version": entry.version,
            },
        )
        # The keyboard goes on here, the amount selected: typing replaces it.
        form.fields["quantity"].widget.attrs.update(
            {"autofocus": True, "data-select-on-pick": True}
        )
    context = {"entry": entry, "form": form, "day": entry.meal.day}
    if request.htmx:
        response = render(request, "tracker/entry_edit.html#edit-form", context)
        if request.method == "POST":
            response = reswap(retarget(response, f"#edit-entry-{entry.pk}"), "outerHTML")
        return response
    return render(request, "tracker/entry_edit.html", context)


def stale_edit_form(request: HttpRequest, entry: Entry, data: Any) -> EntryForm:
    """The entry changed since the form was shown (another tab, the API): nothing is
    saved; the form keeps what the user typed, says what the entry holds now, and a
    second save replaces that on purpose."""
    data = data.copy()
    data["version"] = str(entry.version)
    form = EntryForm(data, user=request.user, food=entry.food, auto_id=f"edit{entry.pk}_%s")
    form.is_valid()
    slot = entry.meal.get_slot_display().lower()
    form.add_error(
        None,
        f"This entry was changed elsewhere since you opened it: it is now "
        f"{entry.amount_as_entered} in {slot}. Your change is not saved yet: save again "
        f"to replace it, or cancel to keep it.",
    )
    return form


@login_required
@require_POST
def delete_entry(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        Entry.objects.select_related("meal", "food"), pk=pk, meal__user=request.user
    )
    with transaction.atomic(savepoint=False):
        entry.delete()
        stored = DayTotal.refresh(request.user, [entry.meal.day])
    messages.success(request, f"Removed {entry.food}, {entry.amount_as_entered}.")
    day = entry.meal.day
    return day_changed(request, day, stored[day].totals, meals=[entry.meal.slot])


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
    ml, slot = form.cleaned_data["ml"], meal_in_use(request)
    with transaction.atomic(savepoint=False):
        first = first_time(request.user, form.cleaned_data["once"], request.path)
        if first:
            meal, _ = Meal.objects.get_or_create(user=request.user, day=day, slot=slot)
            water = Entry.objects.create(
                meal=meal, food=tap_water, grams=ml, quantity=ml, unit="ml"
            )
            stored = DayTotal.refresh(request.user, [day], only_added=True)
    if not first:
        messages.info(request, ALREADY_SAVED)
        return day_changed(request, day)
    messages.success(request, f"Added {ml} ml of water.")
    return day_changed(request, day, stored[day].totals, meals=[slot], added=[water])


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
    with transaction.atomic(savepoint=False):
        first = first_time(request.user, form.cleaned_data["once"], request.path)
        result = entries.copy_to(request.user, day) if first else None
    if result is None:
        messages.info(request, ALREADY_SAVED)
        return day_changed(request, day)
    messages.add_message(request, *copy_message(result, slot, from_day))
    return day_changed(request, day)


def copy_message(result: Copied, slot: str, from_day: date) -> tuple[int, str]:
    """ "Copied 2 entries from breakfast on Saturday 21 November; 1 was already here."."""
    source = f"{from_day:%A} {from_day.day} {from_day:%B}"
    if slot:
        source = f"{Meal.Slot(slot).label.lower()} on {source}"
    if not result.copied and not result.skipped:
        return messages.WARNING, f"Nothing to copy: nothing logged for {source}."
    if not result.copied:
        already = "It is" if result.skipped == 1 else f"All {result.skipped} entries are"
        return messages.INFO, f"Nothing copied from {source}: {already.lower()} already here."
    text = f"Copied {entries_count(result.copied)} from {source}"
    if result.skipped:
        was = "was" if result.skipped == 1 else "were"
        text += f"; {entries_count(result.skipped)} already here {was} skipped"
    return messages.SUCCESS, text + "."


def entries_count(count: int) -> str:
    return f"{count:,} {'entry' if count == 1 else 'entries'}"


@login_required
@require_GET
@kept_page
def report(request: HttpRequest, day: date) -> HttpResponse:
    """The dashboard: how the day's minerals stand, the cramp risk and what would help."""
    return render(request, "tracker/report.html", report_context(request, day))


def report_context(request: HttpRequest, day: date) -> dict[str, Any]:
    """What the report's body (#report-body, all of it but the day navigation) needs."""
    return {
        **day_navigation(day),
        "report": day_report(request.profile, day, with_suggestions=True),
        "trend": trend(request.profile, day),
        "default_slot": default_slot(timezone.localtime()),
        "slots": Meal.Slot.choices,
        "headline_names": HEADLINE_NAMES,
        "potassium_warning": POTASSIUM_WARNING,
    }


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


def chosen_food(request: HttpRequest) -> Food | None:
    food_id = request.GET.get("food", "")
    if not food_id:
        return None
    try:
        # With the everyday list's serving, where its first portion starts (quick_log).
        return (
            Food.objects.visible_to(request.user)
            .annotate(
                everyday_serving=F("everyday__serving"), everyday_grams=F("everyday__serving_grams")
            )
            .get(pk=food_id)
        )
    except (Food.DoesNotExist, ValueError):  # ValueError: no whole number ("²", "abc")
        raise Http404("No such food.") from None


def food_search(request: HttpRequest, foods: Any = None) -> dict[str, Any]:
    """The search box's query (?q=), cut to length, and its results up to ?page= × 20.

    The user's recent foods (a subquery, not a query of its own) come first. `foods`
    narrows what is searched (a recipe's ingredients: no recipes), else every food the
    user may log.
    """
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    page = search_page(request)
    too_short = len(query) < SEARCH_MIN_LENGTH
    shown = SEARCH_RESULTS * page
    results = []
    if not too_short:
        recent = (
            Entry.objects.filter(meal__user=request.user)
            .order_by("-meal__day", "-meal__slot")
            .values("food_id")[:RECENT_ENTRIES]
        )
        if foods is None:
            foods = Food.objects.visible_to(request.user)
        found = foods.search(query, preferred_food_ids=recent, limit=shown + 1)
        results = list(found[: shown + 1])
    return {
        "query": query,
        "query_too_short": bool(query) and too_short,
        "results": results[:shown],
        "more": len(results) > shown,
        "page": page,
        # After "More results", the focus goes to the first food of the new page.
        "first_new": SEARCH_RESULTS * (page - 1),
        "search_min_length": SEARCH_MIN_LENGTH,
        "search_max_length": SEARCH_MAX_LENGTH,
    }


def search_page(request: HttpRequest) -> int:
    """The ?page= of the search results: 1 unless a whole number from 1 to the last page."""
    page = request.GET.get("page", "")
    if page.isascii() and page.isdigit() and 1 <= int(page) <= SEARCH_MAX_PAGES:
        return int(page)
    return 1


def new_entry_form(
    request: HttpRequest, food: Food | None
) -> tuple[EntryForm | None, Preview | None]:
    if food is None:
        return None, None
    form, preview = quick_log.new_entry_form(request.user, food, meal_in_use(request))
    # Picking a food moves the focus to its amount, so the keyboard flow goes on.
    form.fields["quantity"].widget.attrs.update({"autofocus": True, "data-select-on-pick": True})
    return form, preview
