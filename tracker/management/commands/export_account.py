from django.core.management.base import BaseCommand

from tracker.account import account_json, user_for_command


class Command(BaseCommand):
    help = "Print all of one user's data as JSON (the same file as 'Download all my data')."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        self.stdout.write(account_json(user_for_command(username)))
