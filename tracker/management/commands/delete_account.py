from django.core.management.base import BaseCommand, CommandError

from tracker.account import erase_account, user_for_command


class Command(BaseCommand):
    help = (
        "Delete one user and every row of theirs (as 'Delete my account' does): profile, "
        "entries, own foods, day notes, API tokens, sessions and login-throttling records."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--yes", action="store_true", help="really delete (without it, nothing happens)"
        )

    def handle(self, *args, username: str, yes: bool, **options) -> None:
        user = user_for_command(username)
        if not yes:
            raise CommandError(f"Add --yes to delete {username!r} and all their data.")
        erase_account(user)
        self.stdout.write(f"Deleted {username!r} and all their data.")
