"""Demo exit unit for Midt- og Vestjylland: coordinators from the police, Viborg Kommune and
Kriminalforsorgen, the district's checklist and agreement text, and made-up candidates in every
state (one in custody, released today, waiting for the handover). Written through the
services; idempotent; refused in production."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.accounts.models import Membership, Role, User
from sporskifte.core.demo import PASSWORD, demo_refuse_unless_possible
from sporskifte.exit import services
from sporskifte.exit.models import AgreementText, Criterion, ExitCoordinator, ExitUnit, Handover
from sporskifte.organisations.models import Organisation
from sporskifte.people.models import Person
from sporskifte.people.services import person_build

DISTRICT = "midt-vestjylland"
ACCOUNTS = [
    ("exit-politi", DISTRICT, "Rasmus Juhl"),
    ("exit-kommune", "kommune-dk-0791", "Maja Kirk"),
    ("exit-kriminalforsorg", "kriminalforsorgen", "Tobias Lund"),
]
CRITERIA = [
    ("Ønsker selv at forlade grupperingen", 5),
    ("Har familie eller netværk uden for grupperingen", 3),
    ("Er ikke sigtet i en verserende sag om grov vold", 2),
    ("Har en bolig eller kan skaffes en", 1),
]
AGREEMENT = (
    "Jeg deltager frivilligt i exitforløbet. Jeg forlader grupperingen og samarbejder med "
    "kommunen, politiet og Kriminalforsorgen om de aftalte indsatser. Aftalen kan ophøre, hvis "
    "jeg begår ny kriminalitet eller selv ønsker at stoppe."
)
# (name, birth year, in custody, what happens)
CANDIDATES = [
    ("Demo Exitkandidat A", 1996, False, "visitation"),
    ("Demo Exitkandidat B", 1993, False, "rejected"),
    ("Demo Exitkandidat C", 1990, False, "active"),
    ("Demo Exitkandidat D", 1998, False, "completed"),
    ("Demo Exitkandidat E", 1995, False, "broken_off"),
    ("Demo Exitkandidat F", 1992, True, "released"),
]


def _account(username: str, org: Organisation, name: str) -> User:
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
        Membership.objects.create(user=user, organisation=org, role=Role.EXIT_COORDINATOR)
        TOTPDevice.objects.create(user=user, confirmed=True, name="Demo")
    return user


def _candidate(
    unit: ExitUnit, actor: User, prison: User, n: int, row: tuple[str, int, bool, str]
) -> None:
    name, year, in_custody, outcome = row
    person = person_build(
        police_district_id=unit.district_id,
        full_name=name,
        id_kind=Person.IdKind.CPR,
        id_number=f"0101{year % 100:02d}-99{n:02d}",
        is_test_data=True,
    )
    today = timezone.localdate()
    case = services.exit_case_open(
        actor=prison if in_custody else actor,
        unit=unit,
        person=person,
        referred_by="prison_probation" if in_custody else "police",
        in_custody=in_custody,
        release_date=today + dt.timedelta(days=1) if in_custody else None,
    )
    criteria = list(Criterion.objects.filter(unit=unit))
    services.exit_case_score(
        actor=prison if in_custody else actor,
        case=case,
        met={c.pk: (c.pk + n) % 2 == 0 for c in criteria},
    )
    if outcome == "released":
        services.exit_case_decide(actor=prison, case=case, admitted=True, reason="")
        Handover.objects.filter(case=case).update(due_on=today)
        return
    if outcome == "visitation":
        return
    if outcome == "rejected":
        services.exit_case_decide(
            actor=actor, case=case, admitted=False, reason="Ikke motiveret for nuværende"
        )
        return
    services.exit_case_decide(actor=actor, case=case, admitted=True, reason="")
    services.exit_agreement_sign(actor=actor, case=case, signed_on=today)
    municipality = Organisation.objects.get(slug="kommune-dk-0791")
    services.support_element_set(
        actor=actor, case=case, kind="housing", owner=municipality, status="in_progress"
    )
    services.support_element_set(
        actor=actor, case=case, kind="mentor", owner=municipality, status="planned"
    )
    services.milestone_add(
        actor=actor, case=case, title="Flyttet i egen bolig", due_on=today + dt.timedelta(days=60)
    )
    services.protected_address_set(actor=actor, case=case, address=f"Demovej {n}, 8800 Viborg")
    if outcome == "completed":
        services.exit_case_end(actor=actor, case=case, completed=True)
    elif outcome == "broken_off":
        services.exit_case_end(actor=actor, case=case, completed=False, reason="new_crime")


class Command(BaseCommand):
    help = "Load the demo exit unit for Midt- og Vestjylland (idempotent)."

    def handle(self, *args: object, **options: Any) -> None:
        demo_refuse_unless_possible()
        district = Organisation.objects.get(slug=DISTRICT)
        if ExitUnit.objects.filter(district=district).exists():
            self.stdout.write("The demo exit unit is already loaded; nothing changed.")
        else:
            with transaction.atomic():
                unit = ExitUnit.objects.create(
                    district=district, name="Exitenheden Midt- og Vestjylland"
                )
                users = [_account(u, Organisation.objects.get(slug=s), n) for u, s, n in ACCOUNTS]
                for user in users:
                    ExitCoordinator.objects.create(unit=unit, user=user)
                for text, weight in CRITERIA:
                    Criterion.objects.create(unit=unit, text=text, weight=weight)
                AgreementText.objects.create(unit=unit, version=1, text=AGREEMENT)
                for n, row in enumerate(CANDIDATES):
                    _candidate(unit, users[1], users[2], n, row)
            self.stdout.write("The demo exit unit is loaded.")
        self.stdout.write(
            f"Exit accounts (password {PASSWORD}): " + ", ".join(a[0] for a in ACCOUNTS)
        )
