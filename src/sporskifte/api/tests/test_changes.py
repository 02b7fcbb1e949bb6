"""The change feeds: a journal system learns of new referrals, withdrawals and erasures without
re-reading its inbox; a police system learns of its offers' changes, and of a referral's work
only as far as the feedback level lets it see (issue 7 §5)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sporskifte.audit.models import AuditEvent, AuditEventItem
from sporskifte.referrals import services
from sporskifte.referrals.models import Offer, Programme
from sporskifte.referrals.retention import personal_data_erase_expired
from sporskifte.testing.factories import OfferFactory, ProgrammeFactory

from .conftest import refer

REFERRAL_CHANGES = "/api/v1/referrals/changes/"
OFFER_CHANGES = "/api/v1/offers/changes/"


def _read(client, url: str, after: str | None = None) -> dict:
    response = client.get(url, {"after": after} if after else {})
    assert response.status_code == 200, response.json()
    return response.json()


def test_new_referrals_and_withdrawals_show_up_after_the_cursor(api, make_referrals, personas):
    partner = api("viborg")
    first, second = make_referrals(2)
    start = _read(partner, REFERRAL_CHANGES)
    assert [(c["kind"], c["referral_id"]) for c in start["changes"]] == [
        ("created", first.pk),
        ("created", second.pk),
    ]
    assert start["changes"][0]["referral"]["person"]["full_name"]

    services.consent_withdraw(actor=personas.officer_a, offer=first.offer)
    later = _read(partner, REFERRAL_CHANGES, start["next"])

    assert [(c["kind"], c["referral_id"]) for c in later["changes"]] == [("withdrawn", first.pk)]
    assert later["changes"][0]["referral"]["person"] is None
    assert _read(partner, REFERRAL_CHANGES, later["next"])["changes"] == []
    looks = AuditEvent.objects.filter(purpose=AuditEvent.Purpose.API_REFERRAL_CHANGES)
    shown = AuditEventItem.objects.filter(event__in=looks).values_list("object_id", flat=True)
    assert set(shown) == {first.pk, second.pk}


def test_another_partner_sees_nothing_of_the_feed(api, make_referrals):
    make_referrals(2)
    assert _read(api("herning"), REFERRAL_CHANGES)["changes"] == []
    assert _read(api("police_a"), REFERRAL_CHANGES)["changes"] == []


def test_an_erasure_shows_up_without_the_person(api, make_referrals, personas):
    referral = make_referrals(1)[0]
    services.consent_withdraw(actor=personas.officer_a, offer=referral.offer)
    after = _read(api("viborg"), REFERRAL_CHANGES)["next"]
    later = timezone.now() + dt.timedelta(days=3 * 365)

    assert personal_data_erase_expired(now=later) == 1
    feed = _read(api("viborg"), REFERRAL_CHANGES, after)
    police = [c["kind"] for c in _read(api("police_a"), OFFER_CHANGES)["changes"]]

    assert [(c["kind"], c["referral"]["person"]) for c in feed["changes"]] == [("erased", None)]
    assert police[-1] == "erased"


def test_the_police_feed_shows_offers_and_a_referral_only_as_far_as_the_feedback_level(
    api, personas
):
    programme = ProgrammeFactory(feedback_level=Programme.Feedback.NOTHING)
    offer = OfferFactory(programme=programme)
    police = api("police_a")
    referral = refer(personas.officer_a, offer)
    start = _read(police, OFFER_CHANGES)
    services.referral_record_step(
        actor=personas.counsellor_a, referral=referral, step="first_conversation", at=timezone.now()
    )
    assert [c["kind"] for c in start["changes"]] == ["updated"]
    assert _read(police, OFFER_CHANGES, start["next"])["changes"] == []
    assert _read(api("police_b"), OFFER_CHANGES)["changes"] == []


def test_a_step_shows_up_for_the_police_when_their_status_changes(api, personas):
    programme = ProgrammeFactory(feedback_level=Programme.Feedback.CONTACT_MADE)
    referral = refer(personas.officer_a, OfferFactory(programme=programme))
    police = api("police_a")
    start = _read(police, OFFER_CHANGES)
    services.referral_record_step(
        actor=personas.counsellor_a, referral=referral, step="first_conversation", at=timezone.now()
    )
    later = _read(police, OFFER_CHANGES, start["next"])
    assert [(c["kind"], c["offer"]["police_status"]) for c in later["changes"]] == [
        ("updated", "contact_made")
    ]


def test_a_page_says_when_more_is_waiting(api, programme, personas, monkeypatch):
    from sporskifte.api.views import changes

    monkeypatch.setattr(changes, "PAGE", 2)
    offers = OfferFactory.create_batch(3, programme=programme)
    for offer in offers:
        services.offer_answer(actor=personas.officer_a, offer=offer, answer=Offer.Answer.NO)
    first = _read(api("police_a"), OFFER_CHANGES)
    second = _read(api("police_a"), OFFER_CHANGES, first["next"])
    assert first["more"] and not second["more"]
    assert [c["offer_id"] for c in first["changes"] + second["changes"]] == [o.pk for o in offers]


def test_a_bad_position_is_a_400(api):
    assert api("viborg").get(REFERRAL_CHANGES, {"after": "yesterday"}).status_code == 400


def test_the_feed_reads_a_page_in_a_fixed_number_of_queries(
    api, make_referrals, django_assert_max_num_queries
):
    make_referrals(2)
    partner = api("viborg")
    # The audit of the page is three INSERTs (its row, its organisations, its items) at any size.
    with django_assert_max_num_queries(16) as few:
        _read(partner, REFERRAL_CHANGES)
    make_referrals(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_read(partner, REFERRAL_CHANGES)["changes"]) == 22
