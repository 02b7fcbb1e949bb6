"""OpenAPI pieces shared by the views: the Bearer security scheme and the error responses, so
every documented operation lists exactly the error bodies it can return."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class OrganisationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "sporskifte.api.authentication.OrganisationTokenAuthentication"
    name = "OrganisationToken"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        scheme = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Bearer", bearer_format="spk_…"
        )
        scheme["description"] = (
            "A key made with `manage.py create_api_token`. It acts for one organisation in one "
            "role and sees exactly what that organisation's users in that role see."
        )
        return scheme


class ErrorDetail(serializers.Serializer):
    detail = serializers.CharField()


_DESCRIPTIONS = {
    400: (
        "Invalid input; nothing was changed. The body maps each field to its list of messages; "
        "a nested object's errors are nested the same way, and a list's errors are keyed by "
        "the item's number counted from 1 (only items with errors; in `suspects`, suspect 1 is "
        "line 2 of the same suspects as a CSV file, whose header is line 1). Messages that "
        "concern no single field are under `detail` or `non_field_errors`."
    ),
    401: "No token, or an unknown or revoked token.",
    404: (
        "Not found, or outside what the token's organisation may see (the two look the same). "
        "On lists: an invalid cursor."
    ),
    409: (
        "Another request with the same `Idempotency-Key` was being handled at the same moment; "
        "nothing was written by this one. Retry it to get the first request's answer."
    ),
    415: "The body was not sent as `application/json`.",
    422: (
        "The `Idempotency-Key` was used in the last 24 hours with a different request; nothing "
        "was written. Use a new key for a new request."
    ),
    429: "Too many requests; retry after the number of seconds in `Retry-After`.",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Error responses for ``extend_schema(responses=...)``; 401 and 429 apply everywhere,
    415 wherever a body is read (400 marks those)."""
    out: dict[int, OpenApiResponse] = {}
    wanted = {*codes, 401, 429}
    if 400 in wanted:
        wanted.add(415)
    for code in sorted(wanted):
        body = OpenApiTypes.OBJECT if code == 400 else ErrorDetail
        out[code] = OpenApiResponse(response=body, description=_DESCRIPTIONS[code])
    return out
