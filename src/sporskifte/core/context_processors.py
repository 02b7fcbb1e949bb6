from django.conf import settings
from django.http import HttpRequest

from sporskifte.core.access import membership_of


def sporskifte(request: HttpRequest) -> dict[str, object]:
    return {
        "membership": membership_of(getattr(request, "user", None)),
        "DEMO": settings.DEMO,
    }
