"""Reading the audit trail in tests: who was looked at, whether by a row of their own or as an
item of a list view's row."""

from __future__ import annotations

from collections.abc import Iterable

from sporskifte.audit.models import AuditEvent, AuditEventItem


def persons_looked_at(events: Iterable[AuditEvent]) -> list[int]:
    """Person ids the events name, one entry per mention, sorted."""
    events = list(events)
    ids = [e.person_id for e in events if e.person_id is not None]
    ids += [
        pk
        for pk in AuditEventItem.objects.filter(event__in=[e.pk for e in events]).values_list(
            "person_id", flat=True
        )
        if pk is not None
    ]
    return sorted(ids)


def objects_looked_at(events: Iterable[AuditEvent]) -> list[str]:
    """Object ids the events name (their own, or their items'), one entry per mention, sorted."""
    events = list(events)
    ids = [e.object_id for e in events if e.object_id]
    ids += [
        str(i)
        for i in AuditEventItem.objects.filter(event__in=[e.pk for e in events]).values_list(
            "object_id", flat=True
        )
    ]
    return sorted(ids)
