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
from nutrients.models import Food, Portion, amount_per_100_g
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


def day_report(profile: Profile, day: date, *, with_suggestions: bool = False) -> DayReport:
    """Three queries (entries, totals, the day's note), three more with suggestions
    (the user's most logged foods, the candidate foods, their portions)."""
    user = profile.user
    entries = list(Entry.objects.for_day(user, day).select_related("food", "meal").with_minerals())
    totals = Entry.objects.for_day(user, day).nutrient_totals(REPORT_NUTRIENT_IDS)
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


def gap_candidates(user: "settings.AUTH_USER_MODEL") -> dict[int, list[Candidate]]:
    """The documents' foods and the user's frequent foods, per headline mineral.

    Plain rows rather than model instances: a few dozen foods and their portions, read on
    every dashboard.
    """
    frequent_ids = set(Entry.objects.most_logged_food_ids(user))
    mineral_keys = {m.nutrient_id: f"mg_{m.nutrient_id}" for m in HEADLINE_MINERALS}
    foods = list(
        Food.objects.visible_to(user)
        .filter(Q(source=Food.Source.SEED) | Q(pk__in=frequent_ids))
        .exclude(fdc_id=TAP_WATER_FDC_ID)
        .annotate(
            kcal_per_100_g=amount_per_100_g(OuterRef("pk"), ENERGY),
            **{key: amount_per_100_g(OuterRef("pk"), id_) for id_, key in mineral_keys.items()},
        )
        .values("pk", "description", "kcal_per_100_g", *mineral_keys.values())
    )
    portions: dict[int, list[PortionOption]] = defaultdict(list)
    for food_id, *portion in Portion.objects.filter(
        food_id__in=[food["pk"] for food in foods]
    ).values_list("food_id", "pk", "description", "grams"):
        portions[food_id].append(PortionOption(*portion))
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
