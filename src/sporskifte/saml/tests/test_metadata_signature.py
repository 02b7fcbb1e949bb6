"""Metadata fetched from a URL is stored only when it is the identity provider's own: when the
provider has a signing certificate, the document must be signed at its root by it."""

import re

import pytest

from sporskifte.organisations.models import IdentityProvider
from sporskifte.saml.idp import TestIdentityProvider
from sporskifte.saml.metadata import MetadataRefused, metadata_check
from sporskifte.saml.services import identity_provider_metadata_refresh
from sporskifte.saml.tests.test_setup import served  # noqa: F401 (fixture)
from sporskifte.testing.saml import sp_metadata

pytestmark = [pytest.mark.django_db, pytest.mark.xmlsec1]


@pytest.fixture
def idp(client):
    return TestIdentityProvider(base_url="http://idp.test/", sp_metadata=sp_metadata(client))


@pytest.fixture
def other_idp(client, tmp_path):
    return TestIdentityProvider(
        base_url="http://idp.test/", sp_metadata=sp_metadata(client), key_dir=tmp_path / "other"
    )


def test_signed_metadata_verifies_with_the_providers_certificate(idp):
    signed = idp.metadata(signed=True)

    metadata_check(signed, entity_id=idp.entity_id, signing_certificate=idp.certificate_pem())


def test_unsigned_metadata_is_refused_when_a_certificate_is_set(idp):
    with pytest.raises(MetadataRefused, match="not signed"):
        metadata_check(
            idp.metadata(), entity_id=idp.entity_id, signing_certificate=idp.certificate_pem()
        )


def test_metadata_signed_by_another_key_is_refused(idp, other_idp):
    with pytest.raises(MetadataRefused, match="does not verify"):
        metadata_check(
            other_idp.metadata(signed=True),
            entity_id=idp.entity_id,
            signing_certificate=idp.certificate_pem(),
        )


def test_a_changed_signed_document_is_refused(idp):
    tampered = idp.metadata(signed=True).replace("http://idp.test/sso", "http://evil.test/sso")
    assert "evil.test" in tampered

    with pytest.raises(MetadataRefused, match="does not verify"):
        metadata_check(tampered, entity_id=idp.entity_id, signing_certificate=idp.certificate_pem())


def test_a_signature_pointing_elsewhere_than_the_root_is_refused(idp):
    signed = idp.metadata(signed=True)
    root_id = re.search(r'<(?:\w+:)?EntityDescriptor[^>]* ID="([^"]+)"', signed).group(1)
    moved = signed.replace(f'ID="{root_id}"', 'ID="forged-root"', 1)

    with pytest.raises(MetadataRefused, match="does not cover"):
        metadata_check(moved, entity_id=idp.entity_id, signing_certificate=idp.certificate_pem())


def test_refresh_keeps_the_stored_metadata_when_the_fetched_one_is_unsigned(idp, served):  # noqa: F811
    provider = IdentityProvider.objects.create(
        name="NemLog-in",
        entity_id=idp.entity_id,
        metadata_url=served["url"],
        metadata_xml="<stored/>",
        metadata_signing_certificate=idp.certificate_pem(),
    )
    served["body"] = idp.metadata()

    ((_, outcome),) = identity_provider_metadata_refresh()

    assert outcome == "kept the stored metadata (the document is not signed)"
    provider.refresh_from_db()
    assert provider.metadata_xml == "<stored/>"

    served["body"] = idp.metadata(signed=True)
    assert identity_provider_metadata_refresh() == [("NemLog-in", "stored")]
    provider.refresh_from_db()
    assert provider.metadata_xml == served["body"]
