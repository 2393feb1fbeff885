"""Which of a food's portions to offer first, and what an amount of a food adds. Pure."""

import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Protocol, TypeVar

from nutrients.report import ENERGY_DENSE_KCAL_PER_100_G

# The measures a person reaches for in a kitchen, best first within a tie. FoodData
# Central also lists "1 package (10 oz)", "1 bunch" or "1 NLEA serving": fine to choose,
# odd to be offered first.
HOUSEHOLD_MEASURES = ("medium", "cup", "oz", "slice", "large", "small", "tbsp", "piece")
# A person eats about 1 oz of energy-dense foods (nuts, seeds, cheese), ~120 g of others.
TYPICAL_GRAMS = Decimal(120)
TYPICAL_GRAMS_ENERGY_DENSE = Decimal(28)


class PortionLike(Protocol):
    description: str
    grams: Decimal


def _measure(description: str) -> str | None:
    """ "1 cup, sliced" → "cup"; "1 medium (7" long)" → "medium"; "3 oz" → None."""
    match = re.match(r"1 ([a-z]+)\b", description.lower())
    if match and match.group(1) in HOUSEHOLD_MEASURES:
        return match.group(1)
    return None


P = TypeVar("P", bound=PortionLike)


def household_portion(portions: Sequence[P], kcal_per_100_g: Decimal | None) -> P | None:
    """The portion a person would pick: "1 medium" when there is one; else the household
    measure ("1 cup", "1 oz", "1 slice"…) nearest a typical serving (an ounce of nuts, a
    cup of milk); else any portion nearest a typical serving. None without portions."""
    if not portions:
        return None
    medium = [p for p in portions if _measure(p.description) == "medium"]
    if medium:
        return medium[0]
    household = [p for p in portions if _measure(p.description) and p.grams > 0]
    dense = (kcal_per_100_g or 0) >= ENERGY_DENSE_KCAL_PER_100_G
    typical = TYPICAL_GRAMS_ENERGY_DENSE if dense else TYPICAL_GRAMS
    pool = household or [p for p in portions if p.grams > 0] or list(portions)

    def distance(portion: P) -> tuple[float, int]:
        # Nearest on a ratio scale: 60 g and 240 g are equally far from 120 g.
        ratio = abs(math.log(portion.grams / typical)) if portion.grams > 0 else math.inf
        measure = _measure(portion.description)
        order = HOUSEHOLD_MEASURES.index(measure) if measure else len(HOUSEHOLD_MEASURES)
        return round(ratio, 1), order

    return min(pool, key=distance)


# More than this at once is a typing slip more often than a meal ("2,5" read as 25
# bananas): the form asks before adding. Not a limit: "yes, that much" adds it.
UNLIKELY_PORTIONS_AT_ONCE = 10
UNLIKELY_GRAMS_AT_ONCE = Decimal(3000)


def unlikely_at_once(grams: Decimal, portions: Sequence[PortionLike]) -> bool:
    """Whether `grams` of a food is far beyond what people eat at once: over 3 kg, or
    over 10 of its largest household portion (a cup, a medium fruit, a slice…; any of its
    portions when it has no household one). 2,950 g of bananas is 13 cups, mashed."""
    if grams > UNLIKELY_GRAMS_AT_ONCE:
        return True
    household = [p.grams for p in portions if _measure(p.description)] or [
        p.grams for p in portions
    ]
    return bool(household) and grams > UNLIKELY_PORTIONS_AT_ONCE * max(household)


def adds(per_100_g: Mapping[int, Decimal | None], grams: Decimal) -> dict[int, Decimal | None]:
    """What `grams` of a food adds of each nutrient (id → amount; None: no data), by the
    same sum the day's totals use: amount per 100 g × grams / 100."""
    return {
        nutrient_id: None if amount is None else amount * grams / 100
        for nutrient_id, amount in per_100_g.items()
    }
