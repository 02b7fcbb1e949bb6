from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sporskifte.screening.retention import screening_erase_expired


class Command(BaseCommand):
    help = "Delete screening data past its retention (dismissed hits first); run daily."

    def handle(self, *args: object, **options: Any) -> None:
        erased = screening_erase_expired()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in erased.items()))
