"""Lock-out after failed log-ins, without letting anyone lock out anyone.

django-axes counts failures per user name *and* address (``AXES_LOCKOUT_PARAMETERS``): someone
who knows a user name locks only their own address out, never the user at their desk. The lock
lasts in rising steps: 15 minutes after the first lock of that user name from that address
within a day, then an hour, four hours, sixteen, at most 24. Every failure is kept in axes'
failure log, which the system administrator's user page reads for bursts; a user whose own
address is locked lifts the lock with their second factor (``views.unlock_self``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from axes.helpers import get_client_ip_address, get_client_username
from axes.models import AccessFailureLog
from django.conf import settings
from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils import timezone

FIRST_STEP = dt.timedelta(minutes=15)
STEP_FACTOR = 4
LONGEST = dt.timedelta(hours=24)


def lock_step(earlier_locks: int) -> dt.timedelta:
    """The length of a lock, given how many locked attempts the day already saw."""
    if earlier_locks <= 1:
        return FIRST_STEP
    return min(FIRST_STEP * STEP_FACTOR ** min(earlier_locks - 1, 6), LONGEST)


def cool_off(request: HttpRequest | None) -> dt.timedelta:
    """``AXES_COOLOFF_TIME``: axes asks with the log-in request; without one (clean-up), the
    longest step, so nothing is cleaned away early."""
    if request is None:
        return LONGEST
    username = get_client_username(request)
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    if not username:
        return FIRST_STEP
    locks = AccessFailureLog.objects.filter(
        username=username,
        ip_address=address,
        locked_out=True,
        attempt_time__gte=timezone.now() - LONGEST,
    ).count()
    return lock_step(locks)


@dataclass(frozen=True)
class Burst:
    username: str
    ip_address: str | None
    failures: int
    last: dt.datetime


def failure_bursts(
    *, since: dt.timedelta = LONGEST, usernames: list[str] | None = None
) -> list[Burst]:
    """User name and address pairs with at least a lock's worth of failures in the period,
    most failures first: what the system administrator should look at."""
    rows = (
        AccessFailureLog.objects.filter(attempt_time__gte=timezone.now() - since)
        .values("username", "ip_address")
        .annotate(failures=Count("id"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-failures", "username")
    )
    if usernames is not None:
        rows = rows.filter(username__in=usernames)
    return [Burst(r["username"], r["ip_address"], r["failures"], r["last"]) for r in rows[:100]]
