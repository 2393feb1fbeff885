"""Feature module: what came before the cramps, on a page, in print and in the API.

The span's days are read in a fixed number of queries whatever its length; the pure
rules in nutrients/insights.py compare the days and nutrients/timeline.py draws them.
"""

import math
from collections import Counter
from dataclasses import dataclass, replace
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
    FISHER,
    HOLM,
    MANN_WHITNEY,
    MIN_DAYS_PER_SIDE,
    PATTERN_P_VALUE,
    SPANS_DAYS,
    Comparison,
    CrampMark,
    Groups,
    Measure,
    average,
    compare_all,
    group_days,
)
from nutrients.numbers import plain, whole
from nutrients.report import DIET_LABELS, HEADLINE_MINERALS, WATER, Mineral, Status
from nutrients.supplements import (
    SUPPLEMENT_ADVICE,
    SUPPLEMENT_NUTRIENTS,
    LimitWarning,
    limit_warnings,
)
from nutrients.targets import LIFE_STAGE_WORDS, LifeStage, Targets, age_on
from nutrients.timeline import CrampEvent, Timeline, cramp_timeline
from tracker.cramp_models import Cramp, SupplementIntake
from tracker.day_data import DayRating, rate_day, with_supplements
from tracker.models import DayNote, Profile, stored_totals
from tracker.page_cache import kept_page

WATER_MEASURE = Measure("water", "Water", "percent of target")
WORKOUT_MEASURE = Measure(
    "workouts",
    "Intense-workout days",
    "percent of days",
    yes_no=True,
    yes_days="intense-workout days",
)
SUPPLEMENT_MEASURE = Measure(
    "supplements",
    "Supplement days",
    "percent of days",
    yes_no=True,
    yes_days="days with a supplement",
)
MEASURES = (
    *(Measure(m.key, m.name, "percent of target") for m in HEADLINE_MINERALS),
    WATER_MEASURE,
    WORKOUT_MEASURE,
    SUPPLEMENT_MEASURE,
)


# The summary lists this many of the latest cramps one by one, the earlier ones by
# month, so that a year of cramps still prints on two pages.
LISTED_CRAMPS = 20


@dataclass(frozen=True)
class RatedDay:
    """A logged day rated as its day report rates it: its own targets, food and
    supplements together (tracker.day_data.rate_day)."""

    day: date
    targets: Targets
    rating: DayRating
    food_logged: bool  # else only supplements were logged

    def percent(self, mineral: Mineral) -> int | None:
        return next(s.percent for s in self.rating.statuses if s.mineral == mineral)

    @property
    def water_ml(self) -> Decimal:
        return self.rating.water_ml or Decimal(0)  # as the day report shows it

    @property
    def water_percent(self) -> int | None:
        """None on a day with only supplements logged: no food or drink to rate."""
        if not self.food_logged:
            return None
        return math.floor(self.water_ml * 100 / self.targets.water_ml)


@dataclass(frozen=True)
class TargetPeriod:
    """A target in force over consecutive days of the span."""

    amount: str  # "420 mg"
    source: str  # in words, as the day report gives it
    first: date
    last: date


@dataclass(frozen=True)
class Average:
    """A measure over the summary's days, each day rated against its own target."""

    name: str
    targets: list[TargetPeriod]
    days: int  # days with a value
    amount: str  # "312 mg"; "no data"
    percent: int | None  # the mean of the days' percents, as their reports give them
    days_below: int  # days under their target


@dataclass(frozen=True)
class SupplementLine:
    """A product taken over the summary's days, with what it gave a day."""

    name: str  # "Magnesium citrate (tablet)"
    days: int
    doses: list[str]  # "200 mg magnesium a day", "100–200 mg calcium a day"


