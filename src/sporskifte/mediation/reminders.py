"""Reminders about the terms of agreements: a few days before a term falls due, and after the
due date while nobody has marked it kept or not kept (the issue's "reminders before and after each
due date"). The mediator follows the agreement up; the coordinator answers for the queue.

Each reminder is recorded (``TermReminder``, unique per term and kind) in the transaction that
queues its e-mail, so a job run twice, late, or by two schedulers sends each reminder once. A run
that missed days catches up: a term due within the window gets its "before" reminder even if the
exact day was missed, and an overdue one its "after" reminder whenever the job next runs.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.mediation import notices
from sporskifte.mediation.models import State, Term, TermReminder

DAYS_BEFORE = 3


def _due(kind: str, today: dt.date):  # type: ignore[no-untyped-def]
    sent = TermReminder.objects.filter(term=OuterRef("pk"), kind=kind)
    terms = Term.objects.filter(
        status=Term.Status.OPEN, agreement__case__state=State.AGREEMENT
    ).exclude(Exists(sent))
    if kind == TermReminder.Kind.BEFORE:
        terms = terms.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=DAYS_BEFORE))
    else:
        terms = terms.filter(due_on__lt=today)
    return terms.select_related("agreement__case__mediator").order_by("due_on", "pk")


@transaction.atomic
def term_reminders_queue(*, today: dt.date | None = None) -> dict[str, int]:
    """Queue the day's reminders; returns how many of each kind this call queued."""
    today = today or timezone.localdate()
    queued = {kind: 0 for kind in TermReminder.Kind.values}
    for kind in TermReminder.Kind.values:
        for term in _due(kind, today):
            try:
                with transaction.atomic():
                    TermReminder.objects.create(term=term, kind=kind)
            except IntegrityError:
                continue  # queued by a run that overlapped this one
            case = term.agreement.case
            notices.term_reminder_notice(
                case=case, term_id=term.pk, kind=kind, term_kind=term.kind, due_on=term.due_on
            )
            audit_record(
                actor=None,
                action=AuditEvent.Action.DISCLOSE,
                object_type=AuditEvent.ObjectType.MEDIATION_AGREEMENT,
                object_id=term.agreement_id,
                purpose=AuditEvent.Purpose.MEDIATION_TERM_REMINDED,
                legal_basis="medlingslagen" if case.country == "SE" else "konfliktrådsloven",
                detail={"term": term.pk, "kind": kind},
            )
            queued[kind] += 1
    return queued
