"""The site's URLconf plus pages that refuse, for test_refused_as_not_found."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from sporskifte.core.errors import NotAllowed
from sporskifte.urls import handler403, urlpatterns


def _service_refuses(request: HttpRequest) -> HttpResponse:
    raise NotAllowed


def _plain_refusal(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


__all__ = ["handler403", "urlpatterns"]
urlpatterns = [
    path("test-refuses/service/", _service_refuses),
    path("test-refuses/plain/", _plain_refusal),
    *urlpatterns,
]
