"""Worlds for the figures tests, entered through the referral services as the pages do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from sporskifte.insights import published
from sporskifte.referrals import services
from sporskifte.referrals.models import (
    RECORD_KEY_RANGE,
    Consent,
    ContactAttempt,
    Offer,
    Programme,
    Referral,
    Step,
)
from sporskifte.referrals.rollup import rollup_rebuild
from sporskifte.referrals.selectors import consent_text_current
from sporskifte.testing.factories import PersonFactory, ProgrammeFactory, municipality


class World:
    """Helpers bound to the personas: register, answer, contact, record steps."""

    def __init__(self, personas, programme: Programme) -> None:
        self.personas = personas
        self.programme = programme

    def offer(self, *, home: str = "Viborg", case=None, programme=None, **person) -> Offer:
        programme = programme or self.programme
        person_obj = PersonFactory.build(
            police_district=programme.police_district,
            home_municipality=municipality(home),
            **person,
        )
        return services.offer_register(
            actor=self.personas.officer_a,
            programme=programme,
            person=person_obj,
            offence=programme.offences.first(),
            offence_date=timezone.localdate() - dt.timedelta(days=2),
            case=case,
        )

    def answer(self, offer: Offer, answer: str, prevention: str | None = None) -> Offer:
        return services.offer_answer(
            actor=self.personas.officer_a,
            offer=offer,
            answer=answer,
            prevention_conversation=prevention,
            consent_method=Consent.Method.SIGNED if answer == Offer.Answer.YES else None,
            consent_text=consent_text_current(offer.programme),
        )

    def counsellor_for(self, referral: Referral):
        return {
            "Viborg": self.personas.counsellor_a,
            "Herning": self.personas.counsellor_b,
        }[referral.partner.municipality.name]

    def contact(self, referral: Referral, at: dt.datetime | None = None) -> None:
        services.referral_record_attempt(
            actor=self.counsellor_for(referral),
            referral=referral,
            at=at or timezone.now(),
            method=ContactAttempt.Method.PHONE,
            reached=True,
        )

    def step(self, referral: Referral, step: str) -> None:
        services.referral_record_step(
            actor=self.counsellor_for(referral), referral=referral, step=step, at=timezone.now()
        )

    @staticmethod
    def round_all(direction: str) -> None:
        """Give every offer the same record key so that protected figures round predictably:
        key 0 makes every cell key 0 (up whenever there is a remainder); the largest key makes
        a cell of n offers have the key 1 - n/range (down, for any n under a fifth of it)."""
        key = 0 if direction == "up" else RECORD_KEY_RANGE - 1
        Offer.objects.update(record_key=key)
        rollup_rebuild()  # the keys changed around the services: count the rollup again

    def funnel_people(
        self,
        *,
        yes: int,
        first: int,
        further: int,
        no: int = 0,
        home: str = "Viborg",
        programme: Programme | None = None,
    ) -> list[Referral]:
        """``yes`` persons say yes; the first ``first`` have a first conversation, of whom the
        first ``further`` accept more; ``no`` persons say no."""
        referrals = []
        for i in range(yes):
            offer = self.answer(self.offer(home=home, programme=programme), Offer.Answer.YES)
            referral = Referral.objects.select_related("partner__municipality").get(offer=offer)
            if i < first:
                self.step(referral, Step.FIRST_CONVERSATION)
            if i < further:
                self.step(referral, Step.FURTHER_SESSIONS)
            referrals.append(referral)
        for _ in range(no):
            self.answer(self.offer(home=home, programme=programme), Offer.Answer.NO)
        return referrals


@pytest.fixture(autouse=True)
def _fresh_publication(request):
    """The public figures are kept for a day; each test starts a new day's publication. The
    shared cache lives in the database, so only a test that has the database clears it."""
    published.forget()
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
            cache.clear()
            break
    yield
    published.forget()


@pytest.fixture
def programme(personas) -> Programme:
    # The police see every step of this programme exact (feedback level "outcome"); the tests
    # of what they see below the outcome level make their own programme.
    return ProgrammeFactory(name="Skift spor", feedback_level=Programme.Feedback.OUTCOME)


@pytest.fixture
def world(personas, programme) -> World:
    return World(personas, programme)
