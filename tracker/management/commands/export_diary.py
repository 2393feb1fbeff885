from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.export import DateRangeForm, csv_lines, day_rows, entry_rows
from tracker.models import Profile


class Command(BaseCommand):
    help = (
        "Write a user's diary from one day to another as CSV to stdout: one row per entry, "
        "or one row per day with --days (the same files as the export page)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--from", dest="first_day", required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="last_day", required=True, metavar="YYYY-MM-DD")
        parser.add_argument(
            "--days", action="store_true", help="one row per day with totals, targets and status"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named “{username}”.")
        form = DateRangeForm({"from": options["first_day"], "to": options["last_day"]})
        if not form.is_valid():
            # One line: "--to: Choose a day on or after the first day, 2026-11-22."
            raise CommandError(
                " ".join(f"--{field}: {' '.join(errors)}" for field, errors in form.errors.items())
            )
        if options["days"]:
            # Reading must not write: an account without a profile gets the defaults.
            profile = Profile.objects.filter(user=user).first() or Profile(user=user)
            rows = day_rows(user, profile, form.first_day, form.last_day)
        else:
            rows = entry_rows(user, form.first_day, form.last_day)
        for line in csv_lines(rows):
            self.stdout.write(line, ending="")
