"""Erasure of worry cases at the end of retention: a real DELETE of the case, its custody
holders, conversations and letters (the PDFs are rows, so they go in the same statement) and the
young person's Person row, in one transaction with its ERASE audit rows.

A case's retention runs from its last event (``last_event_on``) plus CONCERNS_RETENTION_DAYS
(two years unless configured). Nothing of a worry case is kept for statistics.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import ForeignObjectRel, QuerySet
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record_many
from sporskifte.concerns.models import ConcernCase, Letter, retention_days
from sporskifte.people.models import Person


def concern_cases_due_for_erasure(*, today: dt.date | None = None) -> QuerySet[ConcernCase]:
    cutoff = (today or timezone.localdate()) - dt.timedelta(days=retention_days())
    return ConcernCase.objects.filter(last_event_on__lte=cutoff)


def _people_used_elsewhere(person_ids: set[int]) -> set[int]:
    """People another record still points at (by any relation, of any app) are kept.

    Worry cases create their own Person rows, so this is a safety net: deleting a Person that
    something else holds would either fail (PROTECT) or cascade into another purpose's data.
    """
    used: set[int] = set()
    reverse = (
        f
        for f in Person._meta.get_fields(include_hidden=True)
        if isinstance(f, ForeignObjectRel) and f.related_model is not ConcernCase
    )
    for rel in reverse:
        name = rel.field.name
        used |= set(
            rel.related_model._default_manager.filter(**{f"{name}__in": person_ids})
            .exclude(**{f"{name}__isnull": True})
            .values_list(name, flat=True)
        )
    return used


@transaction.atomic
def concern_cases_erase_expired(*, today: dt.date | None = None) -> int:
    cases = list(concern_cases_due_for_erasure(today=today).values_list("pk", "person_id"))
    if not cases:
        return 0
    case_ids = [pk for pk, _ in cases]
    person_of = dict(cases)
    letters = list(Letter.objects.filter(case_id__in=case_ids).values_list("pk", "case_id"))
    ConcernCase.objects.filter(pk__in=case_ids).delete()
    person_ids = set(person_of.values())
    still_used = set(
        ConcernCase.objects.filter(person_id__in=person_ids).values_list("person_id", flat=True)
    ) | _people_used_elsewhere(person_ids)
    Person.objects.filter(pk__in=person_ids - still_used).delete()
    audit_record_many(
        actor=None,
        action=AuditEvent.Action.ERASE,
        object_type=AuditEvent.ObjectType.CONCERN_CASE,
        items=cases,
        purpose=AuditEvent.Purpose.WORRY_CASE_RETENTION_ENDED,
    )
    audit_record_many(
        actor=None,
        action=AuditEvent.Action.ERASE,
        object_type=AuditEvent.ObjectType.CONCERN_LETTER,
        items=((pk, person_of[case_id]) for pk, case_id in letters),
        purpose=AuditEvent.Purpose.WORRY_CASE_RETENTION_ENDED,
    )
    return len(cases)
