"""``Idempotency-Key`` on the API's creating writes (a case, an offer, a step, a contact attempt).

A police system that lost the answer to ``POST /api/v1/cases/`` retries with the same key and
gets the case it made, not "journal number exists" and not a second case. Within 24 hours, per
token: the same key and the same request give the first answer again (``Idempotent-Replayed:
true``), shown afresh through the access functions and audited like any look; the same key with
another request is a 422. The write and the key's row are one transaction, so of two requests
racing with one key exactly one writes; the other is told to retry (409) and then gets the answer.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from sporskifte.accounts.models import ApiToken
from sporskifte.api.models import IdempotencyKey

HEADER = "Idempotency-Key"
LIFETIME = dt.timedelta(hours=24)
MAX_LENGTH = 255

PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string (a UUID is good), at most 255 printable ASCII characters. A retry "
        "with the same key within 24 hours gets the first answer again and writes nothing; the "
        "same key with a different request is answered 422."
    ),
)
# Show(request, object_id, status) renders the created object as the first answer did.
Show = Callable[..., Response]


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


class KeyInFlight(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_key_in_flight"


def _digest(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    text = f"{request.method} {request.path} {body}"
    return hashlib.sha256(text.encode()).hexdigest()


def _key_of(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not key or len(key) > MAX_LENGTH or not all(" " < c < "\x7f" for c in key):
        raise ValidationError(
            {HEADER: [_("Use at most 255 printable ASCII characters without spaces.")]}
        )
    return key


def idempotent(show: Show) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Wrap a view's ``post``; its 201 answer must carry the created object's ``id``."""

    def wrap(handler: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(handler)
        def post(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
            key = _key_of(request)
            token = request.auth
            if key is None or not isinstance(token, ApiToken):
                return handler(view, request, *args, **kwargs)
            digest = _digest(request)
            now = timezone.now()
            with transaction.atomic():
                IdempotencyKey.objects.filter(expires_at__lte=now).delete()
                earlier = IdempotencyKey.objects.filter(token=token, key=key).first()
                if earlier is not None:
                    if earlier.request_digest != digest:
                        raise KeyReused(
                            _(
                                "This Idempotency-Key was used with another request in the last "
                                "24 hours. Use a new key for a new request."
                            )
                        )
                    response = show(request, earlier.object_id, earlier.status_code, **kwargs)
                    response["Idempotent-Replayed"] = "true"
                    return response
                response = handler(view, request, *args, **kwargs)
                if status.is_success(response.status_code):
                    try:
                        IdempotencyKey.objects.create(
                            token=token,
                            key=key,
                            request_digest=digest,
                            status_code=response.status_code,
                            object_id=response.data["id"],
                            expires_at=now + LIFETIME,
                        )
                    except IntegrityError as exc:
                        # A request with this key committed first; leaving the block undoes
                        # this one's write.
                        raise KeyInFlight(
                            _("A request with this Idempotency-Key was being handled. Retry it.")
                        ) from exc
                return response

        return post

    return wrap
