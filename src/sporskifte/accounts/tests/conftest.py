import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.testing.factories import UserFactory

PASSWORD = "korrekt-hest-batteri-42"


@pytest.fixture
def officer(personas):
    return personas.officer_a


@pytest.fixture
def device(officer):
    return TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)


@pytest.fixture
def service_user(personas):
    return UserFactory(username="svc_kommune", is_service=True)
