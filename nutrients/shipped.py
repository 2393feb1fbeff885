"""Load the food data the project ships (nutrients/data/) into the database, once per version.

The data: sr_legacy_2019.zip (USDA SR Legacy in the FoodData Central layout, rebuilt by
make_sr_legacy.py), everyday_foods.csv (the curated list of everyday foods, by FDC id,
with the terms people type for them and a typical serving) and synonyms.csv.

A version is the SHA-256 of those three files. FoodDataVersion records each version
loaded, so a second run only computes the checksum and stops. A new version is loaded in
one transaction:

- foods staff corrected in the admin (Food.staff_edited) are left exactly as they are;
- the other foods are upserted by FDC id, and the report counts the foods added, the
  foods whose values changed and those that stayed the same;
- foods of an earlier version that the new one lacks stay (diaries may hold them);
- the everyday list is replaced; synonyms are added, and a synonym staff already have
  keeps its meaning;
- the search vocabulary is rebuilt.
"""

import csv
import hashlib
import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from nutrients.everyday import EVERYDAY_FOODS_CSV, load_everyday_foods
from nutrients.fdc import Download, import_fdc
from nutrients.models import (
    POORLY_ABSORBED_CALCIUM_NAMES,
    Food,
    FoodDataVersion,
    FoodNutrient,
    Portion,
    SearchWord,
    Synonym,
)
from nutrients.search import term_key

DATA_DIR = Path(__file__).resolve().parent / "data"
FOOD_TABLE = DATA_DIR / "sr_legacy_2019.zip"
SYNONYMS = DATA_DIR / "synonyms.csv"
VERSION_NAME = "USDA FoodData Central SR Legacy 2019"
# The foods the product's documents name, marked source="seed" (see nutrients/seed/).
SEED_FOODS = Path(__file__).resolve().parent / "seed" / "food.csv"
# Staff-edited foods named one by one in the report; past this many, only counted.
NAMED_KEPT_FOODS = 10

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ShippedFiles:
    food_table: Path = FOOD_TABLE
    everyday_foods: Path = EVERYDAY_FOODS_CSV
    synonyms: Path = SYNONYMS

    def checksum(self) -> str:
        """SHA-256 of the three files: the version of the data."""
        digest = hashlib.sha256()
        for path in (self.food_table, self.everyday_foods, self.synonyms):
            digest.update(path.read_bytes())
        return digest.hexdigest()


@dataclass
class LoadReport:
    checksum: str
    loaded: bool  # False: this version was loaded before, nothing was done
    foods_in_file: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # staff-edited foods left alone
    everyday: int = 0
    synonyms_added: int = 0
    synonyms_kept: int = 0
    words: int = 0
    seconds: float = 0.0


def load_shipped_foods(
    progress: Progress | None = None, *, files: ShippedFiles = ShippedFiles()
) -> LoadReport:
    """Load the shipped data unless this version is loaded already; say what changed."""
    report = progress or (lambda message: None)
    started = time.perf_counter()
    path = files.food_table
    checksum = files.checksum()
    if FoodDataVersion.objects.filter(checksum=checksum).exists():
        return LoadReport(checksum=checksum, loaded=False)
    first_load = not FoodDataVersion.objects.exists()
    report(f"Loading {VERSION_NAME} ({path.name}, {path.stat().st_size / 1e6:.1f} MB)…")
    with transaction.atomic():
        kept_foods = dict(
            Food.objects.filter(staff_edited=True, fdc_id__isnull=False).values_list(
                "fdc_id", "description"
            )
        )
        in_file = _fdc_ids_in(path)
        before = {} if first_load else _fingerprints(in_file)
        import_fdc(path, keep_fdc_ids=kept_foods, progress=report)
        _mark_seed_foods()
        _mark_poorly_absorbed_calcium()
        after = _fingerprints(in_file - kept_foods.keys())
        everyday = load_everyday_foods(files.everyday_foods, every_food_present=True)
        Food.objects.filter(owner=None).refresh_search_rank()
        synonyms_added, synonyms_kept = _load_synonyms(files.synonyms)
        words = SearchWord.objects.rebuild()
        load = LoadReport(
            checksum=checksum,
            loaded=True,
            foods_in_file=len(in_file),
            added=sum(1 for fdc_id in after if fdc_id not in before),
            changed=sum(
                1 for fdc_id, print_ in after.items() if before.get(fdc_id, print_) != print_
            ),
            unchanged=sum(1 for fdc_id, print_ in after.items() if before.get(fdc_id) == print_),
            kept=sorted(
                f"{description} (FDC {fdc_id})"
                for fdc_id, description in kept_foods.items()
                if fdc_id in in_file
            ),
            everyday=everyday,
            synonyms_added=synonyms_added,
            synonyms_kept=synonyms_kept,
            words=words,
            seconds=time.perf_counter() - started,
        )
        FoodDataVersion.objects.create(name=VERSION_NAME, checksum=checksum, summary=summary(load))
    return load


