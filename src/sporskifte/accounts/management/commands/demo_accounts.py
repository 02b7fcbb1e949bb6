"""Demo accounts, one per role, and a table of them (``accounts.demo``). Idempotent, refused in
production and without the development packages."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from sporskifte.core.demo import PASSWORD, demo_refuse_unless_possible
from sporskifte.organisations.models import Organisation


class Command(BaseCommand):
    help = "Load the demo accounts and print their log-ins (idempotent; never in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=PASSWORD, help="password of every demo account")

    def handle(self, *args: object, **options: Any) -> None:
        demo_refuse_unless_possible()
        from sporskifte.accounts.demo import DemoAccounts, demo_accounts_exist, logins_table

        password = options["password"]
        if demo_accounts_exist():
            self.stdout.write("Demo accounts are already there; nothing changed.")
        else:
            if not Organisation.objects.filter(slug="midt-vestjylland").exists():
                call_command("load_reference_data", stdout=StringIO())
            with transaction.atomic():
                DemoAccounts(password).accounts()
        self.stdout.write(logins_table(password))
