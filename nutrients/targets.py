"""Daily targets for a person: the sources' figures by default, the published reference
intakes for their age and sex on request, or their own. Pure: numbers and words.

The reference intakes are the US National Academies' (potassium's AI of 2019, the calcium
and magnesium RDAs), as the project's domain brief tabulates them, for adults (19 and over).
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from nutrients.report import DEFAULT_WATER_TARGET_ML, HEADLINE_MINERALS, Mineral

ADULT_FROM_AGE = 19


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class TargetSource(StrEnum):
    DEFAULTS = "defaults"  # 4,700 / 1,000 / 420 mg: the figures the product's sources give
    REFERENCE = "reference"  # the reference intakes for the person's age and sex


@dataclass(frozen=True)
class ReferenceIntakes:
    group: str  # "women 31–50"
    mg: dict[str, Decimal]  # by Mineral.key
    water_ml: int  # from food and drink together
    vitamin_d_ug: Decimal
    vitamin_b6_mg: Decimal
    thiamin_mg: Decimal


# (sex, lowest age of the band, highest or None) → potassium, calcium, magnesium (mg),
# water (ml), vitamin D (µg), B6 (mg), thiamin (mg).
_TABLE = [
    (Sex.MALE, 19, 30, 3400, 1000, 400, 3700, "15", "1.3", "1.2"),
    (Sex.MALE, 31, 50, 3400, 1000, 420, 3700, "15", "1.3", "1.2"),
    (Sex.MALE, 51, 70, 3400, 1000, 420, 3700, "15", "1.7", "1.2"),
    (Sex.MALE, 71, None, 3400, 1200, 420, 3700, "20", "1.7", "1.2"),
    (Sex.FEMALE, 19, 30, 2600, 1000, 310, 2700, "15", "1.3", "1.1"),
    (Sex.FEMALE, 31, 50, 2600, 1000, 320, 2700, "15", "1.3", "1.1"),
    (Sex.FEMALE, 51, 70, 2600, 1200, 320, 2700, "15", "1.5", "1.1"),
    (Sex.FEMALE, 71, None, 2600, 1200, 320, 2700, "20", "1.5", "1.1"),
]


def reference_intakes(sex: str | None, age: int | None) -> ReferenceIntakes | None:
    """The row of the table for this person; None without sex or age, or under 19 (the
    table is for adults)."""
    if not sex or age is None or age < ADULT_FROM_AGE:
        return None
    for row_sex, lowest, highest, k, ca, mg, water, vit_d, b6, thiamin in _TABLE:
        if row_sex == sex and lowest <= age and (highest is None or age <= highest):
            band = f"{lowest}–{highest}" if highest else f"{lowest}+"
            return ReferenceIntakes(
                group=f"{'men' if sex == Sex.MALE else 'women'} {band}",
                mg={"potassium": Decimal(k), "calcium": Decimal(ca), "magnesium": Decimal(mg)},
                water_ml=water,
                vitamin_d_ug=Decimal(vit_d),
                vitamin_b6_mg=Decimal(b6),
                thiamin_mg=Decimal(thiamin),
            )
    return None


DEFAULT_SOURCE = "the sources’ figure (USDA recommendation)"
OWN_SOURCE = "your own target"


@dataclass(frozen=True)
class Targets:
    """The targets in force on a day, each with where it comes from, in words."""

    mg: dict[str, Decimal]  # by Mineral.key
    water_ml: int
    sources: dict[str, str]  # by Mineral.key, and "water"
    reference: ReferenceIntakes | None = None  # when the reference intakes are in use

    def target_mg(self, mineral: Mineral) -> Decimal:
        return self.mg[mineral.key]


def resolve_targets(
    source: str,
    sex: str | None,
    age: int | None,
    own_mg: dict[str, int | None],
    water_ml: int,
) -> Targets:
    """own_mg (by Mineral.key; None: not set) wins; then the reference intakes when asked
    for and known; then the defaults. Water: the profile's own figure when it differs from
    the default, else the reference's or the default."""
    reference = reference_intakes(sex, age) if source == TargetSource.REFERENCE else None
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
    if water_ml != DEFAULT_WATER_TARGET_ML:
        water, sources["water"] = water_ml, OWN_SOURCE
    elif reference is not None:
        water, sources["water"] = reference.water_ml, f"reference intake for {reference.group}"
    else:
        water, sources["water"] = water_ml, "about 2.7 L for women and 3.7 L for men"
    return Targets(mg, water, sources, reference)
