"""Life stages: every row of the domain brief's reference intakes and every cell of its
upper limits, as the report uses them on a day when the person has that age."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from nutrients.report import (
    CALCIUM,
    MAGNESIUM,
    PHOSPHORUS,
    SELENIUM,
    VITAMIN_B6,
    VITAMIN_D,
    VITAMIN_E,
)
from nutrients.targets import age_on
from tracker.day_data import day_report
from tracker.models import Entry, Meal, Profile

# A fixed day to rate, so that no test depends on today's date.
DAY = dt.date(2026, 6, 15)

# (who, sex, life stage, ages: the band's edges) → potassium, calcium, magnesium (mg),
# water from food and drink (ml), and the group the report names.
ROWS = [
    ("1–3", "", "", (1, 3), 2000, 700, 80, 1300, "children 1–3"),
    ("1–3 boy", "male", "", (1, 3), 2000, 700, 80, 1300, "children 1–3"),
    ("4–8", "female", "", (4, 8), 2300, 1000, 130, 1700, "children 4–8"),
    ("boys 9–13", "male", "", (9, 13), 2500, 1300, 240, 2400, "boys 9–13"),
    ("girls 9–13", "female", "", (9, 13), 2300, 1300, 240, 2100, "girls 9–13"),
    ("boys 14–18", "male", "", (14, 18), 3000, 1300, 410, 3300, "boys 14–18"),
    ("girls 14–18", "female", "", (14, 18), 2300, 1300, 360, 2300, "girls 14–18"),
    ("men 19–30", "male", "", (19, 30), 3400, 1000, 400, 3700, "men 19–30"),
    ("men 31–50", "male", "", (31, 50), 3400, 1000, 420, 3700, "men 31–50"),
    ("men 51–70", "male", "", (51, 70), 3400, 1000, 420, 3700, "men 51–70"),
    ("men 71+", "male", "", (71, 99), 3400, 1200, 420, 3700, "men 71+"),
    ("women 19–30", "female", "", (19, 30), 2600, 1000, 310, 2700, "women 19–30"),
    ("women 31–50", "female", "", (31, 50), 2600, 1000, 320, 2700, "women 31–50"),
    ("women 51–70", "female", "", (51, 70), 2600, 1200, 320, 2700, "women 51–70"),
    ("women 71+", "female", "", (71, 99), 2600, 1200, 320, 2700, "women 71+"),
    ("pregnant 14–18", "female", "pregnant", (14, 18), 2600, 1300, 400, 3000, "pregnancy 14–18"),
    ("pregnant 19–30", "female", "pregnant", (19, 30), 2900, 1000, 350, 3000, "pregnancy 19–30"),
    ("pregnant 31–50", "", "pregnant", (31, 50), 2900, 1000, 360, 3000, "pregnancy 31–50"),
    ("lactating 14–18", "female", "lactating", (14, 18), 2500, 1300, 360, 3800,
     "breastfeeding 14–18"),
    ("lactating 19–30", "female", "lactating", (19, 30), 2800, 1000, 310, 3800,
     "breastfeeding 19–30"),
    ("lactating 31–50", "female", "lactating", (31, 50), 2800, 1000, 320, 3800,
     "breastfeeding 31–50"),
]  # fmt: skip

# Upper limits by band (1–3, 4–8, 9–13, 14–18, 19–50, 51–70, 71+), with an age in each.
BAND_AGES = (2, 6, 11, 16, 35, 60, 80)
LIMITS = {
    MAGNESIUM: (65, 110, 350, 350, 350, 350, 350),
    CALCIUM: (2500, 2500, 3000, 3000, 2500, 2000, 2000),
    VITAMIN_D: (63, 75, 100, 100, 100, 100, 100),
    VITAMIN_B6: (30, 40, 60, 80, 100, 100, 100),
    VITAMIN_E: (200, 300, 600, 800, 1000, 1000, 1000),
    SELENIUM: (90, 150, 280, 400, 400, 400, 400),
    PHOSPHORUS: (3000, 3000, 4000, 4000, 4000, 4000, 3000),
}


def born(profile: Profile, age: int, *, sex="", life_stage="", source="reference") -> Profile:
    """The person is `age` on DAY: born in DAY's month, `age` years before."""
    profile.sex, profile.life_stage, profile.target_source = sex, life_stage, source
    profile.birth_year, profile.birth_month = DAY.year - age, DAY.month
    profile.save()
    return profile


