"""What a journal or police system relies on beyond the happy path: unknown fields refused by
name, strings that stay strings, the token's language, Idempotency-Key, and finding cases and
offers again (issue 7 §5 and §7)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sporskifte.api.models import IdempotencyKey
from sporskifte.audit.models import AuditEvent
from sporskifte.referrals.models import Case, Offer, OutcomeStep
from sporskifte.testing.factories import CaseFactory, OfferFactory, ProgrammeFactory, district

from .conftest import client_for, issue_token
from .test_police_api import case_body, suspect

CASES = "/api/v1/cases/"
OFFERS = "/api/v1/offers/"


def _offer_body(programme, **person: object) -> dict:
    return {
        "programme": programme.pk,
        "offence": "ESL-KOEB",
        "offence_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "journal_number": "4100-80002-00001-26",
        "person": {"full_name": "Test Testesen", "home_municipality": "0791", **person},
    }


# Unknown fields and strings --------------------------------------------------------------------


def test_a_misspelt_field_is_refused_by_name_and_nothing_is_stored(api, programme):
    offer = OfferFactory(programme=programme)
    response = api("police_a").post(
        f"{OFFERS}{offer.pk}/answer/",
        {"answer": "no", "prevention_conversaton": "accepted"},
    )
    assert response.status_code == 400
    assert list(response.json()) == ["prevention_conversaton"]
    assert Offer.objects.get(pk=offer.pk).answer == Offer.Answer.NOT_ASKED


def test_an_unknown_field_in_a_nested_object_is_refused_by_name(api, programme):
    body = case_body(programme, [suspect(0), suspect(1, telefon="21234567")])
    response = api("police_a").post(CASES, body)
    assert response.status_code == 400
    assert response.json()["suspects"] == {
        "2": {"telefon": [response.json()["suspects"]["2"]["telefon"][0]]}
    }
    assert not Case.objects.exists()


def test_journal_number_as_a_json_number_is_refused(api, programme):
    body = case_body(programme, [suspect(0)])
    body["journal_number"] = 4100800010025
    response = api("police_a").post(CASES, body)
    assert response.status_code == 400
    assert response.json()["journal_number"] == ["Send this as a JSON string, in quotes."]
    assert not Case.objects.exists()


# Language -------------------------------------------------------------------------------------


def _without_language(key: str):
    client = client_for(key)
    del client.defaults["HTTP_ACCEPT_LANGUAGE"]
    return client


def test_a_swedish_token_gets_swedish_messages_unless_it_asks_otherwise(personas):
    key = issue_token("x-cons-stockholm", "counsellor")
    swedish = _without_language(key).get("/api/v1/referrals/", {"status": "bogus"})
    english = client_for(key).get("/api/v1/referrals/", {"status": "bogus"})
    assert swedish.status_code == english.status_code == 400
    assert swedish.headers["Content-Language"] == "sv"
    assert english.json()["status"] == ['"bogus" is not a valid choice.']
    assert swedish.json()["status"] != english.json()["status"]


def test_a_danish_token_gets_danish_messages(personas):
    key = issue_token("rusmiddelcenter-viborg", "counsellor")
    response = _without_language(key).get("/api/v1/referrals/", {"status": "bogus"})
    assert response.headers["Content-Language"] == "da"


def test_broken_json_is_answered_in_one_language(tokens):
    client = client_for(tokens["police_a"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "da"
    response = client.generic("POST", CASES, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Indholdet er ikke gyldig JSON."}


# Idempotency-Key ------------------------------------------------------------------------------


def test_a_retried_case_with_the_same_key_returns_the_first_answer_without_a_second_write(
    api, programme
):
    police = api("police_a")
    body = case_body(programme, [suspect(0), suspect(1)])
    first = police.post(CASES, body, HTTP_IDEMPOTENCY_KEY="retry-1")
    again = police.post(CASES, body, HTTP_IDEMPOTENCY_KEY="retry-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1 and Offer.objects.count() == 2
    created = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_type="offer")
    assert created.count() == 2


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(api, programme):
    police = api("police_a")
    police.post(CASES, case_body(programme, [suspect(0)]), HTTP_IDEMPOTENCY_KEY="k")
    other = case_body(programme, [suspect(1)], journal="4100-99999-00001-26")
    response = police.post(CASES, other, HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 422
    assert "another request" in response.json()["detail"]
    assert Case.objects.count() == 1


def test_keys_belong_to_one_token(api, tokens, programme, personas):
    other_police = client_for(issue_token("midt-vestjylland", "officer", name="second system"))
    api("police_a").post(OFFERS, _offer_body(programme), HTTP_IDEMPOTENCY_KEY="same")
    response = other_police.post(OFFERS, _offer_body(programme), HTTP_IDEMPOTENCY_KEY="same")
    assert response.status_code == 201
    assert Offer.objects.count() == 2


def test_an_expired_key_can_be_used_again(api, programme):
    police = api("police_a")
    police.post(OFFERS, _offer_body(programme), HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyKey.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = police.post(OFFERS, _offer_body(programme), HTTP_IDEMPOTENCY_KEY="old")
    assert response.status_code == 201
    assert Offer.objects.count() == 2 and IdempotencyKey.objects.count() == 1


def test_a_retried_step_is_recorded_once(api, make_referrals):
    referral = make_referrals(1)[0]
    body = {"step": "first_conversation", "at": timezone.now().isoformat()}
    url = f"/api/v1/referrals/{referral.pk}/steps/"
    first = api("viborg").post(url, body, HTTP_IDEMPOTENCY_KEY="step-1")
    again = api("viborg").post(url, body, HTTP_IDEMPOTENCY_KEY="step-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert OutcomeStep.objects.count() == 1


# Finding cases and offers again ---------------------------------------------------------------


def test_a_case_is_found_by_its_journal_number_in_the_own_district_only(api, programme):
    case = CaseFactory(programme=programme, journal_number="4100-80001-00001-26")
    CaseFactory(programme=programme)
    found = api("police_a").get(CASES, {"journal_number": "4100-80001-00001-26"})
    elsewhere = api("police_b").get(CASES, {"journal_number": "4100-80001-00001-26"})
    assert [c["id"] for c in found.json()["results"]] == [case.pk]
    assert elsewhere.json()["results"] == []


def test_police_search_their_offers_by_journal_number_and_answer(
    api, programme, django_assert_max_num_queries
):
    mine = OfferFactory(programme=programme, journal_number="4100-1-1-26")
    OfferFactory.create_batch(3, programme=programme)
    # The audit of the page is three INSERTs (its row, its organisations, its items).
    with django_assert_max_num_queries(15):
        response = api("police_a").get(
            OFFERS, {"journal_number": "4100-1-1-26", "answer": "not_asked"}
        )
    assert [o["id"] for o in response.json()["results"]] == [mine.pk]
    assert AuditEvent.objects.filter(purpose=AuditEvent.Purpose.API_OFFER_LIST).count() == 1
    assert api("police_b").get(OFFERS).json()["results"] == []


def test_an_offer_for_a_home_centre_programme_needs_the_municipality(api, programme):
    body = _offer_body(programme)
    del body["person"]["home_municipality"]
    response = api("police_a").post(OFFERS, body)
    assert response.status_code == 400
    assert "home_municipality" in response.json()["person"]
    assert not Offer.objects.exists()


# Programme rules for partners -----------------------------------------------------------------


def test_a_partner_reads_the_rules_of_the_programmes_it_serves_only(api, programme, personas):
    ProgrammeFactory(police_district=district("sydoestjylland"), name="Elsewhere")
    response = api("viborg").get("/api/v1/programmes/")
    assert response.status_code == 200
    (rules,) = response.json()["results"]
    assert rules["id"] == programme.pk
    assert rules["contact_deadline_days"] == programme.contact_deadline_days
    assert rules["feedback_level"] == programme.feedback_level
    assert {s["step"] for s in rules["outcome_steps"]} == set(programme.outcome_steps)
    brydehuset = client_for(issue_token("brydehuset", "counsellor"))
    assert brydehuset.get("/api/v1/programmes/").json()["results"] == []
