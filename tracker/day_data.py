"""A day of the diary read from the database, for the day page, the dashboard, the API
and the CSV export, in a fixed number of queries.

The database adds up; nutrients/report.py's pure rules decide statuses, risk and
suggestions.
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import cache, cached_property

from django.conf import settings
from django.db.models import OuterRef, Subquery, Value

from nutrients.charts import Chart, trend_chart
from nutrients.models import (
    EverydayFood,
    Food,
    FoodTableVersion,
    Portion,
    amount_per_100_g,
    diet_tags,
)
from nutrients.numbers import plain
from nutrients.report import (
    ENERGY,
    HEADLINE_MINERALS,
    MACROS,
    MAX_SUGGESTION_GRAMS,
    POTASSIUM,
    REPORT_NUTRIENT_IDS,
    SODIUM,
    SUPPORTING_NUTRIENTS,
    THIAMIN,
    VITAMIN_B6,
    VITAMIN_D,
    WATER,
    Candidate,
    Care,
    CrampRisk,
    MacroLine,
    MineralStatus,
    Reference,
    Respect,
    RiskFactors,
    Serving,
    Suggestion,
    SupportingLine,
    WeekSummary,
    cramp_risk,
    excluded_by,
    gaps,
    scaled,
    suggestions,
    week_summary,
)
from nutrients.supplements import (
    LIMIT_TABLE,
    UPPER_LIMITS,
    LimitWarning,
    UpperLimit,
    limit_warnings,
)
from nutrients.targets import ADULT_FROM_AGE, Targets
from tracker.built_once import SOME_DAY, SOME_USER_ID, BuiltRead
from tracker.models import DayNote, Entry, NutrientTotal, Profile, SupplementIntake, stored_totals

TOP_SOURCES = 3
# The report names a mineral's upper limit once the day reaches this share of it.
NEAR_LIMIT_SHARE = Decimal("0.75")


@dataclass(frozen=True)
class Source:
    """One entry's share of a mineral: "Nuts, almonds, 28 g: 76 mg (40%)"."""

    entry: Entry
    mg: Decimal
    percent_of_day: int


@dataclass(frozen=True)
class MineralLine:
    status: MineralStatus
    known_entries: int  # of the day's entries, how many have a value for this mineral
    entries: int
    sources: list[Source]
    target_source: str = ""  # where the day's target comes from, in words
    from_supplements_mg: Decimal | None = None  # None: no supplement with this mineral
    upper_limit: UpperLimit | None = None  # for the person's age on the day; None: none

    @property
    def over_upper_limit(self) -> bool:
        """Over the limit as it is defined: magnesium's counts supplements only."""
        if self.upper_limit is None:
            return False
        counted = self.status.eaten_mg if self.upper_limit.counts_food else self.from_supplements_mg
        return counted is not None and counted > self.upper_limit.limit

    @property
    def from_food_mg(self) -> Decimal | None:
        """None: no data (foods logged, none with a value for this mineral)."""
        if self.from_supplements_mg is None:
            return self.status.eaten_mg
        if self.known_entries == 0:
            return None if self.entries else Decimal(0)
        return (self.status.eaten_mg or 0) - self.from_supplements_mg


