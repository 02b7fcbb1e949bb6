from django.core.management.base import BaseCommand

from sporskifte.referrals.reference_data import reference_data_load


class Command(BaseCommand):
    help = "Load police districts, municipalities, units, partners and offences (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        counts = reference_data_load()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
