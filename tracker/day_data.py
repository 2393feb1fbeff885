"""A day of the diary read from the database, for the day page, the dashboard, the API
and the CSV export, in a fixed number of queries.

The database adds up; nutrients/report.py's pure rules decide statuses, risk and
suggestions.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, Q

from nutrients.charts import Chart, trend_chart
from nutrients.models import Food, FoodNutrient, FoodTableVersion, Portion, amount_per_100_g
from nutrients.report import (
    ENERGY,
    HEADLINE_MINERALS,
    REPORT_NUTRIENT_IDS,
    SUPPORTING_NUTRIENTS,
    TAP_WATER_FDC_ID,
    WATER,
    Candidate,
    CrampRisk,
    MineralStatus,
    PortionOption,
    RiskFactors,
    Suggestion,
    SupportingLine,
    WeekSummary,
    cramp_risk,
    suggestions,
    week_summary,
)
from tracker.models import DayNote, Entry, NutrientTotal, Profile, stored_totals

TOP_SOURCES = 3


def amount_of(totals: dict[int, NutrientTotal], nutrient_id: int) -> Decimal | None:
    total = totals.get(nutrient_id)
    return total.amount if total else None


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
    suggestions: list[Suggestion]


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

    @property
    def statuses(self) -> list[MineralStatus]:
        return [line.status for line in self.minerals]

    def supporting(self) -> list[SupportingLine]:
        return [
            SupportingLine(
                reference,
                amount_of(self.totals, reference.nutrient_id) if reference.nutrient_id else None,
                self.totals[reference.nutrient_id].known_entries
                if reference.nutrient_id in self.totals
                else 0,
                len(self.entries),
            )
            for reference in SUPPORTING_NUTRIENTS
        ]


def add_up(entries: list[Entry]) -> dict[int, NutrientTotal]:
    """The day's totals of the report's nutrients, from its entries, in one query (none
    without entries): grams × amount per 100 g, added in Python with exact decimals, as
    DayTotal.refresh stores them. Also sets each entry's mineral amounts (mg_field; None:
    its food has no value), as EntryQuerySet.with_minerals() would.

    Measured on the dashboard (bench/profile_page.py): cheaper than building and running
    the three per-entry subqueries of with_minerals() and the SQL sums, and as cheap as
    reading the stored totals, which would still leave the entries' own amounts to fetch.
    """
    per_100_g: dict[int, dict[int, Decimal]] = defaultdict(dict)
    if entries:
        for food_id, nutrient_id, amount in FoodNutrient.objects.filter(
            food_id__in={entry.food_id for entry in entries}, nutrient_id__in=REPORT_NUTRIENT_IDS
        ).values_list("food_id", "nutrient_id", "amount"):
            per_100_g[food_id][nutrient_id] = amount
    sums: dict[int, Decimal] = defaultdict(Decimal)
    known: dict[int, int] = defaultdict(int)
    for entry in entries:
        values = per_100_g[entry.food_id]
        for nutrient_id, amount in values.items():
            sums[nutrient_id] += amount * entry.grams / 100
            known[nutrient_id] += 1
        for mineral in HEADLINE_MINERALS:
            amount = values.get(mineral.nutrient_id)
            setattr(entry, mineral.mg_field, None if amount is None else amount * entry.grams / 100)
    return {
        nutrient_id: NutrientTotal(sums[nutrient_id], known[nutrient_id]) for nutrient_id in sums
    }


def day_report(profile: Profile, day: date, *, with_suggestions: bool = False) -> DayReport:
    """Three queries (entries, their foods' values, the day's note); with suggestions, two
    or three more (the food table's version, the user's most logged foods, and those
    of them that are no seed food with their portions): see gap_candidates."""
    user = profile.user
    entries = list(Entry.objects.for_day(user, day).select_related("food", "meal"))
    totals = add_up(entries)
    intense_workout = DayNote.objects.filter(user=user, day=day, intense_workout=True).exists()
    rating = rate_day(
        {nutrient_id: total.amount for nutrient_id, total in totals.items()},
        profile,
        intense_workout,
    )
    statuses = rating.statuses
    candidates = gap_candidates(user) if with_suggestions and entries else {}
    minerals = []
    for status in statuses:
        mineral = status.mineral
        amounts = [(entry, getattr(entry, mineral.mg_field)) for entry in entries]
        sources = sorted(((entry, mg) for entry, mg in amounts if mg), key=lambda pair: -pair[1])[
            :TOP_SOURCES
        ]
        minerals.append(
            MineralLine(
                status,
                totals[mineral.nutrient_id].known_entries if mineral.nutrient_id in totals else 0,
                len(entries),
                [Source(entry, mg, int(mg * 100 / status.eaten_mg)) for entry, mg in sources],
                suggestions(
                    candidates.get(status.mineral.nutrient_id, []),
                    status.shortfall_mg,
                    status.target_mg,
                )
                if candidates and status.shortfall_mg
                else [],
            )
        )
    return DayReport(
        day=day,
        entries=entries,
        totals=totals,
        minerals=minerals,
        water_ml=rating.water_ml,
        water_target_ml=profile.water_target_ml,
        intense_workout=intense_workout,
        factors=rating.factors,
        risk=rating.risk if entries else None,
    )


@dataclass(frozen=True)
class DayRating:
    statuses: list[MineralStatus]
    water_ml: Decimal | None
    factors: RiskFactors
    risk: CrampRisk


def rate_day(amounts: dict[int, Decimal], profile: Profile, intense_workout: bool) -> DayRating:
    """The report's rules on one day's totals (nutrient id → amount; absent: no data).

    The dashboard and the day-summary export both rate days here, so they agree.
    """
    water_ml = amounts.get(WATER)
    factors = RiskFactors(
        water_below_target=(water_ml or 0) < profile.water_target_ml,
        intense_workout=intense_workout,
        diuretic=profile.takes_diuretic,
    )
    statuses = [
        MineralStatus(mineral, amounts.get(mineral.nutrient_id), profile.target_mg(mineral))
        for mineral in HEADLINE_MINERALS
    ]
    return DayRating(statuses, water_ml, factors, cramp_risk(statuses, factors))


MINERAL_KEYS = {m.nutrient_id: f"mg_{m.nutrient_id}" for m in HEADLINE_MINERALS}


def candidate_rows(foods: Q, user: "settings.AUTH_USER_MODEL | None" = None) -> list[dict]:
    """These foods (water left out) with energy and each headline mineral per 100 g, and
    their portions (under "portions"): two queries. Plain rows, not model instances."""
    rows = list(
        Food.objects.visible_to(user)
        .filter(foods)
        .exclude(fdc_id=TAP_WATER_FDC_ID)
        .annotate(
            kcal_per_100_g=amount_per_100_g(OuterRef("pk"), ENERGY),
            **{key: amount_per_100_g(OuterRef("pk"), id_) for id_, key in MINERAL_KEYS.items()},
        )
        .values("pk", "description", "kcal_per_100_g", *MINERAL_KEYS.values())
    )
    portions: dict[int, list[PortionOption]] = defaultdict(list)
    if rows:
        for food_id, *portion in Portion.objects.filter(
            food_id__in=[row["pk"] for row in rows]
        ).values_list("food_id", "pk", "description", "grams"):
            portions[food_id].append(PortionOption(*portion))
    for row in rows:
        row["portions"] = portions[row["pk"]]
    return rows


# The seed foods' rows, read once per process: (FoodTableVersion when read, rows). Every
# staff change to foods (admin, import_fdc, seed_foods) bumps the version through
# nutrients.models.food_values_changed, and a request compares it in one query.
_seed_rows: tuple[int, list[dict]] | None = None


def seed_rows() -> list[dict]:
    """The seed foods as candidate_rows: one query while the food table is unchanged."""
    global _seed_rows
    version = FoodTableVersion.current()  # first, so a change after it is seen next time
    if _seed_rows is None or _seed_rows[0] != version:
        _seed_rows = (version, candidate_rows(Q(source=Food.Source.SEED)))
    return _seed_rows[1]


def forget_seed_rows() -> None:
    """For tests, whose fixtures write seed foods without a staff change."""
    global _seed_rows
    _seed_rows = None


def gap_candidates(user: "settings.AUTH_USER_MODEL") -> dict[int, list[Candidate]]:
    """The documents' foods and the user's frequent foods, per headline mineral: the
    food table's version, the frequent foods, and for those that are no seed food two
    more queries."""
    frequent_ids = set(Entry.objects.most_logged_food_ids(user))
    foods = seed_rows()
    others = frequent_ids - {row["pk"] for row in foods}
    if others:
        foods = sorted(
            foods + candidate_rows(Q(pk__in=others), user),
            key=lambda row: (row["description"], row["pk"]),  # as one query ordered them
        )
    mineral_keys = MINERAL_KEYS
    portions = {row["pk"]: row["portions"] for row in foods}
    by_mineral: dict[int, list[Candidate]] = {m.nutrient_id: [] for m in HEADLINE_MINERALS}
    for food in foods:
        for nutrient_id, key in mineral_keys.items():
            by_mineral[nutrient_id].append(
                Candidate(
                    food["pk"],
                    food["description"],
                    food[key],
                    food["kcal_per_100_g"],
                    portions[food["pk"]],
                    frequent=food["pk"] in frequent_ids,
                )
            )
    return by_mineral


@dataclass(frozen=True)
class Trend:
    days: list[date]
    week: list[WeekSummary]
    chart_7: Chart
    chart_30: Chart


def trend(profile: Profile, last_day: date) -> Trend:
    """The last 30 days (and the last 7 within them) as percent of target, from the stored
    per-day totals: two queries."""
    days = [last_day - timedelta(days=offset) for offset in range(29, -1, -1)]
    logged, daily = stored_totals(
        profile.user, days[0], last_day, (m.nutrient_id for m in HEADLINE_MINERALS)
    )

    def day_amount(day: date, nutrient_id: int) -> Decimal | None:
        if day not in logged:
            return None
        return amount_of(daily.get(day, {}), nutrient_id)

    series = []
    week = []
    for mineral in HEADLINE_MINERALS:
        target_mg = profile.target_mg(mineral)
        percents = [
            MineralStatus(mineral, day_amount(day, mineral.nutrient_id), target_mg).percent
            for day in days
        ]
        series.append((mineral.name, percents))
        week.append(
            week_summary(
                mineral,
                target_mg,
                [day_amount(day, mineral.nutrient_id) for day in days[-7:] if day in logged],
            )
        )
    chart_7 = trend_chart(days[-7:], [(name, values[-7:]) for name, values in series])
    return Trend(days, week, chart_7, trend_chart(days, series))
