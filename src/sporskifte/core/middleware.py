"""The language of a Swedish user's pages follows the organisation's country.

Denmark is the site's default (LANGUAGE_CODE), so a Danish user needs nothing. A Swedish
officer or X-Cons worker whose browser asks for English or Danish would otherwise get Danish
pages; they get Swedish instead. A choice made with the language switch (its cookie) always wins.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from sporskifte.core.access import membership_of
from sporskifte.core.country import LANGUAGE_OF_COUNTRY


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
