"""The weekly Socialsøg run (the scheduler calls this) or a run on demand.

manage.py run_screening --district midt-vestjylland            # new incidents since last run
manage.py run_screening --district midt-vestjylland --full     # every incident in the window
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sporskifte.organisations.models import Organisation
from sporskifte.screening.models import ScreeningRun
from sporskifte.screening.services import screening_run


class Command(BaseCommand):
    help = "Run the district's screening rules (incremental unless --full)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True, help="slug of the police district")
        parser.add_argument("--full", action="store_true", help="screen the whole window")

    def handle(self, *args: object, **options: Any) -> None:
        district = Organisation.objects.filter(
            slug=options["district"], kind=Organisation.Kind.POLICE_DISTRICT
        ).first()
        if district is None:
            raise CommandError(f"No police district {options['district']!r}.")
        mode = ScreeningRun.Mode.FULL if options["full"] else ScreeningRun.Mode.INCREMENTAL
        run = screening_run(actor=None, district=district, mode=mode)
        self.stdout.write(
            f"{run.mode}: {run.incidents_scanned} incidents, {run.hits_new} new hits, "
            f"{run.hits_reopened} re-opened, {run.duration_ms} ms"
        )
