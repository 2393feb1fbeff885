"""The report's rules as plain data and functions: no ORM here.

Nutrient ids are FoodData Central's; the default targets are the ones the product's
sources give (USDA recommendations).
"""

from dataclasses import dataclass
from decimal import Decimal

POTASSIUM = 1092
CALCIUM = 1087
MAGNESIUM = 1090
SODIUM = 1093
ENERGY = 1008
WATER = 1051

# Drinks are logged as this food, so water from food and from drinks add up.
TAP_WATER_FDC_ID = 173647


@dataclass(frozen=True)
class Mineral:
    nutrient_id: int
    name: str
    symbol: str
    default_target_mg: Decimal


HEADLINE_MINERALS = (
    Mineral(POTASSIUM, "Potassium", "K", Decimal(4700)),
    Mineral(CALCIUM, "Calcium", "Ca", Decimal(1000)),
    Mineral(MAGNESIUM, "Magnesium", "Mg", Decimal(420)),
)


@dataclass(frozen=True)
class MineralStatus:
    """One headline mineral of one day: what was eaten against the target.

    eaten_mg is None when none of the day's foods has a value for this mineral.
    """

    mineral: Mineral
    eaten_mg: Decimal | None
    target_mg: Decimal

    @property
    def percent(self) -> int | None:
        if self.eaten_mg is None:
            return None
        return int(self.eaten_mg * 100 / self.target_mg)

    @property
    def shortfall_mg(self) -> Decimal | None:
        if self.eaten_mg is None:
            return None
        return max(self.target_mg - self.eaten_mg, Decimal(0))

    # Meter colour bands: below half the target is "well short", below three quarters "short".
    @property
    def low_mg(self) -> Decimal:
        return self.target_mg / 2

    @property
    def high_mg(self) -> Decimal:
        return self.target_mg * 3 / 4