@dataclass(frozen=True)
class Insights:
    days: list[date]
    today: date
    rated: dict[date, RatedDay]  # logged days: food, or supplements only
    cramps: list[Cramp]
    groups: Groups
    comparisons: list[Comparison]
    timeline: Timeline
    workout_days: set[date]
    supplements: list[SupplementLine]
    warnings: list[tuple[date, LimitWarning]]
    in_force: str  # the targets in force on the span's last day, and why

    @property
    def logged_days(self) -> int:
        """Whole days with food logged (today, unfinished, left out)."""
        return len(self.summary_days)

    @property
    def measures_compared(self) -> int:
        return sum(1 for c in self.comparisons if c.p_value is not None)

    @property
    def summary_days(self) -> list[RatedDay]:
        """The summary's days: whole days (today, unfinished, is left out) with food
        logged."""
        return [
            rated
            for day in self.days
            if day < self.today and (rated := self.rated.get(day)) and rated.food_logged
        ]

    @property
    def whole_days(self) -> list[date]:
        return [day for day in self.days if day < self.today]

    @property
    def averages(self) -> list[Average]:
        days = self.summary_days
        lines = []
        for mineral in HEADLINE_MINERALS:
            statuses = [
                next(s for s in rated.rating.statuses if s.mineral == mineral) for rated in days
            ]
            known = [s for s in statuses if s.eaten_mg is not None]
            lines.append(
                Average(
                    mineral.name,
                    target_periods(
                        days,
                        lambda r, m=mineral: (
                            f"{r.targets.target_mg(m):,.0f} mg",
                            r.targets.sources[m.key],
                        ),
                    ),
                    len(known),
                    f"{whole(sum(s.eaten_mg for s in known) / len(known)):,} mg"
                    if known
                    else "no data",
                    average([s.percent for s in known]),
                    sum(1 for s in known if s.status != Status.MET),
                )
            )
        lines.append(
            Average(
                "Water",
                target_periods(
                    days, lambda r: (f"{r.targets.water_ml:,} ml", r.targets.sources["water"])
                ),
                len(days),
                f"{whole(sum(r.water_ml for r in days) / len(days)):,} ml" if days else "no data",
                average([r.water_percent for r in days if r.water_percent is not None]),
                sum(1 for r in days if r.rating.factors.water_below_target),
            )
        )
        return lines

    @property
    def summary_workout_days(self) -> int:
        return sum(1 for day in self.workout_days if day < self.today)

    @property
    def listed_cramps(self) -> list[Cramp]:
        """The most recent cramps, listed one by one on the summary (its two pages)."""
        return self.cramps[-LISTED_CRAMPS:]

    @property
    def earlier_cramps_by_month(self) -> list[tuple[str, int]]:
        """The cramps before those listed, counted by month: ("Jan 2026", 7)."""
        earlier = self.cramps[: max(len(self.cramps) - LISTED_CRAMPS, 0)]
        counts = Counter(f"{timezone.localtime(c.started_at):%b %Y}" for c in earlier)
        return list(counts.items())  # the cramps are in time order: so are the months

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
        """How many cramps came in the night (the night rule), and by day."""
        night = sum(1 for c in self.cramps if c.at_night)
        return [("in the night", night), ("by day", len(self.cramps) - night)]


def target_periods(days: list[RatedDay], target_of) -> list[TargetPeriod]:
    """Runs of days with the same target and source: one period when it never changed."""
    periods: list[TargetPeriod] = []
    for rated in days:
        amount, source = target_of(rated)
        last = periods[-1] if periods else None
        if last and (last.amount, last.source) == (amount, source):
            periods[-1] = replace(last, last=rated.day)
        else:
            periods.append(TargetPeriod(amount, source, rated.day, rated.day))
    return periods


def span_from(request: HttpRequest) -> int:
    """?days=30, 90 or 365; anything else is the default."""
    try:
        days = int(request.GET.get("days", DEFAULT_SPAN_DAYS))
    except ValueError:
        return DEFAULT_SPAN_DAYS
    return days if days in SPANS_DAYS else DEFAULT_SPAN_DAYS


