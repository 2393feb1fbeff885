"""What came before the cramps: the comparison's rules, the page, its print summary."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from nutrients.insights import (
    CrampMark,
    Measure,
    chance_text,
    compare_all,
    fisher_exact_p,
    group_days,
    holm,
    mann_whitney_p,
)
from nutrients.models import Food, FoodNutrient
from tracker.cramp_models import belongs_to_night_before, diary_day_of
from tracker.insights import gather
from tracker.models import (
    Cramp,
    DayNote,
    DayTotal,
    Entry,
    Meal,
    Profile,
    Supplement,
    SupplementIntake,
)

# Shipped supplements come with a migration; a test that empties the database takes them.
pytestmark = pytest.mark.usefixtures("shipped_supplements")


MAGNESIUM_MEASURE = Measure("magnesium", "Magnesium", "percent of target")


# --- The rules, without a database ------------------------------------------------------


def test_mann_whitney_p_matches_the_hand_computed_normal_approximation():
    # U = 0, mean 12.5, variance 5 × 5 × 11 / 12; z = (12.5 − 0.5) / 4.787 = 2.507.
    assert mann_whitney_p([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]) == pytest.approx(0.01219, abs=1e-4)
    assert mann_whitney_p([1, 2, 3], [1, 2, 3]) == 1.0
    assert mann_whitney_p([5, 5, 5], [5, 5]) == 1.0  # all ties: nothing to find


def test_ties_share_their_rank():
    # Ranks: 1, 2.5, 2.5 for a; 4, 5 for b. U = 6 − 6 = 0 … and the same as without ties
    # but for the tie correction, which makes the variance smaller.
    with_tie = mann_whitney_p([1, 2, 2], [3, 4])
    without = mann_whitney_p([1, 2, 2.5], [3, 4])
    assert with_tie < without


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        # The case: 3 workout days of 5 before a cramp, 11 of 60 other days. The
        # normal approximation said 0.032, "pattern".
        ((3, 2, 11, 49), 0.06261),
        ((6, 2, 1, 4), 0.10256),  # scipy.stats.fisher_exact's documented example
        ((1, 9, 11, 3), 0.002759),  # the textbook tea-and-milk-style table
        ((8, 2, 1, 5), 0.034965),
        ((0, 5, 0, 60), 1.0),  # no "yes" anywhere: nothing can differ
        ((5, 0, 60, 0), 1.0),
    ],
)
def test_fishers_exact_test_matches_known_values(table, expected):
    p_value = fisher_exact_p(*table)
    assert p_value == pytest.approx(expected, rel=1e-3)
    yes_a, no_a, yes_b, no_b = table
    # The same table read the other way round (rows swapped, columns swapped).
    assert fisher_exact_p(yes_b, no_b, yes_a, no_a) == pytest.approx(p_value, rel=1e-9)
    assert fisher_exact_p(no_a, yes_a, no_b, yes_b) == pytest.approx(p_value, rel=1e-9)


def test_fishers_p_is_the_sum_of_the_tables_at_most_as_likely():
    # 2 of 4 against 1 of 4, by hand: tables with x "yes" in the first row (3 yes in all,
    # 8 days) have probabilities C(3,x)·C(5,4−x)/C(8,4) = 5, 30, 30, 5 (/70); the observed
    # x = 2 has 30/70, and every table is at most as likely: p = 1.
    assert fisher_exact_p(2, 2, 1, 3) == pytest.approx(1.0)
    # x = 3: 5/70 observed; the tables as unlikely are x = 0 and x = 3: 10/70.
    assert fisher_exact_p(3, 1, 0, 4) == pytest.approx(10 / 70)


def test_holm_multiplies_the_smallest_p_by_the_number_of_tests_and_keeps_the_order():
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])
    assert holm([]) == []


def test_chance_in_words():
    assert chance_text(0.02) == "about 1 time in 50"
    assert chance_text(0.0004) == "less than 1 time in 1,000"
    assert chance_text(0.97) == "more often than not"


def at(day: date, hour: int, minute: int = 0, activity: str = "") -> CrampMark:
    """A cramp as the diary files it: its diary day by the night rule, and whether it
    came in the night."""
    started = datetime.combine(day, time(hour, minute))
    at_night = belongs_to_night_before(started, activity) or activity == Cramp.Activity.NIGHT
    return CrampMark(diary_day_of(started, activity), at_night)


NOV = [date(2026, 11, d) for d in range(1, 31)]


def test_a_night_cramp_before_6_am_has_the_evening_before_as_its_day_before():
    cramp = at(date(2026, 11, 22), 3, 15)
    assert (cramp.day, cramp.day_before) == (date(2026, 11, 21), date(2026, 11, 21))
    groups = group_days(NOV, date(2026, 11, 30), set(NOV), [cramp])
    assert date(2026, 11, 21) in groups.before
    # The 22nd is a day like any other: the cramp came before its eating started.
    assert date(2026, 11, 22) in groups.other


def test_a_cramp_noted_asleep_at_06_30_is_the_nights():
    cramp = at(date(2026, 11, 22), 6, 30, Cramp.Activity.NIGHT)
    assert (cramp.day, cramp.day_before) == (date(2026, 11, 21), date(2026, 11, 21))


def test_a_daytime_cramp_at_07_15_looks_at_the_day_before_not_its_own_breakfast():
    cramp = at(date(2026, 11, 22), 7, 15, Cramp.Activity.REST)
    assert (cramp.day, cramp.day_before) == (date(2026, 11, 22), date(2026, 11, 21))
    groups = group_days(NOV, date(2026, 11, 30), set(NOV), [cramp])
    assert groups.before == (date(2026, 11, 21),)
    # Its own day (the banana eaten after it) is in neither group.
    assert date(2026, 11, 22) not in groups.before + groups.other


def test_today_is_in_neither_group():
    today = date(2026, 11, 30)
    # A daytime cramp today: yesterday is its day before; today is in neither.
    groups = group_days(NOV, today, set(NOV), [at(today, 15)])
    assert groups.before == (date(2026, 11, 29),)
    assert today not in groups.other
    # A cramp tonight, noted asleep: its evening is today's, still going on, so it
    # counts in neither group and asks for nothing.
    groups = group_days(NOV, today, set(NOV), [at(today, 23, 30, Cramp.Activity.NIGHT)])
    assert groups.before == () and groups.cramp_days == 0
    assert today not in groups.other and len(groups.other) == 29
    assert "; the 1 cramp so far gives none." in groups.needs_text


def test_six_cramps_on_two_nights_ask_for_cramps_on_three_more_days_not_for_food():
    cramps = [at(date(2026, 11, 10), h) for h in (1, 2, 3)] + [
        at(date(2026, 11, 20), h) for h in (1, 2, 3)
    ]
    groups = group_days(NOV, date(2026, 11, 30), set(NOV), cramps)
    assert (groups.cramp_days, groups.cramp_days_needed, groups.logged_days_needed) == (2, 3, 0)
    assert groups.needs_text == (
        "Needs cramps on 3 more days before it can compare: it compares days, not cramps, "
        "and needs at least 5 whole days before a cramp; the 6 cramps so far give 2."
    )
    assert "food logged" not in groups.needs_text


def test_cramps_every_other_day_say_no_logging_can_give_other_days():
    cramps = [at(day, 15) for day in NOV[1::2]]  # the 2nd, 4th…: their day before is odd
    groups = group_days(NOV, date(2026, 11, 30), set(NOV), cramps)
    assert groups.other == () and groups.unlogged_other == 0
    assert (groups.cramp_days_needed, groups.logged_days_needed) == (0, 0)
    assert groups.too_few_other_days and not groups.ready
    assert "fewer than 5 other days are left to compare with" in groups.needs_text
    assert "Needs food logged" not in groups.needs_text


def test_days_with_nothing_logged_are_named_as_what_logging_can_fix():
    cramps = [at(date(2026, 11, d), 15) for d in (5, 10, 15, 20, 25)]
    logged = set(NOV) - {date(2026, 11, 4), date(2026, 11, 9)}
    # Of the other days, only 3 have food logged.
    others = [d for d in NOV if d.day not in (4, 5, 9, 10, 14, 15, 19, 20, 24, 25, 30)]
    logged -= set(others[3:])
    groups = group_days(NOV, date(2026, 11, 30), logged, cramps)
    assert (len(groups.before), len(groups.other)) == (3, 3)
    assert (groups.cramp_days_needed, groups.logged_days_needed) == (0, 4)
    assert groups.needs_text == (
        "Needs food logged on 4 more days: 2 of the days before a cramp (nothing logged on "
        "4 Nov, 9 Nov) and 2 other days."
    )


def test_no_pattern_says_not_enough_evidence_either_way_never_every_other_time():
    cramps = [at(date(2026, 11, d), 15) for d in (3, 8, 13, 18, 23, 28)]
    groups = group_days(NOV, date(2026, 11, 30), set(NOV), cramps)
    values = {"magnesium": {day: 60.0 + (day.day * 7) % 40 for day in NOV}}
    [comparison] = compare_all([MAGNESIUM_MEASURE], groups, values)
    assert comparison.p_value is not None and comparison.p_adjusted > 0.05
    assert not comparison.is_pattern
    assert (
        "No pattern yet: with 6 days before a cramp and 17 other days, not enough evidence "
        "either way (which is not the same as no effect)." in comparison.text
    )
    assert groups.small_sample_text == (
        "With 6 days before a cramp, only a large difference would show."
    )
    assert "Mann–Whitney U test, two-sided: p = " in comparison.text
    assert "adjusted (Holm) for the 1 measure compared" in comparison.text
    assert "every other time" not in comparison.text


def test_a_pattern_is_called_only_on_the_adjusted_p_value():
    cramps = [at(date(2026, 11, d), 15) for d in (3, 8, 13, 18, 23, 28)]
    groups = group_days(NOV, date(2026, 11, 30), set(NOV), cramps)
    befores = set(groups.before)
    # A gap with p about 0.017 on its own: a pattern alone, not among 5 measures.
    values = {"magnesium": {d: 50.0 + d.day + (0 if d in befores else 12) for d in NOV}}
    [alone] = compare_all([MAGNESIUM_MEASURE], groups, values)
    assert 0.01 < alone.p_value < 0.05 and alone.is_pattern
    flat = {key: {d: 50.0 for d in NOV} for key in ("k", "ca", "w", "x")}
    measures = [MAGNESIUM_MEASURE] + [Measure(k, k, "percent of target") for k in flat]
    many = compare_all(measures, groups, {**values, **flat})
    assert many[0].p_value == alone.p_value
    assert many[0].p_adjusted == pytest.approx(min(1, 5 * alone.p_value))
    assert not many[0].is_pattern and many[0].measures_compared == 5


# --- Generated histories ----------------------------------------------------------------


@pytest.fixture
def magnesium_only(db):
    from nutrients.models import Nutrient

    Nutrient.objects.get_or_create(id=1090, defaults={"name": "Magnesium, Mg", "unit": "mg"})
    food = Food.objects.create(description="Magnesium test food", source="fdc")
    FoodNutrient.objects.create(food=food, nutrient_id=1090, amount=100)  # 100 mg per 100 g
    return food


def log(user, food, grams, day):
    meal, _ = Meal.objects.get_or_create(user=user, day=day, slot="lunch")
    Entry.objects.create(meal=meal, food=food, grams=grams, quantity=grams)
    DayTotal.refresh(user, [day])  # as every write path of the diary does


def cramp(user, day, severity=5):
    started = timezone.make_aware(datetime.combine(day, time(15, 0)))
    return Cramp.objects.create(
        user=user, started_at=started, day=day, severity=severity, muscle="calf"
    )


def span_days(count=30):
    today = timezone.localdate()
    return [today - timedelta(days=offset) for offset in range(count - 1, -1, -1)]


def test_cramps_after_low_magnesium_days_name_magnesium(user_client, user, magnesium_only):
    days = span_days()
    cramp_indexes = (3, 9, 15, 21, 27)
    low = {days[i - 1] for i in cramp_indexes}  # the day before each daytime cramp
    for day in days:
        # 100 mg (23% of 420 mg, floor 23.8) on the days before a cramp, 400 mg (95%) else.
        log(user, magnesium_only, 100 if day in low else 400, day)
    for i in cramp_indexes:
        cramp(user, days[i])

    insights = gather(Profile.of(user), days[-1], 30)
    by_key = {c.measure.key: c for c in insights.comparisons}
    magnesium = by_key["magnesium"]

    # Before a cramp: the 5 low days. Other days: the 29 whole days less those 5 and the
    # cramps' own 5 days (today, unfinished, is in neither).
    assert (len(magnesium.before_cramp), len(magnesium.no_cramp)) == (5, 19)
    assert (magnesium.before_average, magnesium.no_cramp_average) == (23, 95)
    assert magnesium.p_value < 0.001
    # Compared: magnesium and water (none in this food: 0 ml every day, as the day
    # reports say); potassium and calcium have no data, no workout or supplement was logged.
    assert insights.measures_compared == 2
    assert magnesium.p_adjusted == pytest.approx(2 * magnesium.p_value)
    assert magnesium.is_pattern
    assert [key for key, c in by_key.items() if c.is_pattern] == ["magnesium"]

    page = user_client.get(reverse("insights") + "?days=30").content.decode()
    assert (
        "On the 5 days before a cramp, magnesium averaged 23% of target; on the 19 other "
        "days, 95%. A pattern: lower before cramps." in page
    )
    assert "Mann–Whitney U test, two-sided: p &lt; 0.001; adjusted (Holm) for the 2 " in page
    assert "2 measures compared, each two-sided" in page
    assert "not a diagnosis" in page


def test_cramps_at_random_claim_no_pattern(user_client, user, magnesium_only):
    days = span_days(90)
    chance = random.Random(16)
    for day in days:
        log(user, magnesium_only, chance.choice([150, 250, 350, 450]), day)
    for day in chance.sample(days[:-1], 12):
        cramp(user, day)

    insights = gather(Profile.of(user), days[-1], 90)

    magnesium = next(c for c in insights.comparisons if c.measure.key == "magnesium")
    assert magnesium.p_adjusted is not None and magnesium.p_adjusted > 0.05
    assert not any(c.is_pattern for c in insights.comparisons)
    page = user_client.get(reverse("insights") + "?days=90").content.decode()
    assert "No pattern yet: with 12 days before a cramp and " in page
    assert "pattern</span>" not in page


def test_cramps_on_too_few_days_say_what_is_short_once(user_client, user, magnesium_only):
    days = span_days()
    for day in days:
        log(user, magnesium_only, 200, day)
    for i in (5, 12, 20):
        cramp(user, days[i])
        cramp(user, days[i])  # two on the same day: still one day
    page = user_client.get(reverse("insights") + "?days=30").content.decode()
    assert (
        "Needs cramps on 2 more days before it can compare: it compares days, not cramps, "
        "and needs at least 5 whole days before a cramp; the 6 cramps so far give 3." in page
    )
    assert page.count("Needs cramps on") == 1
    assert 'data-testid="comparisons"' not in page


def test_a_cramp_today_and_food_after_a_morning_cramp_stay_out_of_the_window(user, magnesium_only):
    profile = Profile.of(user)
    today = profile.today()
    days = span_days()
    for day in days:
        log(user, magnesium_only, 400, day)
    # A daytime cramp today at 07:15, with lunch after it: yesterday is its day before.
    Cramp.objects.create(
        user=user,
        started_at=timezone.make_aware(datetime.combine(today, time(7, 15))),
        day=today,
        activity="rest",
    )
    insights = gather(profile, today, 30)
    assert insights.groups.before == (today - timedelta(days=1),)
    assert today not in insights.groups.other
    assert len(insights.groups.other) == 28  # the 29 whole days less yesterday


def test_supplements_and_workouts_are_on_the_timeline_and_in_its_table(user, magnesium_only):
    days = span_days()
    log(user, magnesium_only, 100, days[-2])
    SupplementIntake.objects.create(
        user=user,
        day=days[-2],
        supplement=Supplement.objects.get(name="Magnesium citrate"),
        count=2,
    )
    DayNote.objects.create(user=user, day=days[-3], intense_workout=True)
    cramp(user, days[-2], severity=10)

    insights = gather(Profile.of(user), days[-1], 30)
    timeline = insights.timeline

    # 100 mg of food and 200 mg of supplements: 300 / 420 = 71%.
    row = next(r for r in timeline.rows if r.row.day == days[-2])
    assert row.row.cells[2] == "71%"
    assert row.supplements == "2 × Magnesium citrate"
    assert row.cramps == "calf, severity 10"
    assert [dot.r for dot in timeline.cramps] == [12.0]
    assert len(timeline.workouts) == 1 and len(timeline.supplements) == 1


def test_the_timeline_draws_isolated_days_and_days_with_only_supplements(
    user_client, user, magnesium_only
):
    from tracker.day_data import trend

    days = span_days()
    # Logged days not next to one another: the 2nd, 4th and 7th of the span, and today;
    # the 10th has only a supplement logged.
    for index in (1, 3, 6, 29):
        log(user, magnesium_only, 210, days[index])
    SupplementIntake.objects.create(
        user=user,
        day=days[9],
        supplement=Supplement.objects.get(name="Magnesium citrate"),
        count=1,
    )
    insights = gather(Profile.of(user), days[-1], 30)
    magnesium = next(s for s in insights.timeline.chart.series if s.name == "Magnesium")
    assert magnesium.runs == ()  # no two logged days side by side: no line at all
    assert [p.percent for p in magnesium.lone_points] == [50, 50, 50, 23, 50]
    # Water: no water on the supplement day, which has no food or drink to rate.
    water = next(s for s in insights.timeline.chart.series if s.name == "Water")
    assert len(water.lone_points) == 4

    page = user_client.get(reverse("insights") + "?days=30").content.decode()
    assert page.count('<path class="chart-markers"') == 2  # magnesium and water

    # The report's 30-day trend shows the same days, the supplement-only one too.
    chart = trend(Profile.of(user), days[-1]).chart_30
    trend_magnesium = next(s for s in chart.series if s.name == "Magnesium")
    assert [p.x for p in trend_magnesium.points] == [p.x for p in magnesium.points]


def test_the_summary_prints_the_span(user_client, user, magnesium_only):
    days = span_days()
    log(user, magnesium_only, 210, days[-2])  # 210 mg: 50% of 420
    log(user, magnesium_only, 420, days[-1])  # today, unfinished: left out
    cramp(user, days[-2], severity=6).__class__.objects.filter(user=user).update(note="woke me")
    page = user_client.get(reverse("insights_summary") + "?days=30").content.decode()
    assert "210 mg, 50% of target" in page
    assert "1 cramp, average severity 6 of 10" in page
    assert f"{days[-2]:%a} {days[-2].day} {days[-2]:%b %Y}, 15:00" in page
    assert '<td>Calf, severity 6</td><td data-label="Note">woke me</td>' in page
    assert "Average on 1 day with food logged" in page


@pytest.mark.parametrize("history_days", [10, 365])
def test_the_insights_page_runs_a_constant_number_of_queries(
    user_client, user, magnesium_only, history_days, django_assert_num_queries
):
    today = timezone.localdate()
    citrate = Supplement.objects.get(name="Magnesium citrate")
    for offset in range(history_days):
        day = today - timedelta(days=offset)
        log(user, magnesium_only, Decimal(100 + offset % 300), day)
        if offset % 7 == 0:
            cramp(user, day)
            SupplementIntake.objects.create(user=user, day=day, supplement=citrate, count=1)
            DayNote.objects.create(user=user, day=day, intense_workout=True)

    # The session with the user and their profile; then the span's seven.
    with django_assert_num_queries(8):
        response = user_client.get(reverse("insights") + "?days=365")

    assert response.status_code == 200


def test_an_unknown_span_falls_back_to_90_days(user_client, user):
    response = user_client.get(reverse("insights") + "?days=7")
    assert response.context["span"] == 90
    assert len(response.context["insights"].days) == 90


def test_the_timeline_table_shows_what_the_user_typed_as_text(user_client, user, magnesium_only):
    # The table behind the chart is built in Python (timeline_table_rows): a supplement
    # named like markup is shown as those characters, never run.
    days = span_days()
    log(user, magnesium_only, 100, days[-1])
    own = Supplement.objects.create(owner=user, name='<img src=x onerror="alert(1)">', unit="pill")
    SupplementIntake.objects.create(user=user, day=days[-1], supplement=own, count=1)

    page = user_client.get(reverse("insights") + "?days=30").content.decode()

    assert "<td>1 × &lt;img src=x onerror=&quot;alert(1)&quot;&gt;</td>" in page
    assert "<img src=x" not in page


def test_a_day_with_only_a_supplement_counts_in_the_7_day_trend(user, magnesium_only):
    from tracker.day_data import trend

    days = span_days()
    log(user, magnesium_only, 420, days[-1])  # today: 100%
    SupplementIntake.objects.create(
        user=user,
        day=days[-3],
        supplement=Supplement.objects.get(name="Magnesium citrate"),
        count=1,
    )
    week = trend(Profile.of(user), days[-1])
    magnesium = next(s for s in week.chart_7.series if s.name == "Magnesium")
    assert [p.percent for p in magnesium.points] == [23, 100]  # 100 mg of 420, then 420
    summary = next(w for w in week.week if w.average.mineral.key == "magnesium")
    assert summary.days_logged == 2
