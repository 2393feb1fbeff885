"""Rebuild sr_legacy_2019.zip, the food table the project ships, from the shared folder.

Run from the project root when the shared SR Legacy folder changes:

    .venv/bin/python nutrients/data/make_sr_legacy.py

It reads ../shared/data/fdc-sr-legacy (relative to the project root) and writes one zip
of its CSV files in the FoodData Central layout, with the columns the importer reads and
nothing else (the statistics columns of food_nutrient.csv, empty in SR Legacy, would
double the file). Rows and values are copied unchanged. The zip's member dates are
fixed, so the same input gives the same bytes and the same checksum: `manage.py
load_foods` loads a zip whose checksum it has not loaded before.

Source: U.S. Department of Agriculture, Agricultural Research Service. FoodData Central:
SR Legacy, 2019. Public domain (CC0 1.0).
"""

import csv
import io
import zipfile
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = DATA_DIR.parent.parent
SR_LEGACY = PROJECT_ROOT.parent / "shared" / "data" / "fdc-sr-legacy"
TARGET = DATA_DIR / "sr_legacy_2019.zip"
# 1980-01-01, the earliest date a zip can hold: the bytes depend on the rows only.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)

# File → the columns kept, as the importer (nutrients/fdc.py) reads them.
COLUMNS = {
    "food.csv": ["fdc_id", "data_type", "description", "food_category_id", "publication_date"],
    "nutrient.csv": ["id", "name", "unit_name", "nutrient_nbr", "rank"],
    "food_nutrient.csv": ["id", "fdc_id", "nutrient_id", "amount"],
    "food_portion.csv": [
        "id",
        "fdc_id",
        "seq_num",
        "amount",
        "measure_unit_id",
        "portion_description",
        "modifier",
        "gram_weight",
    ],
    "food_category.csv": ["id", "code", "description"],
    "measure_unit.csv": ["id", "name"],
}


def csv_text(name: str, columns: list[str]) -> tuple[str, int]:
    """The file's kept columns as CSV text, quoted as FoodData Central writes; and its rows."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(columns)
    rows = 0
    with open(SR_LEGACY / name, newline="", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            writer.writerow([row[column] for column in columns])
            rows += 1
    return out.getvalue(), rows


def main() -> None:
    counts = {}
    with zipfile.ZipFile(TARGET, "w") as archive:
        for name, columns in COLUMNS.items():
            text, counts[name] = csv_text(name, columns)
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"), compresslevel=9)
    print(
        f"Wrote {TARGET} ({TARGET.stat().st_size / 1e6:.1f} MB): {counts['food.csv']:,} foods, "
        f"{counts['nutrient.csv']:,} nutrients, {counts['food_nutrient.csv']:,} nutrient "
        f"amounts, {counts['food_portion.csv']:,} portions"
    )


if __name__ == "__main__":
    main()
