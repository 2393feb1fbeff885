"""Logging in few steps: the portion a food starts with, and the live preview."""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

import pytest
from django.urls import reverse

from nutrients.portions import household_portion
from tracker.models import Entry, Meal

DAY = dt.date(2026, 11, 22)
HTMX = {"HX-Request": "true"}


def day_url(day=DAY):
    return reverse("tracker:day", kwargs={"day": day})


def pick(client, food):
    return client.get(day_url(), {"food": food.pk}, headers={**HTMX, "HX-Target": "entry-form"})


def preview(client, food, quantity, unit):
    return client.get(
        day_url(),
        {"food": food.pk, "quantity": quantity, "unit": unit, "slot": "lunch"},
        headers={**HTMX, "HX-Target": "entry-preview"},
    )


def log(user, food, grams, day=DAY, **fields):
    meal, _ = Meal.objects.get_or_create(user=user, day=day, slot="breakfast")
    fields.setdefault("quantity", grams)
    return Entry.objects.create(meal=meal, food=food, grams=grams, **fields)


def selected_unit(response):
    return response.context["entry_form"].initial["unit"], str(
        response.context["entry_form"].initial["quantity"]
    )


class Option(NamedTuple):
    description: str
    grams: Decimal


def options(*rows):
    return [Option(label, Decimal(grams)) for label, grams in rows]


# --- The household portion (pure) --------------------------------------------------------


def test_a_banana_starts_at_one_medium_not_the_first_listed_cup():
    portions = options(("1 cup, mashed", 225), ("1 cup, sliced", 150), ('1 medium (7" long)', 118))
    assert household_portion(portions, Decimal(89)).description.startswith("1 medium")


def test_nuts_start_at_an_ounce_not_a_cup():
    portions = options(("1 cup, whole", 143), ("1 oz (23 whole kernels)", "28.35"))
    assert household_portion(portions, Decimal(579)).description.startswith("1 oz")


def test_milk_starts_at_a_cup_and_bread_at_a_slice():
    milk = options(("1 quart", 976), ("1 cup", 244), ("1 fl oz", "30.5"))
    bread = options(("1 oz", 28), ("1 slice", 32), ("1 loaf", 454))
    assert household_portion(milk, Decimal(61)).description == "1 cup"
    assert household_portion(bread, Decimal(252)).description == "1 slice"


def test_odd_measures_only_when_there_is_nothing_else():
    only_odd = options(("1 package (10 oz)", 284), ("0.5 fillet", 154), ("3 oz", 85))
    # Then the nearest to a typical serving of about 120 g, never the 284 g package.
    assert household_portion(only_odd, Decimal(208)).description == "0.5 fillet"
    assert household_portion([], None) is None


# --- The portion the form starts with ----------------------------------------------------


def test_a_new_food_starts_at_its_household_portion(user_client, foods):
    response = pick(user_client, foods["banana"])

    medium = foods["banana"].portions.get(description__startswith="1 medium")
    assert selected_unit(response) == (str(medium.pk), "1")
    assert f'<option value="{medium.pk}" selected>' in response.content.decode()


def test_the_portion_this_user_used_last_is_remembered(user_client, user, other_user, foods):
    banana = foods["banana"]
    cup = banana.portions.get(description__startswith="1 cup")
    log(user, banana, Decimal(300), portion=cup, quantity=2, unit=cup.description, day=DAY)
    log(
        user,
        banana,
        Decimal(150),
        portion=cup,
        quantity=1,
        unit=cup.description,
        day=DAY - dt.timedelta(days=3),
    )
    medium = banana.portions.get(description__startswith="1 medium")
    log(other_user, banana, Decimal(118), portion=medium, quantity=1, unit=medium.description)

    assert selected_unit(pick(user_client, banana)) == (str(cup.pk), "2")


def test_grams_logged_last_time_are_remembered_as_grams(user_client, user, foods):
    log(user, foods["almonds"], Decimal(40), unit="g")

    assert selected_unit(pick(user_client, foods["almonds"])) == ("g", "40")


