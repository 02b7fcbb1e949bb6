from typing import Any

from django.core.management.base import BaseCommand

from sporskifte.exit.retention import exit_cases_erase_expired


class Command(BaseCommand):
    help = "Delete exit cases (and their candidates) two years after they ended."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{exit_cases_erase_expired()} exit cases erased")
