from django import template

from nutrients.search import short_name as short_food_name

register = template.Library()


@register.filter
def short_name(description: str) -> str:
    """ "Apples, raw, with skin (Includes foods for USDA's Food Distribution Program)" →
    "Apples, raw, with skin", for lists (nutrients.search.short_name)."""
    return short_food_name(str(description))
