"""The weekly Socialsøg run (the scheduler calls this) or a run on demand.

manage.py run_screening --district midt-vestjylland            # new incidents since last run
manage.py run_screening --district midt-vestjylland --full     # every incident in the window
manage.py run_screening                                         # every district with active rules
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sporskifte.organisations.models import Organisation
from sporskifte.screening.models import Rule, ScreeningRun
from sporskifte.screening.services import screening_run


class Command(BaseCommand):
    help = "Run the district's screening rules (incremental unless --full)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--district", help="slug of the police district (default: every one with active rules)"
        )
        parser.add_argument("--full", action="store_true", help="screen the whole window")

    def handle(self, *args: object, **options: Any) -> None:
        districts = Organisation.objects.filter(kind=Organisation.Kind.POLICE_DISTRICT)
        if options["district"]:
            districts = districts.filter(slug=options["district"])
            if not districts.exists():
                raise CommandError(f"No police district {options['district']!r}.")
        else:
            with_rules = Rule.objects.filter(is_active=True).values("police_district")
            districts = districts.filter(pk__in=with_rules)
        mode = ScreeningRun.Mode.FULL if options["full"] else ScreeningRun.Mode.INCREMENTAL
        for district in districts.order_by("pk"):
            run = screening_run(actor=None, district=district, mode=mode)
            self.stdout.write(
                f"{district.slug} {run.mode}: {run.incidents_scanned} incidents, "
                f"{run.hits_new} new hits, {run.hits_reopened} re-opened, {run.duration_ms} ms"
            )
