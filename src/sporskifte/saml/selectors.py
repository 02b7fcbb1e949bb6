"""Reads of the SAML message log: the system administrator's, nobody else's."""

from __future__ import annotations

from django.db.models import QuerySet

from sporskifte.accounts.models import User
from sporskifte.accounts.selectors import may_manage_users
from sporskifte.saml.models import SamlMessage


def saml_messages_for_user(user: User) -> QuerySet[SamlMessage]:
    """Every message for a system administrator, none for anyone else (default deny)."""
    if not user.is_authenticated or not may_manage_users(user):
        return SamlMessage.objects.none()
    return SamlMessage.objects.select_related("user").order_by("-created_at", "-pk")
