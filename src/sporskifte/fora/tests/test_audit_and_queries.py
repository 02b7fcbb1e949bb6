"""Every look at a forum person is in the audit log; pages cost a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sporskifte.audit.models import AuditEvent
from sporskifte.fora import meetings, services
from sporskifte.fora.frame import LegalBasis
from sporskifte.testing.audit import objects_looked_at


def looks(person=None):
    """VIEW rows naming the forum person themselves or as an item of the page's row."""
    rows = AuditEvent.objects.filter(action="view", object_type="forum_person")
    return rows.filter(items__object_id=person.pk) if person else rows


def test_person_page_look_is_logged(world, as_user):
    as_user(world.school).get(reverse("fora:person_detail", args=[world.ssp_person.pk]))
    row = looks(world.ssp_person).get()
    assert (row.actor, row.organisation, row.person_id, row.legal_basis) == (
        world.school,
        world.kommune,
        None,
        LegalBasis.SSP,
    )


def test_refused_look_leaves_no_row(personas, world, as_user):
    as_user(personas.counsellor_a).get(reverse("fora:person_detail", args=[world.ssp_person.pk]))
    assert not looks().exists()


def test_forum_page_logs_one_look_per_person_listed(world, as_user):
    other = services.forum_person_share(
        actor=world.school,
        forum=world.ssp,
        full_name="Anden Person",
        birth_date=None,
        legal_basis=LegalBasis.SSP,
        reason="r",
        information="i",
    )
    as_user(world.school).get(reverse("fora:forum_detail", args=[world.ssp.pk]))
    assert looks().count() == 1
    assert objects_looked_at(looks()) == sorted([str(world.ssp_person.pk), str(other.pk)])


def test_meeting_page_logs_the_persons_on_its_agenda(personas, world, as_user):
    meetings.agenda_item_add(
        actor=world.school,
        meeting=world.ssp_meeting,
        kind="person",
        person=world.ssp_person,
        reason="r",
    )
    as_user(world.school).get(reverse("fora:meeting_detail", args=[world.ssp_meeting.pk]))
    assert looks(world.ssp_person).filter(actor=world.school).count() == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _more_people(world, n):
    for i in range(n):
        p = services.forum_person_share(
            actor=world.school,
            forum=world.ssp,
            full_name=f"Person {i}",
            birth_date=None,
            legal_basis=LegalBasis.SSP,
            reason="r",
            information="i",
        )
        meetings.agenda_item_add(
            actor=world.school, meeting=world.ssp_meeting, kind="person", person=p, reason="r"
        )


@pytest.mark.parametrize("page", ["forum", "meeting"])
def test_page_queries_do_not_grow_with_its_persons(page, personas, world, as_user):
    client = as_user(personas.officer_a)
    url = (
        reverse("fora:forum_detail", args=[world.ssp.pk])
        if page == "forum"
        else reverse("fora:meeting_detail", args=[world.ssp_meeting.pk])
    )
    _more_people(world, 2)  # two or more: the looks after the first go in one bulk INSERT
    few = _queries(client, url)
    _more_people(world, 6)
    assert _queries(client, url) == few
    assert few <= 30


def test_person_page_query_budget(world, as_user, django_assert_max_num_queries):
    client = as_user(world.school)
    with django_assert_max_num_queries(30):
        client.get(reverse("fora:person_detail", args=[world.ssp_person.pk]))


def test_forum_list_query_budget(personas, world, as_user, django_assert_max_num_queries):
    client = as_user(personas.officer_a)
    with django_assert_max_num_queries(15):
        client.get(reverse("fora:forum_list"))


def test_sharing_is_logged_with_its_basis_but_not_its_free_text(world):
    person = services.forum_person_share(
        actor=world.school,
        forum=world.ssp,
        full_name="Karla Delingsen",
        birth_date=None,
        legal_basis=LegalBasis.SSP,
        reason="Karla Delingsen pjækker fra skole",
        information="Set med ældre drenge",
    )

    row = AuditEvent.objects.get(action="disclose", object_type="forum_person", object_id=person.pk)
    assert row.actor == world.school and row.legal_basis == LegalBasis.SSP
    assert "Delingsen" not in row.purpose and "Delingsen" not in str(row.detail)
