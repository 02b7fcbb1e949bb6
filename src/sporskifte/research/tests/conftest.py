"""A small world for the research tests, made through the referral services: district A's
programme "Skift spor" with offers answered, referred and worked on by the Viborg centre, a second
programme of district A that no project includes, and district B's own programme."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from sporskifte.accounts.models import Role
from sporskifte.people.models import Person
from sporskifte.people.services import person_build
from sporskifte.referrals import services as referrals
from sporskifte.referrals.models import (
    Case,
    Consent,
    ContactAttempt,
    Offence,
    Offer,
    Programme,
    Referral,
    Step,
)
from sporskifte.referrals.selectors import consent_text_current
from sporskifte.research import services
from sporskifte.research.catalogue import CATALOGUE
from sporskifte.research.models import ResearchProject
from sporskifte.testing.factories import (
    ProgrammeFactory,
    district,
    fictitious_cpr,
    member,
    municipality,
)

ALL_FIELDS = [c.key for c in CATALOGUE]


@dataclass
class World:
    personas: object
    programme: Programme
    other_programme: Programme
    programme_b: Programme
    case: Case
    people: list[Person] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    journal_numbers: list[str] = field(default_factory=list)


def register_person(world: World, n: int, *, programme: Programme | None = None) -> Offer:
    """One made-up person, registered by officer A with a full set of identifying details."""
    officer = world.personas.officer_a
    programme = programme or world.programme
    if programme.police_district_id != world.programme.police_district_id:
        officer = world.personas.officer_b
    birth = dt.date(1970 + n % 35, n % 12 + 1, n % 27 + 1)
    person = person_build(
        police_district_id=programme.police_district_id,
        full_name=f"Åsa Kvistgaard-Testesen {n}",
        id_kind=Person.IdKind.CPR,
        id_number=fictitious_cpr(birth, n % 2 == 0, random.Random(n)),
        phone=f"{21300000 + n}",
        email=f"aasa.kvistgaard.{n}@example.org",
        home_municipality=municipality("Viborg")
        if programme.police_district_id == world.programme.police_district_id
        else municipality("Vejle"),
        is_test_data=True,
    )
    journal = f"4100-{76000 + n}-00123-26"
    offer = referrals.offer_register(
        actor=officer,
        programme=programme,
        person=person,
        offence=Offence.objects.get(code="ESL-KOEB"),
        offence_date=timezone.localdate() - dt.timedelta(days=10),
        journal_number=journal,
        case=world.case if programme == world.programme and n % 3 == 0 else None,
    )
    world.people.append(person)
    world.offers.append(offer)
    world.journal_numbers.append(journal)
    return offer


def accept_and_work(world: World, offer: Offer) -> None:
    """Yes with signed consent; the Viborg centre reaches the person and holds a conversation."""
    referrals.offer_answer(
        actor=world.personas.officer_a,
        offer=offer,
        answer=Offer.Answer.YES,
        prevention_conversation=Offer.Prevention.ACCEPTED,
        consent_method=Consent.Method.SIGNED,
        consent_text=consent_text_current(offer.programme),
    )
    referral = Referral.objects.get(offer=offer)
    now = timezone.now()
    counsellor = world.personas.counsellor_a
    referrals.referral_record_attempt(
        actor=counsellor,
        referral=referral,
        at=now,
        method=ContactAttempt.Method.PHONE,
        reached=True,
    )
    referrals.referral_record_step(
        actor=counsellor, referral=referral, step=Step.FIRST_CONVERSATION, at=now
    )


def populate(world: World, count: int, *, start: int = 0) -> None:
    for n in range(start, start + count):
        offer = register_person(world, n)
        if n % 2 == 0:
            accept_and_work(world, offer)
        elif n % 5 == 1:
            referrals.offer_answer(
                actor=world.personas.officer_a, offer=offer, answer=Offer.Answer.NO
            )


def make_project(
    world: World,
    *,
    fields: list[str] | None = None,
    coarsening: str = ResearchProject.Coarsening.DAY,
    researchers: list | None = None,
    approve: bool = True,
    title: str = "Effekt af Skift spor",
    reason: str = "Tiden til første kontakt måles i dage.",
) -> ResearchProject:
    today = timezone.localdate()
    admin = world.personas.admin_a
    project = services.research_project_create(
        actor=admin,
        programmes=[world.programme],
        researchers=researchers or [world.personas.researcher],
        title=title,
        purpose="Evaluering af henvisningsforløbet.",
        period_from=today - dt.timedelta(days=60),
        period_to=today,
        approved_fields=fields or ALL_FIELDS,
        date_coarsening=coarsening,
        finer_detail_reason=reason,
        starts_on=today,
        ends_on=today + dt.timedelta(days=90),
    )
    if approve:
        project = services.research_project_approve(actor=admin, project=project)
    return project


def make_world(personas, count: int) -> World:
    programme = ProgrammeFactory(name="Skift spor")
    w = World(
        personas=personas,
        programme=programme,
        other_programme=ProgrammeFactory(name="Andet program"),
        programme_b=ProgrammeFactory(name="Sydøst", police_district=district("sydoestjylland")),
        case=referrals.case_create(
            actor=personas.officer_a,
            journal_number="4100-99999-00777-26",
            title="Køberne",
            programme=programme,
            offence=Offence.objects.get(code="ESL-KOEB"),
        ),
    )
    w.journal_numbers.append(w.case.journal_number)
    populate(w, count)
    return w


@pytest.fixture
def world(personas) -> World:
    return make_world(personas, 12)


@pytest.fixture
def admin_b(personas):
    return member("admin_b", district("sydoestjylland"), Role.DISTRICT_ADMIN)


@pytest.fixture
def other_researcher(personas):
    return member("researcher_2", district("crf-aarhus"), Role.RESEARCHER)
