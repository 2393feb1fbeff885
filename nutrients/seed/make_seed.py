"""Cut the seed foods out of the shared SR Legacy folder, in the same CSV layout.

Run once from the project root when the seed list changes:

    .venv/bin/python nutrients/seed/make_seed.py

It reads ../shared/data/fdc-sr-legacy (relative to the project root) and writes
food.csv, nutrient.csv, food_nutrient.csv, food_portion.csv, food_category.csv and
measure_unit.csv next to this script, holding only the foods below with all their nutrient
amounts and portions. `manage.py seed_foods` imports this folder with the FDC importer.
"""

import csv
from collections.abc import Callable
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = SEED_DIR.parent.parent
SR_LEGACY = PROJECT_ROOT.parent / "shared" / "data" / "fdc-sr-legacy"

# The foods the domain brief names, by FDC id, grouped as the brief groups them.
SEED_FDC_IDS = [
    # Potassium
    173944,  # Bananas, raw
    169097,  # Oranges, raw, all commercial varieties
    170093,  # Potatoes, baked, flesh and skin, without salt
    168462,  # Spinach, raw
    168463,  # Spinach, cooked, boiled, drained, without salt
    168483,  # Sweet potato, cooked, baked in skin, flesh, without salt
    170457,  # Tomatoes, red, ripe, raw, year round average
    172475,  # Tofu, raw, firm, prepared with calcium sulfate
    168411,  # Edamame, frozen, prepared
    170886,  # Yogurt, plain, low fat
    173709,  # Fish, tuna, light, canned in water, drained solids
    # Calcium
    171265,  # Milk, whole, 3.25% milkfat, with added vitamin D
    171267,  # Milk, reduced fat, fluid, 2% milkfat, with added vitamin A and vitamin D
    # The brief gives no id for cheddar. Of the food.csv rows starting "Cheese, cheddar",
    # this is the plain one; the others are sharp sliced, reduced fat and fat free.
    173414,  # Cheese, cheddar
    168421,  # Kale, raw
    170407,  # Collards, cooked, boiled, drained, without salt
    175215,  # Soymilk (all flavors), unsweetened, with added calcium, vitamins A and D
    175139,  # Fish, sardine, Atlantic, canned in oil, drained solids with bone
    # Magnesium
    170567,  # Nuts, almonds
    170162,  # Nuts, cashew nuts, raw
    170187,  # Nuts, walnuts, english
    170556,  # Seeds, pumpkin and squash seed kernels, dried
    170562,  # Seeds, sunflower seed kernels, dried
    170554,  # Seeds, chia seeds, dried
    173904,  # Cereals, oats, regular and quick, not fortified, dry
    # The brief gives no id for brown rice. Long-grain is the usual brown rice, and this is
    # the cooked one ("Rice, brown, long-grain, cooked"); medium-grain and parboiled exist.
    169704,  # Rice, brown, long-grain, cooked
    172688,  # Bread, whole-wheat, commercially prepared
    169296,  # Squash, winter, butternut, cooked, baked, without salt
    170487,  # Squash, summer, all varieties, raw
    169722,  # Wheat bran, crude
    168872,  # Oat bran, raw
    174253,  # Lima beans, large, mature seeds, cooked, boiled, without salt
    169135,  # Lima beans, immature seeds, cooked, boiled, drained, without salt
    # Vitamin D
    175168,  # Fish, salmon, Atlantic, farmed, cooked, dry heat
    175120,  # Fish, mackerel, Atlantic, cooked, dry heat
    169251,  # Mushrooms, white, raw
    169376,  # Mushroom, white, exposed to ultraviolet light, raw
    # Vitamin E
    170379,  # Broccoli, raw
    # Water
    173647,  # Beverages, water, tap, drinking
]


def copy_rows(name: str, keep: Callable[[dict[str, str]], bool]) -> list[dict[str, str]]:
    """Copy the rows of SR_LEGACY/name that keep() accepts; return them."""
    with open(SR_LEGACY / name, newline="", encoding="utf-8") as source:
        reader = csv.DictReader(source)
        kept = [row for row in reader if keep(row)]
        columns = reader.fieldnames or []
    # Quoted and with "\n" line ends, as FoodData Central writes its files.
    with open(SEED_DIR / name, "w", newline="", encoding="utf-8") as target:
        writer = csv.DictWriter(
            target, fieldnames=columns, quoting=csv.QUOTE_ALL, lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(kept)
    return kept


def main() -> None:
    wanted = {str(fdc_id) for fdc_id in SEED_FDC_IDS}
    foods = copy_rows("food.csv", lambda row: row["fdc_id"] in wanted)
    missing = wanted - {row["fdc_id"] for row in foods}
    if missing:
        raise SystemExit(f"not in {SR_LEGACY / 'food.csv'}: {', '.join(sorted(missing))}")
    amounts = copy_rows("food_nutrient.csv", lambda row: row["fdc_id"] in wanted)
    portions = copy_rows("food_portion.csv", lambda row: row["fdc_id"] in wanted)
    nutrient_ids = {row["nutrient_id"] for row in amounts}
    copy_rows("nutrient.csv", lambda row: row["id"] in nutrient_ids)
    category_ids = {row["food_category_id"] for row in foods}
    copy_rows("food_category.csv", lambda row: row["id"] in category_ids)
    unit_ids = {row["measure_unit_id"] for row in portions}
    copy_rows("measure_unit.csv", lambda row: row["id"] in unit_ids)
    print(
        f"Wrote {len(foods)} foods, {len(amounts)} nutrient amounts and {len(portions)} "
        f"portions to {SEED_DIR}"
    )


if __name__ == "__main__":
    main()
