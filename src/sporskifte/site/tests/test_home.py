"""The start page sends each role of the apps built on the foundation to where its work starts,
and that page answers."""

import pytest
from django.urls import reverse

from sporskifte.accounts.models import Role
from sporskifte.exit.models import ExitCoordinator, ExitUnit
from sporskifte.organisations.models import Organisation
from sporskifte.site.views import START_PAGES
from sporskifte.testing.factories import district, member

pytestmark = pytest.mark.django_db


def _users(personas):
    a = district("midt-vestjylland")
    victim_unit = Organisation.objects.create(
        name="Offerrådgivning",
        slug="ofr",
        kind=Organisation.Kind.VICTIM_SUPPORT,
        country="DK",
        parent=a,
    )
    exit_user = member(
        "exit", Organisation.objects.get(slug="kommune-dk-0791"), Role.EXIT_COORDINATOR
    )
    ExitCoordinator.objects.create(
        unit=ExitUnit.objects.create(district=a, name="Exit"), user=exit_user
    )
    return {
        Role.MEDIATION_COORDINATOR: personas.mediation_coordinator,
        Role.MEDIATOR: personas.mediator,
        Role.SCREENING_OFFICER: personas.screening_a,
        Role.CHILD_SERVICES: personas.child_services_viborg,
        Role.PREVENTION_SECRETARIAT: personas.secretariat_a,
        Role.VICTIM_ADVISER: member("adviser", victim_unit, Role.VICTIM_ADVISER),
        Role.EXIT_COORDINATOR: exit_user,
        Role.PROSECUTOR: member(
            "aklagare",
            Organisation.objects.create(
                name="Åklagarkammaren",
                slug="aklagare",
                kind=Organisation.Kind.PROSECUTION,
                country="SE",
                parent=district("polisregion-stockholm"),
            ),
            Role.PROSECUTOR,
        ),
    }


def test_each_new_role_starts_on_its_own_page(personas, as_user):
    users = _users(personas)
    assert set(users) == set(START_PAGES)
    for role, user in users.items():
        response = as_user(user).get(reverse("core:home"))
        assert response.status_code == 302 and response["Location"] == reverse(START_PAGES[role])
        assert as_user(user).get(response["Location"]).status_code == 200, role
