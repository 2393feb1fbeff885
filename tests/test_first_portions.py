"""The portion a picked food offers first, against the whole shipped food table: the one a
person eats (a slice, a medium fruit, a can, a fillet, a container, an egg, a tablespoon
of a spread, a small box of raisins), never "1 cup, crumbs" of bread."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from nutrients.models import Food

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# FDC id → (count, portion) the entry form starts at ("g": grams). The everyday list's
# foods first, then foods off the list, by the rule over their USDA household measures.
FIRST_PORTIONS = {
    171287: ("1", "1 large"),  # Egg, whole, raw, fresh
    173424: ("1", "1 large"),  # Egg, whole, cooked, hard-boiled
    172187: ("1", "1 large"),  # Egg, whole, cooked, scrambled
    171890: ("1", "1 cup (8 fl oz)"),  # Beverages, coffee, brewed, prepared with tap water
    173227: ("1", "1 cup (8 fl oz)"),  # Beverages, tea, black, brewed, prepared with tap water
    168746: ("1", "1 can"),  # Alcoholic beverage, beer, regular, all
    173190: ("1", "1 serving (5 fl oz)"),  # Alcoholic beverage, wine, table, red
    174837: ("1", "1 serving (5 fl oz)"),  # Alcoholic beverage, wine, table, white
    173905: ("1", "1 cup"),  # Cereals, oats, regular and quick, unenriched, cooked with wa
    173904: ("0.5", "1 cup"),  # Cereals, oats, regular and quick, not fortified, dry
    173740: ("1", "1 cup"),  # Beans, kidney, all types, mature seeds, cooked, boiled, with
    175200: ("1", "1 cup"),  # Beans, pinto, mature seeds, cooked, boiled, without salt
    173735: ("1", "1 cup"),  # Beans, black, mature seeds, cooked, boiled, without salt
    171265: ("1", "1 cup"),  # Milk, whole, 3.25% milkfat, with added vitamin D
    171267: ("1", "1 cup"),  # Milk, reduced fat, fluid, 2% milkfat, with added vitamin A a
    171269: ("1", "1 cup"),  # Milk, nonfat, fluid, with added vitamin A and vitamin D (fat
    168878: ("1", "1 cup"),  # Rice, white, long-grain, regular, enriched, cooked
    169704: ("1", "1 cup"),  # Rice, brown, long-grain, cooked (Includes foods for USDA's F
    173414: ("1", "1 oz"),  # Cheese, cheddar (Includes foods for USDA's Food Distribution
    170845: ("1", "1 oz"),  # Cheese, mozzarella, whole milk
    172179: (
        "1",
        "1 cup, large curd (not packed)",
    ),  # Cheese, cottage, creamed, large or small curd
    171251: ("1", "1 oz"),  # Cheese, swiss
    171247: ("1", "1 tbsp"),  # Cheese, parmesan, grated
    173418: ("1", "1 tbsp"),  # Cheese, cream
    173420: ("1", "1 oz"),  # Cheese, feta
    173944: ("1", '1 medium (7" to 7-7/8" long)'),  # Bananas, raw
    171688: (
        "1",
        '1 medium (3" dia)',
    ),  # Apples, raw, with skin (Includes foods for USDA's Food Distr
    169097: ("1", '1 fruit (2-5/8" dia)'),  # Oranges, raw, all commercial varieties
    169098: ("1", "1 cup"),  # Orange juice, raw (Includes foods for USDA's Food Distributi
    173933: ("1", "1 cup"),  # Apple juice, canned or bottled, unsweetened, without added a
    167762: ("1", "1 cup, halves"),  # Strawberries, raw
    171711: ("1", "1 cup"),  # Blueberries, raw
    174683: ("1", "1 cup"),  # Grapes, red or green (European type, such as Thompson seedle
    169118: ("1", "1 medium"),  # Pears, raw
    171705: (
        "1",
        "1 avocado, NS as to Florida or California",
    ),  # Avocados, raw, all commercial varieties
    169910: ("1", "1 cup pieces"),  # Mangos, raw
    169124: ("1", "1 cup, chunks"),  # Pineapple, raw, all varieties
    167765: ("1", "1 cup, balls"),  # Watermelon, raw
    169928: ("1", '1 medium (2-2/3" dia)'),  # Peaches, yellow, raw
    168153: ("1", '1 fruit (2" dia)'),  # Kiwifruit, green, raw
    167746: ("1", '1 fruit (2-1/8" dia)'),  # Lemons, raw, without peel
    171719: ("1", "1 cup, with pits, yields"),  # Cherries, sweet, raw
    169092: ("1", "1 cup, balls"),  # Melons, cantaloupe, raw
    169105: ("1", '1 medium (2-1/2" dia)'),  # Tangerines, (mandarin oranges), raw
    171477: (
        "1",
        "0.5 breast, bone and skin removed",
    ),  # Chicken, broilers or fryers, breast, meat only, cooked, roas
    171054: (
        "1",
        "1 cup, chopped or diced",
    ),  # Chicken, broilers or fryers, meat only, cooked, roasted
    172388: (
        "1",
        "1 thigh without skin",
    ),  # Chicken, broilers or fryers, thigh, meat only, cooked, roast
    174034: ("1", "3 oz"),  # Beef, ground, 85% lean meat / 15% fat, crumbles, cooked, pan
    175168: ("1", "3 oz"),  # Fish, salmon, Atlantic, farmed, cooked, dry heat
    173709: ("1", "1 can"),  # Fish, tuna, light, canned in water, drained solids (Includes
    175180: ("1", "3 oz"),  # Crustaceans, shrimp, cooked
    171956: ("1", "1 fillet"),  # Fish, cod, Atlantic, cooked, dry heat
    168322: ("1", "1 slice"),  # Pork, cured, bacon, pre-sliced, cooked, pan-fried
    173864: ("1", "1 slice"),  # Ham, sliced, regular (approximately 11% fat)
    171496: ("1", "3 oz"),  # Turkey, whole, breast, meat only, cooked, roasted
    174924: ("1", "1 slice"),  # Bread, white, commercially prepared (includes soft bread cru
    172688: ("1", "1 slice"),  # Bread, whole-wheat, commercially prepared
    168013: ("1", "1 slice regular"),  # Bread, multi-grain (includes whole-grain)
    175037: ("1", "1 tortilla"),  # Tortillas, ready-to-bake or -fry, flour, refrigerated
    169737: ("1", "1 cup spaghetti not packed"),  # Pasta, cooked, enriched, without added salt
    168919: ("1", "1 cup"),  # Noodles, egg, cooked, enriched, with added salt
    168917: ("1", "1 cup"),  # Quinoa, cooked
    169700: ("1", "1 cup, cooked"),  # Couscous, cooked
    170093: ("1", "1 potato medium"),  # Potatoes, baked, flesh and skin, without salt
    170440: (
        "1",
        '1 medium (2-1/4" to 3-1/4" dia.)',
    ),  # Potatoes, boiled, cooked without skin, flesh, without salt
    168555: ("1", "1 cup"),  # Potatoes, mashed, home-prepared, whole milk and butter added
    168483: (
        "1",
        '1 medium (2" dia, 5" long, raw)',
    ),  # Sweet potato, cooked, baked in skin, flesh, without salt
    170393: ("1", "1 medium"),  # Carrots, raw
    170457: ("1", '1 medium whole (2-3/5" dia)'),  # Tomatoes, red, ripe, raw, year round average
    168165: (
        "1",
        "1 small box (1.5 oz)",
    ),  # Raisins, dark, seedless (Includes foods for USDA's Food Dist
    174289: ("1", "1 tbsp"),  # Hummus, commercial
    168211: ("1", "1 fruit"),  # Kiwifruit, ZESPRI SunGold, raw
    171706: ("1", "1 fruit, without skin and seed"),  # Avocados, raw, California
    168510: ("1", "0.5 cup, chopped"),  # Broccoli, cooked, boiled, drained, with salt
    174925: ("1", "1 slice, large"),  # Bread, white, commercially prepared, toasted
    172684: ("1", "1 slice, regular"),  # Bread, rye
    172793: ("1", "1 roll (1 oz)"),  # Rolls, dinner, plain, commercially prepared (includes brown-
    174987: ("1", "1 croissant, medium"),  # Croissants, butter
    174990: (
        "1",
        '1 doughnut medium (3-1/4" dia)',
    ),  # Doughnuts, cake-type, plain (includes unsugared, old-fashion
    173423: ("1", "1 large"),  # Egg, whole, cooked, fried
    173862: ("1", "1 frankfurter"),  # Frankfurter, beef, unheated
    172177: ("1", "1 oz"),  # Cheese, brie
    170850: ("1", "1 slice (1 oz)"),  # Cheese, provolone
    171257: ("1", "1 tbsp"),  # Cream, sour, cultured
    169661: ("1", "1 tbsp"),  # Syrups, maple
    172234: ("1", "1 tsp or 1 packet"),  # Mustard, prepared, yellow
    174673: ("1", '0.5 fruit (3-3/4" dia)'),  # Grapefruit, raw, pink and red, all areas
    169949: ("1", '1 fruit (2-1/8" dia)'),  # Plums, raw
    175177: ("1", "1 fillet"),  # Fish, tilapia, cooked, dry heat
    173718: ("1", "1 fillet"),  # Fish, trout, rainbow, farmed, cooked, dry heat
    173708: ("1", "1 can"),  # Fish, tuna, light, canned in oil, drained solids
    167926: ("1", "1 pancake"),  # Pancakes, plain, frozen, ready-to-heat, microwave (includes
    168191: ("1", "1 date, pitted"),  # Dates, medjool
    171689: ("1", '1 medium (3" dia)'),  # Apples, raw, without skin
    169917: (
        "1",
        '1 fruit (2-7/8" dia)',
    ),  # Oranges, raw, navels (Includes foods for USDA's Food Distrib
    172765: ("1", "1 medium"),  # Muffins, blueberry, commercially prepared (Includes mini-muf
    172346: ("1", "1 tbsp"),  # Margarine, regular, 80% fat, composite, stick, with salt
    168558: ("1", '1 large (4" long)'),  # Pickles, cucumber, dill or kosher dill
}


def test_at_least_sixty_everyday_foods_are_checked(shipped_table):
    everyday = Food.objects.filter(fdc_id__in=FIRST_PORTIONS, everyday__isnull=False)
    assert everyday.count() >= 60


@pytest.mark.parametrize(
    ("fdc_id", "first"), FIRST_PORTIONS.items(), ids=[str(i) for i in FIRST_PORTIONS]
)
def test_a_picked_food_offers_the_portion_people_eat_first(
    shipped_table, user_client, fdc_id, first
):
    food = Food.objects.get(fdc_id=fdc_id, owner=None)

    picked = user_client.get(
        reverse("tracker:day", args=[date(2026, 12, 7)]),
        {"food": food.pk},
        headers={"HX-Request": "true", "HX-Target": "entry-form"},
    )

    form = picked.context["entry_form"]
    unit = form.initial["unit"]
    offered = (
        str(Decimal(form.initial["quantity"]).normalize()),
        "g" if unit == "g" else form.portions[unit].description,
    )
    assert offered == first, food.description