@dataclass(frozen=True)
class DayReport:
    day: date
    entries: list[Entry]
    totals: dict[int, NutrientTotal]
    minerals: list[MineralLine]
    water_ml: Decimal | None
    water_target_ml: int
    intense_workout: bool
    factors: RiskFactors
    risk: CrampRisk | None  # None: nothing logged yet
    # nutrient id → amount from the day's supplements, already inside the minerals' totals
    supplement_totals: dict[int, Decimal] = field(default_factory=dict)

    @property
    def potassium_from_supplements(self) -> bool:
        """Potassium supplements carry the kidney and medicines warning."""
        return POTASSIUM in self.supplement_totals

    @property
    def limit_warnings(self) -> list[LimitWarning]:
        """The upper limits for the person's age on the day that the day passes."""
        food = {nutrient_id: total.amount for nutrient_id, total in self.totals.items()}
        limits = self.targets.limits if self.targets else UPPER_LIMITS
        return limit_warnings(food, self.supplement_totals, limits)

    # Today in the user's time zone: the totals are "so far" and the rating is "if the day
    # ended now".
    in_progress: bool = False
    suggestions: list[Suggestion] = field(default_factory=list)
    targets: Targets | None = None  # those in force on the day, with their sources
    care: Care = field(default_factory=Care)  # the medicines and conditions the profile holds

    @property
    def water_target_source(self) -> str:
        return self.targets.sources["water"] if self.targets else ""

    @property
    def cautions(self) -> list[str]:
        return self.care.cautions()

    @property
    def explained(self) -> set[str]:
        """The minerals (by key) whose "why it matters" the rating's reasons already say:
        the report does not print it twice."""
        reasons = self.risk.reasons if self.risk else []
        return {
            line.status.mineral.key
            for line in self.minerals
            if any(line.status.mineral.why in reason for reason in reasons)
        }

    @property
    def statuses(self) -> list[MineralStatus]:
        return [line.status for line in self.minerals]

    def macros(self) -> list[MacroLine]:
        """Energy, protein, carbohydrate, fat and fibre from food, with how many entries
        have a value for each. No query."""
        return [
            MacroLine(
                macro,
                self.totals[macro.nutrient_id].amount if macro.nutrient_id in self.totals else None,
                self.totals[macro.nutrient_id].known_entries
                if macro.nutrient_id in self.totals
                else 0,
                len(self.entries),
            )
            for macro in MACROS
        ]

    def meal_kcal(self, slot: str) -> MacroLine:
        """A meal's energy, from its entries' (Entry.with_kcal). No query."""
        entries = [entry for entry in self.entries if entry.meal.slot == slot]
        known = [entry.kcal for entry in entries if entry.kcal is not None]
        return MacroLine(
            MACROS[0], sum(known, Decimal(0)) if known else None, len(known), len(entries)
        )

    def supporting(self) -> list[SupportingLine]:
        """The supporting nutrients, food and supplements together (sodium from an
        electrolyte mix, vitamin D3), against the person's references where the domain
        brief gives them by age and sex (vitamin D, sodium; B6 and thiamin for adults);
        under 19, nutrients it gives for adults only show no reference. No query."""
        references = personal_references(self.targets)
        food = {nutrient_id: total.amount for nutrient_id, total in self.totals.items()}
        combined = with_supplements(food, self.supplement_totals)
        return [
            SupportingLine(
                references.get(reference.nutrient_id, reference),
                combined.get(reference.nutrient_id) if reference.nutrient_id else None,
                self.totals[reference.nutrient_id].known_entries
                if reference.nutrient_id in self.totals
                else 0,
                len(self.entries),
                self.supplement_totals.get(reference.nutrient_id)
                if reference.nutrient_id
                else None,
            )
            for reference in SUPPORTING_NUTRIENTS
        ]


def personal_references(targets: Targets | None) -> dict[int | None, Reference]:
    """The supporting nutrients' references for the person on the day, by nutrient id."""
    if targets is None:
        return {}
    adequate, keep_under = targets.sodium_mg
    amounts: dict[int | None, tuple[Decimal | None, Decimal | None]] = {
        SODIUM: (adequate, keep_under),
        VITAMIN_D: (targets.vitamin_d_ug, None),
    }
    b_vitamins = targets.b_vitamins
    if b_vitamins is not None:
        amounts[VITAMIN_B6], amounts[THIAMIN] = (b_vitamins[0], None), (b_vitamins[1], None)
    elif targets.age is not None and targets.age < ADULT_FROM_AGE:
        for reference in SUPPORTING_NUTRIENTS:
            if reference.nutrient_id not in amounts and reference.amount is not None:
                amounts[reference.nutrient_id] = (None, None)
    return {
        reference.nutrient_id: replace(reference, amount=amounts[reference.nutrient_id][0],
                                       upper=amounts[reference.nutrient_id][1])
        for reference in SUPPORTING_NUTRIENTS
        if reference.nutrient_id in amounts
    }  # fmt: skip


# supplements_and_workout's row that says the day was one of intense workout: a nutrient
# id that no nutrient has, beside the supplements' (nutrient id, total) rows.
INTENSE_WORKOUT_ROW = -1


