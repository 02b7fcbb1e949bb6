from django.core.management.base import BaseCommand

from sporskifte.concerns.retention import concern_cases_erase_expired


class Command(BaseCommand):
    help = "Delete worry cases whose retention has ended, with their letters (for a nightly cron)."

    def handle(self, *args: object, **options: object) -> None:
        count = concern_cases_erase_expired()
        self.stdout.write(f"{count} worry cases erased")
