"""Shared pieces of the access model.

Every object type has one access function in its app's ``selectors.py`` (``referral_for_user``,
``offer_for_user``, ...) and a default-deny list queryset. Those functions use the helpers here,
so "who is this user acting as" is decided in exactly one place. Missing and forbidden both
raise ``Http404``: a user cannot learn that an object exists by probing ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from sporskifte.accounts.models import Membership, User

M = TypeVar("M", bound=Model)

# Primary keys are 64-bit; a larger number from a URL would overflow the database driver (500).
PK_MAX = 2**63 - 1


def pk_or_404(raw: object) -> int:
    """A primary key from a URL or form value; anything that cannot be one is simply not there."""
    try:
        pk = int(str(raw))
    except ValueError as exc:
        raise Http404 from exc
    if not 0 < pk <= PK_MAX:
        raise Http404
    return pk


def membership_of(user: User | AnonymousUser | None) -> Membership | None:
    """The membership a user acts through, or None (anonymous, or no organisation)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if hasattr(user, "_sporskifte_membership"):
        return user._sporskifte_membership
    from sporskifte.accounts.models import Membership

    try:
        membership = Membership.objects.select_related("organisation").get(user=user)
    except Membership.DoesNotExist:
        membership = None
    user._sporskifte_membership = membership
    return membership


class RefusedLook(Http404):
    """A 404 for an object that exists outside the user's scope. It answers exactly like a
    missing object; the audit app records it (probing ids shows up as bursts)."""

    def __init__(self, object_type: str, object_id: object) -> None:
        super().__init__()
        self.object_type, self.object_id = object_type, str(object_id)


def get_or_404(queryset: QuerySet[M], pk: object) -> M:
    """Fetch from an already-scoped queryset; anything outside the scope is simply not there."""
    if isinstance(pk, int) and not 0 < pk <= PK_MAX:
        raise Http404
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:  # every DoesNotExist derives it
        model = queryset.model
        if isinstance(exc, ObjectDoesNotExist) and model._default_manager.filter(pk=pk).exists():
            # One more primary-key lookup, on the 404 path only.
            raise RefusedLook(model._meta.label_lower, pk) from exc
        raise Http404 from exc
