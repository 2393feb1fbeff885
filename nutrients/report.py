"""The report's rules as plain data and functions: numbers in, numbers and words out.

No ORM here: views hand in totals and targets, and get back statuses, the cramp-risk
rating with its reasons, and suggestions. Nutrient ids are FoodData Central's; the
default targets are the USDA recommendations the product's sources give.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from nutrients.numbers import plain, whole

POTASSIUM = 1092
CALCIUM = 1087
MAGNESIUM = 1090
SODIUM = 1093
ENERGY = 1008
WATER = 1051

# Drinks are logged as this food, so water from food and from drinks add up.
TAP_WATER_FDC_ID = 173647

# --- The thresholds, in one place so that they can be tuned ---------------------------
# Percent of target at or above which a mineral is met / a little low / short;
# below SHORT_FROM_PERCENT it is well short.
MET_FROM_PERCENT = 100
LITTLE_LOW_FROM_PERCENT = 75
SHORT_FROM_PERCENT = 50
# A shortfall that persists: short or worse on at least this many of the last 7 days.
PERSISTENT_SHORT_DAYS = 4
# A suggestion must add at least this share of the target, or it is no real help.
SUGGESTION_MIN_PERCENT = 5
SUGGESTIONS_PER_MINERAL = 3
# Realistic portions: about 1 oz of energy-dense foods (nuts, seeds), ~120 g of others.
ENERGY_DENSE_KCAL_PER_100_G = 400
TYPICAL_GRAMS = Decimal(120)
TYPICAL_GRAMS_ENERGY_DENSE = Decimal(28)
MAX_PORTION_GRAMS = Decimal(250)  # a cup of milk is 244 g; a 284 g bag of spinach is not a portion
DEFAULT_WATER_TARGET_ML = 2700


@dataclass(frozen=True)
class Mineral:
    # A stable key for names in code, forms, the API and CSV headers ("potassium_mg"),
    # so that the display name can change without renaming anything else.
    key: str
    nutrient_id: int
    name: str
    symbol: str
    default_target_mg: Decimal
    why: str

    @property
    def mg_field(self) -> str:
        """The name of this mineral's amount in mg wherever one is annotated or sent."""
        return f"{self.key}_mg"

    @property
    def target_field(self) -> str:
        """The profile's field for a user's own target."""
        return f"{self.key}_target_mg"


HEADLINE_MINERALS = (
    Mineral(
        "potassium",
        POTASSIUM,
        "Potassium",
        "K",
        Decimal(4700),
        "Muscles need potassium to work normally; running low brings weakness and cramps.",
    ),
    Mineral(
        "calcium",
        CALCIUM,
        "Calcium",
        "Ca",
        Decimal(1000),
        "Every muscle contraction uses calcium; a low supply disturbs normal contraction.",
    ),
    Mineral(
        "magnesium",
        MAGNESIUM,
        "Magnesium",
        "Mg",
        Decimal(420),
        "Magnesium helps muscles contract and relax; low levels bring spasms and cramps.",
    ),
)


def names_in_words(minerals: Sequence[Mineral]) -> str:
    """ "Potassium, calcium and magnesium", for a heading."""
    names = [minerals[0].name] + [mineral.name.lower() for mineral in minerals[1:]]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


HEADLINE_NAMES = names_in_words(HEADLINE_MINERALS)


class Status(StrEnum):
    MET = "met"
    LITTLE_LOW = "a little low"
    SHORT = "short"
    WELL_SHORT = "well short"


def status_for(percent: int) -> Status:
    if percent >= MET_FROM_PERCENT:
        return Status.MET
    if percent >= LITTLE_LOW_FROM_PERCENT:
        return Status.LITTLE_LOW
    if percent >= SHORT_FROM_PERCENT:
        return Status.SHORT
    return Status.WELL_SHORT


def is_short_or_worse(status: Status | None) -> bool:
    return status in (Status.SHORT, Status.WELL_SHORT)


