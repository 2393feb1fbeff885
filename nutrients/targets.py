"""Daily targets for a person: the product's defaults, the published reference intakes for
their age, sex and life stage, or their own numbers. Pure: numbers and words.

The reference intakes are the US National Academies' (potassium's adequate intake of 2019,
the calcium and magnesium RDAs, water from food and drink), as the project's domain brief
tabulates them, from 1 year of age. Under 1 year (breast milk or formula) is out of scope.
The upper limits by age are nutrients/supplements.py's.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from nutrients.report import DEFAULT_WATER_TARGET_ML, HEADLINE_MINERALS, Mineral
from nutrients.supplements import UpperLimit, upper_limits

ADULT_FROM_AGE = 19
# Younger than this is out of scope: a baby's milk is not logged here.
YOUNGEST_AGE = 1
# The reference intakes for pregnancy and lactation cover these ages.
LIFE_STAGE_AGES = (14, 50)


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class LifeStage(StrEnum):
    PREGNANT = "pregnant"
    LACTATING = "lactating"


LIFE_STAGE_WORDS = {LifeStage.PREGNANT: "pregnancy", LifeStage.LACTATING: "breastfeeding"}


class TargetSource(StrEnum):
    DEFAULTS = "defaults"  # 4,700 / 1,000 / 420 mg: the figures the product's sources give
    REFERENCE = "reference"  # the reference intakes for the person's age, sex and life stage


def age_on(day: date, birth_year: int | None, birth_month: int | None = None) -> int | None:
    """Whole years on `day`. With the month, the birthday is taken as the month's first
    day (a month early at most); from the year alone, as 1 January (a year early at
    most). None when the year is not known."""
    if birth_year is None:
        return None
    age = day.year - birth_year
    if birth_month is not None and day.month < birth_month:
        age -= 1
    return age


@dataclass(frozen=True)
class ReferenceIntakes:
    group: str  # "women 31–50", "pregnancy 19–30", "children 4–8"
    mg: dict[str, Decimal]  # by Mineral.key
    water_ml: int  # from food and drink together


# Who a row is for ("child": either sex), its lowest and highest age (None: no end), then
# potassium, calcium, magnesium (mg) and water from food and drink (ml).
_TABLE = [
    ("child", 1, 3, 2000, 700, 80, 1300),
    ("child", 4, 8, 2300, 1000, 130, 1700),
    (Sex.MALE, 9, 13, 2500, 1300, 240, 2400),
    (Sex.FEMALE, 9, 13, 2300, 1300, 240, 2100),
    (Sex.MALE, 14, 18, 3000, 1300, 410, 3300),
    (Sex.FEMALE, 14, 18, 2300, 1300, 360, 2300),
    (Sex.MALE, 19, 30, 3400, 1000, 400, 3700),
    (Sex.MALE, 31, 50, 3400, 1000, 420, 3700),
    (Sex.MALE, 51, 70, 3400, 1000, 420, 3700),
    (Sex.MALE, 71, None, 3400, 1200, 420, 3700),
    (Sex.FEMALE, 19, 30, 2600, 1000, 310, 2700),
    (Sex.FEMALE, 31, 50, 2600, 1000, 320, 2700),
    (Sex.FEMALE, 51, 70, 2600, 1200, 320, 2700),
    (Sex.FEMALE, 71, None, 2600, 1200, 320, 2700),
    (LifeStage.PREGNANT, 14, 18, 2600, 1300, 400, 3000),
    (LifeStage.PREGNANT, 19, 30, 2900, 1000, 350, 3000),
    (LifeStage.PREGNANT, 31, 50, 2900, 1000, 360, 3000),
    (LifeStage.LACTATING, 14, 18, 2500, 1300, 360, 3800),
    (LifeStage.LACTATING, 19, 30, 2800, 1000, 310, 3800),
    (LifeStage.LACTATING, 31, 50, 2800, 1000, 320, 3800),
]
_WHO_WORDS = {
    "child": "children",
    Sex.MALE: "boys",
    Sex.FEMALE: "girls",
    LifeStage.PREGNANT: "pregnancy",
    LifeStage.LACTATING: "breastfeeding",
}


def _group(who: str, lowest: int, highest: int | None) -> str:
    band = f"{lowest}–{highest}" if highest else f"{lowest}+"
    words = _WHO_WORDS[who]
    if who in (Sex.MALE, Sex.FEMALE) and lowest >= ADULT_FROM_AGE:
        words = "men" if who == Sex.MALE else "women"
    return f"{words} {band}"


def reference_intakes(
    sex: str | None, age: int | None, life_stage: str | None = None
) -> ReferenceIntakes | None:
    """The row of the table for this person; None without an age, under 1 year, or from
    9 years on without a sex (the rows differ by sex) unless pregnant or breastfeeding
    at 14–50 (their rows do not)."""
    if age is None or age < YOUNGEST_AGE:
        return None
    for who in (life_stage, "child", sex):
        if not who:
            continue
        for row_who, lowest, highest, k, ca, mg, water in _TABLE:
            if row_who == who and lowest <= age and (highest is None or age <= highest):
                return ReferenceIntakes(
                    group=_group(who, lowest, highest),
                    mg={"potassium": Decimal(k), "calcium": Decimal(ca), "magnesium": Decimal(mg)},
                    water_ml=water,
                )
    return None


def why_no_reference(sex: str | None, age: int | None, life_stage: str | None) -> str:
    """What the reference intakes lack for this person, in words (when they are None)."""
    if age is None:
        return "the reference intakes need your month and year of birth"
    if age < YOUNGEST_AGE:
        return "there are none here under 1 year (breast milk or formula is out of scope)"
    return "the reference intakes from 9 years on need your sex"


# --- Supporting nutrients by age (those the domain brief gives by age) -------------------


def vitamin_d_ug(age: int | None, life_stage: str | None) -> Decimal:
    """15 µg (600 IU) from 1 to 70 years, 20 µg over 70; 15 µg in pregnancy and lactation."""
    return Decimal(20) if age is not None and age > 70 and not life_stage else Decimal(15)


def sodium_mg(age: int | None) -> tuple[Decimal, Decimal]:
    """The adequate intake and the level to keep under (chronic-disease risk reduction; not
    an upper limit), by age: 14 and over 1,500 / 2,300 mg."""
    for highest, adequate, keep_under in ((3, 800, 1200), (8, 1000, 1500), (13, 1200, 1800)):
        if age is not None and age <= highest:
            return Decimal(adequate), Decimal(keep_under)
    return Decimal(1500), Decimal(2300)


def adult_b_vitamins(sex: str | None, age: int | None) -> tuple[Decimal, Decimal] | None:
    """B6 and thiamin (mg) for an adult of known sex; None otherwise (the brief gives
    these for adults only)."""
    if sex not in (Sex.MALE, Sex.FEMALE) or age is None or age < ADULT_FROM_AGE:
        return None
    b6 = Decimal("1.3") if age <= 50 else Decimal("1.7" if sex == Sex.MALE else "1.5")
    thiamin = Decimal("1.2" if sex == Sex.MALE else "1.1")
    return b6, thiamin


DEFAULT_SOURCE = "the product’s default (see “What the default numbers are”)"
OWN_SOURCE = "your own target"
DEFAULT_WATER_SOURCE = (
    "the product’s default, from food and drink (about 2.7 L for women, 3.7 L for men)"
)

# What each default number is, in words: shown where targets are explained.
DEFAULTS_EXPLAINED = {
    "potassium": "4,700 mg: the 2004 Institute of Medicine adequate intake for adults, replaced "
    "in 2019 by 3,400 mg for men and 2,600 mg for women, and still the Daily Value on US "
    "food labels",
    "calcium": "1,000 mg: the RDA for adults 19–50 (the label Daily Value is 1,300 mg)",
    "magnesium": "420 mg: the RDA for men from 31, and the label Daily Value",
}


@dataclass(frozen=True)
class Targets:
    """The targets in force on a day, each with where it comes from, in words, and the
    upper limits for the person's age that day."""

    mg: dict[str, Decimal]  # by Mineral.key
    water_ml: int
    sources: dict[str, str]  # by Mineral.key, and "water"
    reference: ReferenceIntakes | None = None  # when the reference intakes are in use
    age: int | None = None  # whole years on the day; None: not known
    life_stage: str | None = None
    sex: str | None = None
    limits: tuple[UpperLimit, ...] = field(default_factory=lambda: upper_limits(None))
    note: str = ""  # why the reference intakes could not be used, when they were asked for

    def target_mg(self, mineral: Mineral) -> Decimal:
        return self.mg[mineral.key]

    def upper_limit(self, nutrient_id: int) -> UpperLimit | None:
        return next((limit for limit in self.limits if limit.nutrient_id == nutrient_id), None)

    @property
    def in_force(self) -> str:
        """The set in force and why, in one sentence, for every page that rates a day."""
        sources = {self.sources[m.key] for m in HEADLINE_MINERALS}
        if sources == {OWN_SOURCE}:
            text = "Your own targets"
        elif self.reference is not None:
            text = f"The reference intakes for {self.reference.group}"
            if OWN_SOURCE in sources:
                text += ", with your own numbers where you set them"
        else:
            text = "The product’s defaults (4,700 / 1,000 / 420 mg)"
            if OWN_SOURCE in sources:
                text += ", with your own numbers where you set them"
        text += f" ({self.person_words})"
        if self.note:
            text += f"; {self.note}"
        elif self.reference is None and self.age is not None and self.age < ADULT_FROM_AGE:
            text += "; these are adults’ figures: the reference intakes fit your age"
        return text + "."

    @property
    def person_words(self) -> str:
        """ "age 15, male", "age 32, pregnant", "age not given"."""
        parts = [f"age {self.age}" if self.age is not None else "age not given"]
        if self.sex:
            parts.append(self.sex)
        if self.life_stage:
            parts.append(LIFE_STAGE_WORDS[LifeStage(self.life_stage)])
        return ", ".join(parts)

    @property
    def vitamin_d_ug(self) -> Decimal:
        return vitamin_d_ug(self.age, self.life_stage)

    @property
    def sodium_mg(self) -> tuple[Decimal, Decimal]:
        return sodium_mg(self.age)

    @property
    def b_vitamins(self) -> tuple[Decimal, Decimal] | None:
        return adult_b_vitamins(self.sex, self.age)


