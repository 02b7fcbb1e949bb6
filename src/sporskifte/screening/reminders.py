"""The daily reminder to each sending district: how many of its notifications are past the
municipality's receipt deadline (barnets lov: acknowledgement within 6 working days). A count
and a link, no child, no municipality, no journal number: the e-mail leaves the system."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from sporskifte.accounts.models import Membership
from sporskifte.organisations.models import Organisation
from sporskifte.screening import notices
from sporskifte.screening.access import SCREENING_ROLES
from sporskifte.screening.models import Notification, OverdueReminder


def _overdue_by_district(today: dt.date) -> dict[int, int]:
    return dict(
        Notification.objects.filter(
            state=Notification.State.SENT,
            acknowledged_at__isnull=True,
            acknowledge_due_on__lt=today,
        )
        .values_list("police_district_id")
        .annotate(n=Count("id"))
        .values_list("police_district_id", "n")
    )


def _recipients(district_id: int) -> list[str]:
    # The district itself or one of its units (Organisation.police_district_id).
    at_district = Q(organisation_id=district_id) | Q(
        organisation__kind=Organisation.Kind.POLICE_UNIT, organisation__parent_id=district_id
    )
    staff = Membership.objects.filter(
        at_district,
        role__in=SCREENING_ROLES,
        user__is_active=True,
    ).values_list("user__email", flat=True)
    own = Organisation.objects.filter(pk=district_id).values_list("email", flat=True)
    return sorted({e for e in [*staff, *own] if e})


@transaction.atomic
def overdue_reminders_queue(*, today: dt.date | None = None) -> dict[int, int]:
    """Queue one e-mail per district with overdue notifications, at most once a day; returns
    {district id: overdue count} of the reminders queued by this call."""
    today = today or timezone.localdate()
    queued = {}
    for district_id, count in sorted(_overdue_by_district(today).items()):
        try:
            with transaction.atomic():
                OverdueReminder.objects.create(
                    police_district_id=district_id, day=today, count=count
                )
        except IntegrityError:
            continue  # already queued today
        notices.acknowledgements_overdue(district_id, count, _recipients(district_id), today)
        queued[district_id] = count
    return queued
