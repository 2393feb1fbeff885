"""The diary as CSV: one row per entry, or one row per day with the dashboard's numbers.

The views and `manage.py export_diary` share the row builders below. Each builder is a
generator that runs a fixed number of queries when its first row is asked for, so a
streamed download of three years costs no more queries than one of a day.
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Value, When
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from nutrients.models import FoodNutrient, Nutrient
from nutrients.numbers import plain
from nutrients.report import (
    HEADLINE_MINERALS,
    WATER,
    CrampRisk,
    MineralStatus,
)
from nutrients.targets import Targets
from tracker.day_data import rate_day, with_supplements
from tracker.diary_days import DiaryDayField
from tracker.models import (
    DayNote,
    Entry,
    Meal,
    NutrientTotal,
    Profile,
    SupplementIntake,
    stored_totals,
)

# Three years, one of them possibly a leap year: long enough for a clinician's review,
# short enough that one download stays a reasonable size.
MAX_EXPORT_DAYS = 1096
DEFAULT_EXPORT_DAYS = 30
ENTRIES_FETCHED_AT_ONCE = 2000

# Spreadsheets run a cell starting with one of these as a formula ("CSV injection");
# food names are user-written, so such text gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ENTRY_COLUMNS = ["date", "meal", "food", "fdc_id", "amount", "grams"]


# --- The date range ----------------------------------------------------------------------


def diary_day_field(label: str, which: str) -> DiaryDayField:
    return DiaryDayField(
        label=label,
        error_messages={
            "required": f"Enter the {which} day of the range.",
            "invalid": "Enter a date as YYYY-MM-DD, for example 2026-11-22.",
        },
    )


class DateRangeForm(forms.Form):
    """?from=YYYY-MM-DD&to=YYYY-MM-DD, both days included."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the fields cannot be declared as class attributes.
        self.fields["from"] = diary_day_field("From", "first")
        self.fields["to"] = diary_day_field("To", "last")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first_day, last_day = cleaned.get("from"), cleaned.get("to")
        if first_day is None or last_day is None:
            return cleaned
        if last_day < first_day:
            self.add_error("to", f"Choose a day on or after the first day, {first_day:%Y-%m-%d}.")
        elif days_in_range(first_day, last_day) > MAX_EXPORT_DAYS:
            self.add_error(
                "to",
                f"Choose at most {MAX_EXPORT_DAYS:,} days (3 years) at a time; "
                f"this range has {days_in_range(first_day, last_day):,}.",
            )
        return cleaned

    @property
    def first_day(self) -> date:
        return self.cleaned_data["from"]

    @property
    def last_day(self) -> date:
        return self.cleaned_data["to"]


def days_in_range(first_day: date, last_day: date) -> int:
    return (last_day - first_day).days + 1


# --- Cells ----------------------------------------------------------------------------------


def spreadsheet_text(text: str) -> str:
    """Text that a spreadsheet shows as typed instead of running it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_number(value: Decimal | None) -> str:
    """422.44 for 422.440000; 3 decimals at most; empty for no data, which is not zero."""
    if value is None:
        return ""
    return plain(value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def amount_eaten(per_100_g: Decimal | None, grams: Decimal) -> Decimal | None:
    """The exact amount in `grams` of a food; None when the food has no value for it."""
    return None if per_100_g is None else grams * per_100_g / 100


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


# --- One row per entry --------------------------------------------------------------------


def nutrient_column(nutrient: Nutrient) -> str:
    """ "Potassium, K (mg)": the unit belongs in the header, the cells hold numbers."""
    return spreadsheet_text(f"{nutrient.name} ({nutrient.unit})")


def entry_row(
    entry: Entry, nutrient_ids: Iterable[int], per_100_g: dict[int, Decimal]
) -> list[str]:
    """One entry (with its meal and food fetched) and its food's amounts per 100 g."""
    return [
        entry.meal.day.isoformat(),
        entry.meal.slot,
        spreadsheet_text(entry.food.description),
        "" if entry.food.fdc_id is None else str(entry.food.fdc_id),  # own foods have none
        spreadsheet_text(entry.amount_as_entered),
        csv_number(entry.grams),
        *(
            csv_number(amount_eaten(per_100_g.get(nutrient_id), entry.grams))
            for nutrient_id in nutrient_ids
        ),
    ]


