"""Unknown URLs under /api/ (or an id that is not a number) answer in JSON, like every other
error of the API, instead of Django's HTML page."""

from __future__ import annotations

from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.views import APIView


class NotFoundView(APIView):
    # No handler methods: nothing for the OpenAPI document, and every method ends in initial().
    def initial(self, request: Request, *args: object, **kwargs: object) -> None:
        super().initial(request, *args, **kwargs)  # a missing token is still a 401
        raise NotFound