@dataclass(frozen=True)
class MineralStatus:
    """One headline mineral of one day (or a 7-day average) against its target.

    eaten_mg is None when none of the foods has a value for this mineral: no data.
    """

    mineral: Mineral
    eaten_mg: Decimal | None
    target_mg: Decimal

    @property
    def percent(self) -> int | None:
        if self.eaten_mg is None:
            return None
        # Rounded down: 99.6% is not yet "met".
        return math.floor(self.eaten_mg * 100 / self.target_mg)

    @property
    def status(self) -> Status | None:
        return None if self.percent is None else status_for(self.percent)

    @property
    def shortfall_mg(self) -> Decimal | None:
        if self.eaten_mg is None:
            return None
        return max(self.target_mg - self.eaten_mg, Decimal(0))

    # Whole milligrams for people by the one rule (numbers.whole), as each entry and the
    # 7-day average show them, so that a day's total differs from the sum of its shown
    # entries by rounding only. A gap under half a milligram still reads "1 mg to go":
    # the status (from the exact amount) says the target is not met yet.
    @property
    def eaten_whole_mg(self) -> int | None:
        return None if self.eaten_mg is None else whole(self.eaten_mg)

    @property
    def to_go_whole_mg(self) -> int | None:
        if self.shortfall_mg is None:
            return None
        return max(whole(self.shortfall_mg), 1) if self.shortfall_mg > 0 else 0

    # Meter colour bands: below "short" is red, below "a little low" amber.
    @property
    def low_mg(self) -> Decimal:
        return self.target_mg * SHORT_FROM_PERCENT / 100

    @property
    def high_mg(self) -> Decimal:
        return self.target_mg * LITTLE_LOW_FROM_PERCENT / 100


class Risk(StrEnum):
    LOW = "low"
    ELEVATED = "elevated"
    HIGH = "high"


@dataclass(frozen=True)
class RiskFactors:
    water_below_target: bool = False
    intense_workout: bool = False
    diuretic: bool = False

    def reasons(self) -> list[str]:
        reasons = []
        if self.diuretic:
            reasons.append(
                "Your profile says you take a diuretic: these drain potassium, magnesium "
                "and calcium, so falling short matters more."
            )
        if self.intense_workout:
            reasons.append(
                "You marked this as an intense-workout day: sweat takes minerals with it, "
                "so your needs are higher than usual."
            )
        if self.water_below_target:
            reasons.append(
                "You drank less than your water target: dehydration brings cramps on its own."
            )
        return reasons

    def __bool__(self) -> bool:
        return self.water_below_target or self.intense_workout or self.diuretic


@dataclass(frozen=True)
class CrampRisk:
    level: Risk
    reasons: list[str] = field(default_factory=list)


def mineral_reason(status: MineralStatus) -> str:
    return (
        f"{status.mineral.name} is {status.status}: {status.eaten_whole_mg:,} of "
        f"{status.target_mg:,.0f} mg ({status.percent}%), {status.to_go_whole_mg:,} mg to go. "
        f"{status.mineral.why}"
    )


def cramp_risk(statuses: Sequence[MineralStatus], factors: RiskFactors) -> CrampRisk:
    """The day's rating, with every reason spelled out.

    high: any headline mineral well short, or two or more short or worse.
    elevated: one short; or any below target on a day with a risk factor.
    low: otherwise. A mineral with no data is left out of the rating.
    """
    known = [status for status in statuses if status.status is not None]
    below = [status for status in known if status.status != Status.MET]
    short = [status for status in known if is_short_or_worse(status.status)]
    reasons = [mineral_reason(status) for status in below]
    if any(status.status == Status.WELL_SHORT for status in known) or len(short) >= 2:
        return CrampRisk(Risk.HIGH, reasons + factors.reasons())
    if len(short) == 1 or (below and factors):
        return CrampRisk(Risk.ELEVATED, reasons + factors.reasons())
    return CrampRisk(Risk.LOW, reasons + factors.reasons())


@dataclass(frozen=True)
class WeekSummary:
    """A mineral over the last 7 days: the average of the days with something logged."""

    average: MineralStatus
    days_logged: int
    days_short: int

    @property
    def persistent(self) -> bool:
        return self.days_short >= PERSISTENT_SHORT_DAYS


def week_summary(
    mineral: Mineral, target_mg: Decimal, daily_mg: Iterable[Decimal | None]
) -> WeekSummary:
    """daily_mg holds one total per logged day (None: that day had no data for it)."""
    known = [mg for mg in daily_mg if mg is not None]
    average = sum(known, Decimal(0)) / len(known) if known else None
    days_short = sum(
        1 for mg in known if is_short_or_worse(MineralStatus(mineral, mg, target_mg).status)
    )
    return WeekSummary(MineralStatus(mineral, average, target_mg), len(known), days_short)


# --- Supporting nutrients ---------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    nutrient_id: int | None  # None: the USDA table has no values for it at all
    name: str
    unit: str
    amount: Decimal | None  # the adult reference intake; None: shown without a target
    role: str
    upper: Decimal | None = None  # keep under this


