"""The report's rules as plain data and functions: numbers in, numbers and words out.

No ORM here: views hand in totals and targets, and get back statuses, the cramp-risk
rating with its reasons, and suggestions. Nutrient ids are FoodData Central's; what the
default targets are is nutrients/targets.py's DEFAULTS_EXPLAINED.
"""

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from fractions import Fraction

from nutrients.numbers import plain, whole

POTASSIUM = 1092
CALCIUM = 1087
MAGNESIUM = 1090
SODIUM = 1093
ENERGY = 1008
WATER = 1051
VITAMIN_D = 1114
VITAMIN_E = 1109
THIAMIN = 1165
VITAMIN_B6 = 1175
SELENIUM = 1103
PHOSPHORUS = 1091

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

    # The <meter>'s bands, so that its colour says what the status word says: from
    # "met" the optimum (green), "a little low" the next band (amber), "short" and "well
    # short" the last (red). Browsers count a value above `high` as optimal and one above
    # `low` as the next band, and with `high` at the optimum the whole of low..high would
    # be optimal: hence the thousandth of a mg below each threshold, and a value given in
    # thousandths rounded down.
    @property
    def low_mg(self) -> Decimal:
        return self.target_mg * LITTLE_LOW_FROM_PERCENT / 100 - METER_STEP_MG

    @property
    def high_mg(self) -> Decimal:
        return self.target_mg * MET_FROM_PERCENT / 100 - METER_STEP_MG

    @property
    def meter_mg(self) -> Decimal:
        return (self.eaten_mg or Decimal(0)).quantize(METER_STEP_MG, rounding=ROUND_FLOOR)

    @property
    def meter_band(self) -> str:
        """The band a browser shows the meter in (HTML's words: "optimum",
        "suboptimum", "even less good"), by Chromium's rule for an optimum above high."""
        if self.meter_mg > self.high_mg:
            return "optimum"
        return "suboptimum" if self.meter_mg > self.low_mg else "even less good"


METER_STEP_MG = Decimal("0.001")


class Risk(StrEnum):
    LOW = "low"
    ELEVATED = "elevated"
    HIGH = "high"
    # No logged food has a value for some mineral: "low" would be a guess.
    NOT_ENOUGH_DATA = "not enough data to rate"


# A mineral known for fewer than four in five of the day's entries: its total is likely an
# undercount, and the reasons say so.
FULL_DATA_SHARE = Fraction(4, 5)


class Diuretic(StrEnum):
    NONE = "none"
    LOOP = "loop"  # furosemide, bumetanide, torsemide
    THIAZIDE = "thiazide"  # hydrochlorothiazide, chlorthalidone, indapamide
    POTASSIUM_SPARING = "potassium_sparing"  # spironolactone, eplerenone, amiloride, triamterene
    UNSURE = "unsure"


# Which headline minerals (Mineral.key) each kind of diuretic makes a risk factor for: more
# of them leaves in urine. Thiazides keep calcium in (and can raise blood calcium); the
# potassium-sparing kind keeps potassium in. Not sure which kind: magnesium only, which
# loop and thiazide diuretics both drain, and never potassium (it may be the sparing kind).
DIURETIC_LOSSES: dict[str, frozenset[str]] = {
    Diuretic.NONE: frozenset(),
    Diuretic.LOOP: frozenset({"potassium", "magnesium", "calcium"}),
    Diuretic.THIAZIDE: frozenset({"potassium", "magnesium"}),
    Diuretic.POTASSIUM_SPARING: frozenset(),
    Diuretic.UNSURE: frozenset({"magnesium"}),
}
DIURETIC_WORDS = {
    Diuretic.NONE: "no diuretic",
    Diuretic.LOOP: "a loop diuretic (furosemide, bumetanide, torsemide)",
    Diuretic.THIAZIDE: "a thiazide diuretic (hydrochlorothiazide, chlorthalidone, indapamide)",
    Diuretic.POTASSIUM_SPARING: "a potassium-sparing diuretic (spironolactone, eplerenone, "
    "amiloride, triamterene)",
    Diuretic.UNSURE: "a diuretic of a kind you are not sure of",
}
# With potassium held back, no suggestion adds more potassium than this: no banana, potato
# or beans for a person whose potassium should not go up without their doctor.
HELD_BACK_POTASSIUM_MAX_MG = Decimal(200)


