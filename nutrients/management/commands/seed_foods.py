"""manage.py seed_foods: load the foods the product ships with (nutrients/seed/) and the
everyday foods list that suggestions come from (nutrients/data/everyday_foods.csv).

Safe to run on every start: the importer upserts, so a second run changes nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from nutrients.everyday import load_everyday_foods
from nutrients.fdc import FdcError, import_fdc
from nutrients.models import Food

# A cut of the SR Legacy download in the FDC CSV layout; see nutrients/seed/make_seed.py.
SEED_DIR = Path(__file__).resolve().parent.parent.parent / "seed"


class Command(BaseCommand):
    help = "Load the seed foods (real USDA values) shipped in nutrients/seed/. Idempotent."

    def handle(self, *args: object, **options: object) -> None:
        try:
            counts = import_fdc(SEED_DIR, source=Food.Source.SEED)
        except FdcError as error:
            raise CommandError(f"seed foods: {error}") from None
        except DatabaseError as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise CommandError(f"seed foods: the database refused them: {first_line}") from None
        added = load_everyday_foods()
        self.stdout.write(
            f"Seed foods: {counts.foods:,} foods, {counts.amounts:,} nutrient amounts and "
            f"{counts.portions:,} portions up to date ({counts.seconds:.1f} s); "
            f"everyday foods list: {added:,} added."
        )
