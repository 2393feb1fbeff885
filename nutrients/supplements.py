"""Supplements as plain data and rules: elemental shares, the shipped products, upper limits.

Pure: no Django. The product logs what a person takes and warns at the upper limits; it
never suggests a supplement or a dose.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from nutrients.report import (
    CALCIUM,
    MAGNESIUM,
    PHOSPHORUS,
    POTASSIUM,
    SELENIUM,
    SODIUM,
    VITAMIN_B6,
    VITAMIN_D,
    VITAMIN_E,
)

# What a supplement may carry, nutrient id → (name, unit). A supplement's amounts are
# per unit (tablet, capsule, scoop…), in these units.
SUPPLEMENT_NUTRIENTS: dict[int, tuple[str, str]] = {
    POTASSIUM: ("Potassium", "mg"),
    CALCIUM: ("Calcium", "mg"),
    MAGNESIUM: ("Magnesium", "mg"),
    SODIUM: ("Sodium", "mg"),
    VITAMIN_D: ("Vitamin D", "µg"),
    VITAMIN_B6: ("Vitamin B6", "mg"),
    VITAMIN_E: ("Vitamin E", "mg"),
    SELENIUM: ("Selenium", "µg"),
    PHOSPHORUS: ("Phosphorus", "mg"),
}
# A vitamin D label gives µg or IU: 1 µg is 40 IU (1,000 IU = 25 µg).
IU_PER_MICROGRAM_VITAMIN_D = Decimal(40)

# Labels sometimes give the compound's weight rather than the mineral's: this share of
# the compound is the mineral itself (the domain brief's table).
# key → (label, nutrient id, elemental share).
COMPOUNDS: dict[str, tuple[str, int, Decimal]] = {
    "magnesium_oxide": ("Magnesium oxide", MAGNESIUM, Decimal("0.60")),
    "magnesium_hydroxide": ("Magnesium hydroxide (milk of magnesia)", MAGNESIUM, Decimal("0.42")),
    "magnesium_carbonate": ("Magnesium carbonate", MAGNESIUM, Decimal("0.29")),
    "magnesium_citrate": ("Magnesium citrate", MAGNESIUM, Decimal("0.16")),
    "magnesium_malate": ("Magnesium malate", MAGNESIUM, Decimal("0.15")),
    "magnesium_glycinate": ("Magnesium glycinate or bisglycinate", MAGNESIUM, Decimal("0.14")),
    "magnesium_chloride": ("Magnesium chloride (hexahydrate)", MAGNESIUM, Decimal("0.12")),
    "magnesium_lactate": ("Magnesium lactate", MAGNESIUM, Decimal("0.12")),
    "magnesium_sulfate": ("Magnesium sulfate (Epsom salt)", MAGNESIUM, Decimal("0.10")),
    "magnesium_taurate": ("Magnesium taurate", MAGNESIUM, Decimal("0.09")),
    "magnesium_aspartate": ("Magnesium aspartate", MAGNESIUM, Decimal("0.075")),
    "magnesium_threonate": ("Magnesium L-threonate", MAGNESIUM, Decimal("0.07")),
    "calcium_carbonate": ("Calcium carbonate", CALCIUM, Decimal("0.40")),
    "calcium_phosphate": ("Tricalcium phosphate", CALCIUM, Decimal("0.39")),
    "calcium_citrate_malate": ("Calcium citrate malate", CALCIUM, Decimal("0.23")),
    "calcium_citrate": ("Calcium citrate", CALCIUM, Decimal("0.21")),
    "calcium_lactate": ("Calcium lactate", CALCIUM, Decimal("0.13")),
    "calcium_gluconate": ("Calcium gluconate", CALCIUM, Decimal("0.09")),
    "potassium_chloride": ("Potassium chloride", POTASSIUM, Decimal("0.52")),
    "potassium_bicarbonate": ("Potassium bicarbonate", POTASSIUM, Decimal("0.39")),
    "potassium_citrate": ("Potassium citrate (monohydrate)", POTASSIUM, Decimal("0.36")),
    "potassium_gluconate": ("Potassium gluconate", POTASSIUM, Decimal("0.17")),
}

# Per unit, more than this is a typing mistake, not a product: the largest common
# tablets hold about 1,500 mg of a compound.
MAX_MG_PER_UNIT = Decimal(2000)
# A day's log of one product: more than this many units is a typing mistake.
MAX_UNITS_PER_DOSE = Decimal(20)


def elemental_mg(compound_key: str, compound_mg: Decimal) -> tuple[int, Decimal]:
    """The mineral and its mg in this much of the compound, to 0.1 mg: 400 mg of
    magnesium oxide is 240 mg of magnesium."""
    _, nutrient_id, share = COMPOUNDS[compound_key]
    return nutrient_id, (compound_mg * share).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class ShippedSupplement:
    """A common product, as a typical label gives it; a user's label may differ, and
    they can enter their own."""

    name: str
    unit: str
    amounts: dict[int, Decimal]  # nutrient id → amount per unit


SHIPPED_SUPPLEMENTS = (
    ShippedSupplement("Magnesium citrate", "tablet", {MAGNESIUM: Decimal(100)}),
    ShippedSupplement("Magnesium glycinate", "capsule", {MAGNESIUM: Decimal(100)}),
    ShippedSupplement("Magnesium oxide (400 mg)", "tablet", {MAGNESIUM: Decimal(240)}),
    ShippedSupplement("Calcium carbonate (1,250 mg)", "tablet", {CALCIUM: Decimal(500)}),
    ShippedSupplement("Calcium citrate", "tablet", {CALCIUM: Decimal(200)}),
    ShippedSupplement("Potassium chloride", "tablet", {POTASSIUM: Decimal(99)}),
    ShippedSupplement("Vitamin D3 (1,000 IU)", "capsule", {VITAMIN_D: Decimal(25)}),
    ShippedSupplement(
        "Electrolyte drink mix",
        "scoop",
        {SODIUM: Decimal(500), POTASSIUM: Decimal(200), MAGNESIUM: Decimal(60)},
    ),
)


# --- Upper limits -----------------------------------------------------------------------


@dataclass(frozen=True)
class UpperLimit:
    nutrient_id: int
    name: str
    unit: str
    limit: Decimal
    counts_food: bool  # False: supplements (and medicines) only, as the limit is defined
    group: str = "adults 19–50"  # whose limit it is, in words


# The age bands of the upper limits' table; 71+ has no end.
LIMIT_BANDS = ((1, 3), (4, 8), (9, 13), (14, 18), (19, 50), (51, 70), (71, None))
# The band used when the age is not known: adults 19–50.
ADULT_LIMIT_BAND = 4

# The tolerable upper intake levels by age band, in LIMIT_BANDS' order (US National
# Academies, as the NIH Office of Dietary Supplements sums them up). Pregnancy and
# lactation take their age band's limit, except phosphorus in pregnancy.
# nutrient id → (name, unit, counts food, limits by band).
LIMIT_TABLE: dict[int, tuple[str, str, bool, tuple[int, ...]]] = {
    MAGNESIUM: ("Magnesium", "mg", False, (65, 110, 350, 350, 350, 350, 350)),
    CALCIUM: ("Calcium", "mg", True, (2500, 2500, 3000, 3000, 2500, 2000, 2000)),
    VITAMIN_D: ("Vitamin D", "µg", True, (63, 75, 100, 100, 100, 100, 100)),
    VITAMIN_B6: ("Vitamin B6", "mg", True, (30, 40, 60, 80, 100, 100, 100)),
    VITAMIN_E: ("Vitamin E", "mg", False, (200, 300, 600, 800, 1000, 1000, 1000)),
    SELENIUM: ("Selenium", "µg", True, (90, 150, 280, 400, 400, 400, 400)),
    PHOSPHORUS: ("Phosphorus", "mg", True, (3000, 3000, 4000, 4000, 4000, 4000, 3000)),
}
PHOSPHORUS_LIMIT_IN_PREGNANCY_MG = 3500


def limit_band(age: int | None) -> int | None:
    """The index of the age's band in LIMIT_BANDS; None under 1 (out of scope); the
    adults' band when the age is not known."""
    if age is None:
        return ADULT_LIMIT_BAND
    for index, (lowest, highest) in enumerate(LIMIT_BANDS):
        if lowest <= age and (highest is None or age <= highest):
            return index
    return None


