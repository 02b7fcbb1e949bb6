"""Reports and exports read from a PostgreSQL replica when one is configured.

``DATABASE_REPLICA_URL`` adds the ``replica`` database; without it none of this is installed
and every query goes to the primary as before. With it, reads go to the replica only

- inside ``replica_reads()`` (the figures, their CSV/XLSX exports and research extracts are
  marked with ``@reads_from_replica``): pages whose data may be a second old;
- when this browser has not written in the last ``SPORSKIFTE_READ_OWN_WRITES_SECONDS``: a user
  who just saved something sees it, not the replica's older copy (a cookie with the time of the
  last unsafe request; worst case a forged one sends reads to the primary);
- outside a transaction: what a transaction reads belongs with what it writes;
- for the domain's tables: sessions, log-in state, the cache and the task queue are always
  read where they are written.

Every write goes to the primary; ``migrate`` runs on the primary only (a streaming standby
copies the schema).
"""

from __future__ import annotations

import contextvars
import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
WROTE_COOKIE = "sporskifte_wrote"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Read where they are written: a session or a lock-out a second old is a wrong answer.
PRIMARY_ONLY_APPS = frozenset(
    {
        "sessions",
        "axes",
        "otp_totp",
        "otp_static",
        "django_otp",
        "django_cache",
        "django_tasks_db",
        "admin",
    }
)

_replica_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "replica_allowed", default=False
)
_wrote_recently: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "wrote_recently", default=False
)

View = TypeVar("View", bound=Callable[..., HttpResponse])


def replica_configured() -> bool:
    return REPLICA in connections


def _in_transaction() -> bool:
    # A test case's own transaction is not the code's: tests see what production does.
    return any(
        not getattr(block, "_from_testcase", False)
        for block in connections[DEFAULT_DB_ALIAS].atomic_blocks
    )


def read_database(
    *,
    configured: bool,
    allowed: bool,
    wrote_recently: bool,
    in_transaction: bool,
    app_label: str,
) -> str:
    """Where a read goes: the decision, apart from where its inputs come from."""
    if (
        configured
        and allowed
        and not wrote_recently
        and not in_transaction
        and app_label not in PRIMARY_ONLY_APPS
    ):
        return REPLICA
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        return read_database(
            configured=replica_configured(),
            allowed=_replica_allowed.get(),
            wrote_recently=_wrote_recently.get(),
            in_transaction=_replica_allowed.get() and _in_transaction(),
            app_label=model._meta.app_label,
        )

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same rows on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _replica_allowed.set(True)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


@contextmanager
def after_own_write(wrote: bool = True) -> Iterator[None]:
    token = _wrote_recently.set(wrote)
    try:
        yield
    finally:
        _wrote_recently.reset(token)


def reads_from_replica(view: View) -> View:
    """Marks a report or export view: its reads may come from the replica."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


class ReadYourWritesMiddleware:
    """Remembers in a cookie when this browser last wrote, and sends its reads to the primary
    for a short while after. Not installed without a replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not replica_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.window = settings.READ_OWN_WRITES_SECONDS

    def _wrote_recently(self, request: HttpRequest) -> bool:
        try:
            written = float(request.COOKIES.get(WROTE_COOKIE, ""))
        except ValueError:
            return False
        # Within the window either way: the web servers' clocks may differ by a little.
        return abs(time.time() - written) < self.window

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with after_own_write(self._wrote_recently(request)):
            response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                WROTE_COOKIE,
                str(int(time.time())),
                max_age=self.window,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
