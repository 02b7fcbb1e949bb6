"""Erasure of closed mediation cases at the end of each district's retention (``Settings``;
DEFAULT_RETENTION_DAYS with its reason in models.py). A real DELETE of the case, its parties,
consents, meetings, agreement, notes, letters and the parties' Person rows (the mediation
register's own, never shared with another purpose), in one transaction with its ERASE audit
rows. The case's ``CaseFigures`` row stays, its link set to NULL: name-free counts, so a past
year's figures stand. Satisfaction answers never named the case."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record_many
from sporskifte.mediation.models import (
    CLOSED_STATES,
    DEFAULT_RETENTION_DAYS,
    MediationCase,
    Party,
    SatisfactionLink,
    Settings,
)
from sporskifte.people.models import Person


def cases_due_for_erasure(*, now: dt.datetime | None = None):  # type: ignore[no-untyped-def]
    now = now or timezone.now()
    days = Subquery(Settings.objects.filter(district=OuterRef("district")).values("retention_days"))
    cases = MediationCase.objects.filter(state__in=CLOSED_STATES, closed_at__isnull=False)
    cases = cases.annotate(keep_days=Coalesce(days, Value(DEFAULT_RETENTION_DAYS)))
    due = []
    for c in cases.only("pk", "closed_at", "district_id"):
        keep = dt.timedelta(days=c.keep_days)
        if c.closed_at is not None and c.closed_at + keep <= now:
            due.append(c)
    return due


@transaction.atomic
def cases_erase_expired(*, now: dt.datetime | None = None) -> int:
    cases = [c.pk for c in cases_due_for_erasure(now=now)]
    if not cases:
        return 0
    parties = list(Party.objects.filter(case_id__in=cases).values_list("case_id", "person_id"))
    SatisfactionLink.objects.filter(case_id__in=cases).delete()
    MediationCase.objects.filter(pk__in=cases).delete()
    Person.objects.filter(
        pk__in=[p for _c, p in parties if p], register=Person.Register.MEDIATION
    ).delete()
    audit_record_many(
        actor=None,
        action=AuditEvent.Action.ERASE,
        object_type=AuditEvent.ObjectType.MEDIATION_CASE,
        items=[(c, p) for c, p in parties if p],
        purpose=AuditEvent.Purpose.MEDIATION_RETENTION_ENDED,
    )
    return len(cases)
