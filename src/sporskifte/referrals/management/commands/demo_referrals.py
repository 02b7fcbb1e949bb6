"""Demo programmes, people, offers and referrals (``referrals.demo``), built on the accounts of
``demo_accounts``. Idempotent, refused in production and without the development packages."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from sporskifte.accounts.models import User
from sporskifte.core.demo import demo_refuse_unless_possible
from sporskifte.people.models import Person
from sporskifte.referrals.models import Offence, Offer, Programme, Referral
from sporskifte.referrals.rollup import rollup_rebuild


class Command(BaseCommand):
    help = (
        "Load a year of made-up referrals (after demo_accounts; idempotent; never in production)."
    )

    def handle(self, *args: object, **options: Any) -> None:
        demo_refuse_unless_possible()
        from sporskifte.referrals.demo import POPULATIONS, Demo

        if Programme.objects.filter(name=POPULATIONS[0].name).exists():
            self.stdout.write("Demo referrals are already there; nothing changed.")
            return
        officers = {pop.officer for pop in POPULATIONS} | {pop.admin for pop in POPULATIONS}
        if User.objects.filter(is_demo=True, username__in=officers).count() < len(officers):
            raise CommandError(
                "The demo accounts are missing: run `manage.py demo_accounts` first."
            )
        if not Offence.objects.exists():
            call_command("load_reference_data", stdout=StringIO())
        started = timezone.now()
        with transaction.atomic():
            Demo().run()
            # The demo dates its rows back after the services made them: count again.
            rollup_rebuild()
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(
            f"Demo data loaded in {seconds:.1f} s: {Person.objects.count()} people, "
            f"{Offer.objects.count()} offers, {Referral.objects.count()} referrals."
        )
