"""Log-in through a real identity provider (pysaml2's Server, keys made at test time): the
signed and encrypted response posted to the ACS, and each refusal with its reason audited."""

import base64
import dataclasses

import pytest
from django.test import Client
from saml2 import time_util

from sporskifte.accounts.models import Membership, User
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.vocabulary import Purpose
from sporskifte.saml.models import SamlDevice, SamlMessage
from sporskifte.testing.saml import saml_world

pytestmark = [pytest.mark.django_db, pytest.mark.xmlsec1]


@pytest.fixture
def world(client, personas):
    return saml_world(client)


def _post(client, world, saml_response):
    return client.post("/saml/acs/", {"SAMLResponse": saml_response, "RelayState": "/"})


def _log_in(client, world, person=None, **options):
    request = world.start(client)
    return _post(client, world, world.idp.response(request, person or world.person, **options))


def _assert_refused(client, response, reason):
    assert response.status_code == 403
    assert f'data-saml-reason="{reason}"'.encode() in response.content
    event = AuditEvent.objects.filter(purpose=Purpose.SAML_LOGIN_REFUSED).latest("pk")
    assert event.detail["reason"] == reason
    message = SamlMessage.objects.get(pk=event.object_id)
    assert (message.outcome, message.reason) == (SamlMessage.Outcome.REFUSED, reason)
    # Nobody is logged in by a refused response.
    assert client.get("/")["Location"].startswith("/konto/log-ind/")


def test_login_binds_the_account_and_counts_as_second_factor(client, world):
    response = _log_in(client, world)

    assert response.status_code == 302 and response["Location"] == "/"
    membership = Membership.objects.get(user=world.user)
    assert membership.saml_name_id == world.person.persistent_id
    world.user.refresh_from_db()
    assert not world.user.has_usable_password()
    # No TOTP step: the identity provider's log-in at NSIS Substantial is the second factor.
    home = client.get("/", follow=True)
    assert home.status_code == 200 and home.redirect_chain[-1][0] == "/henvisninger/"
    purposes = set(AuditEvent.objects.filter(actor=world.user).values_list("purpose", flat=True))
    assert {Purpose.SAML_ACCOUNT_BOUND, Purpose.LOGIN_IDENTITY_PROVIDER} <= purposes
    accepted = SamlMessage.objects.get(outcome=SamlMessage.Outcome.ACCEPTED)
    xml = base64.b64decode(accepted.raw)
    assert b"EncryptedAssertion" in xml and b"<saml:Assertion" not in xml
    assert SamlMessage.objects.filter(kind=SamlMessage.Kind.AUTHN_REQUEST).count() == 1


def test_authn_request_is_signed_with_rsa_sha256(client, world):
    response = client.get("/saml/log-ind/", {"idp": world.idp.entity_id})
    assert (
        "SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256"
        in (response["Location"])
    )
    assert "&Signature=" in response["Location"]


def test_bound_account_is_found_by_its_persistent_id_alone(client, world):
    _log_in(client, world)
    world.user.email = "changed@politi.example"
    world.user.save(update_fields=["email"])

    assert _log_in(Client(), world).status_code == 302

    impostor = dataclasses.replace(world.person, persistent_id="urn:uuid:other-person")
    _assert_refused(Client(), _log_in(Client(), world, impostor), "unknown_person")


def test_unknown_person_is_refused_and_gets_no_account(client, world):
    users = User.objects.count()
    stranger = dataclasses.replace(
        world.person, persistent_id="urn:uuid:stranger", email="stranger@example.invalid"
    )
    _assert_refused(client, _log_in(client, world, stranger), "unknown_person")
    assert User.objects.count() == users


def test_wrong_audience_is_refused(client, world):
    response = _log_in(client, world, audience=world.idp.other_sp_entity_id)
    _assert_refused(client, response, "wrong_audience")


def test_expired_assertion_is_refused(client, world, monkeypatch):
    request = world.start(client)
    saml_response = world.idp.response(request, world.person)
    # The assertion lives five minutes (the IdP's policy); it arrives ten minutes later.
    later = time_util.utc_now() + 10 * 60
    monkeypatch.setattr(time_util, "utc_now", lambda: later)
    _assert_refused(client, _post(client, world, saml_response), "expired")


def test_replayed_assertion_is_refused(client, world):
    request = world.start(client)
    saml_response = world.idp.response(request, world.person)
    assert _post(client, world, saml_response).status_code == 302
    client.logout()

    _assert_refused(client, _post(client, world, saml_response), "replayed")
    # Nor in another browser, where the request was never outstanding.
    other = Client()
    _assert_refused(other, _post(other, world, saml_response), "replayed")


def test_unsigned_assertion_is_refused(client, world):
    _assert_refused(client, _log_in(client, world, sign=False), "unsigned")


def test_too_low_level_of_assurance_is_refused_with_a_clear_page(client, world):
    low = dataclasses.replace(world.person, level="Low")
    response = _log_in(client, world, low)
    _assert_refused(client, response, "low_assurance")
    assert b"NSIS level Substantial" in response.content
    assert not Membership.objects.filter(saml_name_id__isnull=False).exists()


def test_assertion_for_another_organisations_cvr_is_refused(client, world):
    elsewhere = dataclasses.replace(world.person, cvr="55133018")
    _assert_refused(client, _log_in(client, world, elsewhere), "wrong_cvr")
    assert not SamlDevice.objects.exists()


def test_unsolicited_response_is_refused(client, world):
    other_world_request = world.start(Client())
    response = _post(client, world, world.idp.response(other_world_request, world.person))
    _assert_refused(client, response, "unsolicited")
