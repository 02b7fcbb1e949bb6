"""Who may read which part of the audit trail. Default deny.

- A district administrator sees the events of users acting for the district or one of its
  units, every event that names the district or a unit as responsible (a research extract of a
  project it approved), and every event about a person the district registered (it is their
  data controller), whoever looked, including a look at a list that showed the person.
- A system administrator of a police organisation sees what their district's administrator
  sees, and the account and token events of the organisations they administer
  (``accounts.selectors.organisations_administered_by``): never another district's people.
  A system administrator of another organisation sees only those account and token events.
- Everyone else sees nothing, and the pages answer 404.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from sporskifte.accounts.access import membership_of
from sporskifte.accounts.models import Role
from sporskifte.accounts.selectors import organisations_administered_by
from sporskifte.audit.models import AuditEvent, AuditEventItem, RefusedLook
from sporskifte.organisations.models import Organisation
from sporskifte.people.models import Person

if TYPE_CHECKING:
    from sporskifte.accounts.models import User
    from sporskifte.core.identity import IdentityNumber

# What a system administrator does to accounts and tokens, and what those accounts do as such.
ACCOUNT_OBJECT_TYPES = (
    AuditEvent.ObjectType.USER,
    AuditEvent.ObjectType.TOTP_DEVICE,
    AuditEvent.ObjectType.API_TOKEN,
    AuditEvent.ObjectType.API_TOKEN_REQUEST,
)


def _admin_district(user: User) -> int | None:
    """The district whose people and staff's events the user reads, if any."""
    m = membership_of(user)
    if m is None or m.role not in (Role.DISTRICT_ADMIN, Role.SYSTEM_ADMIN):
        return None
    return m.organisation.police_district_id


def _is_system_admin(user: User) -> bool:
    m = membership_of(user)
    return m is not None and m.role == Role.SYSTEM_ADMIN


def may_read_audit_log(user: User) -> bool:
    return _is_system_admin(user) or _admin_district(user) is not None


def _district_organisations(district: int) -> QuerySet[Organisation, Any]:
    return Organisation.objects.filter(Q(pk=district) | Q(parent_id=district)).values("pk")


def _naming(organisations: Any) -> Q:
    """Events by users of these organisations, or naming one of them as responsible."""
    return Q(organisation_id__in=organisations) | Q(
        pk__in=AuditEvent.responsible.through.objects.filter(
            organisation_id__in=organisations
        ).values("auditevent_id")
    )


def audit_events_for_user(user: User) -> QuerySet[AuditEvent]:
    if not may_read_audit_log(user):
        return AuditEvent.objects.none()
    rule = Q(pk__in=[])
    district = _admin_district(user)
    if district is not None:
        people = Person.objects.filter(police_district_id=district).values("pk")
        rule |= _naming(_district_organisations(district)) | about_people(people)
    if _is_system_admin(user):
        administered = organisations_administered_by(user).values("pk")
        rule |= Q(object_type__in=ACCOUNT_OBJECT_TYPES) & _naming(administered)
    return AuditEvent.objects.filter(rule)


def about_people(person_ids: Any) -> Q:
    """Events about these people: a row naming one of them, or a list view that showed one."""
    return Q(person_id__in=person_ids) | Q(
        pk__in=AuditEventItem.objects.filter(person_id__in=person_ids).values("event_id")
    )


def audit_persons_for_user(user: User) -> QuerySet[Person]:
    """People whose log the user may read: registered by the district, or looked at by its staff."""
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
    if _is_system_admin(user):
        looks = looks.filter(organisation_id__in=organisations_administered_by(user).values("pk"))
    else:
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
