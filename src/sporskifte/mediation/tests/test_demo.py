"""The demo konfliktråd loads through the services, covers every state and runs once."""

from django.core.management import call_command

from sporskifte.accounts.models import Role, User
from sporskifte.mediation.models import MediationCase, State
from sporskifte.mediation.roles import prosecutor_district_of
from sporskifte.testing.factories import district, member


def test_demo_covers_every_state_and_is_idempotent(personas):
    member("betjent-sydoest", district("sydoestjylland"), Role.OFFICER)
    call_command("demo_mediation")
    cases = MediationCase.objects.filter(district__slug="sydoestjylland")
    assert set(cases.values_list("state", flat=True)) == set(State.values)
    assert cases.count() >= 40
    assert MediationCase.objects.filter(country="SE").count() == 1
    assert prosecutor_district_of(User.objects.get(username="aklagare-stockholm")) == (
        district("polisregion-stockholm").pk
    )
    call_command("demo_mediation")
    assert cases.count() >= 40 and MediationCase.objects.count() == cases.count() + 1
