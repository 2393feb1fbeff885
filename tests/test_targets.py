"""Targets for the person: the sources' figures by default, the reference intakes for age
and sex on request, the person's own; a dated history so that past days keep theirs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from nutrients.targets import (
    DEFAULT_SOURCE,
    OWN_SOURCE,
    TargetSource,
    reference_intakes,
    resolve_targets,
)
from tracker.day_data import day_report
from tracker.models import DayTotal, Entry, Meal, Profile, TargetChange

# The whole table, every row and upper limit: tests/test_life_stages.py.


@pytest.mark.parametrize(("sex", "age"), [("", 40), ("female", None), ("male", 0), (None, 30)])
def test_no_reference_intake_without_sex_from_9_or_without_an_age_of_1(sex, age):
    assert reference_intakes(sex, age) is None


def test_the_defaults_are_the_sources_figures_and_say_so():
    targets = resolve_targets(TargetSource.DEFAULTS, "female", 40, {}, None)

    assert targets.mg == {"potassium": 4700, "calcium": 1000, "magnesium": 420}
    assert targets.sources["magnesium"] == DEFAULT_SOURCE


def test_reference_targets_name_their_group_and_own_targets_win():
    targets = resolve_targets(TargetSource.REFERENCE, "female", 40, {"calcium": 1300}, None)

    assert targets.mg == {"potassium": 2600, "calcium": 1300, "magnesium": 320}
    assert targets.sources["potassium"] == "reference intake for women 31–50"
    assert targets.sources["calcium"] == OWN_SOURCE
    assert targets.water_ml == 2700


def test_a_mans_reference_water_is_3700_ml_unless_he_set_his_own():
    assert resolve_targets(TargetSource.REFERENCE, "male", 40, {}, None).water_ml == 3700
    own = resolve_targets(TargetSource.REFERENCE, "male", 40, {}, 3000)
    assert (own.water_ml, own.sources["water"]) == (3000, OWN_SOURCE)


# --- The profile -------------------------------------------------------------------------


def profile_data(**fields):
    data = {
        "time_zone": "UTC",
        "potassium_target_mg": "",
        "calcium_target_mg": "",
        "magnesium_target_mg": "",
        "water_target_ml": "",
        "target_source": "defaults",
        "sex": "",
        "birth_year": "",
        "birth_month": "",
        "life_stage": "",
        "diuretic": "none",
    }
    return {**data, **fields}


def test_the_profile_offers_reference_intakes_and_shows_where_each_target_comes_from(
    user_client, user
):
    year = timezone.localdate().year - 40
    data = profile_data(target_source="reference", sex="female", birth_year=str(year))

    response = user_client.post(reverse("profile"), data, follow=True)

    profile = Profile.objects.get(user=user)
    assert (profile.target_source, profile.sex, profile.birth_year) == ("reference", "female", year)
    html = response.content.decode()
    assert "Potassium: 2,600 mg</strong> · reference intake for women 31–50" in html
    assert "Magnesium: 320 mg</strong> · reference intake for women 31–50" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"sex": "female"}, "need your month and year of birth"),
        ({"birth_year": str(dt.date.today().year - 10)}, "from 9 years on need your sex"),
    ],
)
def test_reference_intakes_without_what_they_need_are_refused_at_the_field(
    user_client, user, fields, message
):
    response = user_client.post(
        reverse("profile"), profile_data(target_source="reference", **fields)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Profile.objects.get(user=user).target_source == "defaults"
    assert not TargetChange.objects.exists()


@pytest.mark.parametrize("year", ["1899", "3000", "nineteen"])
def test_a_bad_birth_year_is_refused_at_the_field(user_client, user, year):
    response = user_client.post(reverse("profile"), profile_data(birth_year=year))

    assert 'id="id_birth_year_error"' in response.content.decode()
    assert Profile.objects.get(user=user).birth_year is None


def test_sex_and_birth_year_are_never_required(user_client, user):
    response = user_client.post(reverse("profile"), profile_data(water_target_ml="2500"))

    assert response.status_code == 302
    assert Profile.objects.get(user=user).water_target_ml == 2500


def test_signup_asks_sex_and_birth_year_optionally_and_uses_the_reference_with_both(client, db):
    year = dt.date.today().year - 60
    form = {"username": "carol", "email": "carol@example.org",
            "password1": "a-long-test-password-1", "password2": "a-long-test-password-1"}  # fmt: skip

    client.post(reverse("signup"), {**form, "sex": "male", "birth_year": str(year)})
    profile = Profile.objects.get(user__username="carol")

    assert (profile.target_source, profile.sex, profile.birth_year) == ("reference", "male", year)
    assert profile.targets().mg["magnesium"] == 420
    assert profile.targets().sources["magnesium"] == "reference intake for men 51–70"


def test_signup_without_sex_or_birth_year_keeps_the_defaults(client, db):
    client.post(
        reverse("signup"),
        {"username": "dan", "email": "dan@example.org",
         "password1": "a-long-test-password-1", "password2": "a-long-test-password-1"},
    )  # fmt: skip

    profile = Profile.objects.get(user__username="dan")
    assert (profile.target_source, profile.sex, profile.birth_year) == ("defaults", "", None)


# --- History --------------------------------------------------------------------------------


def log_magnesium_day(user, foods, day):
    meal, _ = Meal.objects.get_or_create(user=user, day=day, slot="lunch")
    # 100 g of almonds: 270 mg magnesium, 64% of 420 mg ("short"), 84% of 320 mg.
    Entry.objects.create(meal=meal, food=foods["almonds"], grams=100, quantity=100)
    DayTotal.refresh(user, [day])  # as every write path does


def test_a_target_changed_today_leaves_yesterdays_rating_as_it_was(user_client, user, foods):
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    log_magnesium_day(user, foods, yesterday)
    log_magnesium_day(user, foods, today)
    before = day_report(Profile.objects.get(user=user), yesterday)

    user_client.post(
        reverse("profile"),
        profile_data(target_source="reference", sex="female", birth_year=str(today.year - 40)),
    )

    profile = Profile.objects.get(user=user)
    after_yesterday = day_report(profile, yesterday)
    after_today = day_report(profile, today)
    assert (
        before.minerals[2].status.target_mg == after_yesterday.minerals[2].status.target_mg == 420
    )
    assert after_yesterday.minerals[2].status.status == before.minerals[2].status.status == "short"
    assert after_yesterday.risk == before.risk
    assert after_today.minerals[2].status.target_mg == 320
    assert after_today.minerals[2].status.status == "a little low"
    # The report says where the day's target came from.
    html = user_client.get(reverse("tracker:report", kwargs={"day": yesterday})).content.decode()
    assert "Target 420 mg: the product’s default" in html
    # The CSV of both days agrees with the reports.
    response = user_client.get(reverse("export_days"), {"from": yesterday, "to": today})
    text = b"".join(response.streaming_content).decode()
    assert ",420,64,short," in text.splitlines()[1]
    assert ",320,84,a little low," in text.splitlines()[2]


def test_saving_the_profile_without_changing_targets_records_nothing(user_client, user):
    user_client.post(reverse("profile"), profile_data())

    assert not TargetChange.objects.exists()


def test_two_changes_on_one_day_keep_the_last_and_the_first_keeps_what_came_before(
    user_client, user
):
    user_client.post(reverse("profile"), profile_data(magnesium_target_mg="350"))
    user_client.post(reverse("profile"), profile_data(magnesium_target_mg="360"))

    changes = list(TargetChange.objects.order_by("valid_from"))
    assert [(c.valid_from.year, c.magnesium_target_mg) for c in changes] == [
        (1900, None),
        (timezone.localdate().year, 360),
    ]


def test_resetting_the_targets_is_a_change_too(user_client, user):
    user_client.post(reverse("profile"), profile_data(magnesium_target_mg="350"))
    user_client.post(reverse("profile"), {**profile_data(), "reset_targets": "1"})

    assert Profile.objects.get(user=user).targets().mg["magnesium"] == 420
    assert TargetChange.objects.get(valid_from=timezone.localdate()).magnesium_target_mg is None


def test_each_users_history_is_their_own(user_client, user, other_user, foods):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    log_magnesium_day(other_user, foods, yesterday)
    user_client.post(reverse("profile"), profile_data(magnesium_target_mg="100"))

    report = day_report(Profile.objects.get(user=other_user), yesterday)

    assert report.minerals[2].status.target_mg == 420


def test_with_reference_intakes_vitamin_d_b6_and_thiamin_follow_age_and_sex(user, foods):
    profile = Profile.objects.get(user=user)
    profile.sex, profile.birth_year = "male", timezone.localdate().year - 75
    profile.target_source = "reference"
    profile.save()
    log_magnesium_day(user, foods, timezone.localdate())

    lines = {line.reference.name: line.reference.amount for line in day_report(
        profile, timezone.localdate()).supporting()}  # fmt: skip

    assert lines["Vitamin D"] == 20
    assert lines["Vitamin B6"] == Decimal("1.7")
    assert lines["Thiamin (B1)"] == Decimal("1.2")
