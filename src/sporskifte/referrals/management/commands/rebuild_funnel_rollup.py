"""Count the figures' rollup again from the raw offers and referrals.

Run it once after migrating to the rollup, and after any change made to offers or referrals
around the services (a bulk load, a manual correction in the database).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sporskifte.referrals.rollup import rollup_rebuild


class Command(BaseCommand):
    help = "Rebuild the figures' rollup (FunnelRollup) from the raw offers and referrals."

    def handle(self, *args: Any, **options: Any) -> None:
        offers = rollup_rebuild()
        self.stdout.write(f"rollup rebuilt from {offers} offers")
