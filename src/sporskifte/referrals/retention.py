"""Erasure at the end of retention: a real DELETE of everything that identifies a person.

An offer's retention runs from its last event (created, answered, referral closed or consent
withdrawn) plus the programme's ``retention_days``. Open referrals are never erased mid-work.
What survives is what evaluation needs and identifies no one: the offer's programme, offence,
dates, birth year, sex and municipality, and the referral's milestones and step history.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import DateTimeField, F, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record_many
from sporskifte.people.models import Person
from sporskifte.referrals.models import CounsellingNote, Offer, Programme, Referral

OPEN = [Referral.Status.NEW, Referral.Status.IN_PROGRESS]


def offers_due_for_erasure(*, now: dt.datetime | None = None) -> QuerySet[Offer]:
    now = now or timezone.now()
    last_event = Greatest(
        F("created_at"),
        Coalesce("answered_at", "created_at"),
        Coalesce("referral__closed_at", "created_at"),
        Coalesce("referral__withdrawn_at", "created_at"),
        output_field=DateTimeField(),
    )
    # One cut-off per programme: portable date arithmetic, and there are only a few programmes.
    expired = Q(pk__in=[])
    for programme_id, days in Programme.objects.values_list("pk", "retention_days"):
        expired |= Q(programme_id=programme_id, last_event__lte=now - dt.timedelta(days=days))
    return (
        Offer.objects.filter(erased_at__isnull=True, person__isnull=False)
        .exclude(Q(referral__status__in=OPEN) & Q(referral__withdrawn_at__isnull=True))
        .annotate(last_event=last_event)
        .filter(expired)
    )


@transaction.atomic
def personal_data_erase_expired(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    offers = list(offers_due_for_erasure(now=now).values_list("pk", "person_id"))
    if not offers:
        return 0
    offer_ids = [o for o, _ in offers]
    person_ids = {p for _, p in offers}
    CounsellingNote.objects.filter(referral__offer_id__in=offer_ids).delete()
    Offer.objects.filter(pk__in=offer_ids).update(person=None, journal_number="", erased_at=now)
    # A person registered again later keeps the newer offers; only people left with none go.
    still_used = set(
        Offer.objects.filter(person_id__in=person_ids).values_list("person_id", flat=True)
    )
    Person.objects.filter(pk__in=person_ids - still_used).delete()
    audit_record_many(
        actor=None,
        action=AuditEvent.Action.ERASE,
        object_type=AuditEvent.ObjectType.OFFER,
        items=offers,
        purpose=AuditEvent.Purpose.RETENTION_ENDED,
    )
    return len(offers)
