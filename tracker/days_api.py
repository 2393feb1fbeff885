"""A day's report in the API: the same DayReport the dashboard renders."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import create_model

from nutrients.report import HEADLINE_MINERALS, Risk, RiskFactors, Suggestion, SupportingLine
from nutrients.report import Status as MineralStatusWord
from tracker.api_kit import (
    READ_ERRORS,
    Day,
    FoodRefOut,
)
from tracker.day_data import DayReport, MineralLine, day_report
from tracker.models import (
    Profile,
)

NOTHING_LOGGED = "Nothing logged yet for this day, so there is nothing to rate."
OVER_UPPER = "above the level to keep under"

router = Router(tags=["days"])


class HeadlineOut(Schema):
    # From a MineralLine.
    nutrient_id: int = Field(validation_alias="status.mineral.nutrient_id")
    name: str = Field(validation_alias="status.mineral.name")
    amount: float | None = Field(
        validation_alias="status.eaten_mg", description="null: no food logged has a value for it"
    )
    unit: str
    target: float = Field(validation_alias="status.target_mg")
    percent: int | None = Field(
        validation_alias="status.percent", description="of target, rounded down"
    )
    status: MineralStatusWord | None = Field(validation_alias="status.status")
    known_entries: int = Field(description="entries whose food has a value for it")
    entries: int
    from_supplements: float | None = Field(
        validation_alias="from_supplements_mg",
        description="of the amount, what supplements gave; null: none with this mineral",
    )
    target_source: str = Field(description="where the day's target comes from, in words")
    upper_limit: float | None = Field(
        description="the upper limit (mg a day) for the person's age on the day; null: none "
        "(potassium from food has none). Magnesium's counts supplements only."
    )
    over_upper_limit: bool = Field(description="over the upper limit, counted as it is defined")

    @staticmethod
    def resolve_unit(line: MineralLine) -> str:
        return "mg"

    @staticmethod
    def resolve_upper_limit(line: MineralLine) -> Decimal | None:
        return None if line.upper_limit is None else line.upper_limit.limit


class SupportingOut(Schema):
    # From a SupportingLine.
    nutrient_id: int | None = Field(validation_alias="reference.nutrient_id")
    name: str = Field(validation_alias="reference.name")
    amount: float | None = Field(description="null: no data")
    unit: str = Field(validation_alias="reference.unit")
    target: float | None = Field(
        validation_alias="reference.amount",
        description="the reference intake for the person's age where known; null: none here",
    )
    upper: float | None = Field(
        validation_alias="reference.upper",
        description="keep under this (sodium's chronic-disease risk-reduction level, not an "
        "upper limit)",
    )
    percent: int | None
    status: str | None = Field(
        description=f'"{OVER_UPPER}" (above the level to keep under) or null'
    )
    known_entries: int
    entries: int
    from_supplements: float | None = Field(
        description="of the amount, what supplements gave; null: none with this nutrient"
    )

    @staticmethod
    def resolve_status(line: SupportingLine) -> str | None:
        return OVER_UPPER if line.over_upper else None


class WaterOut(Schema):
    # From the DayReport.
    amount_ml: float
    target_ml: int = Field(validation_alias="water_target_ml")
    below_target: bool = Field(validation_alias="factors.water_below_target")

    @staticmethod
    def resolve_amount_ml(report: DayReport) -> Decimal:
        return report.water_ml or Decimal(0)  # the dashboard shows 0 ml too


class RiskFactorsOut(Schema):
    # From RiskFactors.
    water_below_target: bool = Field(
        description="false with a doctor's fluid limit: drinking more is not urged"
    )
    intense_workout: bool
    diuretic: bool = Field(
        description="a diuretic that drains a headline mineral (loop, thiazide, not sure)"
    )

    @staticmethod
    def resolve_diuretic(factors: RiskFactors) -> bool:
        return bool(factors.diuretic_losses)


class CrampRiskOut(Schema):
    # From the DayReport: its risk, or no level before anything is logged.
    level: Risk | None = Field(description="null: nothing logged yet")
    reasons: list[str]

    @staticmethod
    def resolve_level(report: DayReport) -> Risk | None:
        return report.risk.level if report.risk else None

    @staticmethod
    def resolve_reasons(report: DayReport) -> list[str]:
        return report.risk.reasons if report.risk else [NOTHING_LOGGED]


class SuggestionBase(Schema):
    # From a report's Suggestion; SuggestionOut adds what it adds of each headline
    # mineral (mg_field). portion and count, or grams, are what POST /api/entries/ takes.
    food: FoodRefOut
    fdc_id: int | None
    amount: str = Field(validation_alias="amount_text", description='"1 can (3.75 oz)"')
    portion: int | None = Field(
        validation_alias="serving.portion_id", description="null: log it by grams"
    )
    count: float | None = Field(description="portions to log; null when by grams")
    grams: float
    energy_kcal: float | None = Field(validation_alias="kcal", description="null: no data")
    closes: list[str] = Field(description="the short minerals it closes at least 15% of")

    @staticmethod
    def resolve_food(suggestion: Suggestion) -> dict:
        return {"id": suggestion.food_id, "description": suggestion.description}

    @staticmethod
    def resolve_count(suggestion: Suggestion) -> Decimal | None:
        return None if suggestion.serving.portion_id is None else suggestion.log_quantity

    @staticmethod
    def resolve_closes(suggestion: Suggestion) -> list[str]:
        return [mineral.key for mineral in suggestion.closes]


SuggestionOut = create_model(
    "SuggestionOut",
    __base__=SuggestionBase,
    **{
        mineral.mg_field: (float | None, Field(validation_alias=f"adds_mg.{mineral.key}"))
        for mineral in HEADLINE_MINERALS
    },
)


class DayOut(Schema):
    # From the DayReport.
    date: date
    entries: int
    in_progress: bool = Field(description="today: the totals so far, rated as if the day ended now")
    minerals: list[HeadlineOut]
    supporting: list[SupportingOut]
    water: WaterOut
    risk_factors: RiskFactorsOut = Field(validation_alias="factors")
    cramp_risk: CrampRiskOut
    targets_in_force: str = Field(
        description="the set of targets in force on the day and why, in words"
    )
    cautions: list[str] = Field(
        description="what the person's medicines and conditions hold back, and why"
    )
    suggestions: list[SuggestionOut] = Field(  # type: ignore[valid-type]
        description="everyday foods that close the day's gaps, best first"
    )

    @staticmethod
    def resolve_date(report: DayReport) -> date:
        return report.day

    @staticmethod
    def resolve_entries(report: DayReport) -> int:
        return len(report.entries)

    @staticmethod
    def resolve_targets_in_force(report: DayReport) -> str:
        return report.targets.in_force if report.targets else ""

    @staticmethod
    def resolve_supporting(report: DayReport) -> list[SupportingLine]:
        return report.supporting()

    @staticmethod
    def resolve_water(report: DayReport) -> DayReport:
        return report  # WaterOut reads the report's water fields

    @staticmethod
    def resolve_cramp_risk(report: DayReport) -> DayReport:
        return report  # CrampRiskOut reads report.risk


@router.get("/{day}/", response={200: DayOut, **READ_ERRORS}, url_name="day")
def get_day(request: HttpRequest, day: Day) -> DayReport:
    """The dashboard's numbers for one day: minerals, supporting nutrients, water, risk."""
    # The profile middleware knows only session users; a token's user is looked up the
    # same way here.
    return day_report(Profile.of(request.auth), day, with_suggestions=True)
