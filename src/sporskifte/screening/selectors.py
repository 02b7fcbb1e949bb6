"""Reads of screening data, always scoped to the acting user (see access.py).

Lists are default-deny querysets; an object outside the scope answers 404 like a missing one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from sporskifte.core.access import get_or_404
from sporskifte.screening.access import (
    child_services_municipality_of,
    rule_admin_district_of,
    screening_district_of,
)
from sporskifte.screening.models import (
    DistrictCode,
    Hit,
    HouseholdLink,
    ImportUpload,
    Incident,
    Notification,
    Rule,
    ScreeningRun,
)

if TYPE_CHECKING:
    from sporskifte.accounts.models import User


def incidents_for_user(user: User) -> QuerySet[Incident]:
    district = screening_district_of(user)
    if district is None:
        return Incident.objects.none()
    return Incident.objects.filter(police_district_id=district)


def incident_for_user(user: User, pk: object) -> Incident:
    return get_or_404(incidents_for_user(user), pk)


def households_for_user(user: User) -> QuerySet[HouseholdLink]:
    district = screening_district_of(user)
    if district is None:
        return HouseholdLink.objects.none()
    return HouseholdLink.objects.filter(police_district_id=district)


def codes_for_user(user: User) -> QuerySet[DistrictCode]:
    district = screening_district_of(user)
    if district is None:
        return DistrictCode.objects.none()
    return DistrictCode.objects.filter(police_district_id=district)


def rules_for_user(user: User) -> QuerySet[Rule]:
    district = screening_district_of(user)
    if district is None:
        return Rule.objects.none()
    return Rule.objects.filter(police_district_id=district).prefetch_related("versions")


def rule_for_admin(user: User, pk: object) -> Rule:
    district = rule_admin_district_of(user)
    qs = (
        Rule.objects.none()
        if district is None
        else Rule.objects.filter(police_district_id=district)
    )
    return get_or_404(qs, pk)


def runs_for_user(user: User) -> QuerySet[ScreeningRun]:
    district = screening_district_of(user)
    if district is None:
        return ScreeningRun.objects.none()
    return ScreeningRun.objects.filter(police_district_id=district).select_related("started_by")


def hits_for_user(user: User) -> QuerySet[Hit]:
    district = screening_district_of(user)
    if district is None:
        return Hit.objects.none()
    return Hit.objects.filter(police_district_id=district).select_related(
        "rule", "rule_version", "child_municipality"
    )


def hit_for_user(user: User, pk: object) -> Hit:
    return get_or_404(hits_for_user(user), pk)


def notifications_for_user(user: User) -> QuerySet[Notification]:
    """The district's notifications for its screening staff; the sent ones addressed to the
    municipality for its child services; nothing for anyone else."""
    base = Notification.objects.select_related("municipality", "drafted_by", "approved_by", "hit")
    district = screening_district_of(user)
    if district is not None:
        return base.filter(police_district_id=district)
    municipality = child_services_municipality_of(user)
    if municipality is not None:
        return base.filter(municipality_id=municipality, state=Notification.State.SENT)
    return Notification.objects.none()


def notification_for_user(user: User, pk: object) -> Notification:
    return get_or_404(notifications_for_user(user), pk)


def overdue_acknowledgements(qs: QuerySet[Notification]) -> QuerySet[Notification]:
    """Sent, not acknowledged, and past the deadline: flagged to the sender."""
    return qs.filter(
        state=Notification.State.SENT,
        acknowledged_at__isnull=True,
        acknowledge_due_on__lt=timezone.localdate(),
    )


def open_in_inbox(qs: QuerySet[Notification]) -> QuerySet[Notification]:
    return qs.filter(Q(acknowledged_at__isnull=True) | Q(feedback_at__isnull=True))


def uploads_for_user(user: User) -> QuerySet[ImportUpload]:
    """The district's uploads (the outcome lists rows and columns, never the file's cells)."""
    district = screening_district_of(user)
    if district is None:
        return ImportUpload.objects.none()
    return ImportUpload.objects.filter(police_district_id=district).defer("content")


def upload_for_user(user: User, pk: object) -> ImportUpload:
    return get_or_404(uploads_for_user(user), pk)
