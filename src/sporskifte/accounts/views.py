"""Log-in in two steps: password (Django's form, watched by django-axes), then a TOTP code.

After the password step the user has a session but is not verified; RequireVerifiedStaffMiddleware
keeps them on these pages until ``django_otp.login`` marks the session verified.

Also the system administrator's user page (reset a lost second factor, lift a lock-out) and API
token page (issue, revoke); the middleware asks for the code there as everywhere else.
"""

from __future__ import annotations

import base64
import io
from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.accounts.access import membership_of
from sporskifte.accounts.forms import (
    ApiTokenIssueForm,
    LoginForm,
    TokenForm,
    UnlockSelfForm,
    UserSearchForm,
)
from sporskifte.accounts.models import User
from sporskifte.accounts.selectors import (
    api_token_requests_for_admin,
    api_tokens_for_admin,
    confirmed_totp_device,
    failure_bursts_for_admin,
    locked_out_usernames,
    may_manage_users,
    organisations_administered_by,
    users_for_admin,
    users_search,
)
from sporskifte.accounts.services import (
    totp_device_confirm,
    totp_device_pending,
    user_login_record,
    user_second_factor_reset,
    user_unlock,
)
from sporskifte.accounts.tokens import (
    api_token_issue,
    api_token_request,
    api_token_request_approve,
    api_token_revoke,
)
from sporskifte.accounts.totp import next_usable_code
from sporskifte.core.access import get_or_404
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.organisations.models import IdentityProvider


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _done(request: HttpRequest) -> HttpResponseRedirect:
    return redirect(_safe_next(request) or resolve_url("core:home"))


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["identity_providers"] = (
            list(IdentityProvider.objects.exclude(metadata_xml="").order_by("name"))
            if settings.SAML_ENABLED
            else []
        )
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        super().form_valid(form)  # django.contrib.auth.login: rotates the session key
        next_url = self.get_redirect_url()
        if not settings.MFA_REQUIRED:
            user_login_record(actor=user, second_factor=False)
            return redirect(next_url or resolve_url("core:home"))
        step = "accounts:verify" if confirmed_totp_device(user) else "accounts:setup_mfa"
        return redirect(_with_next(step, next_url))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():
        return _done(request)
    device = confirmed_totp_device(user)
    if device is None:
        return redirect(_with_next("accounts:setup_mfa", _safe_next(request)))
    form = TokenForm(device, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            otp_login(request, device)
            user_login_record(actor=user, second_factor=True)
        return _done(request)
    demo_code = next_usable_code(device).code if settings.DEMO and user.is_demo else None
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "next": _safe_next(request), "demo_code": demo_code},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def unlock_self(request: HttpRequest) -> HttpResponse:
    """A user locked out after failed log-ins lifts the lock with their second factor. The
    wrong-code throttle of the device (django-otp) keeps this from being a way to guess codes."""
    form = UnlockSelfForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["user"]
        user_unlock(username=user.username, actor=user, by_second_factor=True)
        messages.success(request, _("The lock is lifted. Log in with your password and code."))
        return redirect("accounts:login")
    return render(request, "accounts/unlock_self.html", {"form": form})


