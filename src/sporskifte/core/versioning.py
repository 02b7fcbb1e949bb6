"""A version check for forms that edit saved text, so two people editing the same text cannot
silently overwrite each other (issue 7 §4).

The form carries, hidden, a digest of the text as it was when the page was made; the save
compares it with the text as it is now (under the row lock the service holds) and refuses when
someone else saved in between. The refused form keeps what the user wrote. A digest rather than
a counter needs no column and catches any change, from any path.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sporskifte.core.validators import validate_one_line


def text_version(*texts: str) -> str:
    joined = "\x1f".join(t or "" for t in texts)
    return hashlib.sha256(joined.encode()).hexdigest()[:20]


def version_field() -> forms.CharField:
    # A digest: one line, like every other single-line field (core.validators).
    return forms.CharField(widget=forms.HiddenInput, required=False, validators=[validate_one_line])


def version_check(expected: str | None, current: str) -> None:
    """Raise when the saved text's version is no longer ``expected``; None skips the check
    (callers that hold no earlier version: scripts, the demo data)."""
    if expected is not None and expected != current:
        raise ValidationError(
            _(
                "Someone else saved this text after you opened it. Your text is kept below: "
                "reopen the page in another tab to read theirs, combine the two, and save again."
            ),
            code="stale",
        )