def supplements_and_workout(
    user: "settings.AUTH_USER_MODEL", day: date
) -> tuple[dict[int, Decimal], bool]:
    """The day's supplements' totals per nutrient (IntakeQuerySet.nutrient_totals) and
    whether the person marked it a day of intense workout (DayNote): one query, the two
    reads joined by a UNION ALL."""
    rows = supplements_and_workout_read().rows({SOME_USER_ID: user.pk, SOME_DAY: day})
    totals = {nutrient_id: Decimal(total) for nutrient_id, total in rows}
    return totals, totals.pop(INTENSE_WORKOUT_ROW, None) is not None


@cache
def supplements_and_workout_read() -> BuiltRead:
    """supplements_and_workout's query, built once (tracker/built_once.py)."""
    workout = DayNote.objects.filter(
        user_id=SOME_USER_ID, day=SOME_DAY, intense_workout=True
    ).values_list(Value(INTENSE_WORKOUT_ROW), Value(Decimal(1)))
    intakes = SupplementIntake.objects.filter(user_id=SOME_USER_ID, day=SOME_DAY)
    return BuiltRead(intakes.nutrient_sums().union(workout, all=True), (SOME_USER_ID, SOME_DAY))


def day_report(
    profile: Profile,
    day: date,
    *,
    with_suggestions: bool = False,
    recent: list[Entry] | None = None,
    totals: dict[int, NutrientTotal] | None = None,
    entries: list[Entry] | None = None,
) -> DayReport:
    """Three queries (entries, totals, the day's supplements' totals with its note), two
    more with suggestions on a day below target (the user's most logged foods and their
    latest entries) unless `recent` is Entry.recent_for() already read. `totals`: the
    day's totals as a write just stored them (DayTotal.refresh), not added up again;
    `entries`: the day's, already read (Entry.objects.day_and_recent)."""
    user = profile.user
    if entries is None:
        entries = list(
            Entry.objects.for_day(user, day)
            .select_related("food", "meal")
            .with_minerals()
            .with_kcal()
        )
    if totals is None:
        totals = Entry.objects.for_day(user, day).nutrient_totals(REPORT_NUTRIENT_IDS)
    from_supplements, intense_workout = supplements_and_workout(user, day)
    targets = profile.targets_on(day)
    care = profile.care()
    known_entries = {
        mineral.key: totals[mineral.nutrient_id].known_entries
        if mineral.nutrient_id in totals
        else 0
        for mineral in HEADLINE_MINERALS
    }
    rating = rate_day(
        with_supplements(
            {nutrient_id: total.amount for nutrient_id, total in totals.items()},
            from_supplements,
        ),
        profile,
        targets,
        intense_workout,
        known_entries=known_entries,
        entries=len(entries),
    )
    minerals = []
    for status in rating.statuses:
        mineral = status.mineral
        amounts = [(entry, getattr(entry, mineral.mg_field)) for entry in entries]
        sources = sorted(((entry, mg) for entry, mg in amounts if mg), key=lambda pair: -pair[1])[
            :TOP_SOURCES
        ]
        minerals.append(
            MineralLine(
                status,
                known_entries[mineral.key],
                len(entries),
                [Source(entry, mg, int(mg * 100 / status.eaten_mg)) for entry, mg in sources],
                targets.sources[mineral.key],
                from_supplements.get(mineral.nutrient_id),
                targets.upper_limit(mineral.nutrient_id),
            )
        )
    day_gaps = gaps(rating.statuses, rating.held_back)
    food_totals = {nutrient_id: total.amount for nutrient_id, total in totals.items()}
    respect = Respect(
        avoid=excluded_by(profile.diet),
        headroom=headroom(targets, with_supplements(food_totals, from_supplements)),
        potassium_held_back=care.potassium_held_back,
    )
    return DayReport(
        day=day,
        entries=entries,
        totals=totals,
        minerals=minerals,
        water_ml=rating.water_ml,
        water_target_ml=targets.water_ml,
        intense_workout=intense_workout,
        factors=rating.factors,
        risk=rating.risk if entries else None,
        supplement_totals=from_supplements,
        targets=targets,
        care=care,
        in_progress=day == profile.today(),
        suggestions=suggestions(gap_candidates(user, recent), day_gaps, respect)
        if with_suggestions and entries and day_gaps
        else [],
    )


