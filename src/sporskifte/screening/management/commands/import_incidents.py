"""Import a file of incident records or household links, with progress on stderr.

manage.py import_incidents --district midt-vestjylland haendelser.csv
manage.py import_incidents --district midt-vestjylland --households husstande.jsonl
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sporskifte.organisations.models import Organisation
from sporskifte.screening.imports import households_import_file, incidents_import_file


class Command(BaseCommand):
    help = "Import incident records (or, with --households, household links): all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--district", required=True)
        parser.add_argument("--households", action="store_true")

    def handle(self, *args: object, **options: Any) -> None:
        district = Organisation.objects.filter(
            slug=options["district"], kind=Organisation.Kind.POLICE_DISTRICT
        ).first()
        if district is None:
            raise CommandError(f"No police district {options['district']!r}.")
        started = time.monotonic()

        def progress(rows: int) -> None:
            rate = rows / max(time.monotonic() - started, 1e-6)
            self.stderr.write(f"\r{rows:>10,} rows  {rate:>8,.0f} rows/s", ending="")

        load = households_import_file if options["households"] else incidents_import_file
        with open(options["path"], "rb") as stream:
            result = load(district=district, stream=stream, name=options["path"], progress=progress)
        self.stderr.write("")
        if not result.ok:
            for e in result.errors:
                self.stderr.write(f"row {e.row}, column {e.column or '-'}: {e.message}")
            raise CommandError("Nothing was imported.")
        self.stdout.write(f"{result.created} created, {result.skipped} already held")
