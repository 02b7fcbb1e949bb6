"""Who may read which part of the audit trail. Default deny.

- A system administrator sees every event.
- A district administrator sees the events of users acting for the district or one of its
  units, every event that names the district or a unit as responsible (a research extract of a
  project it approved), and every event about a person the district registered (it is their
  data controller), whoever looked, including a look at a list that showed the person.
- Everyone else sees nothing, and the pages answer 404.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from sporskifte.accounts.models import Role
from sporskifte.audit.models import AuditEvent, AuditEventItem, RefusedLook
from sporskifte.core.access import membership_of
from sporskifte.organisations.models import Organisation
from sporskifte.people.models import Person

if TYPE_CHECKING:
    from sporskifte.accounts.models import User
    from sporskifte.core.identity import IdentityNumber


def _admin_district(user: User) -> int | None:
    m = membership_of(user)
    if m is None or m.role != Role.DISTRICT_ADMIN:
        return None
    return m.organisation.police_district_id


def _is_system_admin(user: User) -> bool:
    m = membership_of(user)
    return m is not None and m.role == Role.SYSTEM_ADMIN


def may_read_audit_log(user: User) -> bool:
    return _is_system_admin(user) or _admin_district(user) is not None


def _district_organisations(district: int) -> QuerySet[Organisation, Any]:
    return Organisation.objects.filter(Q(pk=district) | Q(parent_id=district)).values("pk")


def audit_events_for_user(user: User) -> QuerySet[AuditEvent]:
    if _is_system_admin(user):
        return AuditEvent.objects.all()
    district = _admin_district(user)
    if district is None:
        return AuditEvent.objects.none()
    organisations = _district_organisations(district)
    people = Person.objects.filter(police_district_id=district).values("pk")
    return AuditEvent.objects.filter(
        Q(organisation_id__in=organisations)
        | Q(
            pk__in=AuditEvent.responsible.through.objects.filter(
                organisation_id__in=organisations
            ).values("auditevent_id")
        )
        | about_people(people)
    )


def about_people(person_ids: Any) -> Q:
    """Events about these people: a row naming one of them, or a list view that showed one."""
    return Q(person_id__in=person_ids) | Q(
        pk__in=AuditEventItem.objects.filter(person_id__in=person_ids).values("event_id")
    )


def audit_persons_for_user(user: User) -> QuerySet[Person]:
    """People whose log the user may read: registered by the district, or looked at by its staff."""
    if _is_system_admin(user):
        return Person.objects.all()
    district = _admin_district(user)
    if district is None:
        return Person.objects.none()
    organisations = _district_organisations(district)
    looked_at = AuditEvent.objects.filter(
        organisation_id__in=organisations, person_id__isnull=False
    ).values("person_id")
    shown = AuditEventItem.objects.filter(
        event__organisation_id__in=organisations, person_id__isnull=False
    ).values("person_id")
    return Person.objects.filter(
        Q(police_district_id=district) | Q(pk__in=looked_at) | Q(pk__in=shown)
    )


def audit_persons_by_identity(user: User, identity: IdentityNumber) -> list[Person]:
    """The people in scope with this identity number (more than one only across districts)."""
    return list(
        audit_persons_for_user(user)
        .filter(id_kind=identity.kind, id_number=identity.number)
        .select_related("police_district")
        .order_by("pk")
    )


def audit_persons_by_pk(user: User, pks: list[int]) -> list[Person] | None:
    """The people with these ids, or None if any is missing or outside the user's scope."""
    wanted = set(pks)
    people = list(
        audit_persons_for_user(user)
        .filter(pk__in=wanted)
        .select_related("police_district")
        .order_by("pk")
    )
    return people if wanted and len(people) == len(wanted) else None


# A user who asks for this many objects outside their scope within a day is shown.
REFUSED_BURST = 5


def refused_look_bursts(user: User) -> list[dict[str, Any]]:
    """Users in the reader's scope with a burst of refused looks in the last 24 hours."""
    looks = RefusedLook.objects.filter(at__gte=timezone.now() - dt.timedelta(hours=24))
    if not _is_system_admin(user):
        district = _admin_district(user)
        if district is None:
            return []
        looks = looks.filter(organisation_id__in=_district_organisations(district))
    rows = (
        looks.values("actor__username", "organisation__name")
        .annotate(refused=Count("id"), last=Max("at"))
        .filter(refused__gte=REFUSED_BURST)
        .order_by("-refused")[:50]
    )
    return [dict(row) for row in rows]