def headroom(targets: Targets, amounts: dict[int, Decimal]) -> dict[int, Decimal]:
    """What is left below each upper limit that food counts toward, today (nutrient id →
    amount; 0 or less: at or over it, so that no suggestion may add any)."""
    return {
        limit.nutrient_id: limit.limit - amounts.get(limit.nutrient_id, Decimal(0))
        for limit in targets.limits
        if limit.counts_food
    }


def with_supplements(
    food: dict[int, Decimal], supplements: dict[int, Decimal]
) -> dict[int, Decimal]:
    """Food and supplement amounts added up per nutrient: the day's totals."""
    combined = dict(food)
    for nutrient_id, amount in supplements.items():
        combined[nutrient_id] = combined.get(nutrient_id, Decimal(0)) + amount
    return combined


@dataclass(frozen=True)
class DayRating:
    statuses: list[MineralStatus]
    water_ml: Decimal | None
    factors: RiskFactors
    known_entries: dict[str, int]
    entries: int
    held_back: frozenset[str] = frozenset()  # minerals (by key) never pushed nor rated

    @cached_property
    def risk(self) -> CrampRisk:
        """Worked out when asked for: the cramp insights rate a year of days and never
        need it (a third of their time). A held-back mineral's numbers are shown, but a
        low intake of it is no cramp risk to act on: it is left out of the rating, and the
        cautions say why."""
        rated = [status for status in self.statuses if status.mineral.key not in self.held_back]
        return cramp_risk(rated, self.factors, self.known_entries, self.entries)


def rate_day(
    amounts: dict[int, Decimal],
    profile: Profile,
    targets: Targets,
    intense_workout: bool,
    *,
    known_entries: dict[str, int],
    entries: int,
) -> DayRating:
    """The report's rules on one day's totals (nutrient id → amount; absent: no data),
    with how many of its entries have a value for each mineral (by Mineral.key), against
    the targets in force on that day.

    The dashboard, the day-summary export and the cramp insights all rate days here, so
    they agree.
    """
    water_ml = amounts.get(WATER)
    care = profile.care()
    factors = RiskFactors(
        # With a doctor's fluid limit, drinking less is no risk factor to urge against.
        water_below_target=(water_ml or 0) < targets.water_ml and not care.fluids_held_back,
        intense_workout=intense_workout,
        diuretic=care.diuretic,
    )
    statuses = [
        MineralStatus(mineral, amounts.get(mineral.nutrient_id), targets.target_mg(mineral))
        for mineral in HEADLINE_MINERALS
    ]
    held_back = frozenset({"potassium"}) if care.potassium_held_back else frozenset()
    return DayRating(statuses, water_ml, factors, known_entries, entries, held_back)


# The everyday foods' values, their servings and portions: the same for every user and
# request until staff or a loader change shared data, which bumps the site's revision.
_suggestable: dict[int, list[Candidate]] = {}
# What a suggestion is judged by: the headline minerals, energy, and every nutrient with an
# upper limit that food counts toward (none may be pushed to its limit).
CANDIDATE_KEYS = (
    {m.nutrient_id: f"mg_{m.nutrient_id}" for m in HEADLINE_MINERALS}
    | {ENERGY: "kcal"}
    | {nutrient_id: f"n_{nutrient_id}" for nutrient_id in LIMIT_TABLE}
)


def suggestable_foods(revision: int) -> list[Candidate]:
    """The foods suggestions may name, each at its typical serving with its values per
    100 g, at this site revision: read and made once per process and revision."""
    if revision not in _suggestable:
        _suggestable.clear()
        _suggestable[revision] = [
            Candidate(
                food["pk"],
                food["fdc_id"],
                food["description"],
                food["kind"],
                Serving(food["serving"], food["serving_grams"], food["serving_portion_id"]),
                {id_: food[key] for id_, key in CANDIDATE_KEYS.items() if food[key] is not None},
                contains=diet_tags(food["contains"]),
                calcium_poorly_absorbed=food["calcium_poorly_absorbed"],
            )
            for food in _read_suggestable_foods()
        ]
    return _suggestable[revision]


def forget_suggestable_foods() -> None:
    """For tests, whose databases start afresh at the same site revision."""
    _suggestable.clear()


