"""The end of a visit request's life. An unconfirmed request never reached anyone and is deleted
after 48 hours; a closed one keeps its topic, municipality and dates for the figures, and its
sender's contact details (and a citizen's own name, and the free text) are erased a year after
it closed — long enough to answer a follow-up question, no longer. ``OUTREACH_RETENTION_DAYS``
changes the year."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.outreach.models import SchoolConcern, SchoolLink, VisitRequest
from sporskifte.outreach.services import CONFIRM_WITHIN, LEGAL_BASIS

DEFAULT_RETENTION_DAYS = 365


def retention_days() -> int:
    return int(getattr(settings, "OUTREACH_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


@transaction.atomic
def visit_requests_erase_expired(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """(unconfirmed requests deleted, closed requests whose contact details were erased)."""
    now = now or timezone.now()
    deleted, _ = VisitRequest.objects.filter(
        state=VisitRequest.State.UNCONFIRMED, submitted_at__lt=now - CONFIRM_WITHIN
    ).delete()
    due = VisitRequest.objects.filter(
        state__in=VisitRequest.CLOSED_STATES,
        closed_at__lt=now - dt.timedelta(days=retention_days()),
        erased_at__isnull=True,
    )
    rows = list(due.values_list("pk", "district_id"))
    ids = [pk for pk, _district in rows]
    if ids:
        VisitRequest.objects.filter(pk__in=ids).update(
            contact_name="",
            contact_email="",
            contact_phone="",
            message="",
            place="",
            proposal_note="",
            closing_reason="",
            organisation_name=Case(
                When(requester_kind=VisitRequest.RequesterKind.CITIZEN, then=Value("")),
                default=F("organisation_name"),
            ),
            erased_at=now,
        )
        # One row per request, the district answering for it: nightly, and a handful a night.
        for pk, district_id in rows:
            audit_record(
                actor=None,
                action=AuditEvent.Action.ERASE,
                object_type=AuditEvent.ObjectType.VISIT_REQUEST,
                object_id=pk,
                purpose=AuditEvent.Purpose.VISIT_REQUEST_RETENTION_ENDED,
                legal_basis=LEGAL_BASIS,
                responsible=[district_id],
            )
    return deleted, len(ids)


@transaction.atomic
def school_concerns_erase_expired(*, now: dt.datetime | None = None) -> int:
    """A school's report is deleted a year (the same ``OUTREACH_RETENTION_DAYS``) after it was
    handled, with the used and expired one-time links; an unhandled report stays on the list."""
    now = now or timezone.now()
    due = list(
        SchoolConcern.objects.filter(
            handled_at__lt=now - dt.timedelta(days=retention_days())
        ).values_list("pk", "contact_point__district_id")
    )
    for pk, district_id in due:
        audit_record(
            actor=None,
            action=AuditEvent.Action.ERASE,
            object_type=AuditEvent.ObjectType.SCHOOL_CONCERN,
            object_id=pk,
            purpose=AuditEvent.Purpose.VISIT_REQUEST_RETENTION_ENDED,
            legal_basis=LEGAL_BASIS,
            responsible=[district_id],
        )
    SchoolConcern.objects.filter(pk__in=[pk for pk, _d in due]).delete()
    SchoolLink.objects.filter(created_at__lt=now - dt.timedelta(days=2)).delete()
    return len(due)
