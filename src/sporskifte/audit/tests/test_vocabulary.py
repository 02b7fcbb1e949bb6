"""The audit trail's vocabulary, one row per list view, and what the audit page shows."""

import pytest
from django.urls import reverse

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record, audit_record_looks, criterion_of
from sporskifte.testing.factories import PersonFactory, district

SEARCH = reverse("audit:search")
EXTRACT = reverse("audit:subject_extract")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("object_type", "purpose"), [("offer", "police overview"), ("audit_event", "audit_retention")]
)
def test_free_text_outside_the_vocabulary_is_refused(personas, object_type, purpose):
    with pytest.raises(ValueError):
        audit_record(
            actor=personas.officer_a,
            action=AuditEvent.Action.VIEW,
            object_type=object_type,
            purpose=purpose,
        )


@pytest.mark.django_db
def test_the_audit_page_shows_purposes_in_danish_and_no_internal_person_id(
    personas, person_a, look, as_user
):
    look(personas.officer_a, person_a, AuditEvent.Purpose.POLICE_OVERVIEW)

    html = as_user(personas.admin_a).get(SEARCH, HTTP_ACCEPT_LANGUAGE="da").content.decode()

    assert "Politiets overblik" in html
    assert "<td>police_overview</td>" not in html and "police overview" not in html
    assert "Personnr." not in html
    assert f"<td>{person_a.pk}</td>" not in html


def _inbox_look(actor, people, criterion=None):
    return audit_record_looks(
        actor=actor,
        object_type=AuditEvent.ObjectType.REFERRAL,
        items=[(1000 + i, p.pk) for i, p in enumerate(people)],
        purpose=AuditEvent.Purpose.PARTNER_INBOX,
        criterion=criterion or {"vis": "new"},
    )


@pytest.mark.django_db
def test_a_list_of_fifty_writes_one_row_naming_all_fifty_and_the_criterion(personas):
    people = PersonFactory.create_batch(50, police_district=district("midt-vestjylland"))

    event = _inbox_look(personas.counsellor_a, people, {"vis": "due_soon", "page": "2"})

    assert AuditEvent.objects.count() == 1
    assert sorted(event.items.values_list("person_id", flat=True)) == sorted(p.pk for p in people)
    assert event.detail == {"criterion": {"vis": "due_soon", "page": "2"}, "shown": 50}


@pytest.mark.django_db
def test_a_criterion_with_a_nul_character_is_logged_with_a_replacement(personas):
    people = PersonFactory.create_batch(1, police_district=district("midt-vestjylland"))

    event = _inbox_look(personas.counsellor_a, people, criterion_of({"vis\x00": "a\x00b"}))

    event.refresh_from_db()
    assert event.detail["criterion"] == {"vis\ufffd": "a\ufffdb"}


@pytest.mark.django_db
def test_the_extract_and_the_log_search_find_a_look_through_a_list(personas, person_a, as_user):
    other = PersonFactory(police_district=district("midt-vestjylland"))
    _inbox_look(personas.counsellor_a, [other, person_a])
    client = as_user(personas.admin_a)

    extract = client.get(EXTRACT, {"person": person_a.pk})
    search = client.get(SEARCH, {"person": person_a.pk})

    assert [r["purpose"] for r in extract.context["rows"]] == ["Partner inbox"]
    assert AuditEvent.Purpose.PARTNER_INBOX in [e.purpose for e in search.context["rows"]]


@pytest.mark.django_db
def test_another_districts_administrator_does_not_see_the_list_look(personas, person_a, as_user):
    from sporskifte.accounts.models import Role
    from sporskifte.testing.factories import member

    admin_b = member("admin_b", district("sydoestjylland"), Role.DISTRICT_ADMIN)
    _inbox_look(personas.counsellor_a, [person_a])

    assert as_user(admin_b).get(EXTRACT, {"person": person_a.pk}).status_code == 404
    assert list(as_user(admin_b).get(SEARCH).context["rows"]) == []


@pytest.mark.django_db
def test_a_list_look_is_one_statement_on_postgresql_and_three_elsewhere(personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = PersonFactory.create_batch(3, police_district=district("midt-vestjylland"))
    organisation = personas.counsellor_a.acting_membership().organisation  # as in a request

    with CaptureQueriesContext(connection) as statements:
        event = _inbox_look(personas.counsellor_a, people)

    assert len(statements) == (1 if connection.vendor == "postgresql" else 3)
    stored = AuditEvent.objects.get()
    assert stored.pk == event.pk and stored.actor == personas.counsellor_a
    assert stored.action == AuditEvent.Action.VIEW and stored.detail["shown"] == 3
    assert list(stored.responsible.all()) == [organisation]
    assert sorted(stored.items.values_list("object_id", "person_id")) == [
        (1000 + i, p.pk) for i, p in enumerate(people)
    ]


@pytest.mark.django_db
def test_an_audit_row_and_its_responsible_organisations_are_one_statement_on_postgresql(
    personas, person_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sporskifte.audit.services import audit_record

    actor = personas.counsellor_a
    own = actor.acting_membership().organisation  # as in a request
    other = district("midt-vestjylland")

    with CaptureQueriesContext(connection) as statements:
        event = audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            object_type=AuditEvent.ObjectType.REFERRAL,
            object_id=7,
            person_id=person_a.pk,
            purpose=AuditEvent.Purpose.OUTCOME_STEP_RECORDED,
            detail={"step": "first_conversation"},
            responsible=[other, other.pk, None],
        )

    assert len(statements) == (1 if connection.vendor == "postgresql" else 2)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.object_id, stored.person_id, stored.detail) == (
        "7",
        person_a.pk,
        {"step": "first_conversation"},
    )
    assert stored.at == event.at and stored.organisation == own
    assert set(stored.responsible.all()) == {own, other}
    assert not stored.items.exists()


def test_the_one_statement_insert_names_every_column_of_the_audit_tables():
    """The PostgreSQL path writes the audit row in hand-written SQL: a field added to the model
    and not to that statement would be left at its database default, silently. This fails
    first."""
    from sporskifte.audit.models import AuditEventItem
    from sporskifte.audit.services import _EVENT_SQL

    def columns(model, *without):
        return {f.column for f in model._meta.concrete_fields} - {"id", *without}

    for column in columns(AuditEvent) | columns(AuditEventItem):
        assert f'"{column}"' in _EVENT_SQL, column
    responsible = AuditEvent.responsible.through
    assert f'"{responsible._meta.db_table}"' in _EVENT_SQL
    assert columns(responsible) <= {"auditevent_id", "organisation_id"}
