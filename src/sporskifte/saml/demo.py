"""The demo's identity provider and its organisation: Herning Kommune logs in through a local
pysaml2 IdP (``manage.py demo_identity_provider``), so a newcomer sees the SAML flow work.

Demo only: both commands refuse to run in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import CommandError
from saml2.metadata import create_metadata_string

from sporskifte.saml.config import sp_config
from sporskifte.saml.idp import Person, TestIdentityProvider

ORGANISATION_SLUG = "kommune-dk-0657"  # Herning Kommune
CVR = "12345674"  # made up for the demo, not Herning Kommune's real CVR number
PROVIDER_NAME = "Herning Kommune (demo-IdP)"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    name: str
    email: str
    persistent_id: str


PEOPLE = (
    DemoPerson(
        "herning-saml",
        "Birgitte Lund",
        "birgitte.lund@herning.example",
        "https://data.gov.dk/model/core/eid/professional/uuid/8f1c2a3e-5b6d-4e7f-9a0b-1c2d3e4f5a6b",
    ),
)
# Someone the IdP knows but Sporskifte has no account for: the log-in is refused.
STRANGER = DemoPerson(
    "",
    "Jens Ukendt",
    "jens.ukendt@herning.example",
    "https://data.gov.dk/model/core/eid/professional/uuid/00000000-0000-4000-8000-00000000dead",
)


def refuse_in_production() -> None:
    if settings.PRODUCTION:
        raise CommandError("The demo identity provider is refused in production.")


def demo_base_url() -> str:
    """On the site's own host name, so the browser's post back to the ACS is same-site and
    carries the SAML session cookie (SameSite=Lax without HTTPS)."""
    host = urlsplit(settings.SAML_BASE_URL).hostname or "127.0.0.1"
    return f"http://{host}:{settings.DEMO_IDP_PORT}/"


def demo_idp() -> TestIdentityProvider:
    """The demo IdP with keys kept under var/, so its stored metadata stays valid."""
    sp_metadata = create_metadata_string(None, config=sp_config(None), valid=None).decode()
    key_dir = Path(settings.VAR_DIR) / "saml_demo_idp"
    return TestIdentityProvider(base_url=demo_base_url(), sp_metadata=sp_metadata, key_dir=key_dir)


def person(demo: DemoPerson, level: str) -> Person:
    return Person(demo.persistent_id, demo.name, demo.email, CVR, level=level)
