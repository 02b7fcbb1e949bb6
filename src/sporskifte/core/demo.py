"""What every app's demo command shares: the demo password, the refusals, a slug for names.

Each app owns its demo data (``manage.py demo_<app>``); ``demo_data`` runs them in order by
name. The demo builds its made-up people with Faker and the test factories, which only the
development install has (``requirements/lock.txt``, not ``lock-base.txt``): a demo command checks
for them here, before it imports its builder, so a production install gets the command's own
refusal instead of a ``ModuleNotFoundError``.
"""

from __future__ import annotations

from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.text import slugify

PASSWORD = "demo-sporskifte-2026"
# Import names of the development-only packages the demo builders use.
DEV_PACKAGES = ("faker", "factory")

_TO_ASCII: dict[str, str | int | None] = {"æ": "ae", "ø": "oe", "å": "aa", "ö": "o"}


def demo_refuse_unless_possible() -> None:
    """CommandError in production, or when the development packages are not installed."""
    if getattr(settings, "PRODUCTION", False):
        raise CommandError("Demo data is never loaded in production.")
    missing = [name for name in DEV_PACKAGES if find_spec(name) is None]
    if missing:
        raise CommandError(
            "Demo data needs the development packages (requirements/lock.txt); "
            f"not installed: {', '.join(missing)}."
        )


def ascii_slug(text: str) -> str:
    return slugify(text.lower().translate(str.maketrans(_TO_ASCII)))
