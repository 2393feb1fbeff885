from decimal import Decimal

from django import template

from nutrients.numbers import shown
from nutrients.numbers import whole as whole_number

register = template.Library()


@register.filter
def amount(value: Decimal | int | None) -> str:
    """A nutrient amount by the one rounding rule (nutrients.numbers.shown); "" for None."""
    return "" if value is None else shown(Decimal(value))


@register.filter
def whole(value: Decimal | int | float | None) -> str:
    """A whole amount, halves up and grouped by thousands (nutrients.numbers.whole):
    1267.5 → "1,268", as floatformat:"0g" shows it at a tenth of its cost (a day page
    shows dozens); "" for None."""
    return "" if value is None else f"{whole_number(Decimal(value)):,}"
