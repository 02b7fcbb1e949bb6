"""Refused looks (``core.access.RefusedLook``) are recorded, whatever page raised them."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from sporskifte.audit.services import refused_look_record
from sporskifte.core.access import RefusedLook


class RefusedLookMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, RefusedLook):
            refused_look_record(
                actor=getattr(request, "user", None),
                object_type=exception.object_type,
                object_id=exception.object_id,
            )
        # None: Django answers the 404 as for any missing object.
