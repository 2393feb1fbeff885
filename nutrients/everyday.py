"""The everyday foods list (nutrients/data/everyday_foods.csv) read into EverydayFood.

Columns: fdc_id, terms (search words, used by search), serving (a USDA portion's
description or a share of one), description, kind, serving_grams, suggest (yes/no).
"""

import csv
from decimal import Decimal
from pathlib import Path

from nutrients.models import EverydayFood

EVERYDAY_FOODS_CSV = Path(__file__).resolve().parent / "data" / "everyday_foods.csv"


def read_everyday_foods(path: Path = EVERYDAY_FOODS_CSV) -> list[EverydayFood]:
    with path.open(newline="", encoding="utf-8") as file:
        return [
            EverydayFood(
                fdc_id=int(row["fdc_id"]),
                description=row["description"],
                kind=row["kind"],
                serving=row["serving"],
                serving_grams=Decimal(row["serving_grams"]),
                suggest=row["suggest"] == "yes",
            )
            for row in csv.DictReader(file)
        ]


def load_everyday_foods(path: Path = EVERYDAY_FOODS_CSV) -> int:
    """Add the rows that are missing; rows already there keep what staff made of them.
    Returns how many were added."""
    rows = read_everyday_foods(path)
    present = set(EverydayFood.objects.values_list("fdc_id", flat=True))
    missing = [row for row in rows if row.fdc_id not in present]
    EverydayFood.objects.bulk_create(missing)
    return len(missing)
