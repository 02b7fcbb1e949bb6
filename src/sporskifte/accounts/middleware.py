"""Staff must finish the second factor before they reach anything but the log-in steps; the
session's idle time slides without a database write on every request.

``CountryLanguageMiddleware``: the language of a Swedish user's pages follows the
organisation's country. Denmark is the site's default (LANGUAGE_CODE), so a Danish user needs
nothing. A Swedish officer or X-Cons worker whose browser asks for English or Danish would
otherwise get Danish pages; they get Swedish instead. A choice made with the language switch
(its cookie) always wins.
"""

import time
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation

from sporskifte.accounts.access import membership_of
from sporskifte.organisations.models import Country

LANGUAGE_OF_COUNTRY: dict[str, str] = {Country.SWEDEN: "sv"}

# Pages without personal data or staff functions, and the API (tokens, not sessions).
OPEN_PREFIXES = (
    "/static/",
    "/i18n/",
    "/api/",
    "/offentlig/",
    "/tilgaengelighed/",
    # The SAML exchange itself (sporskifte.saml); not its message log, which needs both factors.
    "/saml/log-ind/",
    "/saml/acs/",
    "/saml/log-ud/",
    "/saml/ls/",
    "/saml/metadata/",
)
# Only the log-in steps themselves: the administrator's pages under /konto/ need the code too.
OPEN_STEPS = ("login", "logout", "verify", "setup_mfa", "unlock_self")


@cache
def _open_paths() -> frozenset[str]:
    return frozenset(reverse(f"accounts:{name}") for name in OPEN_STEPS)


class RequireVerifiedStaffMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.MFA_REQUIRED
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
            and request.path not in _open_paths()
        ):
            return HttpResponseRedirect(reverse("accounts:verify"))
        return self.get_response(request)


# The key holding when the session was last written (seconds since the epoch).
SAVED_AT = "_sporskifte_saved_at"


def now() -> int:
    return int(time.time())


class SlidingSessionMiddleware:
    """Slide the idle timeout (SESSION_COOKIE_AGE from the last write) with a bounded write rate.

    Saving on every request (SESSION_SAVE_EVERY_REQUEST) costs an UPDATE per page and per
    htmx call. Here a session is written when something in it changed or when the last write
    is SESSION_REFRESH_SECONDS old, so it ends at most that much before the idle timeout after
    its last request, and never after it. Must sit inside SessionMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # is_empty() does not read the database: no cookie, nothing to slide (API, public pages).
        if session is None or session.is_empty() or response.status_code >= 500:
            return response
        saved = session.get(SAVED_AT)
        if saved is None and not session.modified and len(session.keys()) == 0:
            return response  # an expired or unknown cookie: do not start a session for it
        current = now()
        if session.modified or saved is None or current - saved >= settings.SESSION_REFRESH_SECONDS:
            session[SAVED_AT] = current
        return response


class CountryLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            membership = membership_of(request.user)
            language = membership and LANGUAGE_OF_COUNTRY.get(membership.organisation.country)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
