"""The trend chart (nutrients/charts.py): pure geometry, and the template that draws it."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from nutrients.charts import DASHES, MONTHS, NOTHING_LOGGED, trend_chart

MONDAY = date(2026, 11, 16)
WEEK = [MONDAY + timedelta(days=offset) for offset in range(7)]
MONTH = [date(2026, 11, 1) + timedelta(days=offset) for offset in range(30)]


def potassium(values):
    return ("Potassium", values)


def chart_of(*values, days=WEEK):
    """A one-series chart over the week (or given days)."""
    return trend_chart(days, [potassium(list(values))])


def point_ys(chart):
    return [point.y for point in chart.series[0].points]


# --- The y scale ------------------------------------------------------------------------


def test_a_value_of_100_percent_lands_on_the_target_line():
    chart = chart_of(100, 50, 50, 50, 50, 50, 50)

    target = next(line for line in chart.grid if line.is_target)
    assert target.percent == 100
    assert point_ys(chart)[0] == target.y == chart.target_y


def test_a_value_of_0_percent_lands_at_the_bottom_of_the_plot():
    chart = chart_of(0, 50, 50, 50, 50, 50, 50)

    assert point_ys(chart)[0] == chart.plot_bottom


def test_the_scale_shows_at_least_150_percent_so_the_target_line_is_always_inside():
    chart = chart_of(20, 30, 40, 30, 20, 10, 0)

    assert chart.top_percent == 150
    assert chart.plot_top < chart.target_y < chart.plot_bottom


def test_the_scale_grows_to_the_next_50_percent_above_the_highest_value():
    chart = chart_of(230, 50, 50, 50, 50, 50, 50)

    assert chart.top_percent == 250
    assert [line.percent for line in chart.grid] == [0, 50, 75, 100, 150, 200, 250]


def test_the_grid_is_labelled_in_percent_and_only_the_100_percent_line_is_the_target():
    chart = chart_of(50, 50, 50, 50, 50, 50, 50)

    assert [line.label for line in chart.grid] == ["0%", "50%", "75%", "100%", "150%"]
    assert [line.percent for line in chart.grid if line.is_target] == [100]


def test_a_value_above_the_top_of_the_scale_is_clamped_to_the_top():
    chart = chart_of(1000, 50, 50, 50, 50, 50, 50)

    top = chart.grid[-1]
    assert chart.top_percent == 300
    assert point_ys(chart)[0] == top.y == chart.plot_top
    assert top.label == "300%+"
    # The marker's title still tells the real value.
    assert chart.series[0].points[0].title == "Potassium, Mon 16 Nov: 1000%"


def test_higher_values_are_drawn_higher():
    ys = point_ys(chart_of(0, 50, 75, 100, 120, 150, 149))

    assert ys[0] > ys[1] > ys[2] > ys[3] > ys[4] > ys[5]


# --- Lines and markers ------------------------------------------------------------------


def test_consecutive_logged_days_make_one_line():
    line = chart_of(60, 70, 80, 90, 100, 110, 120).series[0]

    assert len(line.runs) == 1
    assert len(line.runs[0].split()) == 7
    assert len(line.points) == 7


def test_a_day_with_nothing_logged_splits_the_line_in_two():
    line = chart_of(60, 70, 80, None, 100, 110, 120).series[0]

    assert [len(run.split()) for run in line.runs] == [3, 3]
    assert len(line.points) == 6


def test_a_lone_logged_day_has_a_marker_and_no_line():
    line = chart_of(None, None, 80, None, None, None, None).series[0]

    assert line.runs == ()
    assert [point.percent for point in line.points] == [80]


@pytest.mark.parametrize(
    ("values", "lone"),
    [
        ((None, 50, None, 60, None, None, 70), [50, 60, 70]),  # the 2nd, 4th and 7th
        ((None, None, None, 80, None, None, None), [80]),  # one day
        ((40, 50, None, 60, None, 70, 80), [60]),  # a lone day between two runs
        ((40, 50, 60, 70, 80, 90, 100), []),  # every day joined
    ],
)
def test_the_logged_days_no_line_reaches_are_its_lone_points(values, lone):
    line = chart_of(*values).series[0]

    assert [point.percent for point in line.lone_points] == lone
    # Every logged day is drawn: on a line, or as a lone marker.
    joined = sum(len(run.split()) for run in line.runs)
    assert joined + len(line.lone_points) == sum(1 for v in values if v is not None)
    assert line.lone_marker_path.count("M") == len(lone)


def test_the_line_runs_through_the_markers():
    line = chart_of(60, 70, 80, 90, 100, 110, 120).series[0]

    assert line.runs[0] == " ".join(f"{point.x:g},{point.y:g}" for point in line.points)


def test_a_marker_title_names_the_series_the_day_and_the_percent():
    line = chart_of(62, None, None, None, None, None, None).series[0]

    assert line.points[0].title == "Potassium, Mon 16 Nov: 62%"


def test_each_series_keeps_its_name_and_has_its_own_look():
    chart = trend_chart(
        WEEK,
        [
            potassium([100] * 7),
            ("Calcium", [90] * 7),
            ("Magnesium", [80] * 7),
        ],
    )

    assert [(s.name, s.css_class) for s in chart.series] == [
        ("Potassium", "chart-line-1"),
        ("Calcium", "chart-line-2"),
        ("Magnesium", "chart-line-3"),
    ]
    assert len({s.dasharray for s in chart.series}) == 3  # not told apart by colour alone


def test_a_series_with_a_value_per_day_missing_is_refused():
    with pytest.raises(ValueError, match="Potassium has 6 values for 7 days"):
        chart_of(1, 2, 3, 4, 5, 6)


# --- Days -------------------------------------------------------------------------------


def test_a_week_is_labelled_by_weekday_from_left_to_right():
    chart = chart_of(*[50] * 7)

    assert [label.text for label in chart.x_labels] == [
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
        "Sat",
        "Sun",
    ]
    xs = [label.x for label in chart.x_labels]
    assert xs == sorted(xs)
    assert chart.plot_left < xs[0] and xs[-1] < chart.plot_right


def test_30_days_are_thinned_to_6_day_of_month_labels_ending_on_the_last_day():
    chart = chart_of(*[50] * 30, days=MONTH)

    texts = [label.text for label in chart.x_labels]
    month = MONTHS[MONTH[0].month - 1]
    assert texts == [f"5 {month}", "10", "15", "20", "25", "30"]


def test_the_month_is_named_where_it_changes():
    days = [date(2026, 11, 20) + timedelta(days=offset) for offset in range(30)]
    chart = chart_of(*[50] * 30, days=days)

    texts = [label.text for label in chart.x_labels]
    assert texts == ["24 Nov", "29", "4 Dec", "9", "14", "19"]


def test_labels_are_at_least_12_px_on_a_phone():
    from nutrients.charts import FONT_SIZE, MIN_LABEL_PX, PHONE_CHART_PX, WIDTH

    assert FONT_SIZE * PHONE_CHART_PX / WIDTH >= MIN_LABEL_PX


def test_thinned_labels_sit_above_their_days():
    chart = chart_of(*[50] * 30, days=MONTH)

    last_day_x = chart.series[0].points[-1].x
    assert chart.x_labels[-1].x == last_day_x


def test_a_single_day_sits_in_the_middle():
    chart = chart_of(80, days=[MONDAY])

    point = chart.series[0].points[0]
    assert point.x == (chart.plot_left + chart.plot_right) / 2
    assert chart.series[0].runs == ()


# --- Words and the table ----------------------------------------------------------------


def test_the_table_has_a_row_per_day_and_a_cell_per_series():
    chart = chart_of(62, None, 80, 90, 100, 110, 120)

    assert len(chart.rows) == 7
    assert chart.rows[0].label == "Mon 16 Nov"
    assert chart.rows[0].cells == ("62%",)
    assert chart.rows[1].cells == (NOTHING_LOGGED,)


def test_the_description_says_how_each_series_went():
    chart = trend_chart(
        WEEK, [potassium([62, None, 80, 90, 100, 110, None]), ("Calcium", [None] * 7)]
    )

    assert chart.title == "Percent of target, Mon 16 Nov to Sun 22 Nov"
    assert "Potassium: logged on 5 of 7 days, from 62% to 110% of target" in chart.description
    assert "met on 2 of them" in chart.description
    assert "Calcium: nothing logged." in chart.description


def test_a_week_and_a_month_on_one_page_have_different_ids():
    week = chart_of(*[50] * 7)
    month = chart_of(*[50] * 30, days=MONTH)

    assert week.dom_id != month.dom_id
    assert week.title_id != month.title_id


# --- The template -----------------------------------------------------------------------


def render(chart) -> str:
    return render_to_string("tracker/trend_chart.html", {"chart": chart})


def test_the_template_draws_an_accessible_svg_with_a_table_behind_it():
    chart = trend_chart(
        WEEK,
        [
            potassium([62, None, 80, 90, 100, 110, 120]),
            ("Calcium", [None] * 7),
        ],
    )

    html = render(chart)

    assert 'role="img"' in html
    assert f'aria-labelledby="{chart.title_id} {chart.desc_id}"' in html
    assert (
        f'<title id="{chart.title_id}">Percent of target, Mon 16 Nov to Sun 22 Nov</title>' in html
    )
    assert f'<desc id="{chart.desc_id}">Percent of the daily target' in html
    assert 'viewBox="0 0 560 260"' in html
    assert html.count('class="chart-line"') == 1  # Potassium; Calcium has no line
    line = re.search(r'class="chart-line" d="([^"]*)"', html).group(1)
    assert line.count("M") == 1  # one run from Wed; Monday is a lone marker
    assert html.count('class="chart-markers"') == 1
    assert html.count("a4.5,4.5 0 1,0 9,0") == 6  # a marker per logged day
    assert html.count("<svg") == 4  # the chart, and its legend's samples: 2 series, target
    assert 'class="chart-series chart-line-1"' in html
    assert "<script" not in html


def test_the_template_has_a_legend_with_names_next_to_line_samples():
    html = render(trend_chart(WEEK, [potassium([50] * 7), ("Calcium", [60] * 7)]))

    legend = html[html.index('<ul class="chart-legend">') : html.index("</ul>")]
    assert "Potassium" in legend
    assert "Calcium" in legend
    assert "Target (100%)" in legend
    assert legend.count("<line") == 3


def test_the_template_table_gives_each_day_percent_or_nothing_logged():
    chart = trend_chart(
        WEEK,
        [potassium([62, None, 80, 90, 100, 110, 120]), ("Calcium", [None] * 7)],
    )

    html = render(chart)

    table = html[html.index("<table>") : html.index("</table>")]
    assert "<summary>Show the numbers</summary>" in html
    assert re.findall(r'<th scope="col">(\w+)</th>', table) == ["Day", "Potassium", "Calcium"]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
    assert len(rows) == 7
    first = re.sub(r"\s+", " ", rows[0])
    assert '<time datetime="2026-11-16">Mon 16 Nov</time>' in first
    assert "<td>62%</td><td>nothing logged</td>" in first
    assert "<td>nothing logged</td><td>nothing logged</td>" in rows[1]


def test_the_template_keeps_svg_numbers_unlocalised():
    # In a language that writes decimal commas, coordinates must still use points.
    chart = chart_of(62, 70, 80, 90, 100, 110, 120)
    y = chart.series[0].points[0].y
    assert y != int(y)  # a number with decimals, or this test proves nothing

    with translation.override("de"):
        html = render(chart)

    assert f",{y}a4.5" in html
    assert f",{str(y).replace('.', ',')}a4.5" not in html


def test_the_stylesheet_colours_every_line_look_the_charts_use():
    stylesheet = (Path(__file__).resolve().parent.parent / "static/css/app.css").read_text()
    for look in range(1, len(DASHES) + 1):
        assert f"--chart-line-{look}: #" in stylesheet
        assert f".chart-line-{look} {{ stroke: var(--chart-line-{look}); }}" in stylesheet


def test_the_svg_escapes_its_text():
    chart = trend_chart(WEEK, [("<K & Ca>", [50] * 7)])

    html = chart.svg

    assert "<K & Ca>" not in html
    assert "&lt;K &amp; Ca&gt;: logged on 7 of 7 days" in html


def test_each_run_of_days_starts_a_new_stroke_of_one_path():
    chart = chart_of(62, 70, None, 90, 100, None, None)

    html = chart.svg

    line = re.search(r'class="chart-line" d="([^"]*)"', html).group(1)
    assert line.count("M") == 2
    assert line.count("L") == 2
