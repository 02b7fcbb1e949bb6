"""JSON parsing that answers 400, never 500, to a body nested deeper than Python can recurse."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            # No input of this API nests more than a few levels; a deep body is an attack.
            raise ParseError(_("The JSON body is nested too deeply.")) from exc
