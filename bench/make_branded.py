"""Add made-up branded foods to the food table, to measure search at FoodData Central size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cramp_bench_search \\
        .venv/bin/python bench/make_branded.py --count 500000

The descriptions are built from a vocabulary ("SUNNY VALLEY Organic almond milk,
unsweetened") so that words repeat the way they do in real branded data: a common word
such as "milk" or "chocolate" matches tens of thousands of foods, a rare one a few
hundred. Every food gets source "fdc", data type "branded_food", a 12-digit GTIN, its
search_text, and a unique fdc_id from 10,000,000 up (above every real FDC id used here).
No nutrient rows: search does not read them. The products are invented; never show them
as real ones.

PostgreSQL is filled with COPY (about 10 s for 500,000 foods), other databases with
bulk_create.
"""

import argparse
import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIRST_FDC_ID = 10_000_000
BATCH_SIZE = 5_000

BRAND_FIRST = (
    "EXAMPLE", "SUNNY", "GREEN", "GOLDEN", "HAPPY", "NORTH", "BLUE", "OLD", "TRUE", "WILD",
    "LITTLE", "BIG", "PRAIRIE", "COASTAL", "MOUNTAIN", "RIVER", "MAPLE", "CEDAR", "HARVEST",
    "MORNING",
)  # fmt: skip
BRAND_SECOND = (
    "VALLEY", "FARMS", "KITCHEN", "PANTRY", "ACRES", "TABLE", "HARBOR", "ORCHARD", "MILL",
    "CREAMERY", "BAKERY", "GARDENS", "MARKET", "FIELDS", "GROVE",
)  # fmt: skip
# (product, branded food category) – the category as FDC branded data writes it.
PRODUCTS = (
    ("almond milk", "Plant Based Milk"), ("oat milk", "Plant Based Milk"),
    ("soy milk", "Plant Based Milk"), ("coconut milk", "Plant Based Milk"),
    ("whole milk", "Milk"), ("reduced fat milk", "Milk"), ("chocolate milk", "Milk"),
    ("greek yogurt", "Yogurt"), ("yogurt", "Yogurt"), ("kefir", "Yogurt"),
    ("cheddar cheese", "Cheese"), ("mozzarella cheese", "Cheese"), ("swiss cheese", "Cheese"),
    ("cottage cheese", "Cheese"), ("cream cheese", "Cheese"), ("parmesan cheese", "Cheese"),
    ("butter", "Butter & Spread"), ("ice cream", "Ice Cream & Frozen Yogurt"),
    ("frozen yogurt", "Ice Cream & Frozen Yogurt"),
    ("peanut butter", "Nut & Seed Butters"), ("almond butter", "Nut & Seed Butters"),
    ("almonds", "Popcorn, Peanuts, Seeds & Related Snacks"),
    ("cashews", "Popcorn, Peanuts, Seeds & Related Snacks"),
    ("walnuts", "Popcorn, Peanuts, Seeds & Related Snacks"),
    ("mixed nuts", "Popcorn, Peanuts, Seeds & Related Snacks"),
    ("trail mix", "Popcorn, Peanuts, Seeds & Related Snacks"),
    ("pumpkin seeds", "Popcorn, Peanuts, Seeds & Related Snacks"),
    ("sunflower seeds", "Popcorn, Peanuts, Seeds & Related Snacks"),
    ("chia seeds", "Popcorn, Peanuts, Seeds & Related Snacks"),
    ("popcorn", "Popcorn, Peanuts, Seeds & Related Snacks"),
    ("potato chips", "Chips, Pretzels & Snacks"), ("tortilla chips", "Chips, Pretzels & Snacks"),
    ("pretzels", "Chips, Pretzels & Snacks"), ("crackers", "Crackers & Biscotti"),
    ("rice cakes", "Chips, Pretzels & Snacks"), ("granola", "Cereal"),
    ("oat cereal", "Cereal"), ("bran flakes", "Cereal"), ("corn flakes", "Cereal"),
    ("rolled oats", "Cereal"), ("instant oatmeal", "Cereal"), ("muesli", "Cereal"),
    ("granola bar", "Cereal Bars"), ("protein bar", "Cereal Bars"), ("energy bar", "Cereal Bars"),
    ("chocolate chip cookies", "Cookies & Biscuits"), ("oatmeal cookies", "Cookies & Biscuits"),
    ("sandwich cookies", "Cookies & Biscuits"), ("brownies", "Cakes, Cupcakes, Snack Cakes"),
    ("muffins", "Cakes, Cupcakes, Snack Cakes"), ("banana bread", "Breads & Buns"),
    ("whole wheat bread", "Breads & Buns"), ("sourdough bread", "Breads & Buns"),
    ("bagels", "Breads & Buns"), ("tortillas", "Breads & Buns"), ("pita bread", "Breads & Buns"),
    ("pasta", "Pasta by Shape & Type"), ("spaghetti", "Pasta by Shape & Type"),
    ("macaroni and cheese", "Pasta Dinners"), ("brown rice", "Rice"), ("white rice", "Rice"),
    ("quinoa", "Rice"), ("black beans", "Canned & Bottled Beans"),
    ("kidney beans", "Canned & Bottled Beans"), ("chickpeas", "Canned & Bottled Beans"),
    ("lentil soup", "Canned Soup"), ("chicken noodle soup", "Canned Soup"),
    ("tomato soup", "Canned Soup"), ("vegetable soup", "Canned Soup"),
    ("tomato sauce", "Tomatoes"), ("diced tomatoes", "Tomatoes"), ("salsa", "Dips & Salsa"),
    ("hummus", "Dips & Salsa"), ("guacamole", "Dips & Salsa"),
    ("spinach", "Frozen Vegetables"), ("kale", "Frozen Vegetables"),
    ("broccoli florets", "Frozen Vegetables"), ("sweet potato fries", "Frozen Vegetables"),
    ("mixed vegetables", "Frozen Vegetables"), ("green beans", "Canned Vegetables"),
    ("sweet corn", "Canned Vegetables"), ("edamame", "Frozen Vegetables"),
    ("butternut squash", "Frozen Vegetables"), ("mushrooms", "Canned Vegetables"),
    ("blueberries", "Frozen Fruit & Fruit Juice Concentrates"),
    ("strawberries", "Frozen Fruit & Fruit Juice Concentrates"),
    ("mango chunks", "Frozen Fruit & Fruit Juice Concentrates"),
    ("banana chips", "Fruit & Vegetable Snacks"), ("dried apricots", "Fruit & Vegetable Snacks"),
    ("raisins", "Fruit & Vegetable Snacks"), ("dates", "Fruit & Vegetable Snacks"),
    ("applesauce", "Canned Fruit"), ("peaches in juice", "Canned Fruit"),
    ("orange juice", "Fruit & Vegetable Juice, Nectars & Fruit Drinks"),
    ("apple juice", "Fruit & Vegetable Juice, Nectars & Fruit Drinks"),
    ("coconut water", "Water"), ("sparkling water", "Water"), ("spring water", "Water"),
    ("sports drink", "Soda"), ("iced tea", "Tea Bags"), ("cold brew coffee", "Coffee"),
    ("salmon fillets", "Fish & Seafood"), ("smoked salmon", "Fish & Seafood"),
    ("tuna in water", "Canned Seafood"), ("sardines in olive oil", "Canned Seafood"),
    ("mackerel fillets", "Canned Seafood"), ("shrimp", "Fish & Seafood"),
    ("chicken breast", "Poultry, Chicken & Turkey"), ("chicken nuggets", "Frozen Appetizers"),
    ("turkey breast", "Pepperoni, Salami & Cold Cuts"), ("ham", "Pepperoni, Salami & Cold Cuts"),
    ("beef jerky", "Jerky & Meat Snacks"), ("ground beef", "Meat/Poultry/Other Animals"),
    ("pork sausage", "Sausages, Hotdogs & Brats"), ("hot dogs", "Sausages, Hotdogs & Brats"),
    ("bacon", "Bacon, Sausages & Ribs"), ("eggs", "Eggs & Egg Substitutes"),
    ("tofu", "Other Meats"), ("tempeh", "Other Meats"), ("veggie burger", "Other Meats"),
    ("pizza", "Pizza"), ("burrito", "Frozen Dinners & Entrees"),
    ("lasagna", "Frozen Dinners & Entrees"), ("fried rice", "Frozen Dinners & Entrees"),
    ("dark chocolate", "Chocolate"), ("milk chocolate", "Chocolate"),
    ("chocolate candy", "Candy"), ("gummy bears", "Candy"), ("honey", "Honey"),
    ("maple syrup", "Syrups & Molasses"), ("strawberry jam", "Jam, Jelly & Fruit Spreads"),
    ("olive oil", "Vegetable & Cooking Oils"), ("canola oil", "Vegetable & Cooking Oils"),
    ("ketchup", "Ketchup, Mustard, BBQ & Cheese Sauce"),
    ("mustard", "Ketchup, Mustard, BBQ & Cheese Sauce"),
    ("barbecue sauce", "Ketchup, Mustard, BBQ & Cheese Sauce"),
    ("mayonnaise", "Salad Dressing & Mayonnaise"), ("ranch dressing", "Salad Dressing & Mayonnaise"),
    ("pancake mix", "Baking Additives & Extracts"), ("all purpose flour", "Flours & Corn Meal"),
    ("baby food", "Baby/Infant Foods/Beverages"), ("protein powder", "Powdered Drinks"),
)  # fmt: skip
QUALIFIERS = (
    "Organic", "Natural", "Classic", "Original", "Premium", "Homestyle", "Gluten free",
    "Low fat", "Reduced sodium", "Light", "Whole grain", "Family size", "Fresh", "Simply",
    "Kids", "Non-GMO", "High protein", "No sugar added", "Lightly salted", "Extra crunchy",
)  # fmt: skip
FLAVOURS = (
    "vanilla", "chocolate", "strawberry", "honey", "sea salt", "cinnamon", "blueberry",
    "peanut", "caramel", "lemon", "garlic", "spicy", "barbecue", "coconut", "maple",
    "cheddar", "banana", "almond", "apple", "mango",
)  # fmt: skip
VARIANTS = (
    "unsweetened", "sweetened", "plain", "family pack", "snack size", "mini", "bites",
    "cups", "multipack", "value pack", "frozen", "ready to eat", "with sea salt",
    "in water", "sliced", "shredded", "whole", "crunchy", "creamy", "original",
)  # fmt: skip