def gather(profile: Profile, last_day: date, span_days: int) -> Insights:
    """The span's days ending on last_day: seven queries, however long the span or the
    history (the target changes; the stored per-day totals: logged days and their sums;
    supplement sums per day, intakes with their amounts, cramps, workout days)."""
    user = profile.user
    days = [last_day - timedelta(days=offset) for offset in range(span_days - 1, -1, -1)]
    first_day = days[0]
    targets_on = profile.targets_by_day(first_day, last_day)
    entries_by_day, stored = stored_totals(
        user, first_day, last_day, [m.nutrient_id for m in HEADLINE_MINERALS] + [WATER]
    )
    span_intakes = SupplementIntake.objects.filter(user=user, day__range=(first_day, last_day))
    supplements = span_intakes.daily_totals()
    intake_rows = list(
        span_intakes.order_by("day", "created_at", "id").values_list(
            "id",
            "day",
            "supplement__name",
            "supplement__unit",
            "count",
            "supplement__amounts__nutrient_id",
            "supplement__amounts__amount",
        )
    )
    # A cramp belongs to its day; the last day's cramps are the span's too.
    cramps = list(Cramp.objects.filter(user=user, day__range=(first_day, last_day)))
    workout_days = set(
        DayNote.objects.filter(
            user=user, day__range=(first_day, last_day), intense_workout=True
        ).values_list("day", flat=True)
    )

    food_logged = set(entries_by_day)
    rated = {}
    for day in sorted(food_logged | set(supplements)):
        totals = stored.get(day, {})
        targets = targets_on(day)
        rating = rate_day(
            with_supplements(
                {nutrient_id: total.amount for nutrient_id, total in totals.items()},
                supplements.get(day, {}),
            ),
            profile,
            targets,
            day in workout_days,
            known_entries={
                m.key: totals[m.nutrient_id].known_entries if m.nutrient_id in totals else 0
                for m in HEADLINE_MINERALS
            },
            entries=entries_by_day.get(day, 0),
        )
        rated[day] = RatedDay(day, targets, rating, day in food_logged)

    values: dict[str, dict[date, float | None]] = {
        mineral.key: {day: r.percent(mineral) for day, r in rated.items()}
        for mineral in HEADLINE_MINERALS
    }
    values["water"] = {day: r.water_percent for day, r in rated.items()}
    values["workouts"] = {day: 100.0 if day in workout_days else 0.0 for day in food_logged}
    values["supplements"] = {day: 100.0 if day in supplements else 0.0 for day in food_logged}
    groups = group_days(
        days,
        profile.today(),
        food_logged,
        [CrampMark(cramp.day, cramp.at_night) for cramp in cramps],
    )
    comparisons = compare_all(MEASURES, groups, values)

    series = [
        (name, [values[key].get(day) for day in days])
        for key, name in [(m.key, m.name) for m in HEADLINE_MINERALS] + [("water", "Water")]
    ]
    taken: dict[date, dict[int, str]] = {}
    # (product, day) → nutrient id → amount that day
    doses: dict[str, dict[date, dict[int, Decimal]]] = {}
    for intake_id, day, name, unit, count, nutrient_id, amount in intake_rows:
        taken.setdefault(day, {})[intake_id] = f"{plain(count)} × {name}"
        by_day = doses.setdefault(f"{name} ({unit})", {}).setdefault(day, {})
        if nutrient_id is not None:
            by_day[nutrient_id] = by_day.get(nutrient_id, Decimal(0)) + count * amount
    timeline = cramp_timeline(
        days,
        series,
        [CrampEvent(c.day, c.severity, c.details) for c in cramps],
        workout_days,
        {day: ", ".join(names.values()) for day, names in taken.items()},
    )
    today = profile.today()
    warnings = [
        (day, warning)
        for day in sorted(supplements)
        for warning in limit_warnings(
            {nutrient_id: total.amount for nutrient_id, total in stored.get(day, {}).items()},
            supplements[day],
            targets_on(day).limits,  # the limits for the person's age that day
        )
    ]
    return Insights(
        days=days,
        today=today,
        rated=rated,
        cramps=cramps,
        groups=groups,
        comparisons=comparisons,
        timeline=timeline,
        workout_days=workout_days,
        supplements=supplement_lines(
            {
                product: {day: amounts for day, amounts in by_day.items() if day < today}
                for product, by_day in doses.items()
            }
        ),
        warnings=warnings,
        in_force=targets_on(last_day).in_force,
    )


def supplement_lines(doses: dict[str, dict[date, dict[int, Decimal]]]) -> list[SupplementLine]:
    """Per product, the days taken and, per nutrient, the amount a day (the least and
    the most when it varied), most days first."""
    lines = []
    for product, by_day in doses.items():
        if not by_day:
            continue
        words = []
        for nutrient_id, (name, unit) in SUPPLEMENT_NUTRIENTS.items():
            amounts = [day[nutrient_id] for day in by_day.values() if nutrient_id in day]
            if not amounts:
                continue
            low, high = whole(min(amounts)), whole(max(amounts))
            span = f"{low:,}" if low == high else f"{low:,}–{high:,}"
            words.append(f"{span} {unit} {name.lower()} a day")
        lines.append(SupplementLine(product, len(by_day), words))
    return sorted(lines, key=lambda line: (-line.days, line.name))


def person_lines(profile: Profile, day: date) -> list[tuple[str, str]]:
    """Who the summary is about, as the profile holds it on `day`: (label, words) pairs
    for the doctor."""
    age = age_on(day, profile.birth_year, profile.birth_month)
    if age is None:
        age_words = "not given"
    elif profile.birth_month:
        age_words = f"{age} (born {profile.birth_month:02d}/{profile.birth_year})"
    else:
        # From the year alone, the birthday may be still to come this year.
        age_words = f"{age - 1} or {age} (born {profile.birth_year}, month not given)"
    diet = ", ".join(DIET_LABELS[d].lower() for d in profile.diet if d in DIET_LABELS)
    return [
        ("Age", age_words),
        ("Sex", profile.get_sex_display() if profile.sex else "not given"),
        (
            "Life stage",
            LIFE_STAGE_WORDS[LifeStage(profile.life_stage)]
            if profile.life_stage
            else "not pregnant or breastfeeding (as noted)",
        ),
        ("Medicines and conditions", profile.care().words),
        ("Diet", diet or "no restriction noted"),
    ]


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
        "person": person_lines(request.profile, today),
        "association": ASSOCIATION_NOT_DIAGNOSIS,
        "tests": {
            "amounts": MANN_WHITNEY,
            "yes_no": FISHER,
            "adjustment": HOLM,
            "threshold": PATTERN_P_VALUE,
            "min_days": MIN_DAYS_PER_SIDE,
        },
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