@dataclass(frozen=True)
class Care:
    """The person's medicines and conditions, as the profile holds them, and what they
    change: which minerals count as a risk factor, whether potassium-rich foods and
    "drink more" are offered at all, and the cautions shown where they are held back."""

    diuretic: str = Diuretic.NONE
    raises_potassium: bool = False  # an ACE inhibitor or an ARB
    potassium_limited: bool = False  # kidney disease, or a doctor's potassium or fluid limit

    @property
    def losses(self) -> frozenset[str]:
        return DIURETIC_LOSSES[self.diuretic]

    @property
    def potassium_held_back(self) -> bool:
        return (
            self.diuretic in (Diuretic.POTASSIUM_SPARING, Diuretic.UNSURE)
            or self.raises_potassium
            or self.potassium_limited
        )

    @property
    def fluids_held_back(self) -> bool:
        return self.potassium_limited

    def cautions(self) -> list[str]:
        """Plain caution lines for what is held back, and why."""
        lines = []
        if self.potassium_limited:
            lines.append(
                "Your profile says you have kidney disease or a doctor’s limit on potassium "
                "or fluids: the numbers are shown, but this diary does not suggest more "
                "potassium or more to drink. Follow your doctor’s or dietitian’s advice."
            )
        if self.diuretic == Diuretic.POTASSIUM_SPARING or self.raises_potassium:
            medicine = (
                "a potassium-sparing diuretic"
                if self.diuretic == Diuretic.POTASSIUM_SPARING
                else "a medicine that raises potassium (an ACE inhibitor or ARB)"
            )
            lines.append(
                f"You take {medicine}, which keeps potassium in the body: ask your doctor "
                "before eating more potassium. Potassium-rich foods are not suggested, and "
                "potassium does not count toward the cramp rating."
            )
        if self.diuretic == Diuretic.UNSURE:
            lines.append(
                "You are not sure which kind of diuretic you take: some keep potassium in. "
                "Until you know, potassium-rich foods are not suggested; ask your "
                "pharmacist which kind it is."
            )
        return lines

    @property
    def words(self) -> str:
        """The medicines and conditions in words, for a summary: "a loop diuretic (…);
        kidney disease or a doctor's potassium or fluid limit"; "none noted"."""
        parts = []
        if self.diuretic != Diuretic.NONE:
            parts.append(DIURETIC_WORDS[Diuretic(self.diuretic)])
        if self.raises_potassium:
            parts.append("a medicine that raises potassium (ACE inhibitor or ARB)")
        if self.potassium_limited:
            parts.append("kidney disease or a doctor’s limit on potassium or fluids")
        return "; ".join(parts) if parts else "none noted"


@dataclass(frozen=True)
class RiskFactors:
    water_below_target: bool = False
    intense_workout: bool = False
    diuretic: str = Diuretic.NONE

    @property
    def diuretic_losses(self) -> frozenset[str]:
        return DIURETIC_LOSSES[self.diuretic]

    def applies_to(self, mineral: Mineral) -> bool:
        """Whether a shortfall of this mineral matters more on the day: water and a
        workout for all of them, a diuretic for those it drains."""
        return (
            self.water_below_target or self.intense_workout or mineral.key in self.diuretic_losses
        )

    def reasons(self) -> list[str]:
        reasons = []
        losses = self.diuretic_losses
        if losses:
            drained = names_in_words([m for m in HEADLINE_MINERALS if m.key in losses]).lower()
            text = (
                f"Your profile says you take {DIURETIC_WORDS[Diuretic(self.diuretic)]}: more "
                f"{drained} leaves in urine, so eating less than the target matters more."
            )
            if self.diuretic == Diuretic.THIAZIDE:
                text += " Thiazides keep calcium in, so they are no reason for extra calcium."
            reasons.append(text)
        if self.intense_workout:
            reasons.append(
                "You marked this as an intense-workout day: sweat takes minerals with it, "
                "so your needs are higher than usual."
            )
        if self.water_below_target:
            reasons.append(
                "Water from food and drink is below your target: dehydration brings cramps "
                "on its own."
            )
        return reasons

    def __bool__(self) -> bool:
        return self.water_below_target or self.intense_workout or bool(self.diuretic_losses)


