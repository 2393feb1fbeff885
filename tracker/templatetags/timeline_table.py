from collections.abc import Iterable
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from nutrients.timeline import TimelineRow

register = template.Library()


@register.filter
def timeline_table_rows(rows: Iterable[TimelineRow]) -> SafeString:
    """The cramp timeline's table body: a row per day of the span (365 on the longest),
    built in one pass rather than by some 3,000 template tags (issue #18). Every text is
    escaped, as the template would."""
    return mark_safe(  # each value below goes through escape()
        "\n".join(
            f'<tr><th scope="row"><time datetime="{line.row.day.isoformat()}">'
            f"{escape(line.row.label)}</time></th>"
            + "".join(f"<td>{escape(cell)}</td>" for cell in line.row.cells)
            + f"<td>{escape(line.cramps)}</td><td>{escape(line.workout)}</td>"
            f"<td>{escape(line.supplements)}</td></tr>"
            for line in rows
        )
    )
