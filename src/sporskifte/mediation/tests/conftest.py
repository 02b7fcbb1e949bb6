"""A small konfliktråd in district A (Midt- og Vestjylland): consent text, two mediators, a Danish
case with an adult offender and a 16-year-old victim, and a Swedish medling in Stockholm."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from sporskifte.accounts.models import Role, User
from sporskifte.mediation import services
from sporskifte.mediation.models import ConsentText, MediationCase, MediatorProfile, Party
from sporskifte.organisations.models import Municipality
from sporskifte.people.models import Person
from sporskifte.people.services import person_build
from sporskifte.referrals.models import Offence
from sporskifte.testing.factories import district, fictitious_cpr, member
from sporskifte.testing.personas import mediation_service

TODAY = dt.date(2026, 6, 15)


def dk_person(district_id: int, name: str, birth: dt.date, female: bool = False) -> Person:
    return person_build(
        police_district_id=district_id,
        full_name=name,
        id_kind=Person.IdKind.CPR,
        id_number=fictitious_cpr(birth, female, serial=9990),
        is_test_data=True,
    )


@dataclass
class World:
    case: MediationCase
    offender: Party
    victim: Party
    se_case: MediationCase
    se_offender: Party
    se_victim: Party
    mediator2: User
    se_coordinator: User
    text: ConsentText


def propose_dk(actor: User, *, offender_birth: dt.date, victim_birth: dt.date) -> MediationCase:
    a = district("midt-vestjylland")
    return services.proposal_create(
        actor=actor,
        district=a,
        offence=Offence.objects.get(code="STRL244"),
        offence_date=timezone.localdate() - dt.timedelta(days=30),
        journal_number="4100-12345-00001-26",
        area=Municipality.objects.get(name="Viborg"),
        parties=[
            services.PartyInput(
                role=Party.Role.OFFENDER, person=dk_person(a.pk, "Anders Testsen", offender_birth)
            ),
            services.PartyInput(
                role=Party.Role.VICTIM,
                person=dk_person(a.pk, "Bente Prøvesen", victim_birth, female=True),
            ),
        ],
    )


@pytest.fixture
def world(personas) -> World:
    a = district("midt-vestjylland")
    today = timezone.localdate()
    text = ConsentText.objects.create(district=a, version=1, text="Jeg vil gerne deltage.")
    for user in (personas.mediator,):
        MediatorProfile.objects.create(user=user, employer="Viborg Gymnasium")
    mediator2 = member("mediator2", mediation_service(a), Role.MEDIATOR)
    MediatorProfile.objects.create(user=mediator2).areas.add(
        Municipality.objects.get(name="Viborg")
    )
    case = propose_dk(
        personas.officer_a,
        offender_birth=today.replace(year=today.year - 30),
        victim_birth=today.replace(year=today.year - 16),
    )
    offender, victim = (case.parties.get(role=r) for r in (Party.Role.OFFENDER, Party.Role.VICTIM))
    stockholm = district("polisregion-stockholm")
    ConsentText.objects.create(district=stockholm, version=1, text="Jag vill delta.")
    se_coordinator = member(
        "se_coordinator", mediation_service(stockholm), Role.MEDIATION_COORDINATOR
    )
    se_case = services.proposal_create(
        actor=se_coordinator,
        district=stockholm,
        offence=Offence.objects.get(code="BRB-12-1"),
        offence_date=today - dt.timedelta(days=20),
        source="social_services",
        parties=[
            services.PartyInput(
                role=Party.Role.OFFENDER,
                person=person_build(
                    police_district_id=stockholm.pk,
                    full_name="Olle Provsson",
                    birth_date=today.replace(year=today.year - 11),
                    is_test_data=True,
                ),
            ),
            services.PartyInput(role=Party.Role.VICTIM, organisation_name="Ica Nära Provgatan"),
        ],
    )
    se_offender, se_victim = (
        se_case.parties.get(role=r) for r in (Party.Role.OFFENDER, Party.Role.VICTIM)
    )
    return World(
        case, offender, victim, se_case, se_offender, se_victim, mediator2, se_coordinator, text
    )


def make_ready(coordinator: User, case: MediationCase) -> None:
    """Screen, contact, ask; every party's consent (and custody holder's), the confession."""
    services.case_screen(actor=coordinator, case=case, suitable=True)
    services.case_contact(actor=coordinator, case=case)
    services.case_ask_consent(actor=coordinator, case=case)
    for party in case.parties.all():
        services.consent_record(actor=coordinator, party=party, method="signed")
        if services.needs_custody_holder(party):
            holder = services.custody_holder_add(
                actor=coordinator, party=party, full_name="Forælder"
            )
            services.consent_record(
                actor=coordinator, party=party, method="signed", custody_holder=holder
            )
        if party.role == Party.Role.OFFENDER:
            services.confession_record(actor=coordinator, party=party)
    services.case_mark_ready(actor=coordinator, case=case)


def agreement_with_terms(
    personas, world: World, due: list[dt.date], text: str = "Anders betaler 500 kr."
) -> MediationCase:
    """District A's case with mediator2, the meeting held an hour ago and one payment term per
    due date (``Briller`` for 500 kr.)."""
    from decimal import Decimal

    c = personas.mediation_coordinator
    case = world.case
    make_ready(c, case)
    services.mediator_assign(actor=c, case=case, mediator=world.mediator2)
    meeting = services.meeting_book(
        actor=world.mediator2,
        case=case,
        kind="mediation",
        place="Bibliotek",
        starts_at=timezone.now() - dt.timedelta(hours=1),
    )
    services.meeting_hold(actor=world.mediator2, meeting=meeting, attendees=[world.offender])
    services.agreement_record(
        actor=world.mediator2,
        case=case,
        text=text,
        terms=[services.TermInput("payment", "Briller", d, Decimal("500")) for d in due],
    )
    case.refresh_from_db()
    return case
