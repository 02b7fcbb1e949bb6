"""The demo konfliktråd loads through the services, covers every state and runs once."""

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sporskifte.accounts.models import Role, User
from sporskifte.mediation.models import CaseFigures, MediationCase, State
from sporskifte.mediation.national import national_figures
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


def test_the_demo_secretariat_sees_last_years_figures_of_three_districts(personas, as_user):
    member("betjent-sydoest", district("sydoestjylland"), Role.OFFICER)
    call_command("demo_mediation")
    call_command("demo_mediation")  # once only
    last = timezone.localdate().year - 1
    assert CaseFigures.objects.filter(year=last).count() == 160 + 90 + 45

    figures = national_figures("DK", last)

    assert [d.slug for d in figures.districts] == ["fyn", "midt-vestjylland", "sydoestjylland"]
    assert figures.proposals.grand_total == 295
    page = as_user(User.objects.get(username="konfliktraad-sekretariat")).get(
        reverse("mediation:national")
    )
    assert page.status_code == 200 and "Fyns Politi" in page.content.decode()
