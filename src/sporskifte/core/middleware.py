"""Two small cross-cutting rules for every response.

``CountryLanguageMiddleware``: the language of a Swedish user's pages follows the
organisation's country. Denmark is the site's default (LANGUAGE_CODE), so a Danish user needs
nothing. A Swedish officer or X-Cons worker whose browser asks for English or Danish would
otherwise get Danish pages; they get Swedish instead. A choice made with the language switch
(its cookie) always wins.

``NoStoreMiddleware``: responses with personal data must not be kept by browsers or shared
caches. A shared office PC's back button, a proxy or a browser's disk cache would otherwise keep
the pages of the last user (GDPR art. 32: confidentiality of processing). Every response to a
logged-in user and every API response (tokens, not sessions, so ``request.user`` cannot tell)
gets ``no-store``; anonymous public pages keep whatever caching they set.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from sporskifte.accounts.access import membership_of
from sporskifte.core.country import LANGUAGE_OF_COUNTRY

API_PREFIX = "/api/"


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


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        personal = request.path.startswith(API_PREFIX) or (
            user is not None and user.is_authenticated
        )
        # Replaces any caching a view set (private data wins); a view's own no-store stays.
        if personal and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        return response
