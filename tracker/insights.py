"""Feature module: what came before the cramps, on a page, in print and in the API.

The span's days are read in a fixed number of queries whatever its length; the pure
rules in nutrients/insights.py compare the days and nutrients/timeline.py draws them.
"""

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from nutrients.insights import (
    ASSOCIATION_NOT_DIAGNOSIS,
    DEFAULT_SPAN_DAYS,
    SPANS_DAYS,
    Comparison,
    Measure,
    compare,
)
from nutrients.numbers import plain
from nutrients.report import HEADLINE_MINERALS, WATER, MineralStatus, Status, status_for
from nutrients.supplements import SUPPLEMENT_ADVICE, LimitWarning, limit_warnings
from nutrients.timeline import CrampEvent, Timeline, cramp_timeline
from tracker.cramp_models import Cramp, SupplementIntake
from tracker.day_data import with_supplements
from tracker.models import DayNote, Profile, stored_totals
from tracker.page_cache import kept_page

WATER_MEASURE = Measure("water", "Water", "percent of target")
WORKOUT_MEASURE = Measure(
    "workouts", "Intense-workout days", "percent of days", low_before_cramps_is_pattern=False
)
MEASURES = (
    *(Measure(m.key, m.name, "percent of target") for m in HEADLINE_MINERALS),
    WATER_MEASURE,
    WORKOUT_MEASURE,
)


@dataclass(frozen=True)
class Average:
    """A measure over the span's logged days, for the doctor's summary."""

    name: str
    target: str  # "420 mg (your own target)"
    average: str  # "312 mg, 74%"
    days_short: int | None  # days below target; None for water shown in ml


@dataclass(frozen=True)
class Insights:
    days: list[date]
    logged_days: int
    cramps: list[Cramp]
    comparisons: list[Comparison]
    timeline: Timeline
    averages: list[Average]
    workout_days: int
    intakes: list[tuple[str, int]]  # "Magnesium citrate, 100 mg magnesium", days taken
    warnings: list[tuple[date, LimitWarning]]

    @property
    def muscles(self) -> list[tuple[str, int]]:
        counts = Counter(c.get_muscle_display() or "Not said" for c in self.cramps)
        return counts.most_common()

    @property
    def severity_average(self) -> str | None:
        known = [c.severity for c in self.cramps if c.severity is not None]
        return plain(round(Decimal(sum(known)) / len(known), 1)) if known else None

    @property
    def times(self) -> list[tuple[str, int]]:
        """How many cramps started at night (before 6 am or from 10 pm), by day."""
        night = sum(1 for c in self.cramps if not 6 <= timezone.localtime(c.started_at).hour < 22)
        return [("at night (10 pm to 6 am)", night), ("by day", len(self.cramps) - night)]


def span_from(request: HttpRequest) -> int:
    """?days=30, 90 or 365; anything else is the default."""
    try:
        days = int(request.GET.get("days", DEFAULT_SPAN_DAYS))
    except ValueError:
        return DEFAULT_SPAN_DAYS
    return days if days in SPANS_DAYS else DEFAULT_SPAN_DAYS


