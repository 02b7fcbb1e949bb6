"""A production start with SAML on needs the service provider's key and certificate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error


def check_saml_key_files(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not (settings.PRODUCTION and settings.SAML_ENABLED):
        return []
    return [
        Error(
            f"{name} names {path}, which is not a readable file.",
            hint="Point it at the service provider's PEM file (see the README's SAML section).",
            id="saml.E001",
        )
        for name, path in (
            ("SPORSKIFTE_SAML_KEY_FILE", settings.SAML_KEY_FILE),
            ("SPORSKIFTE_SAML_CERT_FILE", settings.SAML_CERT_FILE),
        )
        if not Path(path).is_file()
    ]
