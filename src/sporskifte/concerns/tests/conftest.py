"""A small world for the worry-case tests: district A's case about a 15-year-old with both
parents, a conversation and a letter; district B's own case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from sporskifte.concerns import services
from sporskifte.concerns.models import (
    ConcernCase,
    ConcernCategory,
    Conversation,
    CustodyHolder,
    Letter,
)
from sporskifte.people.models import Person
from sporskifte.people.services import person_build
from sporskifte.testing.factories import district, fictitious_cpr
from sporskifte.testing.jobs import run_queued_jobs


def years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    try:
        then = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        then = today.replace(year=today.year - years, day=28)
    return then - dt.timedelta(days=days)


def young_person(
    district_slug: str = "midt-vestjylland", *, age: int = 15, name: str = "Emil Testrup Hansen"
) -> Person:
    birth = years_ago(age, days=40)
    return person_build(
        police_district_id=district(district_slug).pk,
        full_name=name,
        id_kind=Person.IdKind.CPR,
        id_number=fictitious_cpr(birth, female=False),
        is_test_data=True,
    )


def open_case(officer, district_slug: str = "midt-vestjylland", **kwargs) -> ConcernCase:
    return services.concern_case_create(
        actor=officer,
        person=young_person(district_slug, **kwargs),
        concern_date=timezone.localdate() - dt.timedelta(days=3),
        summary="Set sammen med kendte bandemedlemmer ved en café.",
    )


def add_parents(officer, case: ConcernCase) -> list[CustodyHolder]:
    return [
        services.custody_holder_add(
            actor=officer,
            case=case,
            full_name=name,
            relation=relation,
            address="Østergade 12, 2. th.",
            postal_code="7500",
            city="Holstebro",
        )
        for name, relation in (
            ("Anne Testrup", CustodyHolder.Relation.MOTHER),
            ("Søren Hansen", CustodyHolder.Relation.FATHER),
        )
    ]


def conversation_fields(**overrides) -> dict:
    fields = {
        "held_on": timezone.localdate() - dt.timedelta(days=1),
        "place": "Holstebro Politistation",
        "status": Conversation.Status.HELD,
        "young_person_present": True,
        "police_participants": "Mette Kjærgaard",
        "other_participants": "SSP-konsulent Lis Holm",
        "categories": [ConcernCategory.GANG_CONTACT],
        "concern": "Kontakt til bandemiljøet.",
        "agreements": "Hjemme kl. 22.",
        "follow_up_on": timezone.localdate() + dt.timedelta(days=30),
        "follow_up_by": "SSP-konsulenten",
    }
    fields.update(overrides)
    return fields


def letter_fields(**overrides) -> dict:
    fields = {
        "observation": "Vi har set Emil ved en café sammen med personer fra bandemiljøet.",
        "contact_name": "Mette Kjærgaard",
        "contact_phone": "114",
        "contact_email": "",
        "offer_conversation": True,
    }
    fields.update(overrides)
    return fields


@dataclass
class World:
    case_a: ConcernCase
    parents_a: list[CustodyHolder]
    conversation_a: Conversation
    letter_a: Letter
    case_b: ConcernCase


@pytest.fixture
def world(personas) -> World:
    officer = personas.officer_a
    case_a = open_case(officer)
    parents = add_parents(officer, case_a)
    conversation = services.conversation_record(
        actor=officer, case=case_a, custody_holders=parents, **conversation_fields()
    )
    letter = services.letter_generate(
        actor=officer, case=case_a, recipients=parents, **letter_fields()
    )
    run_queued_jobs()  # the letter's PDF
    letter.refresh_from_db()
    case_b = open_case(personas.officer_b, "sydoestjylland", name="Ida Testsen")
    return World(case_a, parents, conversation, letter, case_b)