def entry_rows(
    user: "settings.AUTH_USER_MODEL", first_day: date, last_day: date
) -> Iterator[list[str]]:
    """The header, then the user's entries from first_day to last_day in diary order:
    by day, meal (breakfast, lunch, dinner, snacks), then the order they were added.

    Three queries whatever the range: the nutrients, the amounts of the foods eaten, and
    the entries, fetched in batches so that a long range is never all in memory.
    """
    nutrients = list(Nutrient.objects.all())
    nutrient_ids = [nutrient.id for nutrient in nutrients]
    entries = Entry.objects.filter(meal__user=user, meal__day__range=(first_day, last_day))
    amounts = (
        FoodNutrient.objects.filter(food__in=entries.values("food_id"))
        .order_by()  # the default order by nutrient would join the nutrient table for nothing
        .values_list("food_id", "nutrient_id", "amount")
    )
    per_100_g: dict[int, dict[int, Decimal]] = {}
    for food_id, nutrient_id, amount in amounts:
        per_100_g.setdefault(food_id, {})[nutrient_id] = amount
    yield ENTRY_COLUMNS + [nutrient_column(nutrient) for nutrient in nutrients]
    # The slots' alphabetical order (breakfast, dinner, lunch…) is not the day's order.
    slot_order = Case(
        *(When(meal__slot=slot, then=Value(index)) for index, slot in enumerate(Meal.Slot.values))
    )
    ordered = (
        entries.select_related("meal", "food")
        .annotate(slot_order=slot_order)
        .order_by("meal__day", "slot_order", "created_at", "id")
    )
    for entry in ordered.iterator(chunk_size=ENTRIES_FETCHED_AT_ONCE):
        yield entry_row(entry, nutrient_ids, per_100_g.get(entry.food_id, {}))


# --- One row per day ------------------------------------------------------------------------


@dataclass(frozen=True)
class DaySummary:
    day: date
    entries: int
    statuses: list[MineralStatus]
    water_ml: Decimal | None  # None: no food of the day has a value for water
    water_target_ml: int
    intense_workout: bool
    risk: CrampRisk
    in_progress: bool = False  # today: the totals so far, rated as if the day ended now
    in_force: str = ""  # the set of targets in force on the day, and why


def summarise_day(
    day: date,
    entries: int,
    totals: dict[int, NutrientTotal],
    profile: Profile,
    intense_workout: bool,
    today: date | None = None,
    targets: Targets | None = None,
    supplements: dict[int, Decimal] | None = None,
) -> DaySummary:
    """The dashboard's rules (tracker.day_data.rate_day) applied to one day's totals, the
    day's supplements added as the report adds them, against the targets in force on the
    day (default: the profile's today)."""
    targets = targets or profile.targets(day)
    rating = rate_day(
        with_supplements(
            {nutrient_id: total.amount for nutrient_id, total in totals.items()},
            supplements or {},
        ),
        profile,
        targets,
        intense_workout,
        known_entries={
            m.key: totals[m.nutrient_id].known_entries if m.nutrient_id in totals else 0
            for m in HEADLINE_MINERALS
        },
        entries=entries,
    )
    return DaySummary(
        day=day,
        entries=entries,
        statuses=rating.statuses,
        water_ml=rating.water_ml,
        water_target_ml=targets.water_ml,
        intense_workout=intense_workout,
        risk=rating.risk,
        in_progress=day == today,
        in_force=targets.in_force,
    )


