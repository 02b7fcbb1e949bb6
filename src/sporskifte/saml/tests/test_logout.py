"""Single logout: the log-out button of a SAML session sends a signed LogoutRequest to the
identity provider, whose signed answer ends the session here."""

from urllib.parse import parse_qs, urlsplit

import pytest

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.vocabulary import Purpose
from sporskifte.testing.saml import saml_world

pytestmark = pytest.mark.django_db


@pytest.mark.xmlsec1
def test_single_logout_goes_through_the_identity_provider(client, personas):
    world = saml_world(client)
    request = world.start(client)
    client.post("/saml/acs/", {"SAMLResponse": world.idp.response(request, world.person)})

    button = client.post("/konto/log-ud/")
    assert button.status_code == 307 and button["Location"] == "/saml/log-ud/"
    to_idp = client.post("/saml/log-ud/")
    assert to_idp["Location"].startswith(world.idp.base_url + "slo?")
    assert "Signature=" in to_idp["Location"]

    fields = {k: v[0] for k, v in parse_qs(urlsplit(to_idp["Location"]).query).items()}
    back = urlsplit(world.idp.logout_answer(fields))
    done = client.get(back.path, parse_qs(back.query))

    assert done.status_code == 302 and done["Location"] == "/konto/log-ind/"
    assert client.get("/")["Location"].startswith("/konto/log-ind/")
    assert AuditEvent.objects.filter(actor=world.user, purpose=Purpose.SAML_LOGOUT).exists()


def test_local_session_logs_out_locally(personas, as_user):
    client = as_user(personas.counsellor_a)
    response = client.post("/konto/log-ud/")
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith("/konto/log-ind/")
