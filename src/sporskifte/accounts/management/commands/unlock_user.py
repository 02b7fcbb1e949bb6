from django.core.management.base import BaseCommand, CommandError, CommandParser

from sporskifte.accounts.models import User
from sporskifte.accounts.services import user_unlock


class Command(BaseCommand):
    help = "Lift the lock-out of a user after too many failed log-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: object, **options: str) -> None:
        username = options["username"]
        try:
            removed = user_unlock(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user is called {username!r}.") from exc
        self.stdout.write(
            self.style.SUCCESS(f"{username} unlocked ({removed} attempt records removed).")
        )
