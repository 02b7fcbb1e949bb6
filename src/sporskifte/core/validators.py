"""One-line text: names, places, titles, numbers.

A line break in a forum's name or a meeting's place ends up in an e-mail header and makes every
meeting notice of that forum fail; other control characters (NUL, escape, bidirectional
overrides) corrupt CSV files, letters and logs or disguise what a text says. Multi-line text
(notes, minutes) uses a textarea and keeps its line breaks.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Unicode's "Cc" (C0, DEL, C1) and the line/paragraph separators and format characters that
# change how a text reads (Cf: bidirectional overrides, zero-width joiners are allowed in names).
_ALLOWED_FORMAT = {"\u200c", "\u200d"}


def has_control_characters(value: str) -> bool:
    return any(
        (cat := unicodedata.category(ch)) in ("Cc", "Zl", "Zp")
        or (cat == "Cf" and ch not in _ALLOWED_FORMAT)
        for ch in value
    )


def validate_one_line(value: object) -> None:
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(
            _("Write this on one line, without line breaks or control characters."),
            code="control_characters",
        )