def day_summaries(
    user: "settings.AUTH_USER_MODEL", profile: Profile, first_day: date, last_day: date
) -> list[DaySummary]:
    """Every day of the range with at least one entry, in five queries: the stored
    per-day totals (entries per day, the nutrients' sums), the workout days, the target
    changes and the supplements taken.
    """
    counts, totals = stored_totals(
        user, first_day, last_day, [m.nutrient_id for m in HEADLINE_MINERALS] + [WATER]
    )
    workout_days = set(
        DayNote.objects.filter(
            user=user, day__range=(first_day, last_day), intense_workout=True
        ).values_list("day", flat=True)
    )
    today = profile.today()
    targets_on = profile.targets_by_day(first_day, last_day)
    supplements = SupplementIntake.objects.filter(
        user=user, day__range=(first_day, last_day)
    ).daily_totals()
    return [
        summarise_day(
            day,
            counts[day],
            totals.get(day, {}),
            profile,
            day in workout_days,
            today,
            targets_on(day),
            supplements.get(day),
        )
        for day in sorted(counts)
    ]


def day_columns() -> list[str]:
    columns = ["date", "entries"]
    for mineral in HEADLINE_MINERALS:
        key = mineral.key
        columns += [mineral.mg_field, mineral.target_field, f"{key}_percent", f"{key}_status"]
    return [
        *columns,
        "water_ml",
        "water_target_ml",
        "intense_workout",
        "cramp_risk",
        "day_in_progress",
        "cramp_risk_reasons",
        "targets_in_force",
    ]


def day_row(summary: DaySummary) -> list[str]:
    row = [summary.day.isoformat(), str(summary.entries)]
    for status in summary.statuses:
        row += [
            csv_number(status.eaten_mg),
            csv_number(status.target_mg),
            "" if status.percent is None else str(status.percent),
            status.status or "",
        ]
    return [
        *row,
        csv_number(summary.water_ml),
        str(summary.water_target_ml),
        yes_no(summary.intense_workout),
        summary.risk.level,
        yes_no(summary.in_progress),
        " ".join(summary.risk.reasons),
        summary.in_force,
    ]


def day_rows(
    user: "settings.AUTH_USER_MODEL", profile: Profile, first_day: date, last_day: date
) -> Iterator[list[str]]:
    yield day_columns()
    for summary in day_summaries(user, profile, first_day, last_day):
        yield day_row(summary)


# --- Writing ----------------------------------------------------------------------------


class _LineBuffer:
    """A file for csv.writer that hands each written line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_LineBuffer())
    for row in rows:
        yield writer.writerow(row)


# Spreadsheet programs (Excel above all) read a CSV file as UTF-8 only when it starts with
# a byte-order mark; without one "µg" in a header opens as "Âµg".
BYTE_ORDER_MARK = "\ufeff"


def csv_download(rows: Iterable[list[str]], filename: str) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        chain([BYTE_ORDER_MARK], csv_lines(rows)),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def export_filename(kind: str, first_day: date, last_day: date) -> str:
    return f"cramp-tracker-{kind}-{first_day:%Y-%m-%d}-to-{last_day:%Y-%m-%d}.csv"


# --- Views ------------------------------------------------------------------------------


@login_required
@require_GET
def export_page(request: HttpRequest) -> HttpResponse:
    """The form; a link may fill in the dates (the dashboard's "last 30 days")."""
    if "from" in request.GET or "to" in request.GET:
        form = DateRangeForm(request.GET)
        form.is_valid()  # a link with bad dates shows what is wrong with them
    else:
        today = timezone.localdate()
        form = DateRangeForm(
            initial={"from": today - timedelta(days=DEFAULT_EXPORT_DAYS - 1), "to": today}
        )
    return render(request, "tracker/export.html", {"form": form})


# Personal health data: never kept by a shared cache.
@never_cache
@login_required
@require_GET
def entries_csv(request: HttpRequest) -> HttpResponse:
    form = DateRangeForm(request.GET)
    if not form.is_valid():
        return render(request, "tracker/export.html", {"form": form})
    return csv_download(
        entry_rows(request.user, form.first_day, form.last_day),
        export_filename("entries", form.first_day, form.last_day),
    )


@never_cache
@login_required
@require_GET
def days_csv(request: HttpRequest) -> HttpResponse:
    form = DateRangeForm(request.GET)
    if not form.is_valid():
        return render(request, "tracker/export.html", {"form": form})
    return csv_download(
        day_rows(request.user, request.profile, form.first_day, form.last_day),
        export_filename("days", form.first_day, form.last_day),
    )
