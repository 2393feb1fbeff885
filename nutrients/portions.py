"""Which of a food's portions to offer first, and what an amount of a food adds. Pure."""

import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Protocol, TypeVar

from nutrients.search import singular_prefix

# The measures a person reaches for in a kitchen, best first within a tie. FoodData
# Central also lists "1 package (10 oz)", "1 bunch" or "1 NLEA serving": fine to choose,
# odd to be offered first.
HOUSEHOLD_MEASURES = ("medium", "cup", "oz", "slice", "large", "small", "tbsp", "piece")
# One whole thing a person eats one of, best first: a medium fruit, a slice of bread, a
# can of tuna, a fillet, a pot of yoghurt, a small box of raisins. Offered before a
# measure of volume or weight ("1 cup, sliced" kiwi, "1 cup, crumbs" of bread).
WHOLE_ITEMS = ("medium", "fruit", "slice", "can", "fillet", "container", "bar", "small", "large")
# Foods spread or spooned onto others, by a word of the description's first part
# ("Hummus, commercial", "Peanut butter, smooth", "Oil, olive"): a tablespoon comes first
# ("1 cup" of hummus is a bowl for a party).
SPOONED = frozenset(
    (
        "hummus", "butter", "spread", "spreads", "jam", "jams", "jelly", "jellies",
        "preserves", "marmalade", "honey", "syrup", "syrups", "mayonnaise", "dressing",
        "catsup", "ketchup", "mustard", "tahini", "pesto", "margarine", "oil", "salsa",
        "dip", "dips", "guacamole", "cream",
    )
)  # fmt: skip
SPOON_MEASURES = ("tbsp", "tablespoon", "tsp")  # best first
# No whole thing heavier or lighter than these comes first: a whole melon or chicken is
# no portion, and nobody logs one almond or one olive.
WHOLE_ITEM_MAX_GRAMS = Decimal(400)
WHOLE_ITEM_MIN_GRAMS = Decimal(10)
# A person eats about 1 oz of energy-dense foods (nuts, seeds, cheese), ~120 g of others.
TYPICAL_GRAMS = Decimal(120)
TYPICAL_GRAMS_ENERGY_DENSE = Decimal(28)
# From here a food counts as energy-dense for its first portion: cheeses (brie 334 kcal)
# come by the ounce, not by the cup.
DENSE_KCAL_PER_100_G = Decimal(300)


class PortionLike(Protocol):
    description: str
    grams: Decimal


def _measure(description: str) -> str | None:
    """ "1 cup, sliced" → "cup"; "0.5 cup, chopped" → "cup"; "1 medium (7" long)" →
    "medium"; "3 oz" → "oz"; "1 stalk, small" → None (no kitchen measure)."""
    match = re.match(r"[0-9.]+ ([a-z]+)\b", description.lower())
    if match and match.group(1) in HOUSEHOLD_MEASURES:
        return match.group(1)
    return None


def _first_word(description: str) -> str:
    """ "1 can (3.75 oz)" → "can"; "0.5 fillet" → "fillet"; "2 tbsp" → "tbsp"."""
    match = re.match(r"[0-9.]+ ([a-z]+)\b", description.lower())
    return match.group(1) if match else ""


def _words(text: str) -> list[str]:
    return "".join(ch if ch.isalnum() else " " for ch in text.lower()).split()


def _spooned(description: str) -> bool:
    """Hummus, jam, butter, oil, mayonnaise…; "Cheese, cream" too."""
    head = description.split(",")[0]
    return bool(SPOONED.intersection(_words(head))) or description.startswith("Cheese, cream")


def _whole_item(portion: PortionLike, food_words: set[str]) -> tuple[int, int] | None:
    """The rank of a portion that is one whole thing ("1 medium", "1 can", "0.5 fillet",
    "1 avocado" of avocados, "0.5 breast" of chicken breast): WHOLE_ITEMS' order, the
    food's own name as "fruit", a medium one first among those; None for measures of
    volume or weight, and for a whole melon or a single almond."""
    word = _first_word(portion.description)
    if word in WHOLE_ITEMS:
        rank = WHOLE_ITEMS.index(word)
    elif word and singular_prefix(word) in food_words:
        rank = WHOLE_ITEMS.index("fruit")  # "1 avocado", "1 bagel", "1 croissant, medium"
    else:
        return None
    one = portion.description.startswith(("1 ", "0.5 "))
    if not (one and WHOLE_ITEM_MIN_GRAMS <= portion.grams <= WHOLE_ITEM_MAX_GRAMS):
        return None
    return rank, 0 if "medium" in portion.description else 1


P = TypeVar("P", bound=PortionLike)


def first_amount(
    portions: Sequence[P],
    kcal_per_100_g: Decimal | None,
    description: str = "",
    everyday_serving: str = "",
    everyday_grams: Decimal | None = None,
) -> tuple[Decimal, P | None]:
    """(count, portion) a new entry of a food starts at; portion None: count is grams.

    The everyday list speaks first: its serving when it is one of the food's portions
    ("1 slice" of bread, "1 can" of tuna, "1 container (6 oz)" of yoghurt), or a share of
    one ("0.5 cup" of the cup, "2 tbsp" of the tablespoon), or else its grams. A USDA
    yield figure ("1 unit (yield from 1 lb ready-to-cook chicken)") is a cook's, not a
    portion, and is passed over. Then household_portion's rules; 100 g without portions.
    """
    if everyday_serving and "yield from" not in everyday_serving:
        for portion in portions:
            if portion.description == everyday_serving:
                return Decimal(1), portion
        share = re.fullmatch(r"([0-9.]+) (.+)", everyday_serving)
        for portion in portions if share else ():
            if portion.description == f"1 {share[2]}" and Decimal(share[1]) > 0:
                return Decimal(share[1]), portion
        if everyday_grams:
            return everyday_grams, None
    portion = household_portion(portions, kcal_per_100_g, description)
    return (Decimal(1), portion) if portion else (Decimal(100), None)


def household_portion(
    portions: Sequence[P], kcal_per_100_g: Decimal | None, description: str = ""
) -> P | None:
    """The portion a person would pick first, by these rules in turn:

    1. the everyday list's serving of the food (first_amount);
    2. a tablespoon of a food spread or spooned onto others (hummus, jam, mayonnaise);
    3. one whole thing: a medium fruit, a slice, a can, a fillet, a pot, a small box;
    4. the kitchen measure ("1 cup", "1 oz", "0.5 cup"…) nearest a typical serving (an
       ounce of nuts, about 120 g of others); else any portion nearest it.

    None without portions."""
    if not portions:
        return None
    if _spooned(description):
        spoons = [p for p in portions if _first_word(p.description) in SPOON_MEASURES]
        if spoons:
            return min(
                spoons,
                key=lambda p: (
                    SPOON_MEASURES.index(_first_word(p.description)),
                    not p.description.startswith("1 "),
                ),
            )
    food_words = {singular_prefix(word) for word in _words(description)}
    whole = [(rank, p) for p in portions if (rank := _whole_item(p, food_words)) is not None]
    if whole:
        return min(whole, key=lambda ranked: ranked[0])[1]
    household = [p for p in portions if _measure(p.description) and p.grams > 0]
    dense = (kcal_per_100_g or 0) >= DENSE_KCAL_PER_100_G
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
