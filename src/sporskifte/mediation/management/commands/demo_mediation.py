"""manage.py demo_mediation: the demo konfliktråd (builder in ``sporskifte.mediation.demo``,
imported after the refusal check: it needs the development packages)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from sporskifte.accounts.models import User
from sporskifte.core.demo import PASSWORD, demo_refuse_unless_possible
from sporskifte.mediation.models import MediationCase
from sporskifte.organisations.models import Organisation


class Command(BaseCommand):
    help = "Load a demo konfliktråd for Sydøstjylland and one medling in Stockholm (idempotent)."

    def handle(self, *args: object, **options: Any) -> None:
        demo_refuse_unless_possible()
        from sporskifte.mediation.demo import ACCOUNTS, DISTRICT, POLICE, Demo
        from sporskifte.testing.personas import ensure_reference_data

        ensure_reference_data()
        police = User.objects.filter(username=POLICE).first()
        if police is None:
            self.stdout.write(f"No demo officer '{POLICE}': run `manage.py demo_data` first.")
            return
        district = Organisation.objects.get(slug=DISTRICT)
        if MediationCase.objects.filter(district=district).exists():
            self.stdout.write("Demo konfliktråd already loaded; nothing changed.")
            return
        with transaction.atomic():
            count = Demo(district, police).run()
        self.stdout.write(
            f"Demo konfliktråd loaded: {count} cases. Accounts (password {PASSWORD}):"
        )
        for username, _role, name, _areas in ACCOUNTS:
            self.stdout.write(f"  {username:<18}{name}")
