"""A real identity provider for the SAML tests: pysaml2's Server with keys made at test time,
trusted by the SP through stored metadata, as an organisation's IdP is in production."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.test import Client

from sporskifte.accounts.models import Role, User
from sporskifte.organisations.models import IdentityProvider, Organisation
from sporskifte.saml.idp import Person, TestIdentityProvider
from sporskifte.testing.factories import member

CVR = "29190909"  # fictitious in these tests


@dataclass
class SamlWorld:
    idp: TestIdentityProvider
    provider: IdentityProvider
    organisation: Organisation
    user: User
    person: Person

    def start(self, client: Client, *, next_url: str = "/") -> object:
        """Log-in started at the SP: the IdP's parsed (and signature-checked) AuthnRequest."""
        response = client.get("/saml/log-ind/", {"idp": self.idp.entity_id, "next": next_url})
        assert response.status_code == 302, response
        query = parse_qs(urlsplit(response["Location"]).query)
        return self.idp.parse_authn_request(
            query["SAMLRequest"][0],
            relay_state=query.get("RelayState", [""])[0],
            sigalg=query["SigAlg"][0],
            signature=query["Signature"][0],
        )


def sp_metadata(client: Client) -> str:
    return client.get("/saml/metadata/").content.decode()


def saml_world(client: Client, *, base_url: str = "http://idp.test/") -> SamlWorld:
    idp = TestIdentityProvider(base_url=base_url, sp_metadata=sp_metadata(client))
    provider = IdentityProvider.objects.create(
        name="Test IdP", entity_id=idp.entity_id, metadata_xml=idp.metadata()
    )
    organisation = Organisation.objects.get(slug="midt-vestjylland")
    organisation.identity_provider = provider
    organisation.cvr = CVR
    organisation.save(update_fields=["identity_provider", "cvr"])
    user = member("saml_officer", organisation, Role.OFFICER)
    user.email = "anna.berg@politi.example"
    user.save(update_fields=["email"])
    person = Person(
        persistent_id="https://data.gov.dk/model/core/eid/professional/uuid/5c0ffee0-0000-4000-8000-000000000001",
        name="Anna Berg",
        email="anna.berg@politi.example",
        cvr=CVR,
    )
    return SamlWorld(idp, provider, organisation, user, person)
