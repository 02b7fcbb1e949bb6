"""The officer's search by name, identity number and journal number, within the district and
audited as a search; and one late suspect added to a case that already exists."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.people.models import Person
from sporskifte.referrals.models import Offer
from sporskifte.testing.factories import OfferFactory, PersonFactory

pytestmark = pytest.mark.django_db
OVERVIEW = reverse("referrals:overview")


def _found(client, query: str) -> set[int]:
    response = client.get(OVERVIEW, {"q": query})
    assert response.status_code == 200
    return {o["id"] for o in response.context["offers"]}  # values() rows


def test_search_by_name_finds_every_word_in_any_order(personas, world, as_user):
    person = world.offer_viborg.person
    person.full_name = "Kasper Bjerre Holm"
    person.save()
    client = as_user(personas.officer_a)

    assert _found(client, "holm kasper") == {world.offer_viborg.pk}
    assert world.offer_viborg.pk not in _found(client, "Kasper Lund")


def test_search_by_identity_number_with_or_without_dash(personas, world, as_user):
    number = world.offer_herning.person.id_number
    client = as_user(personas.officer_a)
    assert _found(client, number) == {world.offer_herning.pk}
    assert _found(client, f"{number[:6]}-{number[6:]}") == {world.offer_herning.pk}


def test_search_by_journal_number_still_works(personas, world, as_user):
    client = as_user(personas.officer_a)
    assert _found(client, world.offer_herning.journal_number) == {world.offer_herning.pk}


def test_search_finds_nobody_in_another_district(personas, world, as_user):
    other = world.offer_b.person
    client = as_user(personas.officer_a)
    assert _found(client, other.full_name) == set()
    assert _found(client, other.id_number) == set()


def test_a_search_is_audited_with_its_criterion(personas, world, as_user):
    as_user(personas.officer_a).get(OVERVIEW, {"q": "Kasper"})
    row = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH, actor=personas.officer_a)
    assert row.detail == {"criterion": "name", "query": "Kasper"}
    assert row.object_type == "offer"


def test_no_search_no_search_row(personas, world, as_user):
    as_user(personas.officer_a).get(OVERVIEW)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH).exists()


def test_a_name_search_costs_the_same_queries_for_1_and_20_matches(personas, world, as_user):
    client = as_user(personas.officer_a)
    client.get(OVERVIEW)  # warm the session
    OfferFactory(programme=world.programme_a, person=PersonFactory(full_name="Kim Søgbar"))
    with CaptureQueriesContext(connection) as few:
        assert len(_found(client, "Søgbar")) == 1
    for _ in range(19):
        OfferFactory(programme=world.programme_a, person=PersonFactory(full_name="Kim Søgbar"))
    with CaptureQueriesContext(connection) as many:
        assert len(_found(client, "Søgbar")) == 20
    assert len(many) == len(few)


# Late suspects --------------------------------------------------------------------------------


def _suspect(**overrides) -> dict:
    data = {
        "full_name": "Sen Mistænkt",
        "id_kind": "none",
        "offence_date": (timezone.localdate()).isoformat(),
        "home_municipality": world_municipality(),
    }
    data.update(overrides)
    return data


def world_municipality() -> int:
    from sporskifte.testing.factories import municipality

    return municipality("Viborg").pk


def test_a_late_suspect_is_added_to_the_case(personas, world, as_user):
    before = world.case_a.offers.count()
    response = as_user(personas.officer_a).post(
        reverse("referrals:case_add_suspect", args=[world.case_a.pk]), _suspect()
    )
    assert response.status_code == 302
    offer = Offer.objects.get(person__full_name="Sen Mistænkt")
    assert offer.case == world.case_a and offer.offence == world.case_a.offence
    assert offer.programme == world.case_a.programme
    assert offer.journal_number == world.case_a.journal_number
    assert world.case_a.offers.count() == before + 1
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_type="offer", object_id=str(offer.pk)
    ).exists()


def test_a_late_suspect_with_a_bad_identity_number_adds_nothing(personas, world, as_user):
    response = as_user(personas.officer_a).post(
        reverse("referrals:case_add_suspect", args=[world.case_a.pk]),
        _suspect(id_kind="cpr", id_number="320199-1234"),
    )
    assert response.status_code == 400
    assert "id_number" in response.context["suspect_form"].errors
    assert not Person.objects.filter(full_name="Sen Mistænkt").exists()


def test_another_district_cannot_add_a_suspect_to_the_case(personas, world, as_user):
    response = as_user(personas.officer_b).post(
        reverse("referrals:case_add_suspect", args=[world.case_a.pk]), _suspect()
    )
    assert response.status_code == 404
    assert not Person.objects.filter(full_name="Sen Mistænkt").exists()


def test_a_partner_cannot_add_a_suspect(personas, world, as_user):
    response = as_user(personas.counsellor_a).post(
        reverse("referrals:case_add_suspect", args=[world.case_a.pk]), _suspect()
    )
    assert response.status_code == 404