def band_words(index: int) -> str:
    lowest, highest = LIMIT_BANDS[index]
    if highest is None:
        return f"{lowest} and over"
    return f"{lowest}–{highest} years" if lowest < 19 else f"adults {lowest}–{highest}"


def upper_limits(age: int | None, life_stage: str | None = None) -> tuple[UpperLimit, ...]:
    """The upper limits for a person of this age (None: not known, the adults' 19–50)
    and life stage ("pregnant", "lactating" or None). Under 1 year: none (out of scope)."""
    band = limit_band(age)
    if band is None:
        return ()
    limits = []
    for nutrient_id, (name, unit, counts_food, by_band) in LIMIT_TABLE.items():
        limit, group = Decimal(by_band[band]), band_words(band)
        if nutrient_id == PHOSPHORUS and life_stage == "pregnant":
            limit, group = Decimal(PHOSPHORUS_LIMIT_IN_PREGNANCY_MG), "pregnancy"
        limits.append(UpperLimit(nutrient_id, name, unit, limit, counts_food, group))
    return tuple(limits)


UPPER_LIMITS = upper_limits(None)


@dataclass(frozen=True)
class LimitWarning:
    limit: UpperLimit
    counted: Decimal  # what the limit is compared with

    @property
    def text(self) -> str:
        source = "food and supplements together" if self.limit.counts_food else "supplements"
        amount = f"{self.counted.quantize(Decimal(1), ROUND_HALF_UP):,} {self.limit.unit}"
        return (
            f"{self.limit.name} from {source}: {amount}, over the upper limit of "
            f"{self.limit.limit:,} {self.limit.unit} a day ({self.limit.group})."
        )


POTASSIUM_WARNING = (
    "Potassium supplements can be dangerous with kidney disease or with medicines that "
    "raise potassium (ACE inhibitors, potassium-sparing diuretics): take them only as a "
    "health professional advises."
)
SUPPLEMENT_ADVICE = (
    "Take supplements only on a health professional’s advice; this diary logs them and "
    "never suggests one or a dose."
)


def limit_warnings(
    food: Mapping[int, Decimal | None],
    supplements: Mapping[int, Decimal],
    limits: Sequence[UpperLimit] = UPPER_LIMITS,
) -> list[LimitWarning]:
    """The upper limits a day passes, each counted as the limit is defined: magnesium from
    supplements alone, the others from food and supplements together. "Over" is more
    than the limit; the limit itself is allowed."""
    warnings = []
    for limit in limits:
        counted = supplements.get(limit.nutrient_id, Decimal(0))
        if limit.counts_food:
            counted += food.get(limit.nutrient_id) or Decimal(0)
        if counted > limit.limit:
            warnings.append(LimitWarning(limit, counted))
    return warnings