SUPPORTING_NUTRIENTS = (
    Reference(
        SODIUM, "Sodium", "mg", Decimal(1500),
        "An electrolyte lost in sweat; too little and too much both matter.", upper=Decimal(2300),
    ),
    Reference(1114, "Vitamin D", "µg", Decimal(15), "Needed to absorb calcium (20 µg over 70)."),
    Reference(1109, "Vitamin E", "mg", Decimal(15), "An antioxidant that protects muscle cells."),
    Reference(1165, "Thiamin (B1)", "mg", Decimal("1.2"), "Nerve function (1.1 mg for women)."),
    Reference(
        1175, "Vitamin B6", "mg", Decimal("1.3"),
        "Nerve function; a shortfall can damage nerves, bringing weakness and cramps.",
    ),
    Reference(1178, "Vitamin B12", "µg", Decimal("2.4"), "Nerve function, as B6."),
    Reference(1103, "Selenium", "µg", Decimal(55), "A mineral that affects muscles."),
    Reference(1091, "Phosphorus", "mg", Decimal(700), "Nerve function, as B6."),
    Reference(None, "Biotin (B7)", "µg", Decimal(30), "Nerve function; the USDA table has no biotin values."),
    Reference(ENERGY, "Energy", "kcal", None, "For context; no target here."),
)  # fmt: skip


# Every nutrient a day's report shows: the report adds up these and no others.
REPORT_NUTRIENT_IDS = frozenset(
    {m.nutrient_id for m in HEADLINE_MINERALS}
    | {r.nutrient_id for r in SUPPORTING_NUTRIENTS if r.nutrient_id is not None}
    | {WATER}
)


@dataclass(frozen=True)
class SupportingLine:
    reference: Reference
    amount: Decimal | None  # None: no data
    known_entries: int
    entries: int

    @property
    def percent(self) -> int | None:
        if self.amount is None or not self.reference.amount:
            return None
        return math.floor(self.amount * 100 / self.reference.amount)

    @property
    def over_upper(self) -> bool:
        upper = self.reference.upper
        return upper is not None and self.amount is not None and self.amount > upper


# --- Closing the gap --------------------------------------------------------------------


@dataclass(frozen=True)
class PortionOption:
    portion_id: int
    description: str
    grams: Decimal


@dataclass(frozen=True)
class Candidate:
    """A food that might close a gap: its mineral per 100 g and its household portions."""

    food_id: int
    description: str
    mg_per_100_g: Decimal | None
    kcal_per_100_g: Decimal | None
    portions: Sequence[PortionOption]
    frequent: bool = False  # among the foods this user logs most


@dataclass(frozen=True)
class Suggestion:
    food_id: int
    description: str
    portion: PortionOption
    adds_mg: Decimal
    percent_of_target: int

    @property
    def text(self) -> str:
        return f"{self.portion.description} ({plain(self.portion.grams)} g)"


def realistic_portion(candidate: Candidate) -> PortionOption | None:
    """The household portion a person would eat: "medium" or the label's serving if the
    food has one, else the portion nearest a typical serving (1 oz of nuts, ~120 g else).
    """
    portions = [p for p in candidate.portions if 0 < p.grams <= MAX_PORTION_GRAMS]
    if not portions:
        return None
    for word in ("medium", "NLEA serving"):
        named = [p for p in portions if word in p.description]
        if named:
            return named[0]
    dense = (candidate.kcal_per_100_g or 0) >= ENERGY_DENSE_KCAL_PER_100_G
    typical = TYPICAL_GRAMS_ENERGY_DENSE if dense else TYPICAL_GRAMS
    # Nearest on a ratio scale: 60 g and 240 g are equally far from 120 g.
    return min(portions, key=lambda p: abs(math.log(p.grams / typical)))


def suggestions(
    candidates: Iterable[Candidate], shortfall_mg: Decimal, target_mg: Decimal
) -> list[Suggestion]:
    """Foods that close most of the gap in one realistic portion, best first.

    Never a food with no value for the mineral; never one whose portion adds less than
    SUGGESTION_MIN_PERCENT of the target. Ties go to the user's frequent foods.
    """
    found = []
    for candidate in candidates:
        if not candidate.mg_per_100_g:
            continue
        portion = realistic_portion(candidate)
        if portion is None:
            continue
        adds_mg = candidate.mg_per_100_g * portion.grams / 100
        percent = math.floor(adds_mg * 100 / target_mg)
        if percent < SUGGESTION_MIN_PERCENT:
            continue
        closes_mg = min(adds_mg, shortfall_mg)
        suggestion = Suggestion(candidate.food_id, candidate.description, portion, adds_mg, percent)
        found.append((closes_mg, candidate.frequent, suggestion))
    found.sort(key=lambda row: (row[0], row[1]), reverse=True)
    return [suggestion for _, _, suggestion in found[:SUGGESTIONS_PER_MINERAL]]
