"""Numbers as people read and type them. Pure: no Django."""

from decimal import ROUND_HALF_UP, Decimal


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
