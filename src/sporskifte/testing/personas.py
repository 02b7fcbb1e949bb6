"""The personas every test uses, made in one place.

District A is Midt- og Vestjyllands Politi with municipalities Viborg (A) and Herning (B);
district B is Sydøstjyllands Politi. Each persona acts for one organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.accounts import middleware
from sporskifte.accounts.models import Role, User
from sporskifte.organisations.models import Organisation
from sporskifte.referrals.reference_data import reference_data_load
from sporskifte.testing.factories import centre, district, member


@dataclass
class Personas:
    officer_a: User
    investigator_a: User
    admin_a: User
    officer_b: User
    counsellor_a: User  # Rusmiddelcenter Viborg
    counsellor_b: User  # Rusmiddelcenter Herning
    ngo: User  # X-Cons Stockholm
    researcher: User
    council_member: User
    sysadmin: User
    secretariat_a: User  # the crime-prevention secretariat of district A (councils)
    # Screening (Socialsøg): two screening officers of district A (drafter and approver) and
    # child services in Viborg and Holstebro, which receive notifications.
    screening_a: User
    screening_approver_a: User
    child_services_viborg: User
    child_services_holstebro: User
    # Mediation (konfliktråd of district A): the coordinator and a mediator.
    mediation_coordinator: User
    mediator: User

    def all(self) -> dict[str, User]:
        return dict(vars(self))


def ensure_reference_data() -> None:
    if not Organisation.objects.filter(slug="midt-vestjylland").exists():
        reference_data_load()


def make_personas() -> Personas:
    ensure_reference_data()
    a, b = district("midt-vestjylland"), district("sydoestjylland")
    return Personas(
        officer_a=member("officer_a", a, Role.OFFICER),
        investigator_a=member("investigator_a", a, Role.INVESTIGATOR),
        admin_a=member("admin_a", a, Role.DISTRICT_ADMIN),
        officer_b=member("officer_b", b, Role.OFFICER),
        counsellor_a=member("counsellor_a", centre("Viborg"), Role.COUNSELLOR),
        counsellor_b=member("counsellor_b", centre("Herning"), Role.COUNSELLOR),
        ngo=member("ngo", district("x-cons-stockholm"), Role.COUNSELLOR),
        researcher=member("researcher", district("crf-aarhus"), Role.RESEARCHER),
        council_member=member(
            "council_member", Organisation.objects.get(slug="kommune-dk-0791"), Role.COUNCIL_MEMBER
        ),
        sysadmin=member("sysadmin", district("midt-vestjylland"), Role.SYSTEM_ADMIN),
        secretariat_a=member("secretariat_a", a, Role.PREVENTION_SECRETARIAT),
        screening_a=member("screening_a", a, Role.SCREENING_OFFICER),
        screening_approver_a=member("screening_approver_a", a, Role.SCREENING_OFFICER),
        child_services_viborg=member(
            "child_services_viborg",
            Organisation.objects.get(slug="kommune-dk-0791"),
            Role.CHILD_SERVICES,
        ),
        child_services_holstebro=member(
            "child_services_holstebro",
            Organisation.objects.get(slug="kommune-dk-0661"),
            Role.CHILD_SERVICES,
        ),
        mediation_coordinator=member(
            "mediation_coordinator", mediation_service(a), Role.MEDIATION_COORDINATOR
        ),
        mediator=member("mediator", mediation_service(a), Role.MEDIATOR),
    )


def mediation_service(police_district: Organisation) -> Organisation:
    """The district's konfliktråd (or medling): an organisation under the police district."""
    org, _ = Organisation.objects.get_or_create(
        slug=f"konfliktraad-{police_district.slug}",
        defaults={
            "name": f"Konfliktråd, {police_district.name}",
            "kind": Organisation.Kind.MEDIATION_SERVICE,
            "country": police_district.country,
            "parent": police_district,
        },
    )
    return org


def verified_client(user: User, client: Client | None = None) -> Client:
    """A test client logged in with both factors, as after a real TOTP step."""
    client = client or Client()
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    # Stamped as the verify step's response leaves it (SlidingSessionMiddleware), so the first
    # request costs what any request within the minute costs.
    session[middleware.SAVED_AT] = middleware.now()
    session.save()
    return client
