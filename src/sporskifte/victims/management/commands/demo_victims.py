"""Demo victim support for Midt- og Vestjylland: the district's unit with one adviser, a year of
victims told about victim support (some consenting), referrals in every state and six months of
the unit's counts. Written through the services; idempotent; refused in production."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.accounts.models import Membership, Role, User
from sporskifte.core.demo import PASSWORD, demo_refuse_unless_possible
from sporskifte.organisations.models import Organisation
from sporskifte.victims import services
from sporskifte.victims.models import CrimeCategory, Information, MonthlyCount

DISTRICT = "midt-vestjylland"
UNIT = ("offerraadgivning-midt-vestjylland", "Offerrådgivningen Midt- og Vestjylland")
ADVISER = ("offerraadgiver", "Helle Brandt")
OFFICER = "betjent"
NAMES = ["Anna Demo", "Bo Demo", "Carla Demo", "Dan Demo", "Eva Demo", "Finn Demo", "Gitte Demo"]


def _unit(district: Organisation) -> Organisation:
    unit, _ = Organisation.objects.get_or_create(
        slug=UNIT[0],
        defaults={
            "name": UNIT[1],
            "kind": Organisation.Kind.VICTIM_SUPPORT,
            "country": "DK",
            "parent": district,
            "email": "offerraadgivning@demo.sporskifte.invalid",
        },
    )
    return unit


def _adviser(unit: Organisation) -> User:
    username, name = ADVISER
    first, _, last = name.partition(" ")
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "password": make_password(PASSWORD),
            "is_demo": True,
        },
    )
    if created:
        Membership.objects.create(user=user, organisation=unit, role=Role.VICTIM_ADVISER)
        TOTPDevice.objects.create(user=user, confirmed=True, name="Demo")
    return user


def _victims(officer: User, adviser: User, rng: random.Random) -> None:
    categories = CrimeCategory.values
    for n in range(60):
        consented = rng.random() < 0.45
        name = rng.choice(NAMES) if consented else ""
        info = services.victim_information_record(
            actor=officer,
            category=rng.choice(categories[:6]),
            consented=consented,
            name=name,
            phone=f"+45 2{n:07d}"[:12] if consented else "",
            language=rng.choice(["da", "da", "da", "en"]),
        )
        Information.objects.filter(pk=info.pk).update(
            informed_on=timezone.localdate() - dt.timedelta(days=rng.randint(0, 300))
        )
        if consented and n % 3:
            to = rng.choice(["contacted", "declined", "unreachable"])
            services.victim_referral_move(actor=adviser, referral=info.referral, to=to)
            if to == "contacted" and n % 2:
                services.victim_referral_move(actor=adviser, referral=info.referral, to="closed")


def _counts(adviser: User, unit: Organisation, rng: random.Random) -> None:
    month = timezone.localdate().replace(day=1)
    for _ in range(6):
        counts = {
            (c, ch): rng.randint(0, 9)
            for c in CrimeCategory.values[:5]
            for ch in MonthlyCount.Channel.values
        }
        services.monthly_counts_save(actor=adviser, unit=unit, month=month, counts=counts)
        month = (month - dt.timedelta(days=1)).replace(day=1)


class Command(BaseCommand):
    help = "Load demo victim support for Midt- og Vestjylland (idempotent)."

    def handle(self, *args: object, **options: Any) -> None:
        demo_refuse_unless_possible()
        district = Organisation.objects.get(slug=DISTRICT)
        if Organisation.objects.filter(slug=UNIT[0]).exists():
            self.stdout.write("Demo victim support is already loaded; nothing changed.")
        else:
            officer = User.objects.get(username=OFFICER)
            with transaction.atomic():
                unit = _unit(district)
                adviser = _adviser(unit)
                rng = random.Random(2026)  # noqa: S311 - reproducible demo data, not a secret
                _victims(officer, adviser, rng)
                _counts(adviser, unit, rng)
            self.stdout.write("Demo victim support loaded.")
        self.stdout.write(f"Victim-support account (password {PASSWORD}): {ADVISER[0]}")
