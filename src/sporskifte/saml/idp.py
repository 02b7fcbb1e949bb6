"""A small SAML identity provider on pysaml2's ``Server``, for the test suite and the demo.

It answers a signed AuthnRequest with a signed (and, by default, encrypted) assertion carrying
the OIOSAML 3 attributes of the person chosen. Never used in production: the demo command that
serves it refuses to run there, and nothing else imports it outside tests.
"""

from __future__ import annotations

import base64
import functools
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import saml2
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from sporskifte.saml import oiosaml
from sporskifte.saml.keys import write_key_pair

XMLSEC = "/usr/bin/xmlsec1"


@functools.cache
def _shared_key_dir() -> Path:
    """One key pair per process: making a 3072-bit key costs about a second."""
    return Path(tempfile.mkdtemp(prefix="saml-idp-"))


@dataclass
class Person:
    persistent_id: str
    name: str
    email: str
    cvr: str
    level: str = oiosaml.REQUIRED_LEVEL

    def attributes(self) -> dict[str, list[str]]:
        return {
            oiosaml.SPEC_VERSION: ["OIO-SAML-3.0"],
            oiosaml.PERSISTENT_ID: [self.persistent_id],
            oiosaml.FULL_NAME: [self.name],
            oiosaml.EMAIL: [self.email],
            oiosaml.CVR: [self.cvr],
            oiosaml.LOA: [self.level],
        }


@dataclass
class TestIdentityProvider:
    """An IdP at ``base_url`` (``base_url + "sso"`` and ``"slo"``) that trusts one SP."""

    __test__ = False  # not a test class, for pytest

    base_url: str
    sp_metadata: str
    key_dir: Path = field(default_factory=lambda: _shared_key_dir())
    lifetime_minutes: int = 5
    # Another service provider the IdP knows, sharing the SP's metadata but not its entity ID:
    # an assertion made for it is one for "another audience" (tests only).
    other_sp_entity_id: str = "https://another-service.example/metadata"

    def __post_init__(self) -> None:
        self.key_file = self.key_dir / "idp.key"
        self.cert_file = self.key_dir / "idp.crt"
        write_key_pair(self.key_file, self.cert_file, "Sporskifte test IdP")
        self.server = Server(config=IdPConfig().load(self._config()))

    @property
    def entity_id(self) -> str:
        return self.base_url + "metadata"

    def _config(self) -> dict[str, Any]:
        return {
            "entityid": self.entity_id,
            "xmlsec_binary": XMLSEC,
            "key_file": str(self.key_file),
            "cert_file": str(self.cert_file),
            "metadata": {"inline": [self.sp_metadata, self._other_sp_metadata()]},
            "service": {
                "idp": {
                    "name": "Sporskifte test IdP",
                    "endpoints": {
                        "single_sign_on_service": [(self.base_url + "sso", BINDING_HTTP_REDIRECT)],
                        "single_logout_service": [
                            (self.base_url + "slo", BINDING_HTTP_REDIRECT),
                            (self.base_url + "slo", BINDING_HTTP_POST),
                        ],
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": True,
                    "signing_algorithm": SIG_RSA_SHA256,
                    "digest_algorithm": DIGEST_SHA256,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": self.lifetime_minutes},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
        }

    def _other_sp_metadata(self) -> str:
        entity_id = re.search(r'entityID="([^"]+)"', self.sp_metadata)
        assert entity_id is not None, "SP metadata without an entityID"
        return self.sp_metadata.replace(entity_id.group(1), self.other_sp_entity_id)

    def metadata(self, *, signed: bool = False) -> str:
        config = self.server.config
        xml = create_metadata_string(None, config=config, valid=None, sign=signed or None)
        return xml.decode() if isinstance(xml, bytes) else xml  # a signed document comes as str

    def certificate_pem(self) -> str:
        return self.cert_file.read_text()

    def parse_authn_request(
        self, saml_request: str, *, relay_state: str = "", sigalg: str = "", signature: str = ""
    ) -> Any:
        """The request from a redirect: its signature is checked against the SP's metadata."""
        return self.server.parse_authn_request(
            saml_request,
            BINDING_HTTP_REDIRECT,
            relay_state=relay_state,
            sigalg=sigalg,
            signature=signature,
        )

    def logout_answer(self, fields: dict[str, str]) -> str:
        """The redirect URL answering the SP's LogoutRequest (redirect binding) with a signed
        LogoutResponse; the request's signature is checked against the SP's metadata."""
        request = self.server.parse_logout_request(
            fields["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=fields.get("RelayState", ""),
            sigalg=fields.get("SigAlg", ""),
            signature=fields.get("Signature", ""),
        )
        message = request.message
        response = self.server.create_logout_response(message, [BINDING_HTTP_REDIRECT], sign=False)
        destination = self.server.metadata.single_logout_service(
            message.issuer.text, BINDING_HTTP_REDIRECT, "spsso"
        )[0]["location"]
        http = self.server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            destination,
            fields.get("RelayState", ""),
            response=True,
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
        return str(dict(http["headers"])["Location"])

    def response(
        self,
        request: Any,
        person: Person,
        *,
        sign: bool = True,
        encrypt: bool = True,
        audience: str | None = None,
    ) -> str:
        """A base64 SAMLResponse answering ``request`` (a parsed AuthnRequest), for the ACS."""
        message = request.message
        sp_entity_id = message.issuer.text
        response = self.server.create_authn_response(
            identity=person.attributes(),
            in_response_to=message.id,
            destination=message.assertion_consumer_service_url,
            sp_entity_id=audience or sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=person.persistent_id),
            authn={"class_ref": saml2.saml.AUTHN_PASSWORD_PROTECTED},
            sign_response=False,
            sign_assertion=sign,
            encrypt_assertion=encrypt,
            encrypt_assertion_self_contained=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        return base64.b64encode(str(response).encode()).decode()
