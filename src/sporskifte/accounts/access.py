"""Who a user acts as: the one place that decides it.

A user acts for exactly one organisation in one role (``Membership``). Every access function in
the apps' ``selectors.py`` starts from these helpers, so a change of who counts as police, as a
partner or as a district's administrator is made here and nowhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sporskifte.accounts.models import POLICE_ROLES, Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from sporskifte.accounts.models import User


def membership_of(user: User | AnonymousUser | None) -> Membership | None:
    """The membership a user acts through, or None (anonymous, or no organisation)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if hasattr(user, "_sporskifte_membership"):
        return user._sporskifte_membership
    try:
        membership = Membership.objects.select_related("organisation").get(user=user)
    except Membership.DoesNotExist:
        membership = None
    user._sporskifte_membership = membership
    return membership


def police_district_of(user: User) -> int | None:
    """The police district a police user works in; None for everyone else."""
    m = membership_of(user)
    if m is None or m.role not in POLICE_ROLES:
        return None
    return m.organisation.police_district_id


def partner_of(user: User) -> int | None:
    """The partner organisation a counsellor works for; None for everyone else."""
    m = membership_of(user)
    if m is None or m.role != Role.COUNSELLOR or not m.organisation.is_partner:
        return None
    return m.organisation_id


def admin_district_of(user: User) -> int | None:
    """The police district a district administrator administers; None for everyone else."""
    m = membership_of(user)
    if m is None or m.role != Role.DISTRICT_ADMIN:
        return None
    return m.organisation.police_district_id