def summary(load: LoadReport) -> str:
    """What loading a version did, in a few lines for the console and the admin."""
    if not load.loaded:
        return f"{VERSION_NAME} ({load.checksum[:12]}) is loaded already: nothing to do."
    lines = [
        f"{VERSION_NAME} ({load.checksum[:12]}) loaded in {load.seconds:.1f} s: "
        f"{load.foods_in_file:,} foods in the file; {load.added:,} added, "
        f"{load.changed:,} changed, {load.unchanged:,} unchanged.",
        f"{load.everyday:,} everyday foods; {load.synonyms_added:,} synonyms added, "
        f"{load.synonyms_kept:,} kept as they were; {load.words:,} words for typo correction.",
    ]
    if load.kept:
        named = "; ".join(load.kept[:NAMED_KEPT_FOODS])
        more = len(load.kept) - NAMED_KEPT_FOODS
        lines.append(
            f"{len(load.kept):,} foods edited by staff were kept as they are: {named}"
            + (f"; and {more:,} more." if more > 0 else ".")
        )
    return "\n".join(lines)


@lru_cache(maxsize=64)
def shipped_amounts(fdc_id: int, path: Path = FOOD_TABLE) -> dict[int, Decimal] | None:
    """The shipped table's amounts per 100 g of one food, by nutrient id (what a staff
    edit replaced); None when the food is not in it. Reads the zip's amounts file (a
    tenth of a second) and keeps the answer: the shipped file does not change while the
    site runs."""
    with Download(path) as download, download.open_binary("food_nutrient.csv") as file:
        text = file.read()
    # Only the food's lines are parsed: its id is the second column, quoted or not.
    header = text[: text.index(b"\n") + 1]
    found = re.findall(rb"^[^,\n]*,\"?%d\"?,.*\n?" % fdc_id, text, flags=re.MULTILINE)
    rows = csv.DictReader(io.StringIO(b"".join([header, *found]).decode("utf-8-sig")))
    amounts = {
        int(row["nutrient_id"]): Decimal(row["amount"]).quantize(Decimal("0.001"))
        for row in rows
        if row["amount"]
    }
    return amounts or None


def _fdc_ids_in(path: Path) -> set[int]:
    with Download(path) as download, download.rows("food.csv", ["fdc_id"]) as rows:
        return {row.identifier("fdc_id") for row in rows}


def _fingerprints(fdc_ids: set[int]) -> dict[int, int]:
    """FDC id → a hash of the food's description, category, amounts and portions.

    Compared before and after loading, to count the foods a new version changed.
    """
    shared = Food.objects.filter(owner=None, fdc_id__isnull=False)
    pk_to_fdc = dict(shared.values_list("pk", "fdc_id"))
    parts: dict[int, list[tuple]] = {
        fdc_id: [(description, category)]
        for fdc_id, description, category in shared.values_list("fdc_id", "description", "category")
        if fdc_id in fdc_ids
    }
    amounts = FoodNutrient.objects.filter(food__owner=None).order_by("food_id", "nutrient_id")
    for food_id, nutrient_id, amount in amounts.values_list(
        "food_id", "nutrient_id", "amount"
    ).iterator(chunk_size=20_000):
        fdc_id = pk_to_fdc.get(food_id)
        if fdc_id in parts:
            parts[fdc_id].append((nutrient_id, str(amount.normalize())))
    portions = Portion.objects.filter(food__owner=None).order_by("food_id", "seq")
    for food_id, seq, description, grams in portions.values_list(
        "food_id", "seq", "description", "grams"
    ).iterator(chunk_size=20_000):
        fdc_id = pk_to_fdc.get(food_id)
        if fdc_id in parts:
            parts[fdc_id].append((seq, description, str(grams.normalize())))
    return {fdc_id: hash(tuple(rows)) for fdc_id, rows in parts.items()}


def _mark_seed_foods() -> None:
    """The foods the documents name stay seed foods: the dashboard suggests from them."""
    with open(SEED_FOODS, newline="", encoding="utf-8") as file:
        seed_ids = [int(row["fdc_id"]) for row in csv.DictReader(file)]
    Food.objects.filter(fdc_id__in=seed_ids, owner=None).exclude(source=Food.Source.SEED).update(
        source=Food.Source.SEED
    )


def _mark_poorly_absorbed_calcium() -> None:
    """Oxalate-rich greens: their calcium counts but is never suggested (staff edits stay)."""
    starts = Q()
    for name in POORLY_ABSORBED_CALCIUM_NAMES:
        starts |= Q(description__startswith=name)
    Food.objects.filter(starts, owner=None, staff_edited=False).update(calcium_poorly_absorbed=True)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _load_synonyms(path: Path) -> tuple[int, int]:
    """Add the shipped synonyms; one whose term staff already have stays theirs."""
    rows = _csv_rows(path)
    existing = set(Synonym.objects.values_list("term_key", flat=True))
    new = {}
    for row in rows:
        key = term_key(row["term"])
        if key not in existing:
            new[key] = Synonym(term=row["term"], means=row["means"], term_key=key)
    Synonym.objects.bulk_create(new.values())
    return len(new), len(rows) - len(new)
