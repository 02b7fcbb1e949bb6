"""Reads of the outreach app, scoped to the acting user (missing and forbidden are both 404).

The district's prevention unit (the crime-prevention secretariat and the district's
administrator) writes the warnings and triages the visit requests; an officer sees the
requests assigned to them. Nobody else sees a request: it holds its sender's contact details.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sporskifte.accounts.access import membership_of, police_district_of
from sporskifte.accounts.models import POLICE_ROLES, Membership, Role
from sporskifte.core.access import get_or_404
from sporskifte.organisations.models import Organisation
from sporskifte.outreach.models import (
    PublicWarning,
    PublicWarningVersion,
    SchoolConcern,
    SchoolContactPoint,
    SchoolLink,
    VisitRequest,
)

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

UNIT_ROLES = (Role.PREVENTION_SECRETARIAT, Role.DISTRICT_ADMIN)


def prevention_unit_district_of(user: User) -> int | None:
    """The district whose prevention work this user runs; None for everyone else."""
    m = membership_of(user)
    if m is None or m.role not in UNIT_ROLES or not m.organisation.is_police:
        return None
    return m.organisation.police_district_id


def warnings_for_user(user: User) -> QuerySet[PublicWarning]:
    district = prevention_unit_district_of(user)
    if district is None:
        return PublicWarning.objects.none()
    return PublicWarning.objects.filter(district_id=district)


def warning_for_user(user: User, pk: object) -> PublicWarning:
    return get_or_404(warnings_for_user(user), pk)


def published_districts() -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=Organisation.Kind.POLICE_DISTRICT,
        public_warnings__state__in=[PublicWarning.State.PUBLISHED, PublicWarning.State.WITHDRAWN],
    ).distinct()


def public_warnings(
    district: Organisation, today: dt.date | None = None
) -> list[PublicWarningVersion]:
    """What the public page shows: the newest published version of each warning in force."""
    today = today or timezone.localdate()
    versions = (
        PublicWarningVersion.objects.filter(
            warning__district=district,
            warning__state=PublicWarning.State.PUBLISHED,
            starts_on__lte=today,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("warning_id", "-number")
    )
    newest: dict[int, PublicWarningVersion] = {}
    for v in versions:
        newest.setdefault(v.warning_id, v)
    return sorted(newest.values(), key=lambda v: (v.starts_on, v.pk), reverse=True)


def feed_warnings(district: Organisation, limit: int = 50) -> QuerySet[PublicWarning]:
    """The feed: published and withdrawn warnings, newest change first, with their versions."""
    return (
        PublicWarning.objects.filter(
            district=district,
            state__in=[PublicWarning.State.PUBLISHED, PublicWarning.State.WITHDRAWN],
        )
        .select_related("district")
        .prefetch_related("versions")
        .order_by("-pk")[:limit]
    )


def visit_requests_for_user(user: User) -> QuerySet[VisitRequest]:
    """The unit sees its district's confirmed requests; an officer the ones assigned to them."""
    confirmed = VisitRequest.objects.exclude(state=VisitRequest.State.UNCONFIRMED).select_related(
        "municipality", "assigned_to"
    )
    district = prevention_unit_district_of(user)
    if district is not None:
        return confirmed.filter(district_id=district)
    if police_district_of(user) is not None:
        return confirmed.filter(assigned_to=user, district_id=police_district_of(user))
    return VisitRequest.objects.none()


def visit_request_for_user(user: User, pk: object) -> VisitRequest:
    return get_or_404(visit_requests_for_user(user), pk)


def works_on_outreach(user: User) -> bool:
    """The unit and the district's police (who may be assigned a visit or a school)."""
    return prevention_unit_district_of(user) is not None or police_district_of(user) is not None


def may_triage(user: User, request: VisitRequest) -> bool:
    return prevention_unit_district_of(user) == request.district_id


def officers_of_district(district_id: int) -> QuerySet[Membership]:
    """Who may be sent on a visit: the district's police staff."""
    return (
        Membership.objects.filter(
            role__in=[*POLICE_ROLES, Role.PREVENTION_SECRETARIAT],
            user__is_active=True,
        )
        .filter(
            Q(organisation_id=district_id) | Q(organisation__parent_id=district_id),
        )
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def visit_request_counts(user: User, year: int) -> list[dict[str, object]]:
    """Requests per municipality and topic in a year, for the unit. Counts of requests from
    schools and associations, not of people: nothing here needs small-count protection."""
    return [
        dict(row)
        for row in visit_requests_for_user(user)
        .filter(submitted_at__year=year)
        .values("municipality__name", "topic")
        .annotate(
            requests=Count("pk"),
            held=Count("pk", filter=Q(state=VisitRequest.State.DONE)),
        )
        .order_by("municipality__name", "topic")
    ]


def token_hash(token: str) -> str:
    """Links sent by e-mail are stored as their SHA-256: a copy of the table opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def contact_points_for_user(user: User) -> QuerySet[SchoolContactPoint]:
    district = prevention_unit_district_of(user)
    if district is None:
        return SchoolContactPoint.objects.none()
    return SchoolContactPoint.objects.filter(district_id=district).select_related(
        "municipality", "police_contact"
    )


def school_concerns_for_user(user: User) -> QuerySet[SchoolConcern]:
    """The unit sees its district's reports; a police contact the reports of their schools."""
    base = SchoolConcern.objects.select_related("contact_point__municipality")
    district = prevention_unit_district_of(user)
    if district is not None:
        return base.filter(contact_point__district_id=district)
    if police_district_of(user) is not None:
        return base.filter(contact_point__police_contact=user)
    return SchoolConcern.objects.none()


def school_concern_for_user(user: User, pk: object) -> SchoolConcern:
    return get_or_404(school_concerns_for_user(user), pk)


def school_link_valid(
    token: str, valid_for: dt.timedelta = dt.timedelta(hours=24)
) -> SchoolLink | None:
    return (
        SchoolLink.objects.select_related("contact_point")
        .filter(
            token_hash=token_hash(token),
            used_at__isnull=True,
            created_at__gte=timezone.now() - valid_for,
            contact_point__is_active=True,
        )
        .first()
    )


def school_concern_by_receipt(token: str) -> SchoolConcern | None:
    return (
        SchoolConcern.objects.select_related("contact_point")
        .filter(receipt_token_hash=token_hash(token))
        .first()
    )
