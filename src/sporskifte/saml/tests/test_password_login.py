"""Staff of an organisation with an identity provider never log in with a password; staff of
organisations without one still log in with password and TOTP code."""

import pytest

from sporskifte.accounts.models import Role
from sporskifte.organisations.models import IdentityProvider, Organisation
from sporskifte.testing.factories import member

pytestmark = pytest.mark.django_db

PASSWORD = "korrekt-hest-batteri-42"


@pytest.fixture
def provider():
    return IdentityProvider.objects.create(
        name="NemLog-in", entity_id="https://saml.nemlog-in.dk", metadata_xml="<md/>"
    )


def test_password_login_refuses_staff_of_an_organisation_with_identity_provider(client, provider):
    organisation = Organisation.objects.get(slug="midt-vestjylland")
    organisation.identity_provider = provider
    organisation.save(update_fields=["identity_provider"])
    # Even a password left from before the organisation moved to its identity provider.
    user = member("idp_officer", organisation, Role.OFFICER)

    response = client.post("/konto/log-ind/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 200
    assert b"logs in through its own identity provider" in response.content
    assert "_auth_user_id" not in client.session


def test_password_login_of_local_staff_still_asks_for_the_code(client, provider):
    user = member("ngo_worker", Organisation.objects.get(slug="x-cons-stockholm"), Role.COUNSELLOR)

    response = client.post("/konto/log-ind/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/opsaet-kode/")
    # Nothing else until the code step is done.
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/konto/opsaet-kode/"


def test_login_page_offers_the_identity_providers(client, provider):
    response = client.get("/konto/log-ind/")
    assert b'data-identity-provider="https://saml.nemlog-in.dk"' in response.content


def test_da_message_names_the_organisations_log_in(client, provider):
    organisation = Organisation.objects.get(slug="midt-vestjylland")
    organisation.identity_provider = provider
    organisation.save(update_fields=["identity_provider"])
    user = member("idp_officer", organisation, Role.OFFICER)
    response = client.post(
        "/konto/log-ind/",
        {"username": user.username, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert b"Log ind gennem din organisation" in response.content
