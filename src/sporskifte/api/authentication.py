"""API tokens: ``Authorization: Bearer spk_…``. A token stands for one organisation through its
service user, so the API applies exactly the access functions the web pages use.

A request that names no language (no ``Accept-Language``) is answered in the language of the
token's country: a Swedish police region's system gets Swedish messages, a Danish one Danish.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from sporskifte.accounts.access import membership_of
from sporskifte.accounts.models import ApiToken, User

LANGUAGE_OF_COUNTRY = {"DK": "da", "SE": "sv"}

LAST_USED_PRECISION = dt.timedelta(minutes=1)


class OrganisationTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        # The service user's membership in the same query: every call asks who it acts as.
        token = (
            ApiToken.objects.select_related("service_user__membership__organisation")
            .filter(digest=ApiToken.digest_of(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.service_user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        token.service_user._sporskifte_membership = token.service_user.membership_or_none
        now = timezone.now()
        # "Last used" is for the administrator's list, to the minute: a write per request would
        # double a polling system's cost for nothing.
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        if "HTTP_ACCEPT_LANGUAGE" not in request.META:
            membership = membership_of(token.service_user)
            if membership is not None:
                country = membership.organisation.country
                translation.activate(LANGUAGE_OF_COUNTRY.get(country, "da"))
                request.LANGUAGE_CODE = translation.get_language()
        return (token.service_user, token)

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
