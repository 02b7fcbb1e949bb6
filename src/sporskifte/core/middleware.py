"""Cross-cutting rules for every request and response.

``RejectNulMiddleware``: a NUL character (``%00``) in a page's address or posted form cannot be
stored or searched for: PostgreSQL refuses it in text, and a view that put a query parameter
into a filter answered with a 500 (the police overview's ``q``, the mediation lists' ``kreds``).
One check at the boundary answers every page with 400 and a plain message in the user's
language before any view reads the value, so no view has to remember it. The API is left to
answer in its own JSON format: its input refuses NUL (Django REST framework's ``CharField``)
and Schemathesis sends it NUL in every parameter.

``NoStoreMiddleware``: responses with personal data must not be kept by browsers or shared
caches. A shared office PC's back button, a proxy or a browser's disk cache would otherwise keep
the pages of the last user (GDPR art. 32: confidentiality of processing). Every response to a
logged-in user and every API response (tokens, not sessions, so ``request.user`` cannot tell)
gets ``no-store``; anonymous public pages keep whatever caching they set.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

API_PREFIX = "/api/"


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX) and _has_nul(request):
            return TemplateResponse(request, "core/400_nul.html", status=400).render()
        return self.get_response(request)


def _has_nul(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    if "\x00" in request.path or "%00" in query or "\x00" in query:
        return True
    # Some views read a posted value without a form (the mediation lists' ``kreds``). The CSRF
    # check parses every posted form anyway, so reading it here costs nothing more.
    if request.method == "POST":
        return any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.POST.lists())
    return False


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
