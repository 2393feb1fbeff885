"""The cramp timeline's geometry: the trend chart's lines with cramps, workouts and
supplement days marked on the same days. Pure: no Django.

Cramps are dots along the top of the plot, larger for worse cramps; workout days are
ticks along the bottom and supplement days small squares just above them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from nutrients.charts import (
    Chart,
    SeriesInput,
    TableRow,
    day_label,
    trend_chart,
    x_positions,
)

CRAMP_RADIUS = 4.0  # a cramp with no severity given, or severity 0
CRAMP_RADIUS_PER_SEVERITY = 0.8  # severity 10: 12
MARK_SIZE = 6


@dataclass(frozen=True)
class CrampDot:
    x: float
    y: float
    r: float
    title: str  # "Cramp, Mon 16 Nov: calf, severity 7"


@dataclass(frozen=True)
class DayMark:
    x: float
    title: str


@dataclass(frozen=True)
class CrampEvent:
    day: date
    severity: int | None
    words: str  # "calf, severity 7, 5 minutes"


@dataclass(frozen=True)
class TimelineRow:
    """A day of the table behind the chart: the chart's row and the day's marks."""

    row: TableRow
    cramps: str  # "calf, severity 7; foot" or ""
    workout: str
    supplements: str


@dataclass(frozen=True)
class Timeline:
    chart: Chart
    cramps: tuple[CrampDot, ...]
    workouts: tuple[DayMark, ...]
    supplements: tuple[DayMark, ...]
    cramp_y: float
    workout_y1: float
    workout_y2: float
    supplement_y: float
    mark_size: int
    rows: tuple[TimelineRow, ...]


def cramp_timeline(
    days: Sequence[date],
    series: Sequence[SeriesInput],
    cramps: Sequence[CrampEvent],
    workout_days: set[date],
    supplement_days: Mapping[date, str],
) -> Timeline:
    """The span's chart (percent of target per day and measure) and its marks.

    supplement_days: day → what was taken ("2 tablets of Magnesium citrate").
    """
    chart = trend_chart(days, series)
    chart = replace(
        chart,
        dom_id=f"timeline-{len(days)}-days",
        title=f"Cramps and intake, {chart.title.removeprefix('Percent of target, ')}",
        description=(
            f"{chart.description} Cramps: {len(cramps)}, dots along the top, larger for "
            f"worse cramps. Intense workouts on {len(workout_days)} days and supplements on "
            f"{len(supplement_days)} days, marked along the bottom."
        ),
    )
    x_of = dict(zip(days, x_positions(len(days)), strict=True))
    cramp_y = chart.plot_top + 10
    dots = tuple(
        CrampDot(
            x_of[cramp.day],
            cramp_y,
            CRAMP_RADIUS + CRAMP_RADIUS_PER_SEVERITY * (cramp.severity or 0),
            f"Cramp, {day_label(cramp.day)}: {cramp.words}",
        )
        for cramp in cramps
        if cramp.day in x_of
    )
    workouts = tuple(
        DayMark(x_of[day], f"Intense workout, {day_label(day)}")
        for day in days
        if day in workout_days
    )
    supplements = tuple(
        DayMark(x_of[day] - MARK_SIZE / 2, f"Supplements, {day_label(day)}: {supplement_days[day]}")
        for day in days
        if day in supplement_days
    )
    by_day: dict[date, list[str]] = {}
    for cramp in cramps:
        by_day.setdefault(cramp.day, []).append(cramp.words)
    return Timeline(
        chart=chart,
        cramps=dots,
        workouts=workouts,
        supplements=supplements,
        cramp_y=cramp_y,
        workout_y1=chart.plot_bottom - MARK_SIZE,
        workout_y2=chart.plot_bottom,
        supplement_y=chart.plot_bottom - 2.5 * MARK_SIZE,
        mark_size=MARK_SIZE,
        rows=tuple(
            TimelineRow(
                row,
                "; ".join(by_day.get(row.day, [])),
                "intense workout" if row.day in workout_days else "",
                supplement_days.get(row.day, ""),
            )
            for row in chart.rows
        ),
    )
