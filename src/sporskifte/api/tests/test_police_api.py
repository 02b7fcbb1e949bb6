"""Police systems: cases with many suspects, offers, answers, withdrawals, programmes."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.people.models import Person
from sporskifte.referrals import services
from sporskifte.referrals.models import Case, Offence, Offer, Programme, Referral
from sporskifte.testing.audit import persons_looked_at
from sporskifte.testing.factories import (
    CaseFactory,
    OfferFactory,
    ProgrammeFactory,
    district,
    fictitious_cpr,
)

from .conftest import refer

CASES = "/api/v1/cases/"
OFFERS = "/api/v1/offers/"
POLICE_REFERRAL_KEYS = {"partner", "referred_at"}


def suspect(n: int, **overrides: object) -> dict:
    birth = dt.date(1980 + n % 20, 1 + n % 12, 1 + n % 28)
    row = {
        "full_name": f"Testperson {n}",
        "id_kind": "cpr",
        "id_number": fictitious_cpr(birth, female=n % 2 == 0, rng=random.Random(n)),
        "phone": f"2123{n:04d}",
        "home_municipality": "0791",
        "offence_date": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
    }
    row.update(overrides)
    return row


def case_body(programme: Programme, suspects: list[dict], journal: str = "4100-12345-00001-25"):
    return {
        "journal_number": journal,
        "title": "Beslaglagt salgstelefon",
        "programme": programme.pk,
        "offence": "ESL-KOEB",
        "suspects": suspects,
    }


def counts() -> tuple[int, int, int]:
    return Case.objects.count(), Person.objects.count(), Offer.objects.count()


# Cases ---------------------------------------------------------------------------------------


def test_case_with_suspects_is_created(api, programme):
    response = api("police_a").post(CASES, case_body(programme, [suspect(i) for i in range(3)]))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert [o["person"]["full_name"] for o in body["offers"]] == [
        "Testperson 0",
        "Testperson 1",
        "Testperson 2",
    ]
    assert all(o["answer"] == "not_asked" and o["referral"] is None for o in body["offers"])
    assert all(o["police_status"] is None for o in body["offers"])
    case = Case.objects.get(pk=body["id"])
    assert case.offers.count() == 3
    person = case.offers.order_by("id").first().person
    assert person.birth_date == dt.date(1980, 1, 1)  # derived from the CPR number
    assert person.phone == "+4521230000"
    created = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_type="offer")
    assert created.count() == 3


def test_one_bad_suspect_creates_nothing_and_names_number_and_field(api, programme):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    suspects = [
        suspect(0),
        suspect(1, id_number="3213991234"),  # no 32nd of December
        suspect(2),
        suspect(3, home_municipality="9999", offence_date=future),
    ]
    before, audit_before = counts(), AuditEvent.objects.count()

    response = api("police_a").post(CASES, case_body(programme, suspects))

    assert response.status_code == 400
    errors = response.json()["suspects"]
    assert set(errors) == {"2", "4"}  # keyed by the suspect's number from 1, only the bad ones
    assert set(errors["2"]) == {"id_number"}
    assert set(errors["4"]) == {"home_municipality", "offence_date"}
    assert counts() == before
    assert AuditEvent.objects.count() == audit_before


def test_field_level_error_in_one_suspect_creates_nothing(api, programme):
    suspects = [suspect(0), suspect(1, offence_date="not a date")]
    before = counts()

    response = api("police_a").post(CASES, case_body(programme, suspects))

    assert response.status_code == 400
    assert set(response.json()["suspects"]) == {"2"}
    assert "offence_date" in response.json()["suspects"]["2"]
    assert counts() == before


def test_duplicate_journal_number_is_reported_with_the_suspects_errors(api, programme):
    CaseFactory(programme=programme, journal_number="4100-1-1-25")
    before = counts()
    suspects = [suspect(0), suspect(1, id_number="3213991234")]

    response = api("police_a").post(CASES, case_body(programme, suspects, "4100-1-1-25"))

    assert response.status_code == 400
    assert "journal_number" in response.json()
    assert set(response.json()["suspects"]) == {"2"}
    assert counts() == before


def test_same_person_twice_in_one_case_is_refused(api, programme):
    twice = suspect(0)
    before = counts()
    response = api("police_a").post(CASES, case_body(programme, [twice, suspect(1), twice]))
    assert response.status_code == 400
    assert set(response.json()["suspects"]) == {"3"}
    assert response.json()["suspects"]["3"]["id_number"] == [
        "The same person is already on line 2 of the file (suspect 1 of the list)."
    ]
    assert counts() == before


def test_suspect_already_registered_in_the_district_is_reused(api, programme):
    police = api("police_a")
    police.post(CASES, case_body(programme, [suspect(0)], "4100-1-1-25"))
    response = police.post(CASES, case_body(programme, [suspect(0)], "4100-2-2-25"))
    assert response.status_code == 201
    assert Person.objects.count() == 1 and Offer.objects.count() == 2


def test_case_without_suspects_is_created_empty(api, programme):
    response = api("police_a").post(CASES, case_body(programme, []))
    assert response.status_code == 201 and response.json()["offers"] == []


@pytest.mark.parametrize("who", ["police_b", "viborg"])
def test_other_district_or_partner_cannot_create_a_case_in_a_programme(api, programme, who):
    before = counts()
    response = api(who).post(CASES, case_body(programme, [suspect(0)]))
    assert response.status_code == 400 and "programme" in response.json()
    assert counts() == before


def test_case_detail_scoped_to_district_and_audited(api, programme, personas):
    case = CaseFactory(programme=programme)
    offers = OfferFactory.create_batch(2, programme=programme, case=case)
    refer(personas.officer_a, offers[0])
    before = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count()

    body = api("police_a").get(f"{CASES}{case.pk}/").json()

    assert [o["id"] for o in body["offers"]] == [o.pk for o in offers]
    assert set(body["offers"][0]["referral"]) == POLICE_REFERRAL_KEYS
    assert body["offers"][0]["police_status"] == "not_in_contact"
    assert body["offers"][1]["police_status"] is None
    views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).order_by("id")[before:]
    assert persons_looked_at(views) == sorted(o.person_id for o in offers)
    assert api("police_b").get(f"{CASES}{case.pk}/").status_code == 404
    assert api("viborg").get(f"{CASES}{case.pk}/").status_code == 404


def test_case_detail_query_count_does_not_grow_with_offers(
    api, programme, personas, django_assert_max_num_queries
):
    police = api("police_a")
    case = CaseFactory(programme=programme)

    def add(n: int) -> None:
        for offer in OfferFactory.create_batch(n, programme=programme, case=case):
            refer(personas.officer_a, offer)

    add(3)
    # 9, and 2 for the throttle (api.throttling: its count, and on a token's first call in a
    # window forgetting the earlier windows).
    with django_assert_max_num_queries(9 + 2) as few:
        assert len(police.get(f"{CASES}{case.pk}/").json()["offers"]) == 3
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(police.get(f"{CASES}{case.pk}/").json()["offers"]) == 30


# Offers --------------------------------------------------------------------------------------


def offer_body(programme: Programme, **person: object) -> dict:
    row = suspect(7, **person)
    offence_date = row.pop("offence_date")
    return {
        "programme": programme.pk,
        "offence": "FL54",
        "offence_date": offence_date,
        "journal_number": "4100-55555-00001-25",
        "person": row,
    }


def test_offer_is_registered_and_shown(api, programme):
    response = api("police_a").post(OFFERS, offer_body(programme))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["person"]["full_name"] == "Testperson 7"
    assert body["person"]["home_municipality"]["code"] == "0791"
    assert body["referral"] is None and body["consent"] is None
    assert Offer.objects.get(pk=body["id"]).recorded_by.is_service


def test_offer_with_invalid_person_is_refused_under_person(api, programme):
    before = counts()
    response = api("police_a").post(OFFERS, offer_body(programme, phone="12"))
    assert response.status_code == 400
    assert "phone" in response.json()["person"]
    assert counts() == before


def test_offer_for_an_offence_outside_the_programme_is_refused(api, programme):
    programme.offences.set(Offence.objects.filter(code="ESL-KOEB"))
    response = api("police_a").post(OFFERS, offer_body(programme))  # FL54
    assert response.status_code == 400 and "offence" in response.json()
    assert not Offer.objects.exists()


def test_offence_code_with_a_nul_character_is_refused_not_an_error(api, programme):
    # Found by schemathesis: PostgreSQL cannot compare text with NUL and raised a 500.
    response = api("police_a").post(OFFERS, offer_body(programme) | {"offence": "FL\x0054"})
    assert response.status_code == 400 and "offence" in response.json()
    assert not Offer.objects.exists()


def test_offer_needs_a_journal_number_or_a_case(api, programme):
    police = api("police_a")
    case = CaseFactory(programme=programme)
    without = offer_body(programme) | {"journal_number": ""}

    refused = police.post(OFFERS, without)
    in_case = police.post(OFFERS, without | {"case": case.pk})

    assert refused.status_code == 400 and "journal_number" in refused.json()
    assert in_case.status_code == 201
    assert in_case.json()["journal_number"] == case.journal_number
    assert in_case.json()["case"] == case.pk


def test_offer_in_a_case_of_another_programme_is_refused(api, programme):
    other_case = CaseFactory(programme=ProgrammeFactory())
    body = offer_body(programme) | {"case": other_case.pk}
    response = api("police_a").post(OFFERS, body)
    assert response.status_code == 400 and "case" in response.json()


def test_token_of_district_b_gets_404_on_district_a_offer(api, programme):
    offer = OfferFactory(programme=programme)
    police_b = api("police_b")
    yes = {
        "answer": "yes",
        "consent": {"method": "oral", "text_version": 1, "given_at": timezone.now().isoformat()},
    }

    assert police_b.get(f"{OFFERS}{offer.pk}/").status_code == 404
    assert police_b.post(f"{OFFERS}{offer.pk}/answer/", yes).status_code == 404
    assert police_b.post(f"{OFFERS}{offer.pk}/withdraw-consent/").status_code == 404
    offer.refresh_from_db()
    assert offer.answer == Offer.Answer.NOT_ASKED
    assert api("police_a").get(f"{OFFERS}{offer.pk}/").status_code == 200


def test_offer_detail_writes_a_view_audit_row(api, programme):
    offer = OfferFactory(programme=programme)
    api("police_a").get(f"{OFFERS}{offer.pk}/")
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert (event.person_id, event.object_type, event.organisation.slug) == (
        offer.person_id,
        "offer",
        "midt-vestjylland",
    )


def test_the_offer_list_logs_a_nul_in_its_query_string_and_bounds_the_criterion(api, programme):
    # Found by the schema test: "?%00r=1" was a 500 on PostgreSQL, which cannot store U+0000 in
    # the audit row's JSON; and this list wrote its query string into the row unbounded.
    OfferFactory(programme=programme)

    response = api("police_a").get(OFFERS, {"\x00r": "1", "x" * 80: "y" * 300})

    assert response.status_code == 200
    event = AuditEvent.objects.get(purpose=AuditEvent.Purpose.API_OFFER_LIST)
    assert event.detail["criterion"] == {"\ufffdr": "1", "x" * 50: "y" * 200}


def test_yes_with_consent_refers_to_the_home_centre(api, programme):
    offer = OfferFactory(programme=programme)
    given = timezone.now() - dt.timedelta(minutes=10)
    response = api("police_a").post(
        f"{OFFERS}{offer.pk}/answer/",
        {
            "answer": "yes",
            "prevention_conversation": "accepted",
            "consent": {"method": "signed", "text_version": 1, "given_at": given.isoformat()},
        },
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["referral"]["partner"]["name"] == "Rusmiddelcenter Viborg"
    assert body["consent"]["method"] == "signed" and body["consent"]["text_version"] == 1
    assert body["prevention_conversation"] == "accepted"
    assert Referral.objects.get(offer=offer).partner.slug == "rusmiddelcenter-viborg"


def test_yes_without_consent_or_with_unknown_version_is_refused(api, programme):
    offer = OfferFactory(programme=programme)
    police = api("police_a")
    url = f"{OFFERS}{offer.pk}/answer/"
    consent = {"method": "oral", "text_version": 9, "given_at": timezone.now().isoformat()}

    missing = police.post(url, {"answer": "yes"})
    unknown = police.post(url, {"answer": "yes", "consent": consent})

    assert missing.status_code == 400 and "consent" in missing.json()
    assert unknown.status_code == 400 and "text_version" in unknown.json()["consent"]
    assert not Referral.objects.exists()


def test_consent_errors_from_the_service_are_named_after_the_body(api, programme):
    offer = OfferFactory(programme=programme)
    later = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = api("police_a").post(
        f"{OFFERS}{offer.pk}/answer/",
        {"answer": "yes", "consent": {"method": "oral", "text_version": 1, "given_at": later}},
    )
    assert response.status_code == 400
    assert "given_at" in response.json()["consent"]


def test_answer_no_creates_no_referral(api, programme):
    offer = OfferFactory(programme=programme)
    response = api("police_a").post(f"{OFFERS}{offer.pk}/answer/", {"answer": "no"})
    assert response.status_code == 200 and response.json()["answer"] == "no"
    assert not Referral.objects.exists()


def test_police_token_never_gets_attempt_details(api, programme, personas):
    offer = OfferFactory(programme=programme)
    referral = refer(personas.officer_a, offer)
    services.referral_record_attempt(
        actor=personas.counsellor_a,
        referral=referral,
        at=timezone.now() - dt.timedelta(minutes=1),
        method="sms",
        reached=True,
    )
    services.counselling_note_add(
        actor=personas.counsellor_a, referral=referral, text="Fortrolig-notat-4410"
    )

    response = api("police_a").get(f"{OFFERS}{offer.pk}/")

    body = response.json()
    assert set(body["referral"]) == POLICE_REFERRAL_KEYS
    assert body["police_status"] == "contact_made"
    text = response.content.decode()
    assert "sms" not in text and "Fortrolig-notat-4410" not in text
    assert "attempt" not in text and "contact_made_at" not in text


def test_police_status_respects_the_programmes_feedback_level(api, personas):
    programme = ProgrammeFactory(feedback_level=Programme.Feedback.NOTHING)
    offer = OfferFactory(programme=programme)
    referral = refer(personas.officer_a, offer)
    services.referral_record_step(
        actor=personas.counsellor_a,
        referral=referral,
        step="first_conversation",
        at=timezone.now(),
    )
    body = api("police_a").get(f"{OFFERS}{offer.pk}/").json()
    assert body["police_status"] == "referred"


def test_withdrawal_by_police_and_second_withdrawal_refused(api, programme, personas):
    offer = OfferFactory(programme=programme)
    refer(personas.officer_a, offer)
    police = api("police_a")

    first = police.post(f"{OFFERS}{offer.pk}/withdraw-consent/")
    second = police.post(f"{OFFERS}{offer.pk}/withdraw-consent/")

    assert first.status_code == 200
    assert first.json()["police_status"] == "withdrawn"
    assert first.json()["consent"]["withdrawn_at"] is not None
    assert second.status_code == 400


# Programmes ----------------------------------------------------------------------------------


def test_programmes_show_current_consent_version_and_steps(api, programme, personas):
    services.programme_update(
        actor=personas.admin_a,
        programme=programme,
        consent_text="Ny tekst, version 2",
        offences=list(programme.offences.all()),
        outcome_steps=["first_conversation", "closed"],
    )
    ProgrammeFactory(police_district=district("sydoestjylland"))

    body = api("police_a").get("/api/v1/programmes/").json()

    [row] = body["results"]
    assert row["id"] == programme.pk
    assert row["consent_text"] == {"version": 2, "text": "Ny tekst, version 2"}
    assert [s["step"] for s in row["outcome_steps"]] == ["first_conversation", "closed"]
    # A partner reads the rules of the programmes it serves, never another district's.
    served = api("viborg").get("/api/v1/programmes/").json()["results"]
    assert [p["id"] for p in served] == [programme.pk]


def test_programme_list_query_count_does_not_grow(api, personas, django_assert_max_num_queries):
    police = api("police_a")
    ProgrammeFactory.create_batch(3)
    with django_assert_max_num_queries(7 + 2) as few:  # + the throttle, as above
        assert len(police.get("/api/v1/programmes/").json()["results"]) == 3
    ProgrammeFactory.create_batch(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(police.get("/api/v1/programmes/").json()["results"]) == 30
