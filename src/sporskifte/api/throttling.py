"""The API's rate limit, counted in the database every worker and host shares.

DRF's ``UserRateThrottle`` keeps a list of request times in the cache: with the database cache
that is six statements per call (read; count the table; find and write the row in a
savepoint), and two workers that read the same list at once both append to their own copy, so
the limit leaks under exactly the load it is for. Here a call costs one statement, an atomic
upsert that returns the new count (``INSERT … ON CONFLICT … DO UPDATE … RETURNING``, on
PostgreSQL and SQLite alike), so concurrent calls can never both see room for one more.

The window is fixed (the minute, for "1000/minute"): a client can at most spend one window's
allowance at its end and the next at its start. The 429 answer is DRF's, with ``Retry-After``
the seconds until the next window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connections
from rest_framework.throttling import UserRateThrottle

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from rest_framework.request import Request
    from rest_framework.views import APIView


# ThrottleCount's table, quoted as PostgreSQL and SQLite both read it.
_COUNT = (
    'INSERT INTO "api_throttlecount" ("key", "window_start", "hits") VALUES (%s, %s, 1) '
    'ON CONFLICT ("key", "window_start") '
    'DO UPDATE SET "hits" = "api_throttlecount"."hits" + 1 RETURNING "hits"'
)
_FORGET_EARLIER = 'DELETE FROM "api_throttlecount" WHERE "key" = %s AND "window_start" < %s'


def count_hit(key: str, window_start: int, connection: BaseDatabaseWrapper | None = None) -> int:
    """Count one request for the key in the window; the window's count including it."""
    with (connection or connections["default"]).cursor() as cursor:
        cursor.execute(_COUNT, [key, window_start])
        (hits,) = cursor.fetchone()
        if hits == 1:  # the key's first call in this window: its earlier windows are over
            cursor.execute(_FORGET_EARLIER, [key, window_start])
    return int(hits)


class TokenRateThrottle(UserRateThrottle):
    """``UserRateThrottle``'s scope, rate setting and key (a token's service user, or the
    address without a token), counted with ``count_hit``."""

    # Set by SimpleRateThrottle.__init__ from the rate ("1000/minute": 1000, 60).
    num_requests: int
    duration: int

    def allow_request(self, request: Request, view: APIView) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window_start = int(now // self.duration) * self.duration
        self.retry_after = window_start + self.duration - now
        return count_hit(self.key, window_start) <= self.num_requests

    def wait(self) -> float:
        return max(self.retry_after, 1.0)
