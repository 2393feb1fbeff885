"""Energy and macros on the day, beside the minerals: kcal, protein, carbohydrate, fat
and fibre for the day, and kcal per meal, honest about foods without a value."""

import re
from decimal import Decimal

from nutrients.models import FoodNutrient, Nutrient
from tests.test_diary import day_url, log

PROTEIN, CARBOHYDRATE, FAT, FIBRE = 1003, 1005, 1004, 1079


def shown(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</(?:strong|span)>', html, re.S)
    assert match, testid
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_day_shows_energy_and_macros_from_what_was_logged(user_client, user, foods):
    for nutrient_id, name in (
        (PROTEIN, "Protein"),
        (CARBOHYDRATE, "Carbohydrate"),
        (FAT, "Total lipid (fat)"),
        (FIBRE, "Fiber, total dietary"),
    ):
        Nutrient.objects.get_or_create(id=nutrient_id, defaults={"name": name, "unit": "g"})
    banana, almonds = foods["banana"], foods["almonds"]
    for food, amounts in (
        (banana, (1.09, 22.84, 0.33, 2.6)),
        (almonds, (21.15, 21.55, 49.93, 12.5)),
    ):
        for nutrient_id, amount in zip((PROTEIN, CARBOHYDRATE, FAT, FIBRE), amounts, strict=True):
            FoodNutrient.objects.create(
                food=food, nutrient_id=nutrient_id, amount=Decimal(str(amount))
            )
    log(user, banana, Decimal(118))  # breakfast
    log(user, almonds, Decimal("28.35"), slot="snacks")

    html = user_client.get(day_url()).content.decode()

    # 89 × 1.18 + 579 × 0.2835 = 105.02 + 164.15
    assert shown(html, "macro-energy") == "269 kcal"
    assert shown(html, "macro-protein") == "7 g"  # 1.29 + 6.00
    assert shown(html, "macro-carbohydrate") == "33 g"  # 26.95 + 6.11
    assert shown(html, "macro-fat") == "15 g"  # 0.39 + 14.16
    assert shown(html, "macro-fibre") == "7 g"  # 3.07 + 3.54
    assert shown(html, "kcal-breakfast") == "105 kcal"
    assert shown(html, "kcal-snacks") == "164 kcal"
    assert 'data-testid="kcal-lunch"' not in html  # an empty meal says nothing


def test_a_food_without_a_value_makes_the_total_a_floor_not_a_zero(user_client, user, foods):
    log(user, foods["banana"], Decimal(118))
    log(user, foods["no_magnesium"], Decimal(200))  # no energy value in the table

    html = user_client.get(day_url()).content.decode()

    assert shown(html, "macro-energy") == "at least 105 kcal (1 of 2 entries known)"
    assert shown(html, "macro-protein") == "no data"
    assert shown(html, "kcal-breakfast") == "at least 105 kcal (1 of 2 entries known)"


def test_an_empty_day_shows_zero_energy(user_client):
    html = user_client.get(day_url()).content.decode()

    assert shown(html, "macro-energy") == "0 kcal"