@dataclass(frozen=True)
class CrampRisk:
    level: Risk
    reasons: list[str] = field(default_factory=list)


def mineral_reason(status: MineralStatus) -> str:
    """Intake, never blood levels: what was eaten against the target."""
    return (
        f"{status.mineral.name} is {status.status}: you ate {status.eaten_whole_mg:,} of "
        f"{status.target_mg:,.0f} mg ({status.percent}%), "
        f"{status.to_go_whole_mg:,} mg to go. {status.mineral.why}"
    )


def data_reasons(
    statuses: Sequence[MineralStatus], known_entries: Mapping[str, int], entries: int
) -> list[str]:
    """What the rating cannot see: minerals with no data, or data for too few entries."""
    reasons = []
    for status in statuses:
        name = status.mineral.name
        known = known_entries.get(status.mineral.key, 0)
        if status.eaten_mg is None:
            reasons.append(
                f"No food logged has a {name.lower()} value, so {name.lower()} cannot be "
                "rated: not enough data to rate the day."
            )
        elif entries and known < entries * FULL_DATA_SHARE:
            reasons.append(
                f"{name} known for {known} of {entries} entries: the true total is likely higher."
            )
    return reasons


def cramp_risk(
    statuses: Sequence[MineralStatus],
    factors: RiskFactors,
    known_entries: Mapping[str, int] | None = None,
    entries: int = 0,
) -> CrampRisk:
    """The day's rating, with every reason spelled out.

    high: any headline mineral well short, or two or more short or worse.
    elevated: one short; or any below target on a day with a risk factor for it (water,
    a workout: all of them; a diuretic: those it drains).
    low: otherwise.
    not enough data to rate: a mineral has no data at all and the known ones do not
    already make the day high (a missing value can only make it worse).

    known_entries (by Mineral.key) and entries: how many of the day's entries have a
    value for each mineral; a mineral known for too few of them is named in the reasons.
    """
    known = [status for status in statuses if status.status is not None]
    below = [status for status in known if status.status != Status.MET]
    short = [status for status in known if is_short_or_worse(status.status)]
    reasons = [mineral_reason(status) for status in below]
    reasons += data_reasons(statuses, known_entries or {}, entries)
    reasons += factors.reasons()
    if any(status.status == Status.WELL_SHORT for status in known) or len(short) >= 2:
        return CrampRisk(Risk.HIGH, reasons)
    if len(known) < len(statuses):
        return CrampRisk(Risk.NOT_ENOUGH_DATA, reasons)
    if len(short) == 1 or any(factors.applies_to(status.mineral) for status in below):
        return CrampRisk(Risk.ELEVATED, reasons)
    return CrampRisk(Risk.LOW, reasons)


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
    upper: Decimal | None = None  # keep under this (sodium: risk reduction, not an upper limit)


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


@dataclass(frozen=True)
class Macro:
    """Energy or a macronutrient, shown on the day beside the minerals for a person who
    also watches them: no target, no rating."""

    nutrient_id: int
    name: str
    unit: str


MACROS = (
    Macro(ENERGY, "Energy", "kcal"),
    Macro(1003, "Protein", "g"),
    Macro(1005, "Carbohydrate", "g"),
    Macro(1004, "Fat", "g"),
    Macro(1079, "Fibre", "g"),
)
MACRO_IDS = frozenset(macro.nutrient_id for macro in MACROS)


@dataclass(frozen=True)
class MacroLine:
    macro: Macro
    amount: Decimal | None  # None: no logged food has a value for it (or nothing logged)
    known_entries: int
    entries: int

    @property
    def partial(self) -> bool:
        """Some entries' foods have no value: the total is a floor, and says so."""
        return self.amount is not None and self.known_entries < self.entries


