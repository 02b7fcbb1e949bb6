"""A cross-cutting rule for every response.

``NoStoreMiddleware``: responses with personal data must not be kept by browsers or shared
caches. A shared office PC's back button, a proxy or a browser's disk cache would otherwise keep
the pages of the last user (GDPR art. 32: confidentiality of processing). Every response to a
logged-in user and every API response (tokens, not sessions, so ``request.user`` cannot tell)
gets ``no-store``; anonymous public pages keep whatever caching they set.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"


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
