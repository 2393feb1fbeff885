"""The dashboard: totals against targets, the cramp-risk rating, suggestions, trends."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from nutrients.models import Food, FoodNutrient
from tracker.day_data import day_report
from tracker.models import DayNote, DayTotal, Entry, Meal, Profile

DAY = dt.date(2026, 11, 22)

# (fdc id, grams) of the known day, and its hand sums from the shared USDA values:
# potassium 358×1.18 + 733×0.28 + 397×0.92 + 234×2.45 + 558×0.30 = 1,733.62 mg
# calcium     5×1.18 + 269×0.28 + 382×0.92 + 183×2.45 +  99×0.30 =   910.71 mg
# magnesium  27×1.18 + 270×0.28 +  39×0.92 +  17×2.45 +  79×0.30 =   208.69 mg
KNOWN_DAY = [(173944, 118), (170567, 28), (175139, 92), (170886, 245), (168462, 30)]


@pytest.fixture
def seeded(db):
    call_command("seed_foods", stdout=open("/dev/null", "w"))  # noqa: SIM115


def log(user, food, grams, slot="breakfast", day=DAY):
    meal, _ = Meal.objects.get_or_create(user=user, day=day, slot=slot)
    entry = Entry.objects.create(meal=meal, food=food, grams=grams, quantity=grams)
    DayTotal.refresh(user, [day])
    return entry


def log_known_day(user, day=DAY):
    for fdc_id, grams in KNOWN_DAY:
        log(user, Food.objects.get(fdc_id=fdc_id), Decimal(grams), day=day)


def report_url(day=DAY):
    return reverse("tracker:report", kwargs={"day": day})


def profile(user, **fields):
    made, _ = Profile.objects.update_or_create(user=user, defaults=fields)
    return made


def test_the_known_day_adds_up_to_the_hand_sums_with_the_right_statuses(user, seeded):
    log_known_day(user)

    report = day_report(profile(user), DAY)

    potassium, calcium, magnesium = report.statuses
    assert potassium.eaten_mg == pytest.approx(Decimal("1733.62"), abs=Decimal("0.1"))
    assert calcium.eaten_mg == pytest.approx(Decimal("910.71"), abs=Decimal("0.1"))
    assert magnesium.eaten_mg == pytest.approx(Decimal("208.69"), abs=Decimal("0.1"))
    assert [s.percent for s in report.statuses] == [36, 91, 49]
    assert [s.status for s in report.statuses] == ["well short", "a little low", "well short"]
    assert report.risk.level == "high"


def test_the_report_page_shows_the_known_day(user_client, user, seeded):
    log_known_day(user)

    content = user_client.get(report_url()).content.decode()

    # 1,733.62 / 910.71 / 208.69 mg to the nearest mg; percents rounded down.
    assert "1,734 mg" in content and "911 mg" in content and "209 mg" in content
    assert "36% · well short" in content
    assert "91% · a little low" in content
    assert 'data-testid="risk">high<' in content
    assert "Potassium is well short: you ate 1,734 of 4,700 mg (36%), 2,966 mg to go." in content


def test_custom_targets_change_percent_and_status(user, seeded):
    log_known_day(user)

    report = day_report(profile(user, potassium_target_mg=1700, magnesium_target_mg=200), DAY)

    assert [s.target_mg for s in report.statuses] == [1700, 1000, 200]
    assert [s.status for s in report.statuses] == ["met", "a little low", "met"]
    assert report.risk.level == "elevated"  # water below target is a risk factor


def test_an_empty_day_says_nothing_is_logged_instead_of_flagging_risk(user_client, user, seeded):
    response = user_client.get(report_url())

    content = response.content.decode()
    assert "Nothing logged yet for this day" in content
    assert "high" not in content.lower().split("cramp risk")[1][:200]
    assert day_report(profile(user), DAY).risk is None


def test_marking_an_intense_workout_raises_a_little_low_day_to_elevated(user_client, user, seeded):
    # Enough water and two minerals met: only calcium is a little low.
    profile(user, potassium_target_mg=1500, magnesium_target_mg=200, water_target_ml=500)
    log_known_day(user)
    log(user, Food.objects.get(fdc_id=173647), Decimal(600), slot="snacks")
    assert day_report(profile(user), DAY).risk.level == "low"

    user_client.post(reverse("tracker:set_workout", kwargs={"day": DAY}), {"intense_workout": "1"})

    assert DayNote.objects.get(user=user, day=DAY).intense_workout
    report = day_report(profile(user), DAY)
    assert report.risk.level == "elevated"
    assert any("intense-workout day" in reason for reason in report.risk.reasons)


def test_a_diuretic_in_the_profile_raises_the_rating_and_says_why(user, seeded):
    log_known_day(user)
    log(user, Food.objects.get(fdc_id=173647), Decimal(600), slot="snacks")  # calcium stays 92%
    relaxed = {"potassium_target_mg": 1500, "magnesium_target_mg": 200, "water_target_ml": 500}

    without = day_report(profile(user, **relaxed), DAY)
    with_diuretic = day_report(profile(user, diuretic="loop", **relaxed), DAY)

    assert (without.risk.level, with_diuretic.risk.level) == ("low", "elevated")
    assert any("diuretic" in reason for reason in with_diuretic.risk.reasons)


def test_logging_a_suggestion_adds_it_and_returns_to_the_report(user_client, user, seeded):
    banana = Food.objects.get(fdc_id=173944)
    medium = banana.portions.get(description__contains="medium")

    response = user_client.post(
        reverse("tracker:add_entry", kwargs={"day": DAY}),
        {"food": banana.pk, "quantity": "1", "unit": medium.pk, "slot": "snacks", "next": "report"},
    )

    assert response.url == report_url()
    assert Entry.objects.get().grams == Decimal(118)


def test_where_it_came_from_lists_the_biggest_sources_first(user_client, user, seeded):
    log_known_day(user)

    report = day_report(profile(user), DAY)

    potassium = report.minerals[0]
    assert [s.entry.food.fdc_id for s in potassium.sources] == [170886, 173944, 175139]


def test_supporting_nutrients_say_no_data_and_how_complete_the_data_is(user_client, user, seeded):
    log_known_day(user)
    own = Food.objects.create(description="Label-only bar", source="user", owner=user)
    FoodNutrient.objects.create(food=own, nutrient_id=1092, amount=100)
    log(user, own, Decimal(40))

    content = user_client.get(report_url()).content.decode()

    assert "Biotin (B7)" in content
    assert "magnesium known for 5 of 6 entries" in content
    assert "known for 5 of 6 entries" in content.split("Supporting nutrients")[1]


def test_a_mineral_short_most_of_the_week_is_called_out(user_client, user, seeded):
    almonds = Food.objects.get(fdc_id=170567)
    for days_ago in range(4):  # 28 g almonds: potassium 4%, well short, four days running
        log(user, almonds, Decimal(28), day=DAY - dt.timedelta(days=days_ago))

    content = user_client.get(report_url()).content.decode()

    assert "Short on 4 of the last 7 days" in content


def test_three_short_days_are_not_yet_a_pattern(user_client, user, seeded):
    almonds = Food.objects.get(fdc_id=170567)
    for days_ago in range(3):
        log(user, almonds, Decimal(28), day=DAY - dt.timedelta(days=days_ago))

    assert "of the last 7 days" not in user_client.get(report_url()).content.decode()


@pytest.mark.parametrize(("days", "per_day"), [(1, 2), (30, 20)])
def test_the_report_runs_a_constant_number_of_queries(
    user_client, user, seeded, days, per_day, django_assert_num_queries
):
    foods = list(Food.objects.filter(source="seed")[:10])
    for day_index in range(days):
        for index in range(per_day):
            log(
                user,
                foods[index % 10],
                Decimal(50),
                slot="lunch",
                day=DAY - dt.timedelta(days=day_index),
            )

    # 8 (the session is read with the user and the profile; the day's supplement totals
    # with its workout note), the supplement totals of the 30 days, and the targets in force on each day of the trend (on the day
    # itself they come with the user: no change since). The trend reads the stored totals
    # (two queries). The suggestable foods: read first in this process at the site's
    # revision, which came with the user.
    with django_assert_num_queries(11):
        response = user_client.get(report_url())

    assert response.status_code == 200


def test_anonymous_visitors_of_the_report_are_sent_to_log_in(client, db):
    response = client.get(report_url())

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_workout_mark_is_per_user(user_client, user, other_user, seeded):
    DayNote.objects.create(user=other_user, day=DAY, intense_workout=True)

    assert not day_report(profile(user), DAY).intense_workout
    user_client.post(reverse("tracker:set_workout", kwargs={"day": DAY}), {"intense_workout": "1"})
    assert DayNote.objects.filter(day=DAY).count() == 2


def test_the_day_page_shows_statuses_and_the_risk_and_links_to_the_report(
    user_client, user, seeded
):
    log_known_day(user)

    content = user_client.get(reverse("tracker:day", kwargs={"day": DAY})).content.decode()

    assert "36% · well short" in content
    assert 'data-testid="risk">high<' in content
    assert report_url() in content


def test_profile_saves_custom_targets_and_resets_them(user_client, user):
    user_client.post(
        reverse("profile"),
        {"time_zone": "UTC", "potassium_target_mg": "3400", "water_target_ml": "3700"},
    )
    saved = Profile.objects.get(user=user)
    assert (saved.potassium_target_mg, saved.calcium_target_mg, saved.water_target_ml) == (
        3400,
        None,
        3700,
    )

    user_client.post(reverse("profile"), {"reset_targets": "1"})

    saved.refresh_from_db()
    assert (saved.potassium_target_mg, saved.water_target_ml) == (None, None)
    assert saved.targets().water_ml == 2700  # the default again


def test_a_target_written_with_a_thousands_comma_is_read(user_client, user):
    data = {"time_zone": "UTC", "water_target_ml": "2,700", "potassium_target_mg": "3,400"}

    user_client.post(reverse("profile"), data)

    saved = Profile.objects.get(user=user)
    assert (saved.potassium_target_mg, saved.water_target_ml) == (3400, 2700)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("potassium_target_mg", "0", "Enter at least 1 mg"),
        ("calcium_target_mg", "-5", "Enter at least 1 mg"),
        ("magnesium_target_mg", "9999999", "At most 100,000 mg"),
        ("water_target_ml", "10", "Enter at least 500 ml"),
        ("water_target_ml", "1,5", "Enter whole millilitres"),
        ("potassium_target_mg", "lots", "Enter whole milligrams"),
        ("potassium_target_mg", "2,5", "Enter whole milligrams"),
    ],
)
def test_profile_refuses_a_bad_target_at_the_field(user_client, user, field, value, message):
    data = {"time_zone": "UTC", "water_target_ml": "2700", field: value}

    response = user_client.post(reverse("profile"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Ensure this value" not in response.content.decode()  # our words, one message
    assert Profile.objects.get(user=user).potassium_target_mg is None
