"""Contact details passed to victim support are kept only while the unit needs them: 30 days
after the referral is closed (a victim may call back), and never more than 180 days after it was
made. Erasure blanks them and keeps the category and dates for the counts; the Information rows
hold nothing about the victim and stay."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.victims.models import VictimReferral
from sporskifte.victims.services import CONSENT_BASIS

AFTER_CLOSING = dt.timedelta(days=30)
AT_MOST = dt.timedelta(days=180)


@transaction.atomic
def victim_referrals_erase_expired(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    due = VictimReferral.objects.filter(erased_at__isnull=True).filter(
        Q(closed_at__lt=now - AFTER_CLOSING) | Q(referred_at__lt=now - AT_MOST)
    )
    rows = list(due.values_list("pk", "unit_id"))
    VictimReferral.objects.filter(pk__in=[pk for pk, _ in rows]).update(
        name="", phone="", email="", erased_at=now, state=VictimReferral.State.CLOSED
    )
    for pk, unit_id in rows:
        audit_record(
            actor=None,
            action=AuditEvent.Action.ERASE,
            object_type=AuditEvent.ObjectType.VICTIM_REFERRAL,
            object_id=pk,
            purpose=AuditEvent.Purpose.VICTIM_REFERRAL_RETENTION_ENDED,
            legal_basis=CONSENT_BASIS,
            responsible=[unit_id],
        )
    return len(rows)
