"""The service provider's pysaml2 configuration, built per request (djangosaml2's
``SAML_CONFIG_LOADER``) from the settings and the identity providers stored per organisation.

The metadata of every configured identity provider is given inline from the database: a metadata
URL is fetched by ``refresh_saml_metadata`` and stored, never at log-in time.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from sporskifte.organisations.models import IdentityProvider
from sporskifte.saml.keys import write_key_pair


def sp_key_files() -> tuple[str, str]:
    """The key and certificate files; in development made once under var/ when not named."""
    key, cert = settings.SAML_KEY_FILE, settings.SAML_CERT_FILE
    if not settings.PRODUCTION:
        write_key_pair(key, cert, "Sporskifte development SP")
    return str(key), str(cert)


def base_url(request: HttpRequest | None) -> str:
    if settings.SAML_BASE_URL:
        return str(settings.SAML_BASE_URL).rstrip("/")
    if request is None:
        return "http://localhost:8000"
    return request.build_absolute_uri("/").rstrip("/")


def sp_entity_id(request: HttpRequest | None) -> str:
    return str(settings.SAML_ENTITY_ID or base_url(request) + reverse("saml:metadata"))


def sp_config_dict(request: HttpRequest | None, idp_metadata: list[str]) -> dict[str, Any]:
    root = base_url(request)
    key_file, cert_file = sp_key_files()
    return {
        "entityid": sp_entity_id(request),
        "xmlsec_binary": settings.SAML_XMLSEC_BINARY,
        "key_file": key_file,
        "cert_file": cert_file,
        # OIOSAML 3 encrypts the assertion to the SP's certificate.
        "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
        "allow_unknown_attributes": True,
        "accepted_time_diff": 60,
        "metadata": {"inline": idp_metadata},
        "service": {
            "sp": {
                "name": "Sporskifte",
                "endpoints": {
                    "assertion_consumer_service": [(root + reverse("saml:acs"), BINDING_HTTP_POST)],
                    "single_logout_service": [
                        (root + reverse("saml:ls"), BINDING_HTTP_REDIRECT),
                        (root + reverse("saml:ls_post"), BINDING_HTTP_POST),
                    ],
                },
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "logout_responses_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "allow_unsolicited": False,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
            }
        },
    }


def sp_config(request: HttpRequest | None = None) -> SPConfig:
    metadata = list(
        IdentityProvider.objects.exclude(metadata_xml="").values_list("metadata_xml", flat=True)
    )
    return SPConfig().load(sp_config_dict(request, metadata))
