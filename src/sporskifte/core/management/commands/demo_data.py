"""The demo's entry point: each app owns its demo data (``manage.py demo_<app>``); this runs
them in order by name, so core imports none of them. Later apps' demo commands (``demo_fora``,
``demo_concerns``, …) build on these accounts; ``./dev run`` runs them after this one."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from sporskifte.core.demo import PASSWORD, demo_refuse_unless_possible


class Command(BaseCommand):
    help = "Load demo accounts and a year of made-up referrals (idempotent; never in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=PASSWORD, help="password of every demo account")

    def handle(self, *args: object, **options: Any) -> None:
        demo_refuse_unless_possible()
        # Accounts first: the referrals are made by and for them.
        call_command("demo_accounts", password=options["password"], stdout=self.stdout)
        call_command("demo_referrals", stdout=self.stdout)
