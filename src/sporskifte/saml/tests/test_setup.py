"""What an identity provider needs from us (metadata at a stable URL, saying what we sign and
require), and what production and the demo may and may not do."""

import threading
from wsgiref.simple_server import make_server

import pytest
from django.core.management import CommandError, call_command
from saml2.mdstore import InMemoryMetaData

from sporskifte.organisations.models import IdentityProvider
from sporskifte.saml.checks import check_saml_key_files
from sporskifte.saml.idp import TestIdentityProvider
from sporskifte.saml.management.commands.demo_identity_provider import _QuietHandler
from sporskifte.saml.services import identity_provider_metadata_refresh
from sporskifte.testing.saml import sp_metadata

pytestmark = pytest.mark.django_db


@pytest.mark.xmlsec1
def test_metadata_states_signed_requests_signed_assertions_and_both_keys(client):
    response = client.get("/saml/metadata/")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    xml = response.content.decode()
    assert 'AuthnRequestsSigned="true"' in xml and 'WantAssertionsSigned="true"' in xml
    assert 'use="signing"' in xml and 'use="encryption"' in xml
    metadata = InMemoryMetaData(attrc=None)
    metadata.parse(xml)
    (entity_id,) = metadata.entity
    assert entity_id.endswith("/saml/metadata/")


def test_saml_endpoints_are_gone_when_saml_is_off(client, settings):
    settings.SAML_ENABLED = False
    assert client.get("/saml/metadata/").status_code == 404
    assert client.post("/saml/acs/", {"SAMLResponse": "x"}).status_code == 404


@pytest.mark.parametrize("command", ["demo_saml", "demo_identity_provider"])
def test_demo_identity_provider_is_refused_in_production(settings, command):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refused in production"):
        call_command(command)


def test_production_with_saml_needs_the_key_files(settings, tmp_path):
    settings.PRODUCTION, settings.SAML_ENABLED = True, True
    settings.SAML_KEY_FILE = tmp_path / "missing.key"
    settings.SAML_CERT_FILE = tmp_path / "sp.crt"
    settings.SAML_CERT_FILE.write_text("-----BEGIN CERTIFICATE-----")

    errors = check_saml_key_files()

    assert [e.id for e in errors] == ["saml.E001"]
    assert "SPORSKIFTE_SAML_KEY_FILE" in errors[0].msg


@pytest.fixture
def served():
    """A document served over HTTP on a loopback port: ``served["body"]`` is what it answers."""
    state = {"body": ""}

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [state["body"].encode()]

    httpd = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{httpd.server_port}/metadata"
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.xmlsec1
def test_metadata_from_a_url_is_fetched_and_stored_and_a_wrong_document_keeps_it(client, served):
    idp = TestIdentityProvider(base_url="http://idp.test/", sp_metadata=sp_metadata(client))
    provider = IdentityProvider.objects.create(
        name="Test IdP", entity_id=idp.entity_id, metadata_url=served["url"]
    )
    served["body"] = idp.metadata()

    assert identity_provider_metadata_refresh() == [("Test IdP", "stored")]
    provider.refresh_from_db()
    assert provider.metadata_xml == idp.metadata() and provider.metadata_fetched_at

    served["body"] = "<html>maintenance</html>"
    (outcome,) = identity_provider_metadata_refresh()
    assert outcome[1].startswith("kept the stored metadata")
    provider.refresh_from_db()
    assert provider.metadata_xml == idp.metadata()
