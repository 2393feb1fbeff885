"""manage.py load_foods: load the shipped food table (nutrients/data/) once per version.

`make run` and `make serve` call it on every start: when this version is loaded already
it only reads the files' checksum and says so.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from nutrients.dishes import load_everyday_dishes
from nutrients.fdc import FdcError
from nutrients.shipped import load_shipped_foods, summary


class Command(BaseCommand):
    help = (
        "Load the USDA SR Legacy food table, the everyday foods and the synonyms shipped in "
        "nutrients/data/, unless this version is loaded already, then the everyday dishes "
        "not there yet. Foods and dishes staff edited stay."
    )

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        try:
            load = load_shipped_foods(progress=self.stdout.write)
        except (FdcError, ValueError) as error:
            raise CommandError(f"shipped foods: {error}") from None
        except DatabaseError as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise CommandError(f"shipped foods: the database refused them: {first_line}") from None
        self.stdout.write(summary(load))
        dishes = load_everyday_dishes()
        if dishes:
            self.stdout.write(
                f"{dishes:,} everyday dishes added (nutrients/data/everyday_dishes.csv)."
            )
        if not load.loaded:
            self.stdout.write(f"(checked in {time.perf_counter() - started:.2f} s)")
