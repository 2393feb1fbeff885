"""Supplements as plain data and rules: elemental shares, the shipped products, upper limits.

Pure: no Django. The product logs what a person takes and warns at the upper limits; it
never suggests a supplement or a dose.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from nutrients.report import CALCIUM, MAGNESIUM, POTASSIUM, SODIUM

VITAMIN_D = 1114

# What a supplement may carry, nutrient id → (name, unit). A supplement's amounts are
# per unit (tablet, capsule, scoop…), in these units.
SUPPLEMENT_NUTRIENTS: dict[int, tuple[str, str]] = {
    POTASSIUM: ("Potassium", "mg"),
    CALCIUM: ("Calcium", "mg"),
    MAGNESIUM: ("Magnesium", "mg"),
    SODIUM: ("Sodium", "mg"),
    VITAMIN_D: ("Vitamin D", "µg"),
}

# Labels sometimes give the compound's weight rather than the mineral's: this share of
# the compound is the mineral itself (rounded, as the usual references give them).
# key → (label, nutrient id, elemental share).
COMPOUNDS: dict[str, tuple[str, int, Decimal]] = {
    "magnesium_oxide": ("Magnesium oxide", MAGNESIUM, Decimal("0.60")),
    "magnesium_citrate": ("Magnesium citrate", MAGNESIUM, Decimal("0.16")),
    "magnesium_glycinate": ("Magnesium glycinate", MAGNESIUM, Decimal("0.14")),
    "calcium_carbonate": ("Calcium carbonate", CALCIUM, Decimal("0.40")),
    "calcium_citrate": ("Calcium citrate", CALCIUM, Decimal("0.21")),
    "potassium_chloride": ("Potassium chloride", POTASSIUM, Decimal("0.52")),
    "potassium_citrate": ("Potassium citrate", POTASSIUM, Decimal("0.38")),
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


# The tolerable upper intake levels for adults. Calcium's is 2,500 mg from 19 to 50 and
# 2,000 mg from 51: without an age in the profile the product uses the adults' 2,500 mg
# and says the lower figure beside it.
UPPER_LIMITS = (
    UpperLimit(MAGNESIUM, "Magnesium", "mg", Decimal(350), counts_food=False),
    UpperLimit(CALCIUM, "Calcium", "mg", Decimal(2500), counts_food=True),
    UpperLimit(VITAMIN_D, "Vitamin D", "µg", Decimal(100), counts_food=True),
    UpperLimit(SODIUM, "Sodium", "mg", Decimal(2300), counts_food=True),
)
CALCIUM_UPPER_FROM_51_MG = Decimal(2000)


@dataclass(frozen=True)
class LimitWarning:
    limit: UpperLimit
    counted: Decimal  # what the limit is compared with

    @property
    def text(self) -> str:
        source = "food and supplements together" if self.limit.counts_food else "supplements"
        amount = f"{self.counted.quantize(Decimal(1), ROUND_HALF_UP):,} {self.limit.unit}"
        text = (
            f"{self.limit.name} from {source}: {amount}, over the upper limit of "
            f"{self.limit.limit:,} {self.limit.unit} a day"
        )
        if self.limit.nutrient_id == CALCIUM:
            text += f" ({CALCIUM_UPPER_FROM_51_MG:,} mg from age 51)"
        return text + "."


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
    food: Mapping[int, Decimal | None], supplements: Mapping[int, Decimal]
) -> list[LimitWarning]:
    """The upper limits a day passes, each counted as the limit is defined: magnesium from
    supplements alone, the others from food and supplements together. "Over" is more
    than the limit; the limit itself is allowed."""
    warnings = []
    for limit in UPPER_LIMITS:
        counted = supplements.get(limit.nutrient_id, Decimal(0))
        if limit.counts_food:
            counted += food.get(limit.nutrient_id) or Decimal(0)
        if counted > limit.limit:
            warnings.append(LimitWarning(limit, counted))
    return warnings
