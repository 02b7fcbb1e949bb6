"""Quarterly upkeep of the plans in force: statuses fed by Sporskifte's own figures are written
for every quarter that has ended, and each focus area with a status still missing reminds its
owner (after the commit). Run it daily from the scheduler; a quarter is written once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from sporskifte.councils import status
from sporskifte.councils.models import Plan


class Command(BaseCommand):
    help = "Write fed indicator statuses and remind owners of missing ones."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--remind", action="store_true", help="also send the reminders")
        parser.add_argument("--year", type=int, help="only this year's plans")

    def handle(self, *args: object, **options: Any) -> None:
        today = timezone.localdate()
        written = reminded = 0
        years = [options["year"]] if options["year"] else [today.year - 1, today.year]
        plans = Plan.objects.filter(
            state__in=[Plan.State.PUBLISHED, Plan.State.APPROVED], year__in=years
        )
        for plan in plans.select_related("council"):
            for quarter in (1, 2, 3, 4):
                if not status.quarter_is_due(plan.year, quarter, today):
                    continue
                with transaction.atomic():
                    written += status.fed_statuses_update(plan, quarter, today)
                    if options["remind"]:
                        reminded += status.reminders_send(plan, quarter, today)
        self.stdout.write(f"{written} statuses written, {reminded} focus areas reminded.")