def gather(profile: Profile, last_day: date, span_days: int) -> Insights:
    """The span's days ending on last_day: six queries, however long the span or the
    history (the stored per-day totals: logged days and their sums; supplement sums per
    day, intakes, cramps, workout days)."""
    user = profile.user
    days = [last_day - timedelta(days=offset) for offset in range(span_days - 1, -1, -1)]
    first_day = days[0]
    entries_by_day, stored = stored_totals(
        user, first_day, last_day, [m.nutrient_id for m in HEADLINE_MINERALS] + [WATER]
    )
    food = {
        day: {nutrient_id: total.amount for nutrient_id, total in totals.items()}
        for day, totals in stored.items()
    }
    logged = set(entries_by_day)
    span_intakes = SupplementIntake.objects.filter(user=user, day__range=(first_day, last_day))
    supplements = span_intakes.daily_totals()
    intake_rows = list(
        span_intakes.order_by().values_list("day", "supplement__name", "supplement__unit", "count")
    )
    # A cramp belongs to its day; the last day's cramps are the span's too.
    cramps = list(Cramp.objects.filter(user=user, day__range=(first_day, last_day)))
    workout_days = set(
        DayNote.objects.filter(
            user=user, day__range=(first_day, last_day), intense_workout=True
        ).values_list("day", flat=True)
    )

    totals = {day: with_supplements(food.get(day, {}), supplements.get(day, {})) for day in logged}
    values: dict[str, dict[date, float | None]] = {}
    series = []
    averages = []
    for mineral in HEADLINE_MINERALS:
        target = profile.target_mg(mineral)
        percents = {
            day: MineralStatus(mineral, totals[day].get(mineral.nutrient_id), target).percent
            for day in logged
        }
        values[mineral.key] = percents
        series.append((mineral.name, [percents.get(day) for day in days]))
        averages.append(average_line(mineral.name, "mg", target, totals, mineral.nutrient_id))
    water_target = Decimal(profile.water_target_ml)
    water = {
        day: math.floor(totals[day][WATER] * 100 / water_target) if WATER in totals[day] else None
        for day in logged
    }
    values["water"] = water
    series.append(("Water", [water.get(day) for day in days]))
    averages.append(average_line("Water", "ml", water_target, totals, WATER))
    values["workouts"] = {day: 100.0 if day in workout_days else 0.0 for day in logged}

    cramp_days = {cramp.day for cramp in cramps}
    comparisons = [
        compare(measure, days, logged, cramp_days, len(cramps), values[measure.key])
        for measure in MEASURES
    ]
    taken: dict[date, list[str]] = {}
    product_days: dict[str, set[date]] = {}
    for day, name, unit, count in intake_rows:
        taken.setdefault(day, []).append(f"{plain(count)} × {name}")
        product_days.setdefault(f"{name} ({unit})", set()).add(day)
    timeline = cramp_timeline(
        days,
        series,
        [CrampEvent(c.day, c.severity, c.details) for c in cramps],
        workout_days,
        {day: ", ".join(names) for day, names in taken.items()},
    )
    warnings = [
        (day, warning)
        for day in sorted(supplements)
        for warning in limit_warnings(food.get(day, {}), supplements[day])
    ]
    return Insights(
        days=days,
        logged_days=len(logged),
        cramps=cramps,
        comparisons=comparisons,
        timeline=timeline,
        averages=averages,
        workout_days=len(workout_days),
        intakes=sorted(
            ((product, len(on_days)) for product, on_days in product_days.items()),
            key=lambda pair: -pair[1],
        ),
        warnings=warnings,
    )


def average_line(
    name: str, unit: str, target: Decimal, totals: dict[date, dict[int, Decimal]], nutrient_id: int
) -> Average:
    known = [day_totals[nutrient_id] for day_totals in totals.values() if nutrient_id in day_totals]
    target_text = f"{target:,.0f} {unit}"
    if not known:
        return Average(name, target_text, "no data", None)
    mean = sum(known) / len(known)
    percent = math.floor(mean * 100 / target)
    short = sum(
        1 for amount in known if status_for(math.floor(amount * 100 / target)) != Status.MET
    )
    return Average(name, target_text, f"{mean:,.0f} {unit}, {percent}% of target", short)


def context_for(request: HttpRequest) -> dict:
    span = span_from(request)
    asked = request.GET.get("days")
    if asked is not None and asked != str(span):
        spans = ", ".join(str(days) for days in SPANS_DAYS[:-1]) + f" or {SPANS_DAYS[-1]}"
        messages.info(
            request, f"The insights cover {spans} days, not “{asked[:20]}”: here are {span}."
        )
    today = timezone.localdate()
    return {
        "span": span,
        "spans": SPANS_DAYS,
        "today": today,
        "insights": gather(request.profile, today, span),
        "association": ASSOCIATION_NOT_DIAGNOSIS,
        "supplement_advice": SUPPLEMENT_ADVICE,
        "profile": request.profile,
    }


@login_required
@require_GET
@kept_page
def insights_page(request: HttpRequest) -> HttpResponse:
    """What came before the cramps: the timeline and the comparison."""
    return render(request, "tracker/insights.html", context_for(request))


@login_required
@require_GET
@kept_page
def summary_page(request: HttpRequest) -> HttpResponse:
    """For the doctor: the span on one or two printed pages."""
    return render(request, "tracker/insights_summary.html", context_for(request))