# Every nutrient a day's report and page show: the day totals store these and no others.
REPORT_NUTRIENT_IDS = frozenset(
    {m.nutrient_id for m in HEADLINE_MINERALS}
    | {r.nutrient_id for r in SUPPORTING_NUTRIENTS if r.nutrient_id is not None}
    | {WATER}
    | MACRO_IDS
)


@dataclass(frozen=True)
class SupportingLine:
    reference: Reference
    amount: Decimal | None  # None: no data; food and supplements together
    known_entries: int
    entries: int
    from_supplements: Decimal | None = None  # None: no supplement with this nutrient

    @property
    def from_food(self) -> Decimal | None:
        """Of the amount, what food gave; None: no data (foods logged, none with a value)."""
        if self.from_supplements is None:
            return self.amount
        if self.known_entries == 0:
            return None if self.entries else Decimal(0)
        return (self.amount or Decimal(0)) - self.from_supplements

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
# Suggestions come only from the everyday foods (EverydayFood, shipped as
# nutrients/data/everyday_foods.csv), each at its typical serving: foods a dietitian would
# name, at amounts people eat.

# Whole or half servings, at most two, and never more than this in all.
SERVING_COUNTS = (Decimal("0.5"), Decimal(1), Decimal("1.5"), Decimal(2))
MAX_SUGGESTION_GRAMS = Decimal(250)
# Nuts, seeds and the like: one serving at most (an ounce of nuts is 160-200 kcal).
ENERGY_DENSE_KCAL_PER_100_G = 400
# A side or a snack, not a meal: no suggestion brings more energy than this.
MAX_SUGGESTION_KCAL = Decimal(250)
# A suggestion is listed for a mineral only when it closes at least this share of its gap.
SUGGESTION_MIN_GAP_PERCENT = 15
SUGGESTIONS_PER_DAY = 4


@dataclass(frozen=True)
class Serving:
    """A typical serving: "1 can (3.75 oz)", 92 g. portion_id is the food's household
    portion it is, so that logging it reads as the user would log it; None: a share of one
    ("2 tbsp" of the cup that USDA gives), logged in grams."""

    description: str
    grams: Decimal
    portion_id: int | None = None
    portion_count: Decimal = Decimal(1)  # a usual "2 medium" is 2 of the portion

    def log_as(self, count: Decimal) -> tuple[Decimal, str]:
        """What the diary's entry form takes for `count` servings: (quantity, unit), unit
        being the portion's id, or "g"."""
        if self.portion_id is None:
            return (self.grams * count).quantize(Decimal("0.01")), "g"
        return (self.portion_count * count).normalize(), str(self.portion_id)


@dataclass(frozen=True)
class Candidate:
    """An everyday food that might close a gap, with its amounts per 100 g by nutrient id
    (absent: no data)."""

    food_id: int
    fdc_id: int | None
    description: str
    kind: str  # at most one food of a kind is suggested: no two kinds of lima beans
    serving: Serving  # the list's typical serving, or the user's usual one
    per_100_g: dict[int, Decimal]
    frequent: bool = False  # among the foods this user logs most
    contains: frozenset[str] = frozenset()  # diet tags: FOOD_TAGS
    calcium_poorly_absorbed: bool = False  # never suggested for calcium

    def adds(self, nutrient_id: int, grams: Decimal) -> Decimal | None:
        amount = self.per_100_g.get(nutrient_id)
        return None if amount is None else amount * grams / 100


@dataclass(frozen=True)
class Gap:
    mineral: Mineral
    shortfall_mg: Decimal
    target_mg: Decimal | None = None  # None: gaps weigh by their own size

    @property
    def weight_mg(self) -> Decimal:
        """What closing it all is worth: the target, so that closing 20% of the potassium
        target counts as much as 20% of the calcium target, and the largest gap (in percent
        of target) gets the most help."""
        return self.target_mg or self.shortfall_mg


def gaps(statuses: Iterable[MineralStatus], held_back: Iterable[str] = ()) -> list[Gap]:
    """The minerals below target that have data and are not held back (by Mineral.key):
    a gap of unknown size cannot be sized, and a held-back mineral is never pushed."""
    held_back = set(held_back)
    return [
        Gap(status.mineral, status.shortfall_mg, status.target_mg)
        for status in statuses
        if status.shortfall_mg  # None (no data) and 0 (met) both leave it out
        and status.mineral.key not in held_back
    ]