def branded_foods(count: int, seed: int = 20240101) -> Iterator[tuple[str, str, str, str]]:
    """(description, brand owner, category, gtin) for `count` made-up products."""
    rng = random.Random(seed)
    for number in range(count):
        brand = f"{rng.choice(BRAND_FIRST)} {rng.choice(BRAND_SECOND)}"
        product, category = rng.choice(PRODUCTS)
        words = [brand]
        if rng.random() < 0.6:
            words.append(rng.choice(QUALIFIERS))
        if rng.random() < 0.4:
            words.append(rng.choice(FLAVOURS))
        words.append(product)
        description = " ".join(words)
        if rng.random() < 0.5:
            description += ", " + rng.choice(VARIANTS)
        # Real branded descriptions are mostly upper case.
        if rng.random() < 0.7:
            description = description.upper()
        gtin = f"{number:012d}"
        yield description, brand.title() + " Foods Inc.", category, gtin


def add_branded_foods(count: int, first_fdc_id: int = FIRST_FDC_ID) -> None:
    """Insert `count` branded foods with fdc_id first_fdc_id, first_fdc_id + 1, …"""
    from django.db import connection, transaction

    from nutrients.models import Food, search_text

    rows = (
        (first_fdc_id + number, description, brand, category, gtin, search_text(description))
        for number, (description, brand, category, gtin) in enumerate(branded_foods(count))
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                copy_sql = (
                    "COPY nutrients_food (fdc_id, description, brand_owner, category, gtin,"
                    " search_text, source, data_type) FROM STDIN"
                )
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in rows:
                        copy.write_row((*row, Food.Source.FDC, "branded_food"))
        else:
            batch: list[Food] = []
            for fdc_id, description, brand, category, gtin, text in rows:
                batch.append(
                    Food(
                        fdc_id=fdc_id,
                        description=description,
                        brand_owner=brand,
                        category=category,
                        gtin=gtin,
                        search_text=text,
                        source=Food.Source.FDC,
                        data_type="branded_food",
                    )
                )
                if len(batch) >= BATCH_SIZE:
                    Food.objects.bulk_create(batch)
                    batch = []
            Food.objects.bulk_create(batch)
    settle(connection)


def settle(connection) -> None:
    """Bring the table to the state autovacuum would soon leave it in.

    Rows added in bulk wait in the GIN index's pending list (up to 4 MB), which every
    search then reads from end to end; and the planner needs fresh statistics to pick
    the trigram index.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE nutrients_food")
        else:
            cursor.execute("ANALYZE nutrients_food")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500_000, help="how many foods to add")
    parser.add_argument("--first-fdc-id", type=int, default=FIRST_FDC_ID)
    args = parser.parse_args()

    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    started = time.perf_counter()
    add_branded_foods(args.count, args.first_fdc_id)
    print(f"added {args.count:,} branded foods in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
