"""A fixed-window limit on the public form, counted in the shared cache so every web worker and
server counts together. The client's address is read the way the log-in lock-out reads it
(django-axes, which knows the proxy set-up) and only a keyed hash of it is stored."""

from __future__ import annotations

import hashlib
import hmac
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# A school fills in the form once; five from one address in an hour is already generous. The
# total guards the unit's inbox against a flood spread over many addresses.
PER_ADDRESS, PER_ADDRESS_WINDOW = 5, 3600
IN_ALL, IN_ALL_WINDOW = 300, 3600


def _hit(key: str, limit: int, window: int) -> bool:
    slot = f"outreach:rate:{key}:{int(time.time()) // window}"
    if cache.add(slot, 1, timeout=window):
        return True
    try:
        count = cache.incr(slot)
    except ValueError:  # the slot expired between add and incr
        cache.add(slot, 1, timeout=window)
        count = 1
    return count <= limit


def client_key(request: HttpRequest) -> str:
    address = get_client_ip_address(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def allow_submission(request: HttpRequest) -> bool:
    """Count this submission; False when the address or the whole form is over its limit."""
    mine = _hit(client_key(request), PER_ADDRESS, PER_ADDRESS_WINDOW)
    everyone = _hit("all", IN_ALL, IN_ALL_WINDOW)
    return mine and everyone
