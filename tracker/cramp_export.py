"""Feature module: the cramp diary as CSV, in the diary export's way (tracker/export.py):
cramps, one row each, and supplements taken, one row each with what they held.

The same date range form and the same download; a range's rows come in a fixed number of
queries however long it is.
"""

from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from nutrients.supplements import SUPPLEMENT_NUTRIENTS
from tracker.cramps import cramps_of
from tracker.export import (
    ENTRIES_FETCHED_AT_ONCE,
    DateRangeForm,
    csv_download,
    csv_number,
    export_filename,
    spreadsheet_text,
)
from tracker.supplements import intakes_of

CRAMP_COLUMNS = [
    "date",
    "started_at",
    "muscle",
    "severity",
    "duration_minutes",
    "what_you_were_doing",
    "note",
]


def supplement_columns() -> list[str]:
    amounts = [
        f"{name.lower().replace(' ', '_')}_{unit.replace('µ', 'u')}"
        for name, unit in SUPPLEMENT_NUTRIENTS.values()
    ]
    return ["date", "supplement", "unit", "count", *amounts]


def cramp_rows(
    user: "settings.AUTH_USER_MODEL", first_day: date, last_day: date
) -> Iterator[list[str]]:
    """A header, then one row per cramp of the range's days: one query."""
    yield CRAMP_COLUMNS
    cramps = cramps_of(user).filter(day__range=(first_day, last_day))
    for cramp in cramps.iterator(chunk_size=ENTRIES_FETCHED_AT_ONCE):
        yield [
            cramp.day.isoformat(),
            timezone.localtime(cramp.started_at).isoformat(timespec="minutes"),
            cramp.muscle,
            "" if cramp.severity is None else str(cramp.severity),
            "" if cramp.duration_minutes is None else str(cramp.duration_minutes),
            cramp.activity,
            spreadsheet_text(cramp.note),
        ]


def supplement_rows(
    user: "settings.AUTH_USER_MODEL", first_day: date, last_day: date
) -> Iterator[list[str]]:
    """A header, then one row per supplement taken: what one took of each nutrient (count
    × amount per unit; empty when the product has none). Two queries."""
    yield supplement_columns()
    intakes = (
        intakes_of(user)
        .filter(day__range=(first_day, last_day))
        .prefetch_related("supplement__amounts")
    )
    for intake in intakes.iterator(chunk_size=ENTRIES_FETCHED_AT_ONCE):
        per_unit = {a.nutrient_id: a.amount for a in intake.supplement.amounts.all()}
        yield [
            intake.day.isoformat(),
            spreadsheet_text(intake.supplement.name),
            spreadsheet_text(intake.supplement.unit),
            csv_number(intake.count),
            *(
                csv_number(intake.count * per_unit[nid]) if nid in per_unit else ""
                for nid in SUPPLEMENT_NUTRIENTS
            ),
        ]


@never_cache
@login_required
@require_GET
def cramps_csv(request: HttpRequest) -> HttpResponse:
    form = DateRangeForm(request.GET)
    if not form.is_valid():
        return render(request, "tracker/export.html", {"form": form})
    return csv_download(
        cramp_rows(request.user, form.first_day, form.last_day),
        export_filename("cramps", form.first_day, form.last_day),
    )


@never_cache
@login_required
@require_GET
def supplements_csv(request: HttpRequest) -> HttpResponse:
    form = DateRangeForm(request.GET)
    if not form.is_valid():
        return render(request, "tracker/export.html", {"form": form})
    return csv_download(
        supplement_rows(request.user, form.first_day, form.last_day),
        export_filename("supplements", form.first_day, form.last_day),
    )
