"""Choice labels in the active language, without Django's per-call cost.

``get_FOO_display()`` rebuilds the field's whole choice map on every call, hashing each lazy
label (a translation each): 105-160 µs for the fifteen roles, and the page header shows the
role twice on every page. Here the map is built once per worker, choice class and language.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language

_labels: dict[tuple[type, str | None], dict[str, str]] = {}


def labels(choices: type[models.Choices]) -> dict[str, str]:
    """Value → label of ``choices`` in the active language, translated once per worker and
    language."""
    key = (choices, get_language())
    found = _labels.get(key)
    if found is None:
        found = _labels[key] = {str(value): str(label) for value, label in choices.choices}
    return found


def label(choices: type[models.Choices], value: str) -> str:
    """``get_FOO_display()`` for a field whose choices are ``choices``: an unknown value is
    shown as stored, as Django shows it."""
    return labels(choices).get(value, value)