class Diet(StrEnum):
    VEGETARIAN = "vegetarian"
    VEGAN = "vegan"
    DAIRY_FREE = "dairy_free"
    FISH_FREE = "fish_free"
    NUT_FREE = "nut_free"


DIET_LABELS = {
    Diet.VEGETARIAN: "Vegetarian",
    Diet.VEGAN: "Vegan",
    Diet.DAIRY_FREE: "No dairy",
    Diet.FISH_FREE: "No fish or seafood",
    Diet.NUT_FREE: "No nuts (peanuts included)",
}
# What an everyday food may contain (everyday_foods.csv's "contains" column, separated by
# ";"), and what each diet leaves out. Shellfish count as fish; peanuts as nuts.
FOOD_TAGS = ("meat", "fish", "dairy", "egg", "nuts", "honey")
DIET_EXCLUDES: dict[str, frozenset[str]] = {
    Diet.VEGETARIAN: frozenset({"meat", "fish"}),
    Diet.VEGAN: frozenset({"meat", "fish", "dairy", "egg", "honey"}),
    Diet.DAIRY_FREE: frozenset({"dairy"}),
    Diet.FISH_FREE: frozenset({"fish"}),
    Diet.NUT_FREE: frozenset({"nuts"}),
}


def excluded_by(diets: Iterable[str]) -> frozenset[str]:
    return frozenset().union(*(DIET_EXCLUDES[diet] for diet in diets))


# Calcium is absorbed best at 500 mg or less at once: no suggestion adds more.
MAX_CALCIUM_AT_ONCE_MG = Decimal(500)


@dataclass(frozen=True)
class Respect:
    """What suggestions must respect for this person on this day."""

    avoid: frozenset[str] = frozenset()  # FOOD_TAGS their diet leaves out
    # nutrient id → what is left below its upper limit today (food counted): a suggestion
    # must add less than this, so that none takes the day to or over the limit.
    headroom: Mapping[int, Decimal] = field(default_factory=dict)
    potassium_held_back: bool = False

    def allows(self, candidate: "Candidate", grams: Decimal) -> bool:
        """Whether this amount of the food may be suggested at all."""
        if (candidate.adds(CALCIUM, grams) or 0) > MAX_CALCIUM_AT_ONCE_MG:
            return False
        if (
            self.potassium_held_back
            and (candidate.adds(POTASSIUM, grams) or 0) > HELD_BACK_POTASSIUM_MAX_MG
        ):
            return False
        return all(
            (candidate.adds(nutrient_id, grams) or 0) < left
            for nutrient_id, left in self.headroom.items()
        )


@dataclass(frozen=True)
class Suggestion:
    food_id: int
    fdc_id: int | None
    description: str
    serving: Serving
    count: Decimal  # servings: 0.5, 1, 1.5 or 2
    adds_mg: dict[str, Decimal | None]  # by Mineral.key, every headline mineral
    kcal: Decimal | None  # None: no energy value
    closes: tuple[Mineral, ...]  # the gaps it is listed for
    gap_minerals: tuple[Mineral, ...] = ()  # every mineral short on the day

    @property
    def grams(self) -> Decimal:
        return self.serving.grams * self.count

    @property
    def amount_text(self) -> str:
        """ "1 can (3.75 oz)", "2 medium (7\" to 7-7/8\" long)", "3 tbsp" (1.5 × "2 tbsp"),
        without FoodData Central's notes ("NS as to…", "yields")."""
        return plain_portion(scaled(self.count, self.serving.description))

    @property
    def log_quantity(self) -> Decimal:
        return self.serving.log_as(self.count)[0]

    @property
    def log_unit(self) -> str:
        return self.serving.log_as(self.count)[1]

    @property
    def text(self) -> str:
        """ "1 cup (172 g)": the amount and its grams."""
        return f"{self.amount_text} ({plain(self.grams)} g)"

    @property
    def adds_text(self) -> str:
        """ "adds 611 mg potassium, 46 mg calcium, 120 mg magnesium": what it adds of
        every headline mineral, in whole mg, in words."""
        parts = [
            f"no data for {mineral.name.lower()}"
            if (adds := self.adds_mg[mineral.key]) is None
            else f"{whole(adds):,} mg {mineral.name.lower()}"
            for mineral in HEADLINE_MINERALS
        ]
        return "adds " + ", ".join(parts)


