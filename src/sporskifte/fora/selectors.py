"""Reads, always scoped to the acting user. The only way views reach fora and what they hold.

The rules:
- A forum's persons, meetings, agendas and actions are seen by its current members only, and
  only while they still act for the organisation they joined for (or a unit under it) in a role
  that may take part. Investigators, researchers, council members and system administrators
  never take part: what a forum receives may not be used for investigation.
- The district administrator of the forum's police district sets a forum up (name, member
  organisations, members) without seeing its persons.
- Council members see counts only (``counts.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from sporskifte.accounts.access import admin_district_of, membership_of
from sporskifte.accounts.models import Role
from sporskifte.core.access import get_or_404
from sporskifte.fora.models import (
    Action,
    AgendaItem,
    Forum,
    ForumConsent,
    ForumMember,
    ForumPerson,
    Meeting,
)
from sporskifte.organisations.models import Organisation

if TYPE_CHECKING:
    from sporskifte.accounts.models import Membership, User

# Roles that may sit in a forum. Not investigators: § 115 information is not for investigation.
FORUM_ROLES = frozenset({Role.OFFICER, Role.DISTRICT_ADMIN, Role.COUNSELLOR})


def speaks_for(membership: Membership) -> list[int]:
    """The organisations a user may represent: their own, and the district above their unit."""
    org = membership.organisation
    return [pk for pk in (org.pk, org.parent_id) if pk is not None]


# Members --------------------------------------------------------------------------------------


def memberships_of(user: User) -> QuerySet[ForumMember]:
    m = membership_of(user)
    if m is None or m.role not in FORUM_ROLES:
        return ForumMember.objects.none()
    return ForumMember.objects.filter(
        user=user, left_at__isnull=True, organisation_id__in=speaks_for(m)
    )


def member_of(user: User, forum: Forum) -> ForumMember | None:
    return memberships_of(user).filter(forum=forum).select_related("organisation").first()


def is_coordinator(user: User, forum: Forum) -> bool:
    member = member_of(user, forum)
    return bool(member and member.is_coordinator)


def may_manage_members(user: User, forum: Forum) -> bool:
    return admin_district_of(user) == forum.police_district_id or is_coordinator(user, forum)


def takes_part_in_fora(user: User) -> bool:
    return memberships_of(user).exists()


# Fora -----------------------------------------------------------------------------------------


def forums_for_member(user: User) -> QuerySet[Forum]:
    return Forum.objects.filter(pk__in=memberships_of(user).values("forum_id")).select_related(
        "municipality", "police_district"
    )


def forum_for_member(user: User, pk: object) -> Forum:
    return get_or_404(forums_for_member(user), pk)


def forums_for_admin(user: User) -> QuerySet[Forum]:
    district = admin_district_of(user)
    if district is None:
        return Forum.objects.none()
    return Forum.objects.filter(police_district_id=district).select_related(
        "municipality", "police_district"
    )


def forum_for_admin(user: User, pk: object) -> Forum:
    return get_or_404(forums_for_admin(user), pk)


def forum_for_user(user: User, pk: object) -> Forum:
    """A forum's front page: its members, or the administrator who set it up."""
    district = admin_district_of(user)
    scope = Q(pk__in=memberships_of(user).values("forum_id"))
    if district is not None:
        scope |= Q(police_district_id=district)
    return get_or_404(Forum.objects.filter(scope).select_related("municipality"), pk)


def forums_for_council(user: User) -> QuerySet[Forum]:
    """A council member's fora for counts: their municipality's and their district's."""
    m = membership_of(user)
    if m is None or m.role != Role.COUNCIL_MEMBER:
        return Forum.objects.none()
    org = m.organisation
    if org.kind == Organisation.Kind.POLICE_DISTRICT:
        return Forum.objects.filter(police_district=org)
    municipality = org.municipality
    if municipality is None:
        return Forum.objects.none()
    return Forum.objects.filter(
        Q(municipality_id=municipality.pk)
        | Q(municipality__isnull=True, police_district_id=municipality.police_district_id)
    )


def members_of(forum: Forum) -> QuerySet[ForumMember]:
    return forum.members.filter(left_at__isnull=True).select_related("user", "organisation")


# Persons --------------------------------------------------------------------------------------


def forum_persons_for_user(user: User) -> QuerySet[ForumPerson]:
    return ForumPerson.objects.filter(
        forum_id__in=memberships_of(user).values("forum_id")
    ).select_related("forum")


def forum_person_for_user(user: User, pk: object) -> ForumPerson:
    return get_or_404(forum_persons_for_user(user), pk)


def consent_for_user(user: User, pk: object) -> ForumConsent:
    qs = ForumConsent.objects.filter(person__in=forum_persons_for_user(user)).select_related(
        "person", "person__forum"
    )
    return get_or_404(qs, pk)


def consents_in_force(person: ForumPerson) -> QuerySet[ForumConsent]:
    return person.consents.filter(withdrawn_at__isnull=True)


# Meetings, agenda, actions --------------------------------------------------------------------


def meetings_for_user(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        forum_id__in=memberships_of(user).values("forum_id")
    ).select_related("forum")


def meeting_for_user(user: User, pk: object) -> Meeting:
    return get_or_404(meetings_for_user(user), pk)


def agenda_item_for_user(user: User, pk: object) -> AgendaItem:
    qs = AgendaItem.objects.filter(meeting__in=meetings_for_user(user)).select_related(
        "meeting", "meeting__forum"
    )
    return get_or_404(qs, pk)


def actions_for_user(user: User) -> QuerySet[Action]:
    return Action.objects.filter(
        forum_id__in=memberships_of(user).values("forum_id")
    ).select_related("forum", "owner", "person", "meeting")


def action_for_user(user: User, pk: object) -> Action:
    return get_or_404(actions_for_user(user), pk)


def agenda_of(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.agenda.select_related("person", "added_by")


def followup_actions(meeting: Meeting) -> QuerySet[Action]:
    """Actions agreed at earlier meetings that were still open when this one began: they come
    back on every following agenda until they are closed."""
    return (
        Action.objects.filter(forum_id=meeting.forum_id, meeting__starts_at__lt=meeting.starts_at)
        .filter(Q(status=Action.Status.OPEN) | Q(closed_at__gte=meeting.starts_at))
        .select_related("owner", "person", "meeting")
    )


def overdue_actions(forum: Forum, today: dt.date | None = None) -> QuerySet[Action]:
    today = today or timezone.localdate()
    return forum.actions.filter(status=Action.Status.OPEN, deadline__lt=today).select_related(
        "owner", "person", "meeting"
    )
