from dataclasses import dataclass

import pytest

from sporskifte.accounts.models import Role, User
from sporskifte.exit.models import AgreementText, Criterion, ExitCoordinator, ExitUnit
from sporskifte.organisations.models import Organisation
from sporskifte.testing.factories import district, member


@dataclass
class ExitWorld:
    unit: ExitUnit
    police: User  # coordinator from the police
    municipal: User  # coordinator from Viborg Kommune
    prison: User  # coordinator from the prison and probation service
    other_unit: User  # coordinator of Sydøstjylland's unit


@pytest.fixture
def exit_world(personas) -> ExitWorld:
    unit = ExitUnit.objects.create(
        district=district("midt-vestjylland"), name="Exit Midt- og Vestjylland"
    )
    other = ExitUnit.objects.create(district=district("sydoestjylland"), name="Exit Sydøstjylland")
    people = {
        "police": member("exit_police", district("midt-vestjylland"), Role.EXIT_COORDINATOR),
        "municipal": member(
            "exit_kommune", Organisation.objects.get(slug="kommune-dk-0791"), Role.EXIT_COORDINATOR
        ),
        "prison": member(
            "exit_kriminalforsorg",
            Organisation.objects.get(slug="kriminalforsorgen"),
            Role.EXIT_COORDINATOR,
        ),
    }
    for user in people.values():
        ExitCoordinator.objects.create(unit=unit, user=user)
    other_coordinator = member("exit_sydoest", district("sydoestjylland"), Role.EXIT_COORDINATOR)
    ExitCoordinator.objects.create(unit=other, user=other_coordinator)
    Criterion.objects.create(unit=unit, text="Ønsker selv at komme ud", weight=5)
    Criterion.objects.create(unit=unit, text="Har et netværk uden for grupperingen", weight=2)
    AgreementText.objects.create(unit=unit, version=1, text="Jeg deltager frivilligt ...")
    return ExitWorld(unit=unit, other_unit=other_coordinator, **people)
