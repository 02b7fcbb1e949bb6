from django.core.management.base import BaseCommand

from sporskifte.mediation.retention import cases_erase_expired


class Command(BaseCommand):
    help = "Delete closed mediation cases whose district's retention has ended (nightly cron)."

    def handle(self, *args: object, **options: object) -> None:
        count = cases_erase_expired()
        self.stdout.write(f"{count} mediation cases erased")
