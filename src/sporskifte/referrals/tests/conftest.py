"""A small world for the referral tests: district A's programme with referrals routed to the
centres of Viborg (counsellor_a) and Herning (counsellor_b), and district B's own offer."""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from sporskifte.accounts.models import Role, User
from sporskifte.referrals import services
from sporskifte.referrals.models import Case, Consent, Offence, Offer, Programme, Referral
from sporskifte.referrals.selectors import consent_text_current
from sporskifte.testing.factories import (
    CaseFactory,
    OfferFactory,
    PersonFactory,
    ProgrammeFactory,
    district,
    member,
    municipality,
)


@dataclass
class World:
    programme_a: Programme
    programme_b: Programme
    case_a: Case
    offer_viborg: Offer
    offer_herning: Offer
    offer_not_asked: Offer
    offer_b: Offer
    referral_viborg: Referral
    referral_herning: Referral


def accept(offer: Offer, officer) -> Referral:
    services.offer_answer(
        actor=officer,
        offer=offer,
        answer=Offer.Answer.YES,
        consent_method=Consent.Method.SIGNED,
        consent_text=consent_text_current(offer.programme),
        consent_given_at=timezone.now(),
    )
    return Referral.objects.get(offer=offer)


@pytest.fixture
def world(personas) -> World:
    a = ProgrammeFactory(name="Skift spor")
    b = ProgrammeFactory(name="Sydøst", police_district=district("sydoestjylland"))
    case_a = CaseFactory(programme=a)
    viborg = OfferFactory(programme=a, case=case_a)
    herning = OfferFactory(
        programme=a, person=PersonFactory(home_municipality=municipality("Herning"))
    )
    not_asked = OfferFactory(programme=a, case=case_a)
    offer_b = OfferFactory(
        programme=b,
        person=PersonFactory(
            police_district=district("sydoestjylland"), home_municipality=municipality("Vejle")
        ),
    )
    return World(
        programme_a=a,
        programme_b=b,
        case_a=case_a,
        offer_viborg=viborg,
        offer_herning=herning,
        offer_not_asked=not_asked,
        offer_b=offer_b,
        referral_viborg=accept(viborg, personas.officer_a),
        referral_herning=accept(herning, personas.officer_a),
    )


# Stockholm's side: the narcotics section's officer, the region's administrator and the X-Cons
# programme as seeds/004 describes it (grovt narkotikabrott, one fixed partner).


@dataclass
class Stockholm:
    officer: User
    admin: User
    programme: Programme


@pytest.fixture
def stockholm(personas) -> Stockholm:
    region = district("polisregion-stockholm")
    programme = ProgrammeFactory(
        name="X-Cons: stöd vid häktning",
        police_district=region,
        destination=Programme.Destination.FIXED_PARTNER,
        fixed_partner=district("x-cons-stockholm"),
        has_prevention_conversation=False,
        consent="Jag samtycker till att polisen lämnar mina kontaktuppgifter till X-Cons.",
    )
    programme.offences.set(Offence.objects.filter(code="NSL-GROVT"))
    return Stockholm(
        officer=member("polis", district("polisregion-stockholm-narkotikarotel"), Role.OFFICER),
        admin=member("admin_se", region, Role.DISTRICT_ADMIN),
        programme=programme,
    )
