"""Partner systems: the inbox, contact attempts, outcome steps and withdrawal."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from sporskifte.api.views.referrals import ReferralCursor
from sporskifte.audit.models import AuditEvent
from sporskifte.referrals import services
from sporskifte.referrals.models import ContactAttempt, OutcomeStep, Referral
from sporskifte.testing.audit import persons_looked_at

from .conftest import CENTRE_VIBORG

URL = "/api/v1/referrals/"


def test_partner_sees_own_referrals_with_contact_details(api, make_referrals):
    referral = make_referrals(1)[0]
    person = referral.offer.person

    body = api("viborg").get(URL).json()

    [row] = body["results"]
    assert row["id"] == referral.pk
    assert row["person"] == {
        "full_name": person.full_name,
        "phone": person.phone,
        "email": person.email,
        "birth_date": person.birth_date.isoformat(),
    }
    assert row["bucket"] == "new"
    assert row["programme"]["id"] == referral.programme_id


def test_partner_of_herning_sees_none_of_viborgs_referrals(api, make_referrals):
    referral = make_referrals(2)[0]
    herning = api("herning")

    assert herning.get(URL).json()["results"] == []
    assert herning.get(f"{URL}{referral.pk}/").status_code == 404
    attempt = {"at": timezone.now().isoformat(), "method": "phone", "reached": True}
    assert herning.post(f"{URL}{referral.pk}/contact-attempts/", attempt).status_code == 404
    step = {"step": "first_conversation", "at": timezone.now().isoformat()}
    assert herning.post(f"{URL}{referral.pk}/steps/", step).status_code == 404
    assert herning.post(f"{URL}{referral.pk}/withdraw-consent/").status_code == 404
    assert not ContactAttempt.objects.exists() and not OutcomeStep.objects.exists()
    assert Referral.objects.get(pk=referral.pk).withdrawn_at is None


def test_police_token_cannot_use_the_partner_inbox(api, make_referrals):
    referral = make_referrals(1)[0]
    police = api("police_a")

    assert police.get(URL).json()["results"] == []
    assert police.get(f"{URL}{referral.pk}/").status_code == 404
    attempt = {"at": timezone.now().isoformat(), "method": "phone", "reached": True}
    assert police.post(f"{URL}{referral.pk}/contact-attempts/", attempt).status_code == 404


def test_each_person_shown_writes_a_view_audit_row(api, make_referrals, personas):
    referrals = make_referrals(3)
    before = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count()

    api("viborg").get(URL)
    api("viborg").get(f"{URL}{referrals[0].pk}/")

    views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).order_by("id")[before:]
    assert persons_looked_at(views) == sorted(
        [r.offer.person_id for r in referrals] + [referrals[0].offer.person_id]
    )
    assert len(views) == 2  # one row for the list page, one for the referral
    assert {e.organisation.slug for e in views} == {CENTRE_VIBORG}
    assert {e.legal_basis for e in views} == {services.CONSENT}


def test_contact_details_are_null_after_withdrawal(api, make_referrals):
    referral = make_referrals(1)[0]
    viborg = api("viborg")

    response = viborg.post(f"{URL}{referral.pk}/withdraw-consent/")

    assert response.status_code == 200
    assert response.json()["person"] is None
    assert response.json()["status"] == Referral.Status.WITHDRAWN
    views_before = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count()
    assert viborg.get(f"{URL}{referral.pk}/").json()["person"] is None
    assert viborg.get(URL).json()["results"][0]["person"] is None
    # Nothing personal was shown, so nothing was logged as a look.
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count() == views_before
    assert AuditEvent.objects.filter(action=AuditEvent.Action.WITHDRAW).count() == 1


def test_withdrawal_by_police_hides_contact_details_from_partner(api, make_referrals):
    referral = make_referrals(1)[0]
    api("police_a").post(f"/api/v1/offers/{referral.offer_id}/withdraw-consent/")
    assert api("viborg").get(f"{URL}{referral.pk}/").json()["person"] is None


def test_partner_never_receives_counselling_notes(api, make_referrals, personas):
    referral = make_referrals(1)[0]
    services.counselling_note_add(
        actor=personas.counsellor_a, referral=referral, text="Fortrolig-notat-7731"
    )
    viborg = api("viborg")
    for url in (URL, f"{URL}{referral.pk}/"):
        assert "Fortrolig-notat-7731" not in viborg.get(url).content.decode()


def test_contact_attempt_is_recorded_through_the_service(api, make_referrals):
    referral = make_referrals(1)[0]
    at = timezone.now() - dt.timedelta(minutes=3)

    response = api("viborg").post(
        f"{URL}{referral.pk}/contact-attempts/",
        {"at": at.isoformat(), "method": "phone", "reached": True},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["method"] == "phone"
    referral.refresh_from_db()
    assert referral.contact_made_at == at
    assert referral.status == Referral.Status.IN_PROGRESS
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE,
        object_type="referral",
        purpose=AuditEvent.Purpose.CONTACT_ATTEMPT_RECORDED,
    ).exists()


def test_contact_attempt_in_the_future_is_refused(api, make_referrals):
    referral = make_referrals(1)[0]
    at = timezone.now() + dt.timedelta(days=1)
    response = api("viborg").post(
        f"{URL}{referral.pk}/contact-attempts/",
        {"at": at.isoformat(), "method": "phone", "reached": True},
        format="json",
    )
    assert response.status_code == 400
    assert "at" in response.json()
    assert not ContactAttempt.objects.exists()


def test_outcome_step_is_recorded_and_unknown_step_refused(api, make_referrals, programme):
    programme.outcome_steps = ["first_conversation", "closed"]
    programme.save()
    referral = make_referrals(1)[0]
    viborg = api("viborg")
    at = timezone.now().isoformat()

    refused = viborg.post(f"{URL}{referral.pk}/steps/", {"step": "further_sessions", "at": at})
    ok = viborg.post(f"{URL}{referral.pk}/steps/", {"step": "first_conversation", "at": at})

    assert refused.status_code == 400 and "step" in refused.json()
    assert ok.status_code == 201
    body = viborg.get(f"{URL}{referral.pk}/").json()
    assert body["milestones"]["last_step"] == "first_conversation"
    assert body["milestones"]["first_conversation_at"] is not None


def test_status_filter_and_invalid_filter(api, make_referrals, personas):
    _new, started = make_referrals(2)
    services.referral_record_attempt(
        actor=personas.counsellor_a,
        referral=started,
        at=timezone.now(),
        method="sms",
        reached=False,
    )
    viborg = api("viborg")

    ids = [r["id"] for r in viborg.get(URL, {"status": "in_progress"}).json()["results"]]

    assert ids == [started.pk]
    assert viborg.get(URL, {"status": "nonsense"}).status_code == 400
    assert viborg.get(URL, {"bucket": "nonsense"}).status_code == 400


def test_bucket_filter_returns_overdue_referrals(api, make_referrals):
    overdue, _fresh = make_referrals(2)
    Referral.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))

    body = api("viborg").get(URL, {"bucket": "overdue"}).json()

    assert [r["id"] for r in body["results"]] == [overdue.pk]
    assert body["results"][0]["bucket"] == "overdue"


def test_inbox_is_cursor_paginated(api, make_referrals, monkeypatch):
    referrals = make_referrals(3)
    viborg = api("viborg")
    monkeypatch.setattr(ReferralCursor, "page_size", 2)

    first = viborg.get(URL).json()
    second = viborg.get(first["next"]).json()

    seen = [r["id"] for r in first["results"] + second["results"]]
    assert sorted(seen) == sorted(r.pk for r in referrals)
    assert second["next"] is None


def test_invalid_cursor_is_404(api, tokens):
    assert api("viborg").get(URL, {"cursor": "garbage"}).status_code == 404


def test_a_nul_character_in_the_query_string_is_logged_not_a_server_error(api, make_referrals):
    # DRF reads "%00" as an empty cursor, so the page is shown and its look must be logged;
    # PostgreSQL refuses U+0000 in the audit row's JSON (found by the schema test).
    make_referrals(1)

    response = api("viborg").get(URL, {"cursor": "\x00"})

    assert response.status_code == 200
    event = AuditEvent.objects.filter(purpose=AuditEvent.Purpose.API_PARTNER_INBOX).get()
    assert event.detail["criterion"] == {"cursor": "\ufffd"}


def test_inbox_query_count_does_not_grow_with_rows(
    api, make_referrals, personas, django_assert_max_num_queries
):
    viborg = api("viborg")
    make_referrals(3)
    # 8: the audit is three INSERTs (the page's row, its organisation, its items; one statement
    # on PostgreSQL) for any length; and 2 for the throttle (api.throttling: its count, and on a
    # token's first call in a window forgetting the earlier windows).
    with django_assert_max_num_queries(8 + 2) as few:
        assert len(viborg.get(URL).json()["results"]) == 3
    more = make_referrals(27)
    services.consent_withdraw(actor=personas.officer_a, offer=more[0].offer)  # person: null
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = viborg.get(URL).json()
    assert len(body["results"]) == 30
    assert [r["person"] for r in body["results"]].count(None) == 1


def test_list_builds_no_model_instance_per_row(api, make_referrals):
    """The list's rows are plain ``values()`` dicts (``REFERRAL_ROW``): a referral, an offer, a
    person and a programme built per row cost more than writing the row."""
    from django.db.models.signals import post_init

    from sporskifte.people.models import Person
    from sporskifte.referrals.models import Offer, Programme

    viborg = api("viborg")
    make_referrals(5)
    viborg.get(URL)  # warm the token's user and membership
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    models = (Referral, Offer, Person, Programme)
    for model in models:
        post_init.connect(count, sender=model, weak=False)
    try:
        assert len(viborg.get(URL).json()["results"]) == 5
    finally:
        for model in models:
            post_init.disconnect(count, sender=model)
    assert built == []


def test_list_rows_equal_the_serializer(api, make_referrals, personas):
    """The list writes its rows by hand (``referral_rows``) for speed; they must be exactly what
    ``ReferralSerializer`` (the detail's and the schema's) gives, in every state a row can be in:
    new, contact made, a step with its milestone, closed, on long follow-up, consent withdrawn."""
    from rest_framework.renderers import JSONRenderer

    from sporskifte.api.serializers import ReferralSerializer

    _new, contacted, stepped, closed, following, withdrawn = make_referrals(6)
    viborg = api("viborg")
    at = timezone.now().isoformat()
    for referral in (contacted, stepped, closed, following):
        attempt = {"at": at, "method": "phone", "reached": True}
        assert viborg.post(f"{URL}{referral.pk}/contact-attempts/", attempt).status_code == 201
    step = {"step": "further_sessions", "at": at}
    assert viborg.post(f"{URL}{stepped.pk}/steps/", step).status_code == 201
    assert viborg.post(f"{URL}{closed.pk}/steps/", {"step": "closed", "at": at}).status_code == 201
    Referral.objects.filter(pk=following.pk).update(
        long_follow_up=True, next_contact_on=dt.date(2031, 1, 2)
    )
    services.consent_withdraw(actor=personas.officer_a, offer=withdrawn.offer)

    listed = viborg.get(URL).json()["results"]

    referrals = Referral.objects.filter(partner__slug=CENTRE_VIBORG).order_by("-id")
    expected = ReferralSerializer(referrals, many=True, context={"now": timezone.now()}).data
    assert listed == json.loads(JSONRenderer().render(expected))
    assert {row["bucket"] for row in listed} >= {"new", "in_progress", "closed", "follow_up"}
    assert [row["person"] is None for row in listed].count(True) == 1
    assert any(row["milestones"]["further_sessions_at"] for row in listed)


def test_recording_a_step_reads_no_person(api, make_referrals):
    """The write's access check reads the referral's own columns; the service reads it again
    under its lock with what it needs. Nothing of the person is read to record a step."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    referral = make_referrals(1)[0]
    viborg = api("viborg")
    step = {"step": "first_conversation", "at": timezone.now().isoformat()}
    with CaptureQueriesContext(connection) as statements:
        assert viborg.post(f"{URL}{referral.pk}/steps/", step).status_code == 201
    assert not [q["sql"] for q in statements.captured_queries if "people_person" in q["sql"]]
    assert OutcomeStep.objects.filter(referral=referral).count() == 1
