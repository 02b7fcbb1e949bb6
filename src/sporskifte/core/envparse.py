"""Strict parsing of settings from the environment.

django-environ's ``Env.bool`` reads anything it does not know as false, so a typo such as
``SPORSKIFTE_DEMO=ture`` or ``SPORSKIFTE_MFA_REQUIRED=flase`` silently changes how the site
protects its data. These parsers accept a small fixed vocabulary and stop the start with a
message naming the variable otherwise. No Django import: settings.py uses them before Django
is set up.
"""

from __future__ import annotations

from collections.abc import Mapping

TRUE = frozenset({"true", "on", "yes", "1"})
FALSE = frozenset({"false", "off", "no", "0"})


class SettingError(ValueError):
    """A malformed environment setting; settings.py turns it into ImproperlyConfigured."""


def _raw(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None  # an empty value means "not set", as in a .env line ``NAME=``


def parse_bool(environ: Mapping[str, str], name: str, *, default: bool) -> bool:
    value = _raw(environ, name)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise SettingError(f"{name} must be one of true/false, on/off, yes/no or 1/0, not {value!r}")


def parse_positive_int(
    environ: Mapping[str, str], name: str, *, default: int, minimum: int = 1
) -> int:
    value = _raw(environ, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise SettingError(f"{name} must be at least {minimum}, not {number}")
    return number


def parse_choice(
    environ: Mapping[str, str], name: str, *, choices: tuple[str, ...], default: str
) -> str:
    value = _raw(environ, name)
    if value is None:
        return default
    if value.lower() not in choices:
        raise SettingError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value.lower()
