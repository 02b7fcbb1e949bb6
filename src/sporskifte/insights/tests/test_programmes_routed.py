"""A partner centre sees a programme that is not its own district's once that programme has
referred someone to it: the API's programme list and the figures page ask the same rule
(``selectors.routed_to``)."""

import pytest

from sporskifte.insights.selectors import programmes_for_insights
from sporskifte.referrals.selectors import programmes_served_by
from sporskifte.referrals.tests.conftest import accept
from sporskifte.testing.factories import OfferFactory, ProgrammeFactory, district, municipality

pytestmark = pytest.mark.django_db


def test_partner_sees_another_districts_programme_only_after_it_referred_someone(personas):
    # Sydøstjylland's programme sends people to their home municipality's centre; Herning lies
    # in Midt- og Vestjylland, so Herning's centre is not one of its own.
    elsewhere = ProgrammeFactory(police_district=district("sydoestjylland"))
    herning = personas.counsellor_b
    assert elsewhere not in programmes_served_by(herning)
    assert elsewhere not in programmes_for_insights(herning)

    offer = OfferFactory(programme=elsewhere, person__home_municipality=municipality("Herning"))
    referral = accept(offer, personas.officer_b)
    assert referral.partner.municipality == municipality("Herning")

    assert elsewhere in programmes_served_by(herning)
    assert elsewhere in programmes_for_insights(herning)
    # Viborg's centre received no one from it.
    assert elsewhere not in programmes_served_by(personas.counsellor_a)
    assert elsewhere not in programmes_for_insights(personas.counsellor_a)
