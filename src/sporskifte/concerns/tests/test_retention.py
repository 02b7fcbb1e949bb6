import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.concerns.models import (
    ConcernCase,
    Conversation,
    CustodyHolder,
    Letter,
    retention_days,
)
from sporskifte.concerns.retention import concern_cases_erase_expired
from sporskifte.concerns.tests.conftest import open_case
from sporskifte.people.models import Person
from sporskifte.testing.factories import OfferFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _age(case: ConcernCase, days: int) -> None:
    ConcernCase.objects.filter(pk=case.pk).update(
        last_event_on=timezone.localdate() - dt.timedelta(days=days)
    )


def test_retention_is_two_years_unless_configured(settings):
    assert retention_days() == 730
    settings.CONCERNS_RETENTION_DAYS = 365
    assert retention_days() == 365


def test_erase_deletes_case_letters_parents_conversations_and_person(personas, world):
    case = world.case_a
    person_id, letter_id = case.person_id, world.letter_a.pk
    _age(case, retention_days())
    out = StringIO()
    call_command("erase_expired_concerns", stdout=out)
    assert "1 worry cases erased" in out.getvalue()
    assert not ConcernCase.objects.filter(pk=case.pk).exists()
    assert not Letter.objects.filter(pk=letter_id).exists()  # the PDF bytes are in this row
    assert not CustodyHolder.objects.filter(case_id=case.pk).exists()
    assert not Conversation.objects.filter(case_id=case.pk).exists()
    assert not Person.objects.filter(pk=person_id).exists()
    # District B's case is younger and stays.
    assert ConcernCase.objects.filter(pk=world.case_b.pk).exists()


def test_erase_writes_erase_rows_with_the_person(world):
    _age(world.case_a, retention_days() + 5)
    concern_cases_erase_expired()
    rows = AuditEvent.objects.filter(action=AuditEvent.Action.ERASE)
    assert set(rows.values_list("object_type", "object_id", "person_id")) == {
        ("concern_case", str(world.case_a.pk), world.case_a.person_id),
        ("concern_letter", str(world.letter_a.pk), world.case_a.person_id),
    }


def test_a_case_with_a_recent_event_is_kept(world):
    _age(world.case_a, retention_days() - 1)
    assert concern_cases_erase_expired() == 0
    assert ConcernCase.objects.filter(pk=world.case_a.pk).exists()


def test_each_new_event_moves_the_end_date(personas, world):
    from sporskifte.concerns import services

    _age(world.case_a, 100)
    case = ConcernCase.objects.get(pk=world.case_a.pk)
    services.custody_holder_add(
        actor=personas.officer_a, case=case, full_name="Bo", relation="other"
    )
    case.refresh_from_db()
    assert case.last_event_on == timezone.localdate()
    assert case.erase_on == timezone.localdate() + dt.timedelta(days=retention_days())


def test_a_person_another_record_still_uses_is_kept(personas):
    case = open_case(personas.officer_a)
    OfferFactory(programme=ProgrammeFactory(), person=case.person)
    _age(case, retention_days())
    concern_cases_erase_expired()
    assert not ConcernCase.objects.filter(pk=case.pk).exists()
    assert Person.objects.filter(pk=case.person_id).exists()