def resolve_targets(
    source: str,
    sex: str | None,
    age: int | None,
    own_mg: dict[str, int | None],
    water_ml: int | None,
    life_stage: str | None = None,
) -> Targets:
    """own_mg (by Mineral.key; None: not set) and water_ml (None: not set) win; then the
    reference intakes when asked for and known; then the defaults. The upper limits
    follow the age whatever the source."""
    reference, note = None, ""
    if source == TargetSource.REFERENCE:
        reference = reference_intakes(sex, age, life_stage)
        if reference is None:
            note = f"the defaults stand in, as {why_no_reference(sex, age, life_stage)}"
    mg, sources = {}, {}
    for mineral in HEADLINE_MINERALS:
        own = own_mg.get(mineral.key)
        if own:
            mg[mineral.key], sources[mineral.key] = Decimal(own), OWN_SOURCE
        elif reference is not None:
            mg[mineral.key] = reference.mg[mineral.key]
            sources[mineral.key] = f"reference intake for {reference.group}"
        else:
            mg[mineral.key], sources[mineral.key] = mineral.default_target_mg, DEFAULT_SOURCE
    if water_ml:
        water, sources["water"] = water_ml, OWN_SOURCE
    elif reference is not None:
        water = reference.water_ml
        sources["water"] = f"reference intake for {reference.group}, from food and drink"
    else:
        water, sources["water"] = DEFAULT_WATER_TARGET_ML, DEFAULT_WATER_SOURCE
    return Targets(
        mg,
        water,
        sources,
        reference,
        age=age,
        life_stage=life_stage or None,
        sex=sex or None,
        limits=upper_limits(age, life_stage),
        note=note,
    )
