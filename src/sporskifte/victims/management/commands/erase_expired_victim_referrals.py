from typing import Any

from django.core.management.base import BaseCommand

from sporskifte.victims.retention import victim_referrals_erase_expired


class Command(BaseCommand):
    help = "Erase victims' contact details passed to victim support at the end of retention."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{victim_referrals_erase_expired()} referrals erased")
