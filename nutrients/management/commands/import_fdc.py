"""manage.py import_fdc PATH: import a FoodData Central CSV download (folder or .zip)."""

from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from nutrients.fdc import FdcError, import_fdc


class Command(BaseCommand):
    help = (
        "Import foods, nutrient amounts per 100 g and portions from a FoodData Central CSV "
        "download (a folder or the .zip). Re-importing updates in place; one run is all or "
        "nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="folder of FDC CSV files, or the .zip")
        parser.add_argument(
            "--data-type",
            help="import only foods of this FDC data type, e.g. sr_legacy_food, branded_food",
        )
        parser.add_argument(
            "--limit", type=int, help="import only the first N foods (for trying out)"
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["limit"] is not None and options["limit"] < 1:
            raise CommandError(f"--limit must be 1 or more, not {options['limit']}")
        try:
            counts = import_fdc(
                options["path"],
                data_type=options["data_type"],
                limit=options["limit"],
                progress=self.stdout.write,
            )
        except FdcError as error:
            raise CommandError(str(error)) from None
        except DatabaseError as error:
            # Everything was rolled back; say why in one line instead of a traceback.
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise CommandError(f"the database refused the import: {first_line}") from None
        self.stdout.write(
            f"Imported {counts.foods:,} foods, {counts.amounts:,} nutrient amounts and "
            f"{counts.portions:,} portions in {counts.seconds:.1f} s."
        )
