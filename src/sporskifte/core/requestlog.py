"""A request id for every request, and log lines as JSON objects.

The id comes from the proxy's ``X-Request-ID`` when it is well formed (so one id follows a
request from the TLS proxy through gunicorn into the audit trail), or is made here; it is sent
back in the response header. It lives in a context variable for the length of the request, so
the log formatter and the audit services read it without being handed the request.

The formatter is our own, about forty lines: no JSON log formatter is among the installed
dependencies, and these few fields do not justify a new one in a base install.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# Letters, digits and -_.: up to 64: what proxies send (UUIDs, nginx's $request_id, AWS trace
# ids), and nothing that could break a log line or a header.
VALID_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
access_log = logging.getLogger("sporskifte.request")


def current_request_id() -> str:
    """The id of the request being served; empty outside a request (commands, the worker)."""
    return request_id_var.get()


def request_id_from(header: str | None) -> str:
    if header and VALID_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    # Only a user the request has already loaded: the access line must not cost a query.
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestIdMiddleware:
    """First after the health checks: every later middleware and view logs with the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(HEADER))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "path": request.path,
                    "method": request.method,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


# Attributes every LogRecord has; anything else was passed as ``extra`` and is logged too,
# except Django's ``request`` object, whose text is the full path with its query string (a
# search's criteria): the access line already names the path.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request id, and
    whatever the call passed as ``extra`` (path, status, duration_ms, user_id, ...)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id:
            entry["request_id"] = request_id
        entry.update((key, value) for key, value in vars(record).items() if key not in _STANDARD)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
