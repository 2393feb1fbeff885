from django import template

from tracker import account

register = template.Library()


@register.simple_tag
def download_contents() -> str:
    """What "Download all your data" holds, in words: its link says what is in it."""
    return account.download_contents()
