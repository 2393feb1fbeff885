from django import template
from django.utils.html import format_html

from tracker.once import FIELD_NAME, new_key

register = template.Library()


@register.simple_tag
def one_time_key() -> str:
    """The hidden one-time key for a form written out by hand (see tracker/once.py)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD_NAME, new_key())
