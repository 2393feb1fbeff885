"""manage.py rebuild_day_totals: recompute every user's per-day totals from the entries."""

from django.core.management.base import BaseCommand

from nutrients.models import FoodTableVersion
from tracker.models import DayTotal


class Command(BaseCommand):
    help = "Recompute every stored per-day total from the diary's entries (one transaction)."

    def handle(self, *args: object, **options: object) -> None:
        days = DayTotal.rebuild_all()
        FoodTableVersion.bump()  # pages kept with the old totals are not shown again
        self.stdout.write(f"Day totals rebuilt: {days:,} days.")
