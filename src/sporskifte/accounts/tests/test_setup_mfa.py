import base64

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.audit.models import AuditEvent

from .conftest import PASSWORD
from .test_login import LOGIN, SETUP, VERIFY, code_for


@pytest.mark.django_db
def test_first_log_in_without_device_goes_to_set_up_with_qr_code(client, officer):
    response = client.post(LOGIN, {"username": "officer_a", "password": PASSWORD})
    assert response["Location"].startswith(SETUP)

    page = client.get(SETUP)

    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    html = page.content.decode()
    marker = 'src="data:image/svg+xml;base64,'
    assert marker in html
    svg = base64.b64decode(html.split(marker)[1].split('"')[0])
    assert svg.lstrip().startswith(b"<svg") or b"<svg" in svg[:200]
    secret = base64.b32encode(device.bin_key).decode()
    assert secret[:4] in html
    # Reloading the page keeps the same secret, so a scanned code stays valid.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=officer).count() == 1


@pytest.mark.django_db
def test_set_up_confirms_the_device_with_a_first_code(client, officer):
    client.post(LOGIN, {"username": "officer_a", "password": PASSWORD})
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=officer)

    response = client.post(SETUP, {"token": code_for(device)})

    assert response["Location"] == reverse("core:home")
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert AuditEvent.objects.filter(actor=officer, action=AuditEvent.Action.LOGIN).exists()


@pytest.mark.django_db
def test_set_up_with_a_wrong_code_leaves_the_device_unconfirmed(client, officer):
    client.post(LOGIN, {"username": "officer_a", "password": PASSWORD})
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=officer)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(SETUP, {"token": wrong})

    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    assert DEVICE_ID_SESSION_KEY not in client.session


@pytest.mark.django_db
def test_password_alone_cannot_add_a_device_when_one_exists(client, officer, device):
    client.post(LOGIN, {"username": "officer_a", "password": PASSWORD})

    response = client.get(SETUP)

    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=officer).count() == 1
