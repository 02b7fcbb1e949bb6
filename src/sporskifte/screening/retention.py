"""Retention per category, with real deletion (a soft delete is not a deletion, Datatilsynet).

Dismissed hits go first: the review found no reason to notify, so the police keep the finding
only long enough to answer a complaint. Incident rows leave once no rule window can reach them;
household links once they ended; notifications after the period the district documents for its
correspondence with the municipalities. Runs hold no personal data and stay. Days per category
come from ``settings.SCREENING_RETENTION_DAYS`` when set (the ops settings read it from the
environment), else the defaults below.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.people.models import Person
from sporskifte.screening.models import Hit, HouseholdLink, Incident, Notification

DEFAULT_DAYS = {
    "dismissed_hit": 90,
    "incident": 3 * 365 + 30,  # the longest rule window (3 years) and a month's margin
    "household": 365,
    "notification": 5 * 365,
}


def retention_days(category: str) -> int:
    configured = getattr(settings, "SCREENING_RETENTION_DAYS", {}) or {}
    return int(configured.get(category, DEFAULT_DAYS[category]))


@transaction.atomic
def screening_erase_expired(*, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    cut = {c: now - dt.timedelta(days=retention_days(c)) for c in DEFAULT_DAYS}
    erased = {}
    erased["dismissed_hit"] = (
        Hit.objects.filter(state=Hit.State.DISMISSED, reviewed_at__lt=cut["dismissed_hit"])
        .delete()[1]
        .get("screening.Hit", 0)
    )
    erased["notification"] = (
        Notification.objects.filter(
            Q(sent_at__lt=cut["notification"])
            | Q(sent_at__isnull=True, drafted_at__lt=cut["notification"])
        )
        .delete()[1]
        .get("screening.Notification", 0)
    )
    # A hit whose incidents are all past retention has nothing left to show.
    old = Incident.objects.filter(occurred_at__lt=cut["incident"])
    Hit.objects.filter(incidents__in=old).exclude(
        incidents__occurred_at__gte=cut["incident"]
    ).delete()
    erased["incident"] = old.delete()[1].get("screening.Incident", 0)
    erased["household"] = (
        HouseholdLink.objects.filter(valid_to__lt=(cut["household"]).date())
        .delete()[1]
        .get("screening.HouseholdLink", 0)
    )
    erased["person"] = _erase_people_no_longer_screened()
    if any(erased.values()):
        audit_record(
            actor=None,
            action=AuditEvent.Action.ERASE,
            object_type=AuditEvent.ObjectType.SCREENING_HIT,
            purpose=AuditEvent.Purpose.SCREENING_RETENTION_ENDED,
            detail=erased,
        )
    return erased


def _erase_people_no_longer_screened() -> int:
    """The screening register's people (subjects.py) go with the last hit or notification
    about them; the audit rows naming them keep the bare id (their own retention)."""
    same = {"police_district_id": OuterRef("police_district_id")}
    number = OuterRef("id_number")
    in_hit = Hit.objects.filter(Q(child_id_number=number) | Q(adult_id_number=number), **same)
    in_notification = Notification.objects.filter(
        Q(child_id_number=number) | Q(hit__adult_id_number=number), **same
    )
    gone = Person.objects.filter(register=Person.Register.SCREENING).exclude(
        Exists(in_hit) | Exists(in_notification)
    )
    return gone.delete()[1].get("people.Person", 0)
