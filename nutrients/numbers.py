"""Numbers as people read and type them. Pure: no Django."""

import re
from decimal import ROUND_HALF_UP, Decimal

# "1,200" and "12,500,000": a comma before each group of exactly three digits, after a
# first group that does not start with 0 ("0,250" is a quarter, not 250).
THOUSANDS = re.compile(r"[1-9]\d{0,2}(,\d{3})+")


def typed_number(text: str) -> str:
    """A number as a person types it, as Python reads it: a decimal comma is a decimal
    point ("2,5" → "2.5", "0,250" → "0.250"); commas that group thousands go ("1,200" →
    "1200", "1,200.5" → "1200.5"). Anything else is left as typed, for the field to
    refuse with its own message. The one rule of every amount a person types (entries,
    water, supplements, targets, own foods)."""
    text = text.strip()
    whole_part = text.split(".")[0]
    if "," in text and "." not in text and not THOUSANDS.fullmatch(text):
        return text.replace(",", ".")
    return text.replace(",", "") if THOUSANDS.fullmatch(whole_part) else text


def plain(number: Decimal) -> str:
    """40.000 → "40", 0.500 → "0.5", 100 → "100": never "4E+1"."""
    return f"{number.normalize():f}"


def grouped(number: Decimal) -> str:
    """1200.5 → "1,200.5", for reading rather than typing."""
    return f"{number.normalize():,f}"


def whole(number: Decimal) -> int:
    """The one rounding rule for amounts shown to people: the nearest whole mg (µg, ml),
    halves up, as Django's floatformat rounds in templates: 31.86 → 32, 1733.5 → 1734.

    Percents are rounded down instead (MineralStatus.percent), and statuses come from
    the exact amounts, so rounding never changes a verdict.
    """
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# Below this, an amount keeps one decimal: 1.2 mg of thiamin is not "1 mg".
SMALL_AMOUNT = Decimal(10)


def shown(amount: Decimal) -> str:
    """An amount of a nutrient as the pages show it, by the one rule: the nearest whole
    unit (whole(), halves up, grouped: 982.8 → "983", 1733.5 → "1,734"); under 10 the
    nearest tenth, so that vitamins in mg still say something (1.25 → "1.3", 4.0 → "4")."""
    if abs(amount) >= SMALL_AMOUNT:
        return f"{whole(amount):,}"
    tenth = amount.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return plain(tenth) if tenth else "0"
