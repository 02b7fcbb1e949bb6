import pytest

from sporskifte.testing.saml import saml_world

pytestmark = pytest.mark.django_db


def test_spike(client, personas):
    world = saml_world(client)
    request = world.start(client)
    saml_response = world.idp.response(request, world.person)
    response = client.post("/saml/acs/", {"SAMLResponse": saml_response, "RelayState": "/"})
    print(response.status_code, response.content[:3000])
    assert response.status_code == 302
