"""Django's ValidationError and PermissionDenied from services become 400 and 404 in the API."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from sporskifte.audit.services import refused_look_record
from sporskifte.core.access import RefusedLook


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, PermissionDenied):
        # Forbidden looks like missing.
        exc = Http404()
    elif isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith("JSON parse error"):
        # The framework appends the JSON decoder's English text to its own; say it in one language.
        exc = exceptions.ParseError(_("The body is not valid JSON."))
    elif isinstance(exc, RefusedLook):
        request = context.get("request")
        refused_look_record(
            actor=getattr(request, "user", None),
            object_type=exc.object_type,
            object_id=exc.object_id,
        )
    return drf_handler(exc, context)