# The household measures FoodData Central's portions start with, and their plurals.
# Adjectives ("medium", "large") and abbreviations ("oz", "tbsp") stay as they are.
PORTION_PLURALS = {
    word: plural
    for words, ending in (
        (
            "bar bagel biscuit bottle bun can cake container cookie cracker cup drumstick "
            "egg fillet fruit muffin packet package piece pie roll scoop serving slice "
            "spear stalk steak stick strip tablespoon teaspoon tortilla wedge wing",
            "s",
        ),
        ("box dash glass pouch", "es"),
    )
    for word in words.split()
    for plural in [word + ending]
} | {"leaf": "leaves", "patty": "patties", "loaf": "loaves"}


def describe_amount(quantity: Decimal, unit: str) -> str:
    """ "150 g", "250 ml", "1.5 cups, sliced" (of the portion "1 cup, sliced"),
    "2 medium (7" long)", "2 × 3 oz": an entry's or an ingredient's amount as entered."""
    if unit in ("g", "ml"):
        return f"{plain(quantity)} {unit}"
    return count_of(quantity, unit)


def count_of(count: Decimal, unit: str) -> str:
    """ "2 medium" (2 of "1 medium"), "2 cups, sliced" (of "1 cup, sliced"), "2 × 2 tbsp":
    how a number of a portion reads."""
    number = plain(count)
    if unit.startswith("1 "):
        measure = unit.removeprefix("1 ")
        if count > 1:
            word, separator, rest = measure.partition(" ")
            bare = word.rstrip(",")
            if bare in PORTION_PLURALS:
                measure = PORTION_PLURALS[bare] + word[len(bare) :] + separator + rest
        return f"{number} {measure}"
    return f"{number} × {unit}"


def scaled(count: Decimal, serving: str) -> str:
    """`count` servings in words: the serving's own number multiplied when it starts with
    one ("0.5 cup" × 1.5 → "0.75 cup"), else "2 × a bowl"."""
    number, _, rest = serving.partition(" ")
    try:
        amount = Decimal(number)
    except ArithmeticError:  # decimal.InvalidOperation: no number in front
        return count_of(count, serving)
    if not amount.is_finite() or not rest:
        return count_of(count, serving)
    return f"{plain(amount * count)} {rest}"


# FoodData Central's portion words that say nothing to a person reading a suggestion.
PORTION_NOISE = re.compile(
    r",? NS as to [^,()]*|,? yields\b|\s*\((?:yield|approximate weight)[^)]*\)", re.IGNORECASE
)


def plain_portion(description: str) -> str:
    """ "1 avocado, NS as to Florida or California" → "1 avocado"; "1 cup, with pits,
    yields" → "1 cup, with pits"."""
    return PORTION_NOISE.sub("", description).strip(" ,")


def gaps_for(candidate: Candidate, day_gaps: Sequence[Gap]) -> list[Gap]:
    """The gaps this food may be suggested for: not calcium when its calcium is poorly
    absorbed (oxalate: spinach, chard, beet greens, rhubarb)."""
    return [
        gap
        for gap in day_gaps
        if not (candidate.calcium_poorly_absorbed and gap.mineral.nutrient_id == CALCIUM)
    ]


