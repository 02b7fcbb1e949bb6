import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sporskifte.audit.models import AuditEvent

SEARCH = reverse("audit:search")


def rows_in(response):
    return list(response.context["rows"])


@pytest.mark.django_db
def test_filters_by_action_user_purpose_and_date(personas, person_a, look, as_user):
    old = look(personas.officer_a, person_a, AuditEvent.Purpose.OFFER_PAGE)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=10))
    personas.investigator_a.last_name = "Kragh"
    personas.investigator_a.save()
    new = look(
        personas.investigator_a,
        person_a,
        AuditEvent.Purpose.REFERRAL_PAGE,
        AuditEvent.Action.UPDATE,
    )
    client = as_user(personas.admin_a)
    today = timezone.localdate()

    assert rows_in(client.get(SEARCH, {"action": "update"})) == [new]
    assert rows_in(client.get(SEARCH, {"user": "investigator"})) == [new]
    assert rows_in(client.get(SEARCH, {"user": "KRAGH"})) == [new]
    assert rows_in(client.get(SEARCH, {"purpose": "offer_page"})) == [old]
    assert rows_in(client.get(SEARCH, {"date_to": str(today - dt.timedelta(days=5))})) == [old]
    assert new in rows_in(client.get(SEARCH, {"date_from": str(today)}))
    assert old not in rows_in(client.get(SEARCH, {"date_from": str(today)}))


@pytest.mark.django_db
def test_date_range_the_wrong_way_round_is_a_clear_error(personas, as_user):
    response = as_user(personas.admin_a).get(
        SEARCH, {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )

    assert response.status_code == 200
    assert 'href="#id_date_to"' in response.content.decode()


@pytest.mark.django_db
def test_search_by_identity_number_redirects_without_the_number_and_logs_the_look(
    personas, person_a, look, as_user
):
    mine = look(personas.officer_a, person_a)
    other_person_event = look(personas.officer_a, None, AuditEvent.Purpose.LOGIN)
    client = as_user(personas.admin_a)

    response = client.post(
        SEARCH, {"id_kind": "cpr", "id_number": person_a.id_display, "action": "view"}
    )

    assert response.status_code == 302
    location = response["Location"]
    assert person_a.id_number not in location
    assert parse_qs(urlsplit(location).query) == {"person": [str(person_a.pk)], "action": ["view"]}
    page = client.get(location)
    assert rows_in(page) == [mine]
    assert other_person_event not in rows_in(page)
    logged = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH)
    assert logged.actor == personas.admin_a
    assert logged.person_id == person_a.pk


@pytest.mark.django_db
def test_searching_for_another_districts_person_finds_nothing(personas, person_b, look, as_user):
    look(personas.officer_b, person_b)
    client = as_user(personas.admin_a)

    response = client.post(SEARCH, {"id_kind": "cpr", "id_number": person_b.id_number})

    assert response.status_code == 200
    assert 'href="#id_id_number"' in response.content.decode()
    assert client.get(SEARCH, {"person": person_b.pk}).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH).exists()


@pytest.mark.django_db
def test_sysadmin_does_not_find_another_districts_person(personas, person_b, look, as_user):
    look(personas.officer_b, person_b)
    client = as_user(personas.sysadmin)

    response = client.post(SEARCH, {"id_kind": "cpr", "id_number": person_b.id_number})

    assert response.status_code == 200
    assert 'href="#id_id_number"' in response.content.decode()
    assert client.get(SEARCH, {"person": person_b.pk}).status_code == 404


@pytest.mark.django_db
def test_sysadmin_finds_their_own_districts_person(personas, person_a, look, as_user):
    look(personas.officer_a, person_a)

    response = as_user(personas.sysadmin).post(
        SEARCH, {"id_kind": "cpr", "id_number": person_a.id_number}
    )

    assert response.status_code == 302


@pytest.mark.django_db
def test_invalid_identity_number_is_a_field_error(personas, as_user):
    response = as_user(personas.admin_a).post(
        SEARCH, {"id_kind": "cpr", "id_number": "320199-1234"}
    )

    assert response.status_code == 200
    assert 'href="#id_id_number"' in response.content.decode()


@pytest.mark.django_db
def test_pages_hold_fifty_events(personas, person_a, look, as_user):
    for _ in range(120):
        look(personas.officer_a, person_a)
    client = as_user(personas.admin_a)

    assert len(rows_in(client.get(SEARCH))) == 50
    last = client.get(SEARCH, {"page": 3})
    assert len(rows_in(last)) == 20
    assert last.context["page"].paginator.count == 120


def _queries_for_page(client, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(SEARCH, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_number_of_rows(
    personas, person_a, look, as_user, django_assert_max_num_queries
):
    client = as_user(personas.admin_a)
    for _ in range(3):
        look(personas.counsellor_a, person_a)
    few = _queries_for_page(client, {})
    few_by_person = _queries_for_page(client, {"person": person_a.pk})
    for _ in range(60):
        look(personas.counsellor_a, person_a)
    many = _queries_for_page(client, {})
    many_by_person = _queries_for_page(client, {"person": person_a.pk})

    assert few == many
    assert few_by_person == many_by_person
    # 16: the events, their responsible organisations (one prefetch), the refused-look bursts
    # and the look it writes.
    with django_assert_max_num_queries(16):
        client.get(SEARCH, {"person": person_a.pk, "page": 2})


@pytest.mark.django_db
def test_identity_search_is_logged_in_the_post_before_any_redirect_is_followed(
    personas, person_a, as_user
):
    client = as_user(personas.admin_a)

    response = client.post(SEARCH, {"id_kind": "cpr", "id_number": person_a.id_display})

    assert response.status_code == 302
    logged = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH)
    assert (logged.actor, logged.person_id) == (personas.admin_a, person_a.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [SEARCH, reverse("audit:subject_extract")])
@pytest.mark.parametrize("raw", ["99999999999999999999999", "0", "-1"])
def test_person_ids_no_database_can_hold_are_not_found(personas, as_user, url, raw):
    assert as_user(personas.admin_a).get(url, {"person": raw}).status_code == 404
