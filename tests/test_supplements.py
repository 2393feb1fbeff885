"""Supplements: logged by count, added into the day's totals, warned at upper limits."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from nutrients.report import CALCIUM, MAGNESIUM
from nutrients.supplements import elemental_mg, limit_warnings
from tests.test_diary import oob_parts
from tracker.day_data import day_report
from tracker.models import (
    DayTotal,
    Entry,
    Meal,
    Profile,
    Supplement,
    SupplementAmount,
    SupplementIntake,
)

# Shipped supplements come with a migration; a test that empties the database takes them.
pytestmark = pytest.mark.usefixtures("shipped_supplements")

DAY = date(2026, 11, 22)


def shipped(name: str) -> Supplement:
    return Supplement.objects.get(owner=None, name=name)


def log_food(user, food, grams, day=DAY):
    meal, _ = Meal.objects.get_or_create(user=user, day=day, slot="lunch")
    entry = Entry.objects.create(meal=meal, food=food, grams=grams, quantity=grams)
    DayTotal.refresh(user, [day])  # as every write path does
    return entry


def take(user, supplement, count, day=DAY):
    return SupplementIntake.objects.create(
        user=user, day=day, supplement=supplement, count=Decimal(count)
    )


def test_the_common_supplements_are_shipped(db):
    names = set(Supplement.objects.filter(owner=None).values_list("name", flat=True))
    assert {"Magnesium citrate", "Potassium chloride", "Vitamin D3 (1,000 IU)"} <= names
    amount = SupplementAmount.objects.get(supplement__name="Potassium chloride")
    assert amount.amount == 99


@pytest.mark.parametrize(
    "compound, mg, nutrient_id, elemental",
    [
        ("magnesium_oxide", "400", MAGNESIUM, "240.0"),
        ("magnesium_citrate", "1000", MAGNESIUM, "160.0"),
        ("magnesium_glycinate", "500", MAGNESIUM, "70.0"),
        ("calcium_carbonate", "1250", CALCIUM, "500.0"),
        ("calcium_citrate", "950", CALCIUM, "199.5"),
    ],
)
def test_a_compounds_weight_gives_its_elemental_share(compound, mg, nutrient_id, elemental):
    assert elemental_mg(compound, Decimal(mg)) == (nutrient_id, Decimal(elemental))


def test_the_days_totals_are_food_and_supplements_added_up(user, foods):
    log_food(user, foods["almonds"], Decimal(30))  # 81 mg magnesium, 80.7 mg calcium
    take(user, shipped("Magnesium glycinate"), 2)  # 200 mg magnesium
    take(user, shipped("Calcium citrate"), "1.5")  # 300 mg calcium

    report = day_report(Profile.of(user), DAY)
    by_key = {line.status.mineral.key: line for line in report.minerals}

    assert by_key["magnesium"].status.eaten_mg == Decimal(270) * Decimal("0.3") + 200
    assert by_key["magnesium"].from_food_mg == Decimal("81")
    assert by_key["magnesium"].from_supplements_mg == 200
    assert by_key["calcium"].status.eaten_mg == Decimal(269) * Decimal("0.3") + 300
    assert by_key["potassium"].from_supplements_mg is None


def test_the_report_shows_food_and_supplements_as_their_own_line(user_client, user, foods):
    log_food(user, foods["almonds"], Decimal(100))  # 270 mg magnesium
    take(user, shipped("Magnesium citrate"), 2)  # 200 mg

    page = user_client.get(reverse("tracker:report", args=[DAY])).content.decode()

    assert "From food 270 mg, from supplements 200 mg." in page
    assert "over the upper limit" not in page  # 200 mg of supplements is under 350 mg


def test_the_magnesium_upper_limit_counts_supplements_only(user_client, user, foods):
    log_food(user, foods["almonds"], Decimal(200))  # 540 mg magnesium from food: no warning
    take(user, shipped("Magnesium glycinate"), 3)  # 300 mg

    page = user_client.get(reverse("tracker:report", args=[DAY])).content.decode()
    assert "over the upper limit" not in page

    take(user, shipped("Magnesium citrate"), 1)  # 400 mg from supplements
    page = user_client.get(reverse("tracker:report", args=[DAY])).content.decode()
    assert (
        "Magnesium from supplements: 400 mg, over the upper limit of 350 mg a day (adults 19–50)."
        in page
    )


def test_the_calcium_upper_limit_counts_food_and_supplements_together():
    food = {CALCIUM: Decimal(1200)}
    assert limit_warnings(food, {CALCIUM: Decimal(1300)}) == []  # 2,500: at the limit
    (warning,) = limit_warnings(food, {CALCIUM: Decimal(1400)})
    assert warning.counted == 2600
    assert warning.text.startswith(
        "Calcium from food and supplements together: 2,600 mg, over the upper limit of 2,500 mg"
    )
    # Food alone counts for calcium, never for magnesium.
    assert [w.limit.name for w in limit_warnings({CALCIUM: Decimal(2600)}, {})] == ["Calcium"]
    assert limit_warnings({MAGNESIUM: Decimal(900)}, {}) == []


def test_potassium_supplements_carry_the_kidney_and_medicines_warning(user_client, user):
    response = user_client.post(
        reverse("intake_add", args=[DAY]),
        {"supplement": shipped("Potassium chloride").pk, "count": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert "1 tablet" in page
    assert "ACE inhibitors" in page


def test_a_supplement_is_logged_by_count_from_the_day_page(user_client, user):
    response = user_client.post(
        reverse("intake_add", args=[DAY]),
        {"supplement": shipped("Magnesium glycinate").pk, "count": "2"},
    )
    assert response.status_code == 302
    intake = SupplementIntake.objects.get(user=user)
    assert (intake.day, intake.count, intake.amount_text) == (DAY, 2, "2 capsules")
    page = user_client.get(reverse("tracker:day", args=[DAY])).content.decode()
    assert "Magnesium glycinate" in page and "2 capsules" in page


@pytest.mark.parametrize(
    "count, message",
    [
        ("0", "Enter how many you took: more than 0."),
        ("21", "At most 20 at a time"),
        ("abc", "Enter a number, for example 1 or 2."),
    ],
)
def test_a_bad_count_gets_a_message_beside_the_field_and_logs_nothing(
    user_client, user, count, message
):
    response = user_client.post(
        reverse("intake_add", args=[DAY]),
        {"supplement": shipped("Magnesium glycinate").pk, "count": count},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SupplementIntake.objects.exists()


def test_another_users_own_supplement_cannot_be_logged(user_client, other_user):
    theirs = Supplement.objects.create(owner=other_user, name="Bob's mix", unit="scoop")
    response = user_client.post(
        reverse("intake_add", args=[DAY]), {"supplement": theirs.pk, "count": "1"}
    )
    assert "Choose one of the supplements in the list." in response.content.decode()
    assert not SupplementIntake.objects.exists()


def test_a_product_from_its_label_by_compound_gets_its_elemental_amount(user_client, user):
    response = user_client.post(
        reverse("supplements"),
        {
            "name": "Mag-Ox 400",
            "unit": "tablet",
            "ingredient": "compound:magnesium_oxide",
            "amount": "400",
        },
    )
    assert response.status_code == 302
    product = Supplement.objects.get(owner=user)
    (amount,) = product.amounts.all()
    assert (amount.nutrient_id, amount.amount) == (MAGNESIUM, Decimal("240.0"))
    page = user_client.get(reverse("supplements")).content.decode()
    assert "240 mg magnesium per tablet" in page


@pytest.mark.parametrize(
    "amount, message",
    [
        ("10000", "At most 2,000 per unit"),
        ("0", "Enter an amount more than 0."),
        ("", "Enter the amount in one unit, from the label."),
    ],
)
def test_a_bad_label_amount_gets_a_message_and_saves_nothing(user_client, user, amount, message):
    response = user_client.post(
        reverse("supplements"),
        {"name": "Big", "unit": "tablet", "ingredient": f"nutrient:{MAGNESIUM}", "amount": amount},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Supplement.objects.filter(owner=user).exists()


def test_another_users_intake_is_404_and_stays(user_client, other_user):
    intake = take(other_user, shipped("Magnesium citrate"), 1)
    response = user_client.post(reverse("intake_delete", args=[intake.pk]))
    assert response.status_code == 404
    assert SupplementIntake.objects.filter(pk=intake.pk).exists()


def test_deleting_an_intake_takes_it_out_of_the_totals(user_client, user):
    intake = take(user, shipped("Magnesium citrate"), 1)
    user_client.post(reverse("intake_delete", args=[intake.pk]))
    assert day_report(Profile.of(user), DAY).supplement_totals == {}


def test_the_database_refuses_zero_units(user):
    product = shipped("Magnesium citrate")
    with pytest.raises(IntegrityError):
        take(user, product, 0)


def test_a_logged_product_is_protected(user):
    from django.db.models import RestrictedError

    product = shipped("Magnesium citrate")
    take(user, product, 1)
    with pytest.raises(RestrictedError):
        product.delete()


def test_the_7_day_average_counts_supplements_too(user_client, user, foods):
    log_food(user, foods["almonds"], Decimal(100))  # 270 mg magnesium
    take(user, shipped("Magnesium citrate"), 1)  # 100 mg

    page = user_client.get(reverse("tracker:report", args=[DAY])).content.decode()

    assert "7-day average 370 mg, 88% of target" in page


def test_the_report_offers_cramp_now_and_the_insights(user_client, user):
    page = user_client.get(reverse("tracker:report", args=[DAY])).content.decode()
    assert "Cramp now" in page
    assert reverse("insights") in page


def test_the_api_day_says_what_supplements_gave(user, foods, client):
    from tracker.models import ApiToken

    log_food(user, foods["almonds"], Decimal(100))
    take(user, shipped("Magnesium citrate"), 2)
    _, token = ApiToken.create_for(user, "t")
    body = client.get(f"/api/days/{DAY}/", headers={"Authorization": f"Bearer {token}"}).json()
    magnesium = next(m for m in body["minerals"] if m["nutrient_id"] == MAGNESIUM)
    assert (magnesium["amount"], magnesium["from_supplements"]) == (470.0, 200.0)


def test_an_empty_post_of_the_label_form_says_what_is_missing(user_client, user):
    # Odd input found it: an empty POST once showed the blank form, as if it were a GET.
    response = user_client.post(reverse("supplements"), {})
    assert "This field is required." in response.content.decode()
    assert not Supplement.objects.filter(owner=user).exists()


def test_adding_the_shipped_supplements_again_changes_nothing(db):
    # By name too: the model's order (by nutrient) leaves ties in the database's own order,
    # which PostgreSQL may change when add_shipped rewrites rows.
    rows = SupplementAmount.objects.order_by("supplement__name", "nutrient_id")
    before = list(rows.values_list("supplement__name", "nutrient_id", "amount"))
    Supplement.add_shipped()
    after = list(rows.values_list("supplement__name", "nutrient_id", "amount"))
    assert after == before and len(before) == 10


def test_the_supporting_nutrients_add_supplements_to_food(user_client, user, foods):
    from nutrients.models import Food, FoodNutrient, Nutrient

    Nutrient.objects.create(id=1093, name="Sodium, Na", unit="mg")
    Nutrient.objects.create(id=1114, name="Vitamin D (D2 + D3)", unit="µg")
    salmon = Food.objects.create(description="Salmon, baked", source="seed")
    FoodNutrient.objects.create(food=salmon, nutrient_id=1093, amount=61)
    FoodNutrient.objects.create(food=salmon, nutrient_id=1114, amount=11)
    log_food(user, salmon, Decimal(150))  # 91.5 mg sodium, 16.5 µg vitamin D
    take(user, shipped("Electrolyte drink mix"), "1.5")  # 750 mg sodium (and K, Mg)
    take(user, shipped("Vitamin D3 (1,000 IU)"), 2)  # 50 µg vitamin D

    lines = {line.reference.name: line for line in day_report(Profile.of(user), DAY).supporting()}

    sodium, vitamin_d = lines["Sodium"], lines["Vitamin D"]
    assert (sodium.amount, sodium.from_food, sodium.from_supplements) == (
        Decimal("841.5"), Decimal("91.5"), Decimal(750)
    )  # fmt: skip
    assert (vitamin_d.amount, vitamin_d.from_food, vitamin_d.from_supplements) == (
        Decimal("66.5"), Decimal("16.5"), Decimal(50)
    )  # fmt: skip
    assert lines["Vitamin B6"].from_supplements is None  # no supplement carries it
    page = user_client.get(reverse("tracker:report", args=[DAY])).content.decode()
    assert "842 mg (56%)" in page  # of 1,500 mg
    assert "from food 92 mg, from supplements 750 mg" in page
    assert "from food 17 µg, from supplements 50 µg" in page


def test_a_supporting_nutrient_from_supplements_alone_is_not_no_data(user_client, user, foods):
    log_food(user, foods["banana"], Decimal(100))  # no vitamin D value: no data from food
    take(user, shipped("Vitamin D3 (1,000 IU)"), 1)

    (vitamin_d,) = (
        line
        for line in day_report(Profile.of(user), DAY).supporting()
        if line.reference.name == "Vitamin D"
    )

    assert (vitamin_d.amount, vitamin_d.from_food, vitamin_d.from_supplements) == (25, None, 25)
    page = user_client.get(reverse("tracker:report", args=[DAY])).content.decode()
    assert "from food no data, from supplements 25 µg" in page


def test_the_api_day_says_what_supplements_gave_to_a_supporting_nutrient(user, client):
    from tracker.models import ApiToken

    take(user, shipped("Electrolyte drink mix"), 2)  # 1,000 mg sodium
    _, token = ApiToken.create_for(user, "t")
    body = client.get(f"/api/days/{DAY}/", headers={"Authorization": f"Bearer {token}"}).json()
    sodium = next(s for s in body["supporting"] if s["name"] == "Sodium")
    assert (sodium["amount"], sodium["from_supplements"]) == (1000.0, 1000.0)


# --- Changing a count in place, on the day page (htmx) -----------------------------------

HTMX = {"HX-Request": "true"}


def test_the_day_pages_edit_link_is_a_link_that_opens_the_count_in_its_row(user_client, user):
    intake = take(user, shipped("Magnesium glycinate"), 2)
    page = user_client.get(reverse("tracker:day", args=[DAY])).content.decode()
    edit_url = reverse("intake_edit", args=[intake.pk])
    assert f'href="{edit_url}" hx-get="{edit_url}" hx-target="#intake-{intake.pk}"' in page


def test_edit_with_htmx_answers_with_the_count_in_its_row_focused(user_client, user):
    intake = take(user, shipped("Magnesium glycinate"), "1.5")

    response = user_client.get(reverse("intake_edit", args=[intake.pk]), headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="entry row-edit" id="intake-{intake.pk}">')
    assert "Magnesium glycinate (capsule)" in html
    (count,) = re.findall(r"<input [^>]*name=\"count\"[^>]*>", html)
    assert 'value="1.5"' in count and "autofocus" in count
    assert f'hx-get="{reverse("intake", args=[intake.pk])}"' in html  # Cancel: the row again


def test_a_new_count_in_place_moves_the_days_totals_and_focuses_the_rows_edit_link(
    user_client, user, foods
):
    log_food(user, foods["almonds"], Decimal(100))  # 270 mg magnesium
    intake = take(user, shipped("Magnesium glycinate"), 2)  # 200 mg

    response = user_client.post(
        reverse("intake_edit", args=[intake.pk]), {"count": "3"}, headers=HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    # The day's supplements and totals, out of band; the meals are not drawn again.
    assert oob_parts(html) == {"day-messages", "day-supplements", "day-totals"}
    assert "Changed Magnesium glycinate to 3 capsules." in html
    assert '<span class="entry-amount">3 capsules</span>' in html
    assert 'data-testid="total-magnesium">570 mg<' in html  # 270 + 3 × 100
    (edit_link,) = (line for line in html.splitlines() if f"#intake-{intake.pk}" in line)
    assert "autofocus" in edit_link
    assert html.count("autofocus") == 1  # not the food search as well
    intake.refresh_from_db()
    assert intake.count == 3
    report = user_client.get(reverse("tracker:report", args=[DAY])).content.decode()
    assert "From food 270 mg, from supplements 300 mg." in report


@pytest.mark.parametrize(
    "count, message",
    [
        ("0", "Enter how many you took: more than 0."),
        ("-2", "Enter how many you took: more than 0."),
        ("10000", "At most 20 at a time"),
        ("abc", "Enter a number, for example 1 or 2."),
        ("", "Enter how many you took, for example 1 or 2."),
    ],
)
def test_a_bad_count_in_place_shows_its_message_in_the_row_and_changes_nothing(
    user_client, user, count, message
):
    intake = take(user, shipped("Magnesium glycinate"), 2)

    response = user_client.post(
        reverse("intake_edit", args=[intake.pk]), {"count": count}, headers=HTMX
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#intake-{intake.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    error_list = html.split(f'id="intake{intake.pk}_count_error"')[1].split("</ul>")[0]
    assert message in error_list
    intake.refresh_from_db()
    assert intake.count == 2


def test_without_javascript_the_count_is_changed_on_a_page_of_its_own(user_client, user):
    intake = take(user, shipped("Magnesium citrate"), 1)
    edit_url = reverse("intake_edit", args=[intake.pk])

    page = user_client.get(edit_url).content.decode()
    assert "<h1>Change a supplement taken</h1>" in page

    bad = user_client.post(edit_url, {"count": "0"})
    assert bad.status_code == 200
    assert "Enter how many you took: more than 0." in bad.content.decode()

    response = user_client.post(edit_url, {"count": "2"}, follow=True)
    assert response.redirect_chain == [(reverse("tracker:day", args=[DAY]), 302)]
    assert "Changed Magnesium citrate to 2 tablets." in response.content.decode()


def test_cancel_brings_the_intakes_row_back_with_the_focus_on_its_edit_link(user_client, user):
    intake = take(user, shipped("Magnesium citrate"), 1)

    response = user_client.get(reverse("intake", args=[intake.pk]), headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="entry" id="intake-{intake.pk}">')
    assert 'hx-sync="this:drop" autofocus>Edit' in html
    plain = user_client.get(reverse("intake", args=[intake.pk]))
    assert plain["Location"] == f"{reverse('tracker:day', args=[DAY])}#intake-{intake.pk}"


def test_delete_in_place_answers_with_the_days_body_focused_on_the_next_intake(user_client, user):
    first = take(user, shipped("Magnesium citrate"), 1)
    second = take(user, shipped("Calcium citrate"), 1)

    response = user_client.post(reverse("intake_delete", args=[first.pk]), headers=HTMX)

    html = response.content.decode()
    assert "Removed 1 tablet of Magnesium citrate." in html
    assert f'id="intake-{first.pk}"' not in html
    assert (
        f'hx-target="#intake-{second.pk}" hx-swap="outerHTML settle:0ms" hx-sync="this:drop" autofocus'
        in html
    )

    response = user_client.post(reverse("intake_delete", args=[second.pk]), headers=HTMX)

    assert "<summary autofocus>Log a supplement</summary>" in response.content.decode()
    assert not SupplementIntake.objects.exists()


@pytest.mark.parametrize(
    "name, method",
    [("intake", "get"), ("intake_edit", "get"), ("intake_edit", "post"), ("intake_delete", "post")],
)
def test_another_users_intake_is_404_with_htmx_too(user_client, other_user, name, method):
    intake = take(other_user, shipped("Magnesium citrate"), 1)
    response = getattr(user_client, method)(
        reverse(name, args=[intake.pk]), {"count": "5"}, headers=HTMX
    )
    assert response.status_code == 404
    intake.refresh_from_db()
    assert intake.count == 1


def test_a_new_count_in_place_takes_the_same_queries_however_long_the_history(
    user_client, user, foods, django_assert_max_num_queries
):
    intake = take(user, shipped("Magnesium citrate"), 1)
    for offset in range(1, 40):  # a long diary of food and supplements on other days
        other_day = DAY - timedelta(days=offset)
        log_food(user, foods["almonds"], Decimal(50), day=other_day)
        take(user, shipped("Magnesium citrate"), 1, day=other_day)

    # Session and user, the intake, saving it, then the day's body as every change on
    # the day page answers it (11, its saved meals among them): fifteen, whatever the
    # other days hold; and one where a write request bumps the user's revision, in the
    # request's transaction (a savepoint and its release under the test's:
    # tracker/page_cache.py), and the intake's version read under a lock (a stale form
    # saves nothing).
    with django_assert_max_num_queries(19):
        response = user_client.post(
            reverse("intake_edit", args=[intake.pk]), {"count": "2"}, headers=HTMX
        )
    assert "Changed Magnesium citrate to 2 tablets." in response.content.decode()


@pytest.mark.parametrize("took_supplement", [False, True])
@pytest.mark.parametrize("workout", [False, True])
def test_the_days_supplements_and_workout_are_read_together_and_apart(
    user, took_supplement, workout, django_assert_num_queries
):
    from tracker.day_data import supplements_and_workout
    from tracker.models import DayNote

    citrate = shipped("Magnesium citrate")
    if took_supplement:
        SupplementIntake.objects.create(user=user, day=DAY, supplement=citrate, count=2)
    # Another day's intake and note do not count.
    SupplementIntake.objects.create(user=user, day=DAY + timedelta(1), supplement=citrate, count=5)
    DayNote.objects.create(user=user, day=DAY - timedelta(1), intense_workout=True)
    DayNote.objects.create(user=user, day=DAY, intense_workout=workout)

    with django_assert_num_queries(1):
        totals, intense_workout = supplements_and_workout(user, DAY)

    per_capsule = citrate.amounts.get(nutrient_id=MAGNESIUM).amount
    assert totals == ({MAGNESIUM: 2 * per_capsule} if took_supplement else {})
    assert intense_workout is workout
