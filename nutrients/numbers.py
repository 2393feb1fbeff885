"""Numbers as people read and type them. Pure: no Django."""

from decimal import Decimal


def plain(number: Decimal) -> str:
    """40.000 → "40", 0.500 → "0.5", 100 → "100": never "4E+1"."""
    return f"{number.normalize():f}"


def grouped(number: Decimal) -> str:
    """1200.5 → "1,200.5", for reading rather than typing."""
    return f"{number.normalize():,f}"