@pytest.mark.parametrize(
    ("sex", "life_stage", "ages", "k", "ca", "mg", "water", "group"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_the_report_uses_the_reference_intakes_of_each_row_at_both_ends_of_its_band(
    user, sex, life_stage, ages, k, ca, mg, water, group
):
    profile = Profile.of(user)
    for age in ages:
        report = day_report(born(profile, age, sex=sex, life_stage=life_stage), DAY)

        assert [line.status.target_mg for line in report.minerals] == [k, ca, mg], age
        assert report.water_target_ml == water
        assert {line.target_source for line in report.minerals} == {f"reference intake for {group}"}
        assert group in report.targets.in_force


@pytest.mark.parametrize(
    ("band", "age"), list(enumerate(BAND_AGES)), ids=[str(a) for a in BAND_AGES]
)
def test_the_report_uses_every_upper_limit_of_the_age(user, band, age):
    report = day_report(born(Profile.of(user), age, sex="female"), DAY)

    limits = {limit.nutrient_id: limit.limit for limit in report.targets.limits}
    assert limits == {nutrient_id: by_band[band] for nutrient_id, by_band in LIMITS.items()}
    calcium, magnesium = report.minerals[1], report.minerals[2]
    assert (calcium.upper_limit.limit, magnesium.upper_limit.limit) == (
        LIMITS[CALCIUM][band],
        LIMITS[MAGNESIUM][band],
    )
    assert report.minerals[0].upper_limit is None  # potassium from food has none


def test_pregnancy_takes_its_age_bands_limits_but_phosphorus_is_3500(user):
    pregnant = day_report(born(Profile.of(user), 30, sex="female", life_stage="pregnant"), DAY)
    limits = {limit.nutrient_id: limit.limit for limit in pregnant.targets.limits}

    assert limits[PHOSPHORUS] == 3500
    assert limits[CALCIUM] == 2500 and limits[MAGNESIUM] == 350
    lactating = day_report(born(Profile.of(user), 30, sex="female", life_stage="lactating"), DAY)
    assert lactating.targets.upper_limit(PHOSPHORUS).limit == 4000


def test_the_limits_follow_the_age_even_with_the_defaults_in_force(user):
    # A 55-year-old woman at 2,038 mg calcium: over her 2,000 mg, whatever her targets.
    profile = born(Profile.of(user), 55, sex="female", source="defaults")
    report = day_report(profile, DAY)

    assert report.minerals[1].status.target_mg == 1000
    assert report.targets.upper_limit(CALCIUM).limit == 2000


def test_age_counts_whole_years_from_the_month_of_birth():
    assert age_on(dt.date(2026, 5, 31), 2011, 6) == 14
    assert age_on(dt.date(2026, 6, 1), 2011, 6) == 15
    assert age_on(dt.date(2026, 1, 1), 2011, None) == 15  # the year alone: up to a year early
    assert age_on(dt.date(2026, 1, 1), None, 6) is None


def test_a_birthday_moves_a_teen_into_the_adult_band_from_that_month(user):
    profile = born(Profile.of(user), 18, sex="female")  # 18 in June 2026
    profile.birth_month = 7  # so 18 until the end of June, 19 from July
    profile.birth_year = 2007
    profile.save()

    june = day_report(profile, dt.date(2026, 6, 30))
    july = day_report(profile, dt.date(2026, 7, 1))
    assert [line.status.target_mg for line in june.minerals] == [2300, 1300, 360]
    assert [line.status.target_mg for line in july.minerals] == [2600, 1000, 310]
    assert june.targets.upper_limit(CALCIUM).limit == 3000
    assert july.targets.upper_limit(CALCIUM).limit == 2500


def test_the_15_year_olds_787_mg_calcium_is_short_not_a_little_low(user, foods):
    profile = born(Profile.of(user), 15, sex="male")
    meal = Meal.objects.create(user=user, day=DAY, slot="lunch")
    # Almonds: 269 mg calcium per 100 g; 292.57 g is 787 mg.
    Entry.objects.create(meal=meal, food=foods["almonds"], grams=Decimal("292.57"), quantity=1)

    calcium = day_report(profile, DAY).minerals[1].status
    assert (calcium.target_mg, calcium.percent, calcium.status) == (1300, 60, "short")


def test_without_a_sex_from_9_the_defaults_stand_in_and_say_why(user):
    report = day_report(born(Profile.of(user), 12), DAY)

    assert [line.status.target_mg for line in report.minerals] == [4700, 1000, 420]
    assert "need your sex" in report.targets.in_force
    # The limits still follow the age.
    assert report.targets.upper_limit(MAGNESIUM).limit == 350
    assert day_report(born(Profile.of(user), 3), DAY).targets.upper_limit(MAGNESIUM).limit == 65


def profile_post(**fields):
    data = {"time_zone": "UTC", "target_source": "defaults", "diuretic": "none",
            "sex": "", "birth_year": "", "birth_month": "", "life_stage": ""}  # fmt: skip
    return {**data, **fields}


def test_giving_sex_and_birth_in_the_profile_offers_the_reference_as_sign_up_does(
    user_client, user
):
    year = dt.date.today().year - 40
    response = user_client.post(
        reverse("profile"), profile_post(sex="male", birth_year=str(year), birth_month="1"),
        follow=True,
    )  # fmt: skip

    profile = Profile.objects.get(user=user)
    assert profile.target_source == "reference"
    assert "now the reference intakes for men 31–50" in response.content.decode()
    # Choosing the defaults afterwards keeps them.
    user_client.post(
        reverse("profile"), profile_post(sex="male", birth_year=str(year), birth_month="1")
    )
    assert Profile.objects.get(user=user).target_source == "defaults"


def test_under_one_year_is_refused_with_a_clear_word(user_client, user):
    today = Profile.of(user).today()
    response = user_client.post(
        reverse("profile"),
        profile_post(birth_year=str(today.year), birth_month=str(today.month), sex="female"),
    )

    assert "under 1, breast milk or formula is out of scope" in response.content.decode()
    assert Profile.objects.get(user=user).birth_year is None


@pytest.mark.parametrize(
    ("age", "message"), [(12, "cover ages 14 to 50"), (None, "Give your month and year")]
)
def test_a_life_stage_outside_its_ages_is_refused(user_client, user, age, message):
    year = "" if age is None else str(dt.date.today().year - age - 1)
    response = user_client.post(
        reverse("profile"),
        profile_post(sex="female", birth_year=year, birth_month="1" if year else "",
                     life_stage="pregnant"),
    )  # fmt: skip

    assert message in response.content.decode()
    assert Profile.objects.get(user=user).life_stage == ""


def test_signup_with_a_pregnancy_uses_its_reference_intakes(client, db):
    year = dt.date.today().year - 30
    client.post(
        reverse("signup"),
        {"username": "erin", "email": "erin@example.org", "password1": "a-long-test-password-1",
         "password2": "a-long-test-password-1", "sex": "female", "birth_year": str(year),
         "birth_month": "1", "life_stage": "pregnant"},
    )  # fmt: skip

    profile = Profile.objects.get(user__username="erin")
    assert profile.target_source == "reference"
    assert profile.targets().mg == {"potassium": 2900, "calcium": 1000, "magnesium": 350}
    assert profile.targets().water_ml == 3000


def test_the_profile_water_field_is_empty_and_shows_the_target_in_force(user_client, user):
    born(Profile.of(user), 40, sex="male")

    html = user_client.get(reverse("profile")).content.decode()

    assert 'name="water_target_ml"' in html
    assert 'placeholder="3,700"' in html
    assert "Water: 3,700 ml" in html


def test_a_teen_on_the_defaults_is_told_they_are_adults_figures(user):
    report = day_report(born(Profile.of(user), 15, sex="male", source="defaults"), DAY)

    assert report.targets.in_force == (
        "The product’s defaults (4,700 / 1,000 / 420 mg) (age 15, male); these are adults’ "
        "figures: the reference intakes fit your age."
    )
