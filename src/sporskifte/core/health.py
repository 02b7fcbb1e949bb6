"""``/healthz`` and ``/readyz`` for the load balancer, answered before any other middleware.

First in the chain, so a probe costs no session, no user, no audit row, no access log line, and
is not refused by the host check (a balancer probes by address) or redirected to HTTPS (it
probes the backend over plain HTTP).

- ``/healthz``: the process answers. Nothing else: a database outage must not make every web
  server look dead and be restarted.
- ``/readyz``: this server can serve: the database answers, every migration this code knows is
  applied (a server started before ``migrate`` finished is kept out of rotation), and the
  background queue is not lagging (the oldest task waiting to run is younger than
  ``SPORSKIFTE_READY_QUEUE_LAG_SECONDS``) when the database queue is installed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

PATHS = ("/healthz", "/readyz")

# Once every migration is applied it stays applied for the life of this process (a release
# that adds one starts new processes), so the migration graph is read until then, not per probe.
_migrated = False


def _database() -> dict[str, Any]:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def _migrations() -> dict[str, Any]:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            return {"ok": False, "unapplied": len(plan)}
        _migrated = True
    return {"ok": True}


def oldest_waiting_task_age() -> dt.timedelta | None:
    """How long the oldest task that may run now has waited; None when none waits."""
    from django.db.models import Case, F, Min, When
    from django.db.models.functions import Greatest
    from django_tasks_db.models import DBTaskResult, get_date_max

    never = get_date_max()  # the backend's "no run_after": runnable since it was queued
    waiting_since = Case(
        When(run_after=never, then=F("enqueued_at")),
        default=Greatest("enqueued_at", "run_after"),
    )
    # ready(): READY and due now; the backend keeps a partial index on READY rows.
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min(waiting_since))["oldest"]
    return None if oldest is None else timezone.now() - oldest


def _queue() -> dict[str, Any] | None:
    if not apps.is_installed("django_tasks_db"):
        return None
    age = oldest_waiting_task_age()
    limit = settings.READY_QUEUE_LAG_SECONDS
    lag = 0.0 if age is None else round(age.total_seconds(), 1)
    return {"ok": lag < limit, "lag_seconds": lag, "limit_seconds": limit}


def readiness() -> tuple[bool, dict[str, Any]]:
    checks: dict[str, Any] = {}
    try:
        checks["database"] = _database()
    except DatabaseError as error:
        # The exception's class only: its text may name the host or the user.
        checks["database"] = {"ok": False, "error": type(error).__name__}
        return False, checks
    checks["migrations"] = _migrations()
    queue = _queue()
    if queue is not None:
        checks["queue"] = queue
    return all(check["ok"] for check in checks.values()), checks


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info not in PATHS or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.path_info == "/healthz":
            response = JsonResponse({"status": "ok"})
        else:
            ready, checks = readiness()
            response = JsonResponse(
                {"status": "ok" if ready else "unavailable", "checks": checks},
                status=200 if ready else 503,
            )
        response["Cache-Control"] = "no-store"
        return response
