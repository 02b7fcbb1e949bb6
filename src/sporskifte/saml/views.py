"""The SAML endpoints: djangosaml2's views with Sporskifte's account binding, refusals (each
audited, with a page that says why) and the message log kept for NemLog-in.

pysaml2 checks signature, audience, times and InResponseTo; ``services.saml_login_accept`` then
checks the level of assurance, finds the account (never creates one) and its organisation's CVR.
A session logged in here is verified for django-otp with the user's SamlDevice: the identity
provider did the multi-factor log-in at NSIS Substantial, so no TOTP code is asked.
"""

from __future__ import annotations

import base64
from typing import Any

from defusedxml import ElementTree
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from djangosaml2 import views as saml_views
from saml2.response import SignatureError, StatusError, UnsolicitedResponse
from saml2.sigver import MissingKey
from saml2.validate import ResponseLifetimeExceed, ToEarly

from sporskifte.accounts.selectors import may_manage_users
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.saml.models import SamlMessage
from sporskifte.saml.refusals import Reason, SamlRefused
from sporskifte.saml.selectors import saml_messages_for_user
from sporskifte.saml.services import (
    Assertion,
    saml_login_accept,
    saml_login_refuse,
    saml_logout_record,
    saml_message_log_viewed,
    saml_message_record,
    was_answered,
)

SAML_PROTOCOL = "{urn:oasis:names:tc:SAML:2.0:protocol}"
SAML_ASSERTION = "{urn:oasis:names:tc:SAML:2.0:assertion}"


def _require_enabled() -> None:
    if not settings.SAML_ENABLED:
        raise Http404


def _envelope(raw: str) -> tuple[str, str]:
    """Issuer and InResponseTo of a posted response, read without trusting it (for the log)."""
    try:
        root = ElementTree.fromstring(base64.b64decode(raw, validate=False))
    except Exception:  # anything unreadable is logged as such
        return "", ""
    issuer = root.find(f"{SAML_ASSERTION}Issuer")
    return (issuer.text or "").strip() if issuer is not None else "", root.get("InResponseTo", "")


def _reason_for(exception: Exception | None, in_response_to: str) -> Reason:
    if isinstance(exception, UnsolicitedResponse):
        return Reason.REPLAYED if was_answered(in_response_to) else Reason.UNSOLICITED
    if isinstance(exception, ResponseLifetimeExceed | ToEarly):
        return Reason.EXPIRED
    if isinstance(exception, SignatureError | MissingKey):
        return Reason.UNSIGNED
    if isinstance(exception, StatusError):
        return Reason.IDP_REFUSED
    if exception is not None and "AudienceRestrictions" in str(exception):
        return Reason.WRONG_AUDIENCE
    return Reason.INVALID


def refused_page(request: HttpRequest, reason: Reason) -> HttpResponse:
    return render(
        request,
        "saml/refused.html",
        {"reason": reason, "low_assurance": reason == Reason.LOW_ASSURANCE},
        status=403,
    )


class LoginView(saml_views.LoginView):
    """Sends a signed AuthnRequest (HTTP-Redirect) to the identity provider chosen by ``idp``."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_enabled()
        response = super().get(request, *args, **kwargs)
        location = response.get("Location", "")
        if "SAMLRequest=" in location:
            saml_message_record(
                kind=SamlMessage.Kind.AUTHN_REQUEST,
                outcome=SamlMessage.Outcome.SENT,
                raw=location,
                idp_entity_id=request.GET.get("idp", ""),
            )
        return response


class AssertionConsumerServiceView(saml_views.AssertionConsumerServiceView):
    refusal: SamlRefused | None = None
    in_response_to = ""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_enabled()
        return super().post(request, create_unknown_user=False)

    def custom_validation(self, response: Any) -> None:
        self.in_response_to = response.in_response_to or ""

    def handle_acs_failure(
        self,
        request: HttpRequest,
        exception: Exception | None = None,
        status: int = 403,
        **kwargs: Any,
    ) -> HttpResponse:
        raw = request.POST.get("SAMLResponse", "")
        issuer, in_response_to = _envelope(raw)
        if self.refusal is not None:
            reason, detail = self.refusal.reason, self.refusal.detail
        else:
            reason, detail = _reason_for(exception, in_response_to), {}
        user_id = detail.pop("user_id", None)
        saml_login_refuse(
            reason=reason,
            raw=raw,
            idp_entity_id=issuer,
            in_response_to=in_response_to,
            detail={**detail, **({"account": user_id} if user_id else {})},
        )
        return refused_page(request, reason)

    def authenticate_user(
        self,
        request: HttpRequest,
        session_info: dict[str, Any],
        attribute_mapping: Any,
        create_unknown_user: bool,
        assertion_info: dict[str, Any],
    ) -> Any:
        assertion = Assertion(
            issuer=session_info["issuer"],
            name_id=session_info["name_id"].text,
            assertion_id=assertion_info.get("assertion_id") or "",
            in_response_to=self.in_response_to,
            attributes=session_info["ava"],
        )
        try:
            user, device = saml_login_accept(
                assertion=assertion, raw=request.POST.get("SAMLResponse", "")
            )
        except SamlRefused as refusal:
            self.refusal = refusal
            raise PermissionDenied(refusal.reason.value) from refusal
        auth.login(request, user, backend="sporskifte.saml.backends.SamlBackend")
        otp_login(request, device)
        # djangosaml2's SamlSessionMiddleware sets saml_session on the request.
        saml_session = getattr(request, "saml_session")  # noqa: B009 - not on HttpRequest's type
        saml_views._set_subject_id(saml_session, session_info["name_id"])
        return user


class LogoutInitView(saml_views.LogoutInitView):
    """Single logout started here (the log-out button, by POST with its CSRF token): a signed
    LogoutRequest to the identity provider, which ends its session and answers at ``ls``."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_enabled()
        user = request.user
        response = super().get(request, *args, **kwargs)
        if user.is_authenticated:
            saml_logout_record(
                user=user,
                raw=response.get("Location", ""),
                kind=SamlMessage.Kind.LOGOUT_REQUEST,
            )
        return response


class LogoutView(saml_views.LogoutView):
    """The identity provider's logout response, or its logout request (logout started there)."""

    def do_logout_service(
        self, request: HttpRequest, data: Any, binding: str, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        _require_enabled()
        raw = data.get("SAMLResponse") or data.get("SAMLRequest") or ""
        kind = (
            SamlMessage.Kind.LOGOUT_RESPONSE
            if "SAMLResponse" in data
            else SamlMessage.Kind.LOGOUT_REQUEST
        )
        saml_message_record(kind=kind, outcome=SamlMessage.Outcome.ACCEPTED, raw=raw[:100_000])
        return super().do_logout_service(request, data, binding, *args, **kwargs)


class MetadataView(saml_views.MetadataView):
    """The SP's metadata at a stable URL, for NemLog-in's onboarding and other IdPs."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_enabled()
        return super().get(request, *args, **kwargs)


MESSAGE_LIST_LIMIT = 100


@never_cache
@login_required
@require_http_methods(["GET"])
def message_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The last messages exchanged with identity providers, for the system administrator; a
    404 for anyone else, as if the page did not exist."""
    if not may_manage_users(request.user):
        raise Http404
    messages = list(saml_messages_for_user(request.user)[:MESSAGE_LIST_LIMIT])
    saml_message_log_viewed(actor=request.user, count=len(messages))
    return render(
        request, "saml/message_list.html", {"messages": messages, "limit": MESSAGE_LIST_LIMIT}
    )
