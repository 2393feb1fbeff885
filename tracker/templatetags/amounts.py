from decimal import Decimal

from django import template

from nutrients.numbers import shown

register = template.Library()


@register.filter
def amount(value: Decimal | int | None) -> str:
    """A nutrient amount by the one rounding rule (nutrients.numbers.shown); "" for None."""
    return "" if value is None else shown(Decimal(value))
