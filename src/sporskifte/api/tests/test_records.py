"""Steps and contact attempts read back and corrected (the original kept, audited), and times
given by the client within bounds (issue 7 §5)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.referrals.models import Offer, OutcomeStep, Referral
from sporskifte.testing.factories import OfferFactory


def _url(referral: Referral, what: str) -> str:
    return f"/api/v1/referrals/{referral.pk}/{what}/"


def test_steps_are_read_back_and_a_wrong_one_is_corrected_keeping_the_original(api, make_referrals):
    referral = make_referrals(1)[0]
    partner = api("viborg")
    now = timezone.now().isoformat()
    wrong = partner.post(_url(referral, "steps"), {"step": "declined", "at": now}).json()
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.CLOSED

    fixed = partner.post(
        f"{_url(referral, 'steps')}{wrong['id']}/correct/",
        {"step": "first_conversation", "at": now, "reason": "Wrong button"},
    )
    listed = partner.get(_url(referral, "steps")).json()

    assert fixed.status_code == 201
    assert [(s["step"], s["corrected_by"], s["corrects"]) for s in listed] == [
        ("declined", fixed.json()["id"], None),
        ("first_conversation", None, wrong["id"]),
    ]
    referral.refresh_from_db()
    assert referral.status == Referral.Status.IN_PROGRESS and referral.closed_at is None
    assert referral.first_conversation_at is not None and referral.contact_made_at is not None
    row = AuditEvent.objects.get(purpose=AuditEvent.Purpose.OUTCOME_STEP_CORRECTED)
    assert row.detail == {"corrects": wrong["id"], "was": "declined", "now": "first_conversation"}
    assert OutcomeStep.objects.count() == 2


def test_a_corrected_step_cannot_be_corrected_again(api, make_referrals):
    referral = make_referrals(1)[0]
    partner = api("viborg")
    now = timezone.now().isoformat()
    step = partner.post(_url(referral, "steps"), {"step": "declined", "at": now}).json()
    body = {"step": "unreachable", "at": now, "reason": "Wrong"}
    partner.post(f"{_url(referral, 'steps')}{step['id']}/correct/", body)
    again = partner.post(f"{_url(referral, 'steps')}{step['id']}/correct/", body)
    assert again.status_code == 400
    assert OutcomeStep.objects.count() == 2


def test_an_attempt_marked_reached_by_mistake_is_corrected(api, make_referrals):
    referral = make_referrals(1)[0]
    partner = api("viborg")
    now = timezone.now().isoformat()
    attempt = partner.post(
        _url(referral, "contact-attempts"), {"at": now, "method": "phone", "reached": True}
    ).json()
    partner.post(
        f"{_url(referral, 'contact-attempts')}{attempt['id']}/correct/",
        {"at": now, "method": "phone", "reached": False, "reason": "No answer"},
    )
    assert Referral.objects.get(pk=referral.pk).contact_made_at is None
    assert len(partner.get(_url(referral, "contact-attempts")).json()) == 2


def test_another_partner_and_the_police_cannot_read_or_correct(api, make_referrals):
    referral = make_referrals(1)[0]
    now = timezone.now().isoformat()
    step = api("viborg").post(_url(referral, "steps"), {"step": "declined", "at": now}).json()
    for who in ("herning", "police_a"):
        assert api(who).get(_url(referral, "steps")).status_code == 404
        assert api(who).get(_url(referral, "contact-attempts")).status_code == 404
        response = api(who).post(
            f"{_url(referral, 'steps')}{step['id']}/correct/",
            {"step": "unreachable", "at": now, "reason": "x"},
        )
        assert response.status_code == 404
    assert OutcomeStep.objects.count() == 1


def test_a_first_conversation_at_the_interview_can_be_recorded(api, programme):
    offer = OfferFactory(programme=programme, offence_date=timezone.localdate() - dt.timedelta(1))
    interview = timezone.now() - dt.timedelta(hours=5)
    answer = api("police_a").post(
        f"/api/v1/offers/{offer.pk}/answer/",
        {
            "answer": "yes",
            "offered_at": interview.isoformat(),
            "answered_at": (interview + dt.timedelta(minutes=10)).isoformat(),
            "consent": {"method": "signed", "text_version": 1, "given_at": interview.isoformat()},
        },
    )
    referral = Referral.objects.get(offer=offer)
    step = api("viborg").post(
        _url(referral, "steps"),
        {"step": "first_conversation", "at": (interview + dt.timedelta(minutes=30)).isoformat()},
    )
    assert answer.status_code == 200, answer.json()
    assert step.status_code == 201, step.json()
    assert Offer.objects.get(pk=offer.pk).offered_at == interview


def test_times_in_the_future_or_before_the_offence_are_refused(api, programme):
    offer = OfferFactory(programme=programme, offence_date=timezone.localdate())
    url = f"/api/v1/offers/{offer.pk}/answer/"
    future = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    before = (timezone.now() - dt.timedelta(days=2)).isoformat()
    assert (
        "answered_at" in api("police_a").post(url, {"answer": "no", "answered_at": future}).json()
    )
    assert "offered_at" in api("police_a").post(url, {"answer": "no", "offered_at": before}).json()
    assert Offer.objects.get(pk=offer.pk).answer == Offer.Answer.NOT_ASKED
