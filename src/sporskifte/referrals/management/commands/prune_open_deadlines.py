"""Delete the open-deadline rows of referrals whose contact deadline has passed.

The figures never read them again (``insights.rollup.not_yet_due`` asks for deadlines still
ahead); without this the table would keep a row for every referral ever made.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sporskifte.referrals.rollup import open_deadlines_prune


class Command(BaseCommand):
    help = "Delete the rows of OpenDeadline whose referral's contact deadline has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{open_deadlines_prune()} open-deadline rows past their deadline")
