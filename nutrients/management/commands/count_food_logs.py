"""manage.py count_food_logs: refresh how often each food is logged across the site.

Search puts often-logged foods first. The count is a column refreshed by this command
(from cron, say nightly) rather than kept up to date on every entry: search reads it
for thousands of matching foods per query, and a day-old count ranks as well.
"""

from django.core.management.base import BaseCommand

from nutrients.models import Food, FoodTableVersion


class Command(BaseCommand):
    help = "Refresh Food.times_logged from the diary entries, for search's ranking."

    def handle(self, *args: object, **options: object) -> None:
        changed = Food.objects.refresh_times_logged()
        FoodTableVersion.bump()  # search answers kept in the old order are not shown again
        self.stdout.write(f"Times logged refreshed: {changed:,} foods changed.")
