"""manage.py create_api_token USERNAME [--name NAME]: print a new personal API token."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.models import ApiToken


class Command(BaseCommand):
    help = "Make a personal token for the JSON API and print it (it is stored hashed only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="what the token is for")

    def handle(self, *args: object, username: str, name: str, **options: object) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named “{username}”.")
        if not name.strip():
            raise CommandError("The token's --name cannot be empty.")
        _, raw_token = ApiToken.create_for(user, name.strip()[:100])
        # Only the token on stdout, so that `TOKEN=$(manage.py create_api_token …)` works.
        self.stdout.write(raw_token)
        self.stderr.write(
            f"Token “{name.strip()}” for {user.username}; it is shown only this once."
        )
