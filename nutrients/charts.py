"""The trend chart's geometry: days and percents in, everything an inline SVG needs out.

Pure: no Django, no ORM. The template (templates/tracker/trend_chart.html) only places
what this module computes, so the drawing rules are tested here without rendering HTML.
The chart plots percent of target (not milligrams) so that the three minerals, with
targets from 420 to 4,700 mg, share one scale and one 100% target line.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from nutrients.report import LITTLE_LOW_FROM_PERCENT, MET_FROM_PERCENT, SHORT_FROM_PERCENT

# --- The drawing, in viewBox units (the SVG scales to the width of its container) ------
WIDTH = 560
HEIGHT = 260
# Text in viewBox units. On a 390 px phone the chart is drawn about 310 px wide, at 0.55
# of its size: 22 units are 12 px there, the least a label may be.
FONT_SIZE = 22
PHONE_CHART_PX = 310
MIN_LABEL_PX = 12
MARGIN_LEFT = 80  # room for the y labels ("300%+")
MARGIN_RIGHT = 24
MARGIN_TOP = 16
MARGIN_BOTTOM = 40  # room for the x labels
# Keeps the first and last markers off the plot's edges.
INSET_X = 12
PLOT_LEFT = MARGIN_LEFT
PLOT_RIGHT = WIDTH - MARGIN_RIGHT
PLOT_TOP = MARGIN_TOP
PLOT_BOTTOM = HEIGHT - MARGIN_BOTTOM

# The scale shows at least 150%, so the 100% target line is always well inside it, and
# grows in steps of 50% to show a high day; it stops at 300% so that one very high day
# (a supplement, a typo) does not flatten every other day: higher values sit on the top.
MIN_TOP_PERCENT = 150
MAX_TOP_PERCENT = 300
GRID_STEP_PERCENT = 50

# Up to this many days the x labels are weekdays; past it, days of the month.
WEEKDAY_LABELS_UP_TO_DAYS = 7
# More labels than this would overlap on a phone: a 30-day chart labels every 5th day.
MAX_X_LABELS = 6

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Each series has a look of its own: a colour (static/css/app.css colours the classes
# chart-line-1 to chart-line-4 from its custom properties) and a dash pattern, so that
# the lines differ in more than colour.
DASHES = ("", "8 4", "2 4", "12 4 2 4")

NOTHING_LOGGED = "nothing logged"


@dataclass(frozen=True)
class GridLine:
    percent: int
    y: float
    label: str  # "75%"; the top line reads "300%+" when a value was clamped to it
    is_target: bool  # the 100% line, drawn emphasised


@dataclass(frozen=True)
class XLabel:
    x: float
    text: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    percent: int  # the real value, also when the marker is clamped to the top
    title: str  # "Potassium, Mon 16 Nov: 62%"


@dataclass(frozen=True)
class Series:
    name: str
    css_class: str  # "chart-line-1": its colour, from the stylesheet
    dasharray: str  # "" for a solid line
    runs: tuple[str, ...]  # one polyline "points" attribute per run of logged days
    points: tuple[Point, ...]  # one marker per logged day
    # The logged days no line reaches (no logged day beside them): where a chart draws
    # lines only, these still need a marker.
    lone_points: tuple[Point, ...] = ()

    @property
    def lone_marker_path(self) -> str:
        return marker_path(self.lone_points)


@dataclass(frozen=True)
class TableRow:
    day: date
    label: str  # "Mon 16 Nov"
    cells: tuple[str, ...]  # one per series: "62%" or "nothing logged"


@dataclass(frozen=True)
class Chart:
    dom_id: str  # unique per chart on a page: the ids of <title> and <desc> derive from it
    title: str
    description: str
    width: int
    height: int
    font_size: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    top_percent: int
    grid: tuple[GridLine, ...]
    x_labels: tuple[XLabel, ...]
    series: tuple[Series, ...]
    rows: tuple[TableRow, ...]

    @property
    def title_id(self) -> str:
        return f"{self.dom_id}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.dom_id}-desc"

    @property
    def target_y(self) -> float:
        return y_for(MET_FROM_PERCENT, self.top_percent)

    @property
    def y_label_x(self) -> float:
        """Where the y labels end (they are right-aligned to the plot's left edge)."""
        return self.plot_left - 6

    @property
    def x_label_y(self) -> float:
        """The baseline of the x labels, below the plot."""
        return self.plot_bottom + 26

    @property
    def svg(self) -> str:
        """The chart as one inline <svg>, text escaped: see svg_markup()."""
        return svg_markup(self)


MARKER_RADIUS = 4.5


def line_path(runs: Sequence[str]) -> str:
    """One path for all the runs of a series: "M x,y L x,y x,y M …"."""
    return " ".join(f"M{run.split(' ', 1)[0]} L{run.split(' ', 1)[1]}" for run in runs)


def marker_path(points: Sequence[Point]) -> str:
    """One path of circles, one per point: each two half-circle arcs."""
    r = MARKER_RADIUS
    return " ".join(
        f"M{point.x - r:g},{point.y:g}a{r:g},{r:g} 0 1,0 {2 * r:g},0a{r:g},{r:g} 0 1,0 {-2 * r:g},0"
        for point in points
    )


def svg_markup(chart: "Chart") -> str:
    """The drawing as compact SVG: per series one path for its line and one for its
    markers, instead of an element per point. Numbers are written with points whatever
    the language; the <title> and <desc> name and describe it for screen readers, and the
    page's table beside it holds each day's value."""
    parts = [
        f'<svg viewBox="0 0 {chart.width} {chart.height}" width="100%" '
        'preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="{chart.title_id} {chart.desc_id}" '
        f'font-family="system-ui, sans-serif" font-size="{chart.font_size}">',
        f'<title id="{chart.title_id}">{escape(chart.title)}</title>',
        f'<desc id="{chart.desc_id}">{escape(chart.description)}</desc>',
        '<g class="chart-grid" dominant-baseline="middle" text-anchor="end">',
    ]
    for line in chart.grid:
        target = line.is_target
        parts.append(
            f'<line x1="{chart.plot_left:g}" x2="{chart.plot_right:g}" y1="{line.y:g}" '
            f'y2="{line.y:g}" '
            + ('class="chart-target" stroke-width="2"/>' if target else 'stroke-width="1"/>')
            + f'<text x="{chart.y_label_x:g}" y="{line.y:g}"'
            + (' class="chart-target" font-weight="bold"' if target else "")
            + f">{escape(line.label)}</text>"
        )
    parts.append('</g><g class="chart-days" text-anchor="middle">')
    parts += (
        f'<text x="{label.x:g}" y="{chart.x_label_y:g}">{escape(label.text)}</text>'
        for label in chart.x_labels
    )
    parts.append("</g>")
    for series in chart.series:
        parts.append(f'<g class="chart-series {series.css_class}" stroke-width="3">')
        if series.runs:
            dashes = f' stroke-dasharray="{series.dasharray}"' if series.dasharray else ""
            parts.append(
                f'<path class="chart-line" d="{line_path(series.runs)}" fill="none" '
                f'stroke-linejoin="round" stroke-linecap="round"{dashes}/>'
            )
        if series.points:
            parts.append(f'<path class="chart-markers" d="{marker_path(series.points)}"/>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def day_label(day: date) -> str:
    """ "Mon 16 Nov": English names whatever the server's locale."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def day_of_month_label(days: Sequence[date], labelled: Sequence[int], index: int) -> str:
    """ "3 Nov" on the first label and where the month changes, "8" between: the axis
    says which month its days are in."""
    day = days[index]
    position = labelled.index(index)
    new_month = position == 0 or days[labelled[position - 1]].month != day.month
    return f"{day.day} {MONTHS[day.month - 1]}" if new_month else str(day.day)


def y_for(percent: int, top_percent: int) -> float:
    """The y of a percent; values above the top of the scale sit on the top."""
    shown = min(max(percent, 0), top_percent)
    return round(PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * shown / top_percent, 1)


def top_percent_for(values: Sequence[int]) -> int:
    """The top of the y scale: the highest value rounded up to the next 50%, within
    MIN_TOP_PERCENT and MAX_TOP_PERCENT."""
    highest = max(values, default=0)
    rounded_up = math.ceil(highest / GRID_STEP_PERCENT) * GRID_STEP_PERCENT
    return min(max(rounded_up, MIN_TOP_PERCENT), MAX_TOP_PERCENT)


def x_positions(day_count: int) -> list[float]:
    """Days spread evenly across the plot; a single day sits in the middle."""
    left = PLOT_LEFT + INSET_X
    right = PLOT_RIGHT - INSET_X
    if day_count <= 1:
        return [round((left + right) / 2, 1)] * day_count
    step = (right - left) / (day_count - 1)
    return [round(left + index * step, 1) for index in range(day_count)]


def labelled_day_indexes(day_count: int, most: int = MAX_X_LABELS) -> list[int]:
    """Which days get an x label: all of them up to `most`, else every n-th day counted
    back from the last, so the most recent day is always labelled."""
    step = math.ceil(day_count / most) if day_count else 1
    return sorted(range(day_count - 1, -1, -step))


def grid_percents(top_percent: int) -> list[int]:
    """0, the "short" and "a little low" thresholds, the target, then every 50%."""
    percents = [0, SHORT_FROM_PERCENT, LITTLE_LOW_FROM_PERCENT, MET_FROM_PERCENT]
    percents += range(MET_FROM_PERCENT + GRID_STEP_PERCENT, top_percent + 1, GRID_STEP_PERCENT)
    return percents


SeriesInput = tuple[str, Sequence[int | None]]  # a name, and a percent (or None) per day


def describe(series: Sequence[SeriesInput], day_count: int) -> str:
    """The chart in words, for screen readers (its <desc>): per series, the days logged,
    the range and the days the target was met."""
    sentences = ["Percent of the daily target on each day; the target line is at 100%."]
    for name, values in series:
        known = [value for value in values if value is not None]
        if not known:
            sentences.append(f"{name}: nothing logged.")
            continue
        met_days = sum(1 for value in known if value >= MET_FROM_PERCENT)
        sentences.append(
            f"{name}: logged on {len(known)} of {day_count} days, from {min(known)}% to "
            f"{max(known)}% of target, met on {met_days} of them."
        )
    return " ".join(sentences)


def line_series(
    index: int,
    name: str,
    values: Sequence[int | None],
    xs: Sequence[float],
    day_labels: Sequence[str],
    top_percent: int,
) -> Series:
    """One mineral's line: a polyline per run of logged days, a marker per logged day."""
    points = []
    runs = []
    run: list[str] = []
    lone: list[Point] = []
    run_points: list[Point] = []
    for x, day, value in zip(xs, day_labels, values, strict=True):
        if value is None:
            # No line through a day with nothing logged: the run ends here.
            runs.append(run)
            lone += run_points if len(run_points) == 1 else []
            run, run_points = [], []
            continue
        y = y_for(value, top_percent)
        run.append(f"{x:g},{y:g}")
        point = Point(x, y, value, f"{name}, {day}: {value}%")
        points.append(point)
        run_points.append(point)
    runs.append(run)
    lone += run_points if len(run_points) == 1 else []
    return Series(
        name=name,
        css_class=f"chart-line-{index % len(DASHES) + 1}",
        dasharray=DASHES[index % len(DASHES)],
        # A lone logged day has no line to draw: its marker shows it.
        runs=tuple(" ".join(run) for run in runs if len(run) >= 2),
        points=tuple(points),
        lone_points=tuple(lone),
    )


def trend_chart(days: Sequence[date], series: Sequence[SeriesInput]) -> Chart:
    """A line chart of percent of target over the days.

    series: (name, percent of target per day), the percents in the order of days; None
    means nothing logged (or no data) that day, and breaks the line there.
    """
    for name, values in series:
        if len(values) != len(days):
            raise ValueError(f"{name} has {len(values)} values for {len(days)} days")

    known = [value for _, values in series for value in values if value is not None]
    top_percent = top_percent_for(known)
    clamped = any(value > top_percent for value in known)
    grid = tuple(
        GridLine(
            percent=percent,
            y=y_for(percent, top_percent),
            label=f"{percent}%+" if percent == top_percent and clamped else f"{percent}%",
            is_target=percent == MET_FROM_PERCENT,
        )
        for percent in grid_percents(top_percent)
    )

    xs = x_positions(len(days))
    weekdays_only = len(days) <= WEEKDAY_LABELS_UP_TO_DAYS
    # A week's weekday names are short enough for all seven.
    labelled = labelled_day_indexes(
        len(days), WEEKDAY_LABELS_UP_TO_DAYS if weekdays_only else MAX_X_LABELS
    )
    x_labels = tuple(
        XLabel(
            xs[i],
            WEEKDAYS[days[i].weekday()] if weekdays_only else day_of_month_label(days, labelled, i),
        )
        for i in labelled
    )

    day_labels = [day_label(day) for day in days]
    lines = tuple(
        line_series(index, name, values, xs, day_labels, top_percent)
        for index, (name, values) in enumerate(series)
    )
    rows = tuple(
        TableRow(
            day=day,
            label=day_labels[i],
            cells=tuple(
                NOTHING_LOGGED if values[i] is None else f"{values[i]}%" for _, values in series
            ),
        )
        for i, day in enumerate(days)
    )

    return Chart(
        # Two charts on one page (7 and 30 days) need different ids for aria-labelledby.
        dom_id=f"trend-{len(days)}-days-from-{days[0].isoformat() if days else 'none'}",
        title=(
            f"Percent of target, {day_labels[0]} to {day_labels[-1]}"
            if days
            else "Percent of target"
        ),
        description=describe(series, len(days)),
        width=WIDTH,
        height=HEIGHT,
        font_size=FONT_SIZE,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        plot_top=PLOT_TOP,
        plot_bottom=PLOT_BOTTOM,
        top_percent=top_percent,
        grid=grid,
        x_labels=x_labels,
        series=lines,
        rows=rows,
    )