def servings_for(
    candidate: Candidate, day_gaps: Sequence[Gap], respect: Respect = Respect()
) -> Decimal | None:
    """Whole or half servings, at most two (one of an energy-dense food), within
    MAX_SUGGESTION_GRAMS and MAX_SUGGESTION_KCAL and what `respect` allows: the fewest that
    close one of the gaps, else the most allowed. None: not even half fits."""
    kcal_per_100_g = candidate.per_100_g.get(ENERGY, Decimal(0))
    dense = kcal_per_100_g >= ENERGY_DENSE_KCAL_PER_100_G
    allowed = [
        count
        for count in SERVING_COUNTS
        if (grams := candidate.serving.grams * count) <= MAX_SUGGESTION_GRAMS
        and grams * kcal_per_100_g / 100 <= MAX_SUGGESTION_KCAL
        and not (dense and count > 1)
    ]
    # Every limit bites harder as the amount grows (amounts per 100 g are never negative:
    # a database constraint), so the counts allowed are the smallest ones: `respect` is
    # asked from the largest down, most often once instead of once per count.
    while allowed and not respect.allows(candidate, candidate.serving.grams * allowed[-1]):
        allowed.pop()
    if not allowed:
        return None
    for count in allowed:
        for gap in day_gaps:
            adds = candidate.adds(gap.mineral.nutrient_id, candidate.serving.grams * count)
            if adds is not None and adds >= gap.shortfall_mg:
                return count
    return allowed[-1]


def share_closed(candidate: Candidate, grams: Decimal, day_gaps: Sequence[Gap]) -> Decimal:
    """How much of all the gaps this amount closes, each in shares of its target: a food
    that helps potassium and magnesium together beats one that helps either alone, and
    closing a fifth of a large potassium gap beats topping up a small calcium one."""
    share = Decimal(0)
    for gap in day_gaps:
        adds = candidate.adds(gap.mineral.nutrient_id, grams) or Decimal(0)
        share += min(adds, gap.shortfall_mg) / gap.weight_mg
    return share


def suggest(
    candidate: Candidate, day_gaps: Sequence[Gap], respect: Respect = Respect()
) -> Suggestion | None:
    if candidate.contains & respect.avoid:
        return None
    day_gaps = gaps_for(candidate, day_gaps)
    if not day_gaps:
        return None
    count = servings_for(candidate, day_gaps, respect)
    if count is None:
        return None
    grams = candidate.serving.grams * count
    closes = tuple(
        gap.mineral
        for gap in day_gaps
        if (candidate.adds(gap.mineral.nutrient_id, grams) or 0) * 100
        >= gap.shortfall_mg * SUGGESTION_MIN_GAP_PERCENT
    )
    if not closes:
        return None
    return Suggestion(
        food_id=candidate.food_id,
        fdc_id=candidate.fdc_id,
        description=candidate.description,
        serving=candidate.serving,
        count=count,
        adds_mg={m.key: candidate.adds(m.nutrient_id, grams) for m in HEADLINE_MINERALS},
        kcal=candidate.adds(ENERGY, grams),
        closes=closes,
        gap_minerals=tuple(gap.mineral for gap in day_gaps),
    )


def suggestions(
    candidates: Iterable[Candidate], day_gaps: Sequence[Gap], respect: Respect = Respect()
) -> list[Suggestion]:
    """Everyday foods that close the day's gaps, best first, at most one of each kind,
    none against the person's diet, their upper limits or what their care holds back.

    Ranked by how much of all the gaps the suggested amount closes (ties: the user's
    frequent foods first); then, if a gap has no food listed for it yet, its best food is
    added.
    """
    if not day_gaps:
        return []
    ranked = []
    for candidate in candidates:
        suggestion = suggest(candidate, day_gaps, respect)
        if suggestion is not None:
            score = share_closed(candidate, suggestion.grams, gaps_for(candidate, day_gaps))
            ranked.append((score, candidate.frequent, candidate.kind, suggestion))
    ranked.sort(key=lambda row: (row[0], row[1]), reverse=True)
    best_of_kind = []
    kinds = set()
    for _, _, kind, suggestion in ranked:
        if kind not in kinds:
            kinds.add(kind)
            best_of_kind.append(suggestion)
    chosen = best_of_kind[:SUGGESTIONS_PER_DAY]
    for gap in day_gaps:
        if not any(gap.mineral in suggestion.closes for suggestion in chosen):
            for_gap = [s for s in best_of_kind if gap.mineral in s.closes and s not in chosen]
            if for_gap:
                chosen.append(for_gap[0])
    return chosen