def test_a_food_without_portions_starts_at_100_g(user_client, foods):
    assert selected_unit(pick(user_client, foods["no_magnesium"])) == ("g", "100")


# --- The live preview --------------------------------------------------------------------


def test_the_picked_food_shows_what_its_starting_portion_adds(user_client, foods):
    content = pick(user_client, foods["banana"]).content.decode()

    preview_html = content.split('id="entry-preview"')[1].split("</div>")[0]
    assert "118 g adds:" in preview_html
    assert ">K</abbr> 422 mg" in preview_html  # 358 × 1.18 = 422.44
    assert ">Ca</abbr> 6 mg" in preview_html  # 5.9
    assert ">Mg</abbr> 32 mg" in preview_html  # 31.86
    assert "105 kcal" in preview_html  # 89 × 1.18 = 105.02


def test_the_preview_follows_the_amount_and_portion(user_client, foods):
    cup = foods["banana"].portions.get(description__startswith="1 cup")

    two_cups = preview(user_client, foods["banana"], "2", cup.pk).content.decode()
    grams = preview(user_client, foods["banana"], "50", "g").content.decode()

    assert "<html" not in two_cups
    assert "300 g adds:" in two_cups and ">K</abbr> 1,074 mg" in two_cups
    assert "50 g adds:" in grams and ">K</abbr> 179 mg" in grams


def test_the_preview_says_no_data_where_the_food_has_none(user_client, foods):
    content = preview(user_client, foods["no_magnesium"], "100", "g").content.decode()

    assert ">Mg</abbr> no data" in content
    assert "no data kcal" not in content and "no data" in content


@pytest.mark.parametrize("quantity", ["", "0", "-1", "abc", "99999"])
def test_the_preview_of_an_amount_that_cannot_be_added_asks_for_one(user_client, foods, quantity):
    response = preview(user_client, foods["banana"], quantity, "g")

    assert response.status_code == 200
    assert "Enter an amount to see what it adds." in response.content.decode()


def test_the_preview_of_another_users_food_is_404(user_client, other_user, foods):
    from nutrients.models import Food

    theirs = Food.objects.create(description="Their bar", source="user", owner=other_user)

    assert preview(user_client, theirs, "1", "g").status_code == 404


def test_the_preview_matches_the_entry_once_added(user_client, user, foods):
    cup = foods["almonds"].portions.get()
    shown = preview(user_client, foods["almonds"], "1.5", cup.pk).content.decode()

    user_client.post(
        reverse("tracker:add_entry", kwargs={"day": DAY}),
        {"food": foods["almonds"].pk, "quantity": "1.5", "unit": cup.pk, "slot": "lunch"},
    )
    entry = Entry.objects.get()
    page = user_client.get(day_url()).content.decode()
    entry_html = page.split(f'id="entry-{entry.pk}"')[1].split("</li>")[0]

    for symbol, amount in (("K", "312"), ("Ca", "114"), ("Mg", "115")):  # × 42.53 g
        assert f">{symbol}</abbr> {amount} mg" in shown
        assert f">{symbol}</abbr> {amount} mg" in entry_html


@pytest.mark.parametrize("history", [0, 200])
def test_picking_a_food_and_the_preview_take_a_constant_number_of_queries(
    user_client, user, foods, history, django_assert_num_queries
):
    for index in range(history):
        log(user, foods["banana"], Decimal(100 + index), day=DAY - dt.timedelta(days=index))
    cup = foods["banana"].portions.get(description__startswith="1 cup")
    user_client.get(day_url())  # the page the picking happens on, which sets the CSRF cookie

    # The session with the user, their profile and the site's revision (page_cache.py);
    # the food; its portions; the last entry; its amounts.
    with django_assert_num_queries(5):
        pick(user_client, foods["banana"])
    # The same but the last entry (the form reads its food once: FoodChoiceField).
    with django_assert_num_queries(4):
        preview(user_client, foods["banana"], "2", cup.pk)
