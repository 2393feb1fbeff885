"""What people type, against the whole shipped food table: the food they meant in the top 3.

The shipped table (7,697 foods) is loaded once for this module (conftest.shipped_table).
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from nutrients.models import Food, Nutrient, Portion

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# query → the FDC id of the food a person typing it means.
MEANT = {
    # Everyday forms first
    "coffee": 171890,  # Beverages, coffee, brewed, prepared with tap water
    "egg": 171287,  # Egg, whole, raw, fresh
    "eggs": 171287,
    "tea": 173227,  # Beverages, tea, black, brewed, prepared with tap water
    "beer": 168746,  # Alcoholic beverage, beer, regular, all
    "oatmeal": 173905,  # Cereals, oats, regular and quick, unenriched, cooked with water
    "beans": 173740,  # Beans, kidney, all types, mature seeds, cooked, boiled
    "milk": 171265,  # Milk, whole, 3.25% milkfat, with added vitamin D
    "rice": 168878,  # Rice, white, long-grain, regular, enriched, cooked
    "cheese": 173414,  # Cheese, cheddar
    "chicken": 171477,  # Chicken, broilers or fryers, breast, meat only, cooked, roasted
    "apple": 171688,  # Apples, raw, with skin
    "orange juice": 169098,  # Orange juice, raw
    "orange": 169097,  # Oranges, raw, all commercial varieties
    "banana": 173944,  # Bananas, raw
    "bread": 174924,  # Bread, white, commercially prepared
    "potato": 170093,  # Potatoes, baked, flesh and skin, without salt
    "pasta": 169737,  # Pasta, cooked, enriched, without added salt
    "water": 173647,  # Beverages, water, tap, drinking
    "wine": 173190,  # Alcoholic beverage, wine, table, red
    "butter": 173410,  # Butter, salted
    "salmon": 175168,  # Fish, salmon, Atlantic, farmed, cooked, dry heat
    "tuna": 173709,  # Fish, tuna, light, canned in water, drained solids
    "almonds": 170567,  # Nuts, almonds
    "spinach": 168462,  # Spinach, raw
    "avocado": 171705,  # Avocados, raw, all commercial varieties
    "lentils": 172421,  # Lentils, mature seeds, cooked, boiled, without salt
    "greek yogurt": 170894,  # Yogurt, Greek, plain, nonfat
    "peanut butter": 174294,  # Peanut Butter, smooth
    "sweet potato": 168483,  # Sweet potato, cooked, baked in skin, flesh, without salt
    "brown rice": 169704,  # Rice, brown, long-grain, cooked
    "chicken breast": 171477,
    "whole milk": 171265,
    # Typos of one or two letters
    "bananna": 173944,
    "brocoli": 170379,  # Broccoli, raw
    "spinnach": 168462,
    "avacado": 171705,
    "strawberies": 167762,  # Strawberries, raw
    "bluberries": 171711,  # Blueberries, raw
    "tomatos": 170457,  # Tomatoes, red, ripe, raw, year round average
    "chiken": 171477,
    "yougurt": 170886,  # Yogurt, plain, low fat
    # Other spellings and common names
    "yoghurt": 170886,
    "courgette": 169291,  # Squash, summer, zucchini, includes skin, raw
    "aubergine": 169228,  # Eggplant, raw
    "porridge": 173905,
    "mince": 174034,  # Beef, ground, 85% lean meat / 15% fat, crumbles, cooked
    "prawns": 175180,  # Crustaceans, shrimp, cooked
    "coriander": 169997,  # Coriander (cilantro) leaves, raw
    "cilantro": 169997,
    "rocket": 169387,  # Arugula, raw
    "beetroot": 169145,  # Beets, raw
    "chickpeas": 173757,  # Chickpeas (garbanzo beans, bengal gram), mature seeds, cooked
    "garbanzo": 173757,
    "sweetcorn": 169998,  # Corn, sweet, yellow, raw
    "ketchup": 168556,  # Catsup
    "semi skimmed milk": 171267,  # Milk, reduced fat, fluid, 2% milkfat
}


def top_fdc_ids(query: str, count: int = 3) -> list[int]:
    foods = Food.objects.visible_to(AnonymousUser()).search(query)
    return [food.fdc_id for food in foods[:count]]


def test_the_table_holds_the_whole_sr_legacy(shipped_table):
    assert Food.objects.count() == 7_697
    assert Portion.objects.count() == 14_153
    assert Nutrient.objects.count() == 46
    assert Food.objects.filter(source=Food.Source.SEED).count() == 39


def test_at_least_forty_queries_are_checked():
    assert len(MEANT) >= 40


@pytest.mark.parametrize(("query", "fdc_id"), MEANT.items(), ids=list(MEANT))
def test_the_food_a_person_meant_is_in_the_top_three(shipped_table, query, fdc_id):
    meant = Food.objects.get(fdc_id=fdc_id).description

    found = top_fdc_ids(query)

    assert fdc_id in found, f"{query!r}: {meant!r} not among {found}"


@pytest.mark.parametrize(
    ("query", "not_first"),
    [
        ("coffee", "SILK Coffee"),
        ("egg", "Egg, yolk"),
        ("tea", "Tea, herbal"),
        ("beer", "Beerwurst"),
        ("oatmeal", "Bread, oatmeal"),
        ("beans", "Lima beans"),
    ],
)
def test_the_old_wrong_first_answers_are_gone(shipped_table, query, not_first):
    first = Food.objects.visible_to(AnonymousUser()).search(query).first()

    assert not first.description.startswith(not_first)


def test_more_than_twenty_foods_are_there_for_a_common_word(shipped_table):
    assert Food.objects.search("cheese").count() > 100


def test_search_stays_at_four_queries_on_the_whole_table(
    shipped_table, django_assert_max_num_queries
):
    for query in ("bananna", "courgette", "coffee", "semi skimmed milk", "012345678905"):
        with django_assert_max_num_queries(4):
            top_fdc_ids(query)
