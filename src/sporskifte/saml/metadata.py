"""Is a fetched metadata document the identity provider's own?

The document must describe the provider's entity ID, and when the provider has a signing
certificate, its root must carry a signature by that certificate. pysaml2 accepts an unsigned
document even when given a certificate, and xmlsec checks a signature wherever it points, so two
checks are added here: the document must be signed, and the signature must cover the root (a
signature moved onto a forged root, pointing at the genuine element tucked away inside, is refused).
"""

from __future__ import annotations

import tempfile

from defusedxml import ElementTree
from django.conf import settings
from saml2 import SAMLError
from saml2.md import EntitiesDescriptor, EntityDescriptor
from saml2.mdstore import InMemoryMetaData
from saml2.sigver import CryptoBackendXmlSec1, SecurityContext, SignatureError

DS = "{http://www.w3.org/2000/09/xmldsig#}"
ROOTS = [f"{k.c_namespace}:{k.c_tag}" for k in (EntitiesDescriptor, EntityDescriptor)]


class MetadataRefused(ValueError):
    pass


def metadata_entities(xml: str) -> set[str]:
    """The entity IDs a metadata document describes (raises SAMLError if it is not one)."""
    metadata = InMemoryMetaData(attrc=None)
    metadata.parse(xml)
    return set(metadata.entity)


def metadata_check(xml: str, *, entity_id: str, signing_certificate: str = "") -> None:
    """Raise MetadataRefused unless ``xml`` describes ``entity_id`` and, when a certificate is
    given, is signed at its root by it."""
    try:
        entities = metadata_entities(xml)
    except (SAMLError, SyntaxError, ValueError) as exc:
        raise MetadataRefused(f"not a metadata document ({exc})") from exc
    if entity_id not in entities:
        raise MetadataRefused(f"no entity {entity_id} in the document")
    if signing_certificate.strip():
        _check_root_signature(xml, signing_certificate)


def _check_root_signature(xml: str, certificate_pem: str) -> None:
    root = ElementTree.fromstring(xml)
    signature = root.find(f"{DS}Signature")
    if signature is None:
        raise MetadataRefused("the document is not signed")
    references = signature.findall(f"{DS}SignedInfo/{DS}Reference")
    root_id = root.get("ID")
    same_ids = [e for e in root.iter() if root_id and e.get("ID") == root_id]
    if not root_id or len(same_ids) != 1 or [r.get("URI") for r in references] != [f"#{root_id}"]:
        raise MetadataRefused("the signature does not cover the whole document")
    security = SecurityContext(CryptoBackendXmlSec1(settings.SAML_XMLSEC_BINARY))
    with tempfile.NamedTemporaryFile("w", suffix=".pem") as cert:
        cert.write(certificate_pem)
        cert.flush()
        node_name = next(name for name in ROOTS if name.endswith(":" + root.tag.split("}")[1]))
        try:
            valid = security.verify_signature(xml, cert_file=cert.name, node_name=node_name)
        except SignatureError as exc:
            raise MetadataRefused("the signature does not verify with the certificate") from exc
    if not valid:
        raise MetadataRefused("the signature does not verify with the certificate")
