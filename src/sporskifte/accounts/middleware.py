"""Staff must finish the second factor before they reach anything but the log-in steps."""

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

# Pages without personal data or staff functions, and the API (tokens, not sessions).
OPEN_PREFIXES = ("/static/", "/i18n/", "/api/", "/offentlig/", "/tilgaengelighed/")
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