def _qr_data_uri(device: TOTPDevice) -> str:
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup_mfa(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():
        return _done(request)
    # Someone who knows only the password must not be able to add a device of their own.
    if confirmed_totp_device(user) is not None:
        return redirect(_with_next("accounts:verify", _safe_next(request)))
    device = totp_device_pending(actor=user)
    form = TokenForm(device, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            totp_device_confirm(actor=user, device=device)
            otp_login(request, device)
            user_login_record(actor=user, second_factor=True)
        return _done(request)
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/setup_mfa.html",
        {
            "form": form,
            "next": _safe_next(request),
            "qr_data_uri": _qr_data_uri(device),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        },
    )


# The backend a SAML session is recorded with (sporskifte.saml, above this app: named, not
# imported). Its log-out goes on to the identity provider's single logout.
SAML_BACKEND = "sporskifte.saml.backends.SamlBackend"


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.SAML_ENABLED and request.session.get(BACKEND_SESSION_KEY) == SAML_BACKEND:
            # 307 keeps the POST and its CSRF token.
            return HttpResponseRedirect(reverse("saml:logout"), preserve_request=True)
        return super().post(request, *args, **kwargs)


logout = LogoutView.as_view()


USER_LIST_LIMIT = 50


def _require_user_admin(request: AuthenticatedHttpRequest) -> None:
    """404 for anyone but a system administrator (forbidden looks like missing)."""
    if not may_manage_users(request.user):
        raise Http404


@never_cache
@login_required
@require_http_methods(["GET"])
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_user_admin(request)
    form = UserSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    users = list(users_search(request.user, query)[: USER_LIST_LIMIT + 1])
    more = len(users) > USER_LIST_LIMIT
    users = users[:USER_LIST_LIMIT]
    locked = locked_out_usernames(u.username for u in users)
    rows = [{"user": u, "locked": u.username in locked} for u in users]
    return render(
        request,
        "accounts/user_list.html",
        {
            "form": form,
            "rows": rows,
            "more": more,
            "limit": USER_LIST_LIMIT,
            "bursts": failure_bursts_for_admin(request.user),
        },
    )


def _target(request: AuthenticatedHttpRequest, pk: int) -> User:
    return get_or_404(users_for_admin(request.user).select_related("membership__organisation"), pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def user_second_factor_reset_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_user_admin(request)
    target = _target(request, pk)
    own = target.pk == request.user.pk
    if request.method == "POST":
        try:
            user_second_factor_reset(actor=request.user, user=target)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _(
                    "The second factor of %(user)s is reset. They set up a new code at their "
                    "next log-in."
                )
                % {"user": target.username},
            )
        return redirect("accounts:user_list")
    return render(request, "accounts/user_reset_confirm.html", {"target": target, "own": own})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def user_unlock_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_user_admin(request)
    target = _target(request, pk)
    if request.method == "POST":
        user_unlock(username=target.username, actor=request.user)
        messages.success(
            request,
            _("%(user)s is unlocked and can log in again.") % {"user": target.username},
        )
        return redirect("accounts:user_list")
    return render(request, "accounts/user_unlock_confirm.html", {"target": target})


def _token_page(
    request: AuthenticatedHttpRequest,
    form: ApiTokenIssueForm | None = None,
    issued: dict[str, object] | None = None,
) -> HttpResponse:
    scope = organisations_administered_by(request.user)
    return render(
        request,
        "accounts/api_token_list.html",
        {
            "form": form or ApiTokenIssueForm(scope=scope),
            "tokens": list(api_tokens_for_admin(request.user)),
            "requests": list(api_token_requests_for_admin(request.user)[:REQUEST_LIST_LIMIT]),
            "issued": issued,
        },
    )


REQUEST_LIST_LIMIT = 50


@never_cache  # the issuing response holds the key: no cache may keep it
@login_required
@require_http_methods(["GET", "POST"])
def api_token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The tokens and requests in the administrator's scope and a form to issue one. A token
    for the administrator's own organisation is issued at once; one for another organisation
    becomes a request for a second administrator. A new key is shown once, on the response to
    the POST itself: never in a redirect URL or a message, which could be logged or kept."""
    _require_user_admin(request)
    scope = organisations_administered_by(request.user)
    form = ApiTokenIssueForm(request.POST or None, scope=scope)
    if request.method != "POST" or not form.is_valid():
        return _token_page(request, form)
    organisation = form.cleaned_data["organisation"]
    membership = membership_of(request.user)
    own = membership is not None and organisation.pk == membership.organisation_id
    fields = {"organisation": organisation, "role": form.cleaned_data["role"]}
    try:
        if own:
            token, key = api_token_issue(
                actor=request.user, name=form.cleaned_data["name"], **fields
            )
            return _token_page(request, issued={"token": token, "key": key})
        api_token_request(actor=request.user, name=form.cleaned_data["name"], **fields)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _token_page(request, form)
    messages.success(
        request,
        _(
            "The token for %(organisation)s waits for another system administrator's approval. "
            "The key is shown to them once, when they approve it."
        )
        % {"organisation": organisation.name},
    )
    return redirect("accounts:api_token_list")


@never_cache  # the approving response holds the key
@login_required
@require_http_methods(["GET", "POST"])
def api_token_request_approve_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A second administrator, whose scope includes the organisation, approves a request; the
    key is made then and shown once, to them."""
    _require_user_admin(request)
    token_request = get_or_404(api_token_requests_for_admin(request.user), pk)
    if request.method == "POST":
        try:
            token, key = api_token_request_approve(actor=request.user, request=token_request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("accounts:api_token_list")
        return _token_page(request, issued={"token": token, "key": key})
    return render(
        request,
        "accounts/api_token_request_approve_confirm.html",
        {"token_request": token_request, "own": token_request.requested_by_id == request.user.pk},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_token_revoke_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_user_admin(request)
    token = get_or_404(api_tokens_for_admin(request.user), pk)
    if request.method == "POST":
        try:
            api_token_revoke(actor=request.user, token=token)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The token %(name)s is revoked and no longer works.") % {"name": token.name},
            )
        return redirect("accounts:api_token_list")
    return render(request, "accounts/api_token_revoke_confirm.html", {"token": token})
