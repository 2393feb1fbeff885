"""The everyday foods list (nutrients/data/everyday_foods.csv) read into EverydayFood.

Columns: fdc_id; terms (what people type for it, for search, separated by ";"); serving
(one of the food's USDA portions, or a share of one); description (for people reading
the file); kind; serving_grams; suggest (yes/no); contains (what a diet may leave out:
meat, fish, dairy, egg, nuts, honey; separated by ";"). The order of the rows is the rank:
search puts the first first.
"""

import csv
from decimal import Decimal
from pathlib import Path

from django.db.models import Max

from nutrients.models import EverydayFood, Food, FoodTableVersion, everyday_terms_key

EVERYDAY_FOODS_CSV = Path(__file__).resolve().parent / "data" / "everyday_foods.csv"


def read_everyday_rows(path: Path = EVERYDAY_FOODS_CSV) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def load_everyday_foods(
    path: Path = EVERYDAY_FOODS_CSV, *, every_food_present: bool = False
) -> int:
    """Add the listed foods that EverydayFood lacks; return how many were added.

    A row whose food is not in the food table yet waits for a later load (`seed_foods`
    has only the seed foods; `load_foods` brings the rest), unless every_food_present:
    then it is an error in the shipped data (ValueError), as when loading the whole table.
    Rows already there keep what staff made of them in the admin. Food.everyday_rank,
    which search reads, follows.
    """
    rows = read_everyday_rows(path)
    pks = dict(
        Food.objects.filter(
            owner=None, fdc_id__in=[int(row["fdc_id"]) for row in rows]
        ).values_list("fdc_id", "pk")
    )
    absent = [row["fdc_id"] for row in rows if int(row["fdc_id"]) not in pks]
    if every_food_present and absent:
        raise ValueError(f"{path.name}: no food with FDC id {', '.join(absent)}")
    present = set(EverydayFood.objects.values_list("food_id", flat=True))
    missing = [
        row for row in rows if int(row["fdc_id"]) in pks and pks[int(row["fdc_id"])] not in present
    ]
    # New rows rank after those there already, in the file's order.
    last_rank = EverydayFood.objects.aggregate(last=Max("rank"))["last"] or 0
    EverydayFood.objects.bulk_create(
        EverydayFood(
            food_id=pks[int(row["fdc_id"])],
            rank=last_rank + rank,
            terms=row["terms"],
            terms_key=everyday_terms_key(row["terms"]),
            serving=row["serving"],
            serving_grams=Decimal(row["serving_grams"]),
            kind=row["kind"],
            suggest=row["suggest"] == "yes",
            contains=row.get("contains", ""),
        )
        for rank, row in enumerate(missing, start=1)
    )
    Food.objects.filter(everyday_rank__isnull=False).update(everyday_rank=None)
    Food.objects.bulk_update(
        [
            Food(pk=food_id, everyday_rank=rank)
            for food_id, rank in EverydayFood.objects.values_list("food_id", "rank")
        ],
        ["everyday_rank"],
        batch_size=500,
    )
    if missing:
        FoodTableVersion.bump()  # what suggestions and search read has changed
    return len(missing)
