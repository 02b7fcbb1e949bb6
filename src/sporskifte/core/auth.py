"""The acting user, typed.

Services and selectors take the acting ``User``; a request's user is typed ``User |
AnonymousUser`` because the type checker cannot see the guards in front of a view. These two
name what those guards guarantee:

- Django views behind ``login_required`` annotate their request as ``AuthenticatedHttpRequest``
  (the pattern the django-stubs README documents). It is only an annotation: the decorator is
  what makes it true, so a view without it must keep ``HttpRequest``.
- API views call ``acting_user(request)``. Token authentication and ``IsAuthenticated`` run
  before a handler, so the check in it does not fire; if a view ever opens up, it answers 401
  instead of handing an anonymous user to a service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from rest_framework.exceptions import NotAuthenticated

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails
    from rest_framework.request import Request

    from sporskifte.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request to a view behind ``login_required``. Annotation only, never instantiated."""

    user: User
    # Set on every request by django_htmx's HtmxMiddleware (the django-htmx docs' pattern).
    htmx: HtmxDetails


def acting_user(request: Request) -> User:
    """The API request's authenticated user; NotAuthenticated (401) if there is none."""
    user = request.user
    if not user.is_authenticated:
        raise NotAuthenticated
    return user
