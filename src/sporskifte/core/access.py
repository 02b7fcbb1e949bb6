"""Shared pieces of the access model.

Every object type has one access function in its app's ``selectors.py`` (``referral_for_user``,
``offer_for_user``, ...) and a default-deny list queryset. Who a user acts as is decided in
one place, ``sporskifte.accounts.access``; the helpers here only turn a scoped queryset into an
object or a 404. Missing and forbidden both
raise ``Http404``: a user cannot learn that an object exists by probing ids.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

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
