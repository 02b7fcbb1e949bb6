from django.conf import settings
from django.http import HttpRequest

from sporskifte.accounts.access import membership_of


def _past_second_step(user: object) -> bool:
    """The menu and the user's name appear only once both log-in steps are done: on the code
    page the session is half logged in, and every menu item would send them back to it."""
    if not settings.MFA_REQUIRED:
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def sporskifte(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    membership = membership_of(user)
    return {
        "membership": membership,
        "show_menu": bool(membership) and _past_second_step(user),
        "DEMO": settings.DEMO,
    }
