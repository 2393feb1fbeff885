"""manage.py seed_foods: the foods the domain brief names, with real USDA values."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from nutrients.models import Food, FoodNutrient, Nutrient, Portion
from tests.conftest import SR_LEGACY

POTASSIUM, CALCIUM, MAGNESIUM = 1092, 1087, 1090

# Every food of the brief's "Foods the documents name", by the id the brief gives; the
# two it gives none for are the clear matches in SR Legacy.
BRIEF_FOODS = {
    173944: "Bananas, raw",
    169097: "Oranges, raw, all commercial varieties",
    170093: "Potatoes, baked, flesh and skin, without salt",
    168462: "Spinach, raw",
    168463: "Spinach, cooked, boiled, drained, without salt",
    168483: "Sweet potato, cooked, baked in skin, flesh, without salt",
    170457: "Tomatoes, red, ripe, raw, year round average",
    172475: "Tofu, raw, firm, prepared with calcium sulfate",
    168411: "Edamame, frozen, prepared",
    170886: "Yogurt, plain, low fat",
    173709: "Fish, tuna, light, canned in water, drained solids",
    171265: "Milk, whole, 3.25% milkfat, with added vitamin D",
    171267: "Milk, reduced fat, fluid, 2% milkfat, with added vitamin A and vitamin D",
    173414: "Cheese, cheddar",
    168421: "Kale, raw",
    170407: "Collards, cooked, boiled, drained, without salt",
    175215: "Soymilk (all flavors), unsweetened, with added calcium, vitamins A and D",
    175139: "Fish, sardine, Atlantic, canned in oil, drained solids with bone",
    170567: "Nuts, almonds",
    170162: "Nuts, cashew nuts, raw",
    170187: "Nuts, walnuts, english",
    170556: "Seeds, pumpkin and squash seed kernels, dried",
    170562: "Seeds, sunflower seed kernels, dried",
    170554: "Seeds, chia seeds, dried",
    173904: "Cereals, oats, regular and quick, not fortified, dry",
    169704: "Rice, brown, long-grain, cooked",
    172688: "Bread, whole-wheat, commercially prepared",
    169296: "Squash, winter, butternut, cooked, baked, without salt",
    170487: "Squash, summer, all varieties, raw",
    169722: "Wheat bran, crude",
    168872: "Oat bran, raw",
    174253: "Lima beans, large, mature seeds, cooked, boiled, without salt",
    169135: "Lima beans, immature seeds, cooked, boiled, drained, without salt",
    175168: "Fish, salmon, Atlantic, farmed, cooked, dry heat",
    175120: "Fish, mackerel, Atlantic, cooked, dry heat",
    169251: "Mushrooms, white, raw",
    169376: "Mushroom, white, exposed to ultraviolet light, raw",
    170379: "Broccoli, raw",
    173647: "Beverages, water, tap, drinking",
}


def seed() -> str:
    out = io.StringIO()
    call_command("seed_foods", stdout=out)
    return out.getvalue()


def amount(fdc_id: int, nutrient_id: int) -> Decimal:
    return FoodNutrient.objects.get(food__fdc_id=fdc_id, nutrient_id=nutrient_id).amount


def table_counts() -> tuple[int, int, int, int]:
    return (
        Nutrient.objects.count(),
        Food.objects.count(),
        FoodNutrient.objects.count(),
        Portion.objects.count(),
    )


@pytest.mark.django_db
def test_seed_foods_are_every_food_the_brief_names():
    seed()

    assert set(Food.objects.values_list("fdc_id", flat=True)) == set(BRIEF_FOODS)


@pytest.mark.django_db
def test_seed_foods_have_source_seed():
    seed()

    assert set(Food.objects.values_list("source", flat=True)) == {Food.Source.SEED}


@pytest.mark.django_db
@pytest.mark.parametrize(("fdc_id", "description"), BRIEF_FOODS.items())
def test_seed_food_has_its_sr_legacy_description(fdc_id, description):
    seed()

    assert Food.objects.get(fdc_id=fdc_id).description.startswith(description)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fdc_id", "potassium_mg", "calcium_mg", "magnesium_mg"),
    [
        pytest.param(173944, 358, 5, 27, id="bananas"),
        pytest.param(170567, 733, 269, 270, id="almonds"),
        pytest.param(175139, 397, 382, 39, id="sardines"),
        pytest.param(168462, 558, 99, 79, id="spinach raw"),
    ],
)
def test_seed_food_has_the_known_mineral_values(fdc_id, potassium_mg, calcium_mg, magnesium_mg):
    seed()

    assert amount(fdc_id, POTASSIUM) == potassium_mg
    assert amount(fdc_id, CALCIUM) == calcium_mg
    assert amount(fdc_id, MAGNESIUM) == magnesium_mg


@pytest.mark.django_db
def test_seed_foods_have_all_their_nutrients():
    seed()

    assert FoodNutrient.objects.filter(food__fdc_id=173944).count() == 46
    assert Nutrient.objects.get(id=1114).unit == "µg"


@pytest.mark.django_db
def test_every_seed_food_has_household_portions():
    seed()

    assert not Food.objects.filter(portions=None).exists()
    medium_banana = Portion.objects.get(food__fdc_id=173944, description__contains="medium")
    assert medium_banana.grams == Decimal("118")


@pytest.mark.django_db
def test_seed_foods_twice_changes_no_counts():
    seed()
    first = table_counts()

    seed()

    assert table_counts() == first


@pytest.mark.django_db
def test_seed_foods_prints_one_summary_line():
    output = seed()

    assert output.splitlines() == [output.strip()]
    assert output.startswith("Seed foods: 39 foods, ")


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.skipif(
    not SR_LEGACY.is_dir(), reason=f"no SR Legacy folder at {SR_LEGACY} (CI always has it)"
)
def test_seed_food_stays_seed_after_importing_the_whole_folder():
    seed()

    call_command("import_fdc", str(SR_LEGACY), stdout=io.StringIO())

    bananas = Food.objects.get(fdc_id=173944)
    assert bananas.source == Food.Source.SEED
    assert Food.objects.filter(source=Food.Source.SEED).count() == len(BRIEF_FOODS)
    assert Food.objects.count() == 7_697
