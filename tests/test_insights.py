"""What came before the cramps: the comparison's rules, the page, its print summary."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from nutrients.insights import (
    MIN_CRAMPS,
    Measure,
    chance_text,
    compare,
    mann_whitney_p,
    split_days,
)
from nutrients.models import Food, FoodNutrient
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


def test_the_days_before_a_cramp_are_its_day_and_the_day_before():
    days = [date(2026, 11, d) for d in range(1, 11)]
    logged = set(days) - {date(2026, 11, 5)}
    before, none = split_days(days, logged, {date(2026, 11, 4), date(2026, 11, 10)})
    assert before == [date(2026, 11, 3), date(2026, 11, 4), date(2026, 11, 9), date(2026, 11, 10)]
    # The 5th has nothing logged; the 10th is the span's last day (tomorrow unknown).
    assert none == [date(2026, 11, d) for d in (1, 2, 6, 7, 8)]


def test_chance_in_words():
    assert chance_text(0.02) == "about 1 time in 50"
    assert chance_text(0.0004) == "less than 1 time in 1,000"
    assert chance_text(0.6) == "easily (about every other time)"


def test_too_few_cramps_says_how_many_more_it_needs():
    days = [date(2026, 11, d) for d in range(1, 31)]
    cramp_days = {date(2026, 11, 5), date(2026, 11, 15), date(2026, 11, 25)}
    values = {day: 50.0 for day in days}
    comparison = compare(MAGNESIUM_MEASURE, days, set(days), cramp_days, 3, values)
    assert comparison.p_value is None
    assert comparison.cramps_needed == MIN_CRAMPS - 3
    assert comparison.text.startswith("Needs 2 more cramps logged")
    assert not comparison.is_pattern


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
    low = {days[i] for i in cramp_indexes} | {days[i - 1] for i in cramp_indexes}
    for day in days:
        # 100 mg (23% of 420 mg, floor 23.8) on the days before a cramp, 400 mg (95%) else.
        log(user, magnesium_only, 100 if day in low else 400, day)
    for i in cramp_indexes:
        cramp(user, days[i])

    insights = gather(Profile.of(user), days[-1], 30)
    by_key = {c.measure.key: c for c in insights.comparisons}
    magnesium = by_key["magnesium"]

    # Before a cramp: the 10 low days. Before none: the 30 days less those 10 and the
    # last day, whose next day is still to come.
    assert (len(magnesium.before_cramp), len(magnesium.no_cramp)) == (10, 19)
    assert (magnesium.before_average, magnesium.no_cramp_average) == (23, 95)
    assert magnesium.p_value < 0.001
    assert magnesium.is_pattern
    # The other measures have no data (potassium, calcium, water) or never vary.
    assert [key for key, c in by_key.items() if c.is_pattern] == ["magnesium"]

    page = user_client.get(reverse("insights") + "?days=30").content.decode()
    assert (
        "On the 10 days before a cramp, magnesium averaged 23% of target; on the 19 days "
        "before no cramp, 95%. A gap this large would come by chance less than 1 time in "
        "1,000." in page
    )
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
    assert magnesium.p_value is not None and magnesium.p_value > 0.05
    assert not any(c.is_pattern for c in insights.comparisons)
    page = user_client.get(reverse("insights") + "?days=90").content.decode()
    assert "No pattern to speak of." in page
    assert "pattern</span>" not in page


def test_three_cramps_need_more(user_client, user, magnesium_only):
    days = span_days()
    for day in days:
        log(user, magnesium_only, 200, day)
    for i in (5, 12, 20):
        cramp(user, days[i])
    page = user_client.get(reverse("insights") + "?days=30").content.decode()
    assert "Needs 2 more cramps logged before it can compare" in page


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


def test_the_summary_prints_the_span(user_client, user, magnesium_only):
    days = span_days()
    log(user, magnesium_only, 210, days[-1])  # 210 mg: 50% of 420
    cramp(user, days[-1], severity=6)
    page = user_client.get(reverse("insights_summary") + "?days=30").content.decode()
    assert "210 mg, 50% of target" in page
    assert "1 cramp, average severity 6 of 10" in page
    assert "Calf, severity 6" in page


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

    # The session, the user with its profile; then the span's six, and its target changes.
    with django_assert_num_queries(9):
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
