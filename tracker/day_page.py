"""The day page's parts, and how a write on it answers.

The diary (tracker/views.py), quick logging (tracker/quick_log.py), saved meals, cramps
and supplements all draw the day from here; this module imports none of them.

A GET shows the whole page (day.html). A write sent by htmx answers with only the parts
it changed (day_changed.html), each swapped out of band into its place by id, drawn once
the write has committed (page_cache.DrawnAfterCommit) from the day totals it stored
(DayTotal.refresh) rather than added up again: an entry's add, change or removal answers
with the add card reset, the meals it changed, the recent foods and the totals; a
supplement's with the day's supplements and the totals. Without htmx a write answers with
a redirect to the day, so that a reload never sends it again.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django_htmx.http import reswap, retarget
from django_htmx.middleware import HtmxDetails

from nutrients.supplements import POTASSIUM_WARNING
from tracker.day_data import day_report
from tracker.diary_days import FIRST_DAY, LAST_DAY
from tracker.forms import CopyForm, EntryForm, IntakeForm, WaterForm, default_slot
from tracker.models import Cramp, Entry, Meal, NutrientTotal, SavedMeal, SupplementIntake
from tracker.page_cache import DrawnAfterCommit

# What a write changed, and so which parts its answer draws (day_changed.html).
ENTRIES = "entries"
SUPPLEMENTS = "supplements"


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it (its documented typing pattern)."""

    htmx: HtmxDetails


def meal_in_use(request: HttpRequest) -> str:
    """The meal the person is logging into: the one an add just went to (its "slot"),
    else the one the day page carries from add to add (#meal-in-use, sent as "meal" with
    every htmx request of the day's body), else on a fresh page the meal of the moment by
    their local time. Four breakfast adds in a row stay in breakfast at 11:05."""
    for chosen in (request.POST.get("slot"), request.POST.get("meal"), request.GET.get("meal")):
        if chosen in Meal.Slot.values:
            return chosen
    return default_slot(timezone.localtime())


def day_navigation(day: date) -> dict[str, date]:
    return {
        "first_day": FIRST_DAY,
        "last_day": LAST_DAY,
        "day": day,
        "today": timezone.localdate(),
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
    }


def day_supplements(user: "settings.AUTH_USER_MODEL", day: date) -> dict[str, Any]:
    """The day's supplements: what was taken (read when shown) and the form to log more."""
    return {
        "intakes": SimpleLazyObject(
            lambda: SupplementIntake.objects.filter(user=user, day=day).select_related("supplement")
        ),
        "intake_form": SimpleLazyObject(lambda: IntakeForm(user=user)),
        "potassium_warning": POTASSIUM_WARNING,
    }


def day_context(
    request: HttpRequest,
    day: date,
    *,
    entry_form: EntryForm | None = None,
    water_form: WaterForm | None = None,
    copy_form: CopyForm | None = None,
    totals: dict[int, NutrientTotal] | None = None,
) -> dict[str, Any]:
    """What the day page's parts show. The querysets and the empty forms are made, and
    read, only by the parts drawn: a write's answer draws few of them.
    `totals`: the day's totals as a write just stored them (DayTotal.refresh)."""
    entries, recent = Entry.objects.day_and_recent(request.user, day)
    report = day_report(
        request.profile, day, with_suggestions=True, recent=recent, totals=totals, entries=entries
    )
    meals = [
        {
            "slot": slot,
            "label": label,
            "entries": [e for e in report.entries if e.meal.slot == slot],
            "kcal": report.meal_kcal(slot),
        }
        for slot, label in Meal.Slot.choices
    ]
    return {
        **day_navigation(day),
        "report": report,
        "meals": meals,
        "recent": recent,
        "slots": Meal.Slot.choices,
        # The meal recent foods, suggestions, water and the next pick go to (#meal-in-use).
        "meal_in_use": meal_in_use(request),
        "default_slot": meal_in_use(request),  # the suggestions' name for it
        "entry_form": entry_form,
        "water_form": water_form or SimpleLazyObject(WaterForm),
        "copy_form": copy_form or SimpleLazyObject(lambda: CopyForm(day=day)),
        # The cramp diary (tracker/cramps.py, tracker/supplements.py): the day's cramps
        # and supplements, with a form to log one.
        "cramps": SimpleLazyObject(lambda: Cramp.objects.filter(user=request.user, day=day)),
        # Saved meals (tracker/saved_meals.py), logged from "Quick add" in one step.
        "saved_meals": SimpleLazyObject(
            lambda: SavedMeal.objects.filter(user=request.user).annotate(item_count=Count("items"))
        ),
        **day_supplements(request.user, day),
    }


def day_changed(
    request: HtmxHttpRequest,
    day: date,
    totals: dict[int, NutrientTotal] | None = None,
    *,
    parts: str = ENTRIES,
    meals: Iterable[str] = Meal.Slot.values,
    added: Iterable[Entry] = (),
    **context: Any,
) -> HttpResponse:
    """After a write: htmx gets the parts it changed (`parts`: ENTRIES or SUPPLEMENTS;
    of the meals, those in `meals`), out of band, with the keyboard back on the food
    search after an entry's change, drawn once the write has committed; others a
    redirect to the day. `totals`: the day's as the write stored them; `added`: the
    entries the write added, which a meal that showed rows before gets at the end of its
    list (appended_rows) instead of being drawn again whole."""
    if not request.htmx:
        return redirect("tracker:day", day=day)
    # Read now: the answer is drawn once the write has committed, after the messages'
    # middleware has kept whatever was not read (page_cache.DrawnAfterCommit).
    said = list(messages.get_messages(request))
    added_ids = {entry.pk for entry in added}

    def draw() -> str:
        page = day_context(request, day, totals=totals)
        for meal in page["meals"]:
            meal["appended"] = appended_rows(meal["entries"], added_ids)
        page.update(
            parts=parts,
            changed_meals=set(meals),
            autofocus_search=parts == ENTRIES,
            messages=said,
            **context,
        )
        return render_to_string("tracker/day_changed.html", page, request=request)

    return DrawnAfterCommit(draw)


def appended_rows(rows: list[Entry], added_ids: set[int]) -> list[Entry]:
    """The rows of a meal that were just added, when they are its last and it has rows
    from before them: what its list gains at the end. Else none (the card is drawn whole:
    a meal that was empty shows no list to add to)."""
    count = sum(1 for row in rows if row.pk in added_ids)
    if count == 0 or count == len(rows) or any(row.pk not in added_ids for row in rows[-count:]):
        return []
    return rows[-count:]


def day_not_changed(request: HtmxHttpRequest, day: date, **forms: Any) -> HttpResponse:
    """A write refused (its form says why beside the field): the day's body again with
    the form as sent, or without htmx the page."""
    context = day_context(request, day, **forms)
    if not request.htmx:
        return render(request, "tracker/day.html", context)
    response = render(request, "tracker/day.html#day-body", context)
    return reswap(retarget(response, "#day-body"), "outerHTML")