def _read_suggestable_foods():
    listed = EverydayFood.objects.filter(food=OuterRef("pk"))
    keys = CANDIDATE_KEYS
    return (
        Food.objects.filter(
            owner=None,
            pk__in=EverydayFood.objects.filter(suggest=True).values("food_id"),
        )
        .annotate(
            kind=Subquery(listed.values("kind")[:1]),
            contains=Subquery(listed.values("contains")[:1]),
            serving=Subquery(listed.values("serving")[:1]),
            serving_grams=Subquery(listed.values("serving_grams")[:1]),
            serving_portion_id=Subquery(
                Portion.objects.filter(food=OuterRef("pk"), description=OuterRef("serving"))
                .order_by("seq")
                .values("pk")[:1]
            ),
            **{key: amount_per_100_g(OuterRef("pk"), id_) for id_, key in keys.items()},
        )
        .values("pk", "fdc_id", "description", "kind", "serving", "serving_grams",
                "serving_portion_id", "contains", "calcium_poorly_absorbed", *keys.values())
    )  # fmt: skip


def gap_candidates(
    user: "settings.AUTH_USER_MODEL", recent: list[Entry] | None = None
) -> list[Candidate]:
    """The everyday foods that may be suggested, each at its typical serving, or at the
    user's usual amount when it is among the foods they log most (and not over the
    suggestions' gram limit). The foods themselves are read once per process and site
    revision (as read with the user, else one query); Entry.recent_for's queries unless
    `recent` is given.
    """
    if recent is None:
        recent = Entry.objects.recent_for(user)
    usual = {entry.food_id: entry for entry in recent}
    candidates = []
    for candidate in suggestable_foods(FoodTableVersion.read_with(user)):
        entry = usual.get(candidate.food_id)
        if entry is not None:
            usual_fits = entry.grams <= MAX_SUGGESTION_GRAMS
            serving = usual_serving(entry) if usual_fits else candidate.serving
            candidate = replace(candidate, serving=serving, frequent=True)
        candidates.append(candidate)
    return candidates


def usual_serving(entry: Entry) -> Serving:
    """The amount the person usually logs of a food, as its latest entry says."""
    return Serving(
        scaled(entry.quantity, entry.unit) if entry.portion_id else f"{plain(entry.grams)} g",
        entry.grams,
        entry.portion_id,
        entry.quantity if entry.portion_id else Decimal(1),
    )


@dataclass(frozen=True)
class Trend:
    days: list[date]
    week: list[WeekSummary]
    chart_7: Chart
    chart_30: Chart


def trend(profile: Profile, last_day: date) -> Trend:
    """The last 30 days (and the last 7 within them) as percent of the target in force on
    each day, food (the stored per-day totals) and supplements together: four queries.
    A day with only supplements logged is a logged day too (as on the cramp timeline)."""
    user = profile.user
    days = [last_day - timedelta(days=offset) for offset in range(29, -1, -1)]
    targets_on = profile.targets_by_day(days[0], last_day)
    with_food, stored = stored_totals(
        user, days[0], last_day, (m.nutrient_id for m in HEADLINE_MINERALS)
    )
    daily = {
        day: {nutrient_id: total.amount for nutrient_id, total in totals.items()}
        for day, totals in stored.items()
    }
    supplements = SupplementIntake.objects.filter(
        user=user, day__range=(days[0], last_day)
    ).daily_totals()
    logged = set(with_food) | set(supplements)

    def day_amount(day: date, nutrient_id: int) -> Decimal | None:
        if day not in logged:
            return None
        return with_supplements(daily.get(day, {}), supplements.get(day, {})).get(nutrient_id)

    series = []
    week = []
    for mineral in HEADLINE_MINERALS:
        percents = [
            MineralStatus(
                mineral, day_amount(day, mineral.nutrient_id), targets_on(day).target_mg(mineral)
            ).percent
            for day in days
        ]
        series.append((mineral.name, percents))
        week.append(
            week_summary(
                mineral,
                targets_on(last_day).target_mg(mineral),
                [day_amount(day, mineral.nutrient_id) for day in days[-7:] if day in logged],
            )
        )
    chart_7 = trend_chart(days[-7:], [(name, values[-7:]) for name, values in series])
    return Trend(days, week, chart_7, trend_chart(days, series))
