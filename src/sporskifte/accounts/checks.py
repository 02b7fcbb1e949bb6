"""System checks that keep demo conveniences and a switched-off second factor out of production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error


def check_demo_not_in_production(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    # Always run (not only with --deploy): the demo shows one-time codes on the log-in page.
    if getattr(settings, "DEMO", False) and getattr(settings, "PRODUCTION", False):
        return [
            Error(
                "SPORSKIFTE_DEMO is on in production.",
                hint="The demo shows demo accounts' one-time codes; unset SPORSKIFTE_DEMO.",
                id="accounts.E001",
            )
        ]
    return []


def check_mfa_required_in_production(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "PRODUCTION", False) and not getattr(settings, "MFA_REQUIRED", True):
        return [
            Error(
                "MFA_REQUIRED is off in production.",
                hint="Staff must log in with two factors; unset SPORSKIFTE_MFA_REQUIRED.",
                id="accounts.E002",
            )
        ]
    return []
