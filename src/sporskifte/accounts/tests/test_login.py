import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.audit.models import AuditEvent

from .conftest import PASSWORD

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:verify")
SETUP = reverse("accounts:setup_mfa")


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=device.drift):06d}"


def login_password(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


@pytest.mark.django_db
def test_password_alone_leads_to_the_code_step_not_the_app(client, officer, device):
    response = login_password(client, "officer_a")

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert DEVICE_ID_SESSION_KEY not in client.session
    # The middleware keeps a password-only session out of the application.
    home = client.get(reverse("core:home"))
    assert home.status_code == 302
    assert home["Location"] == VERIFY


@pytest.mark.django_db
def test_password_and_code_log_in_and_write_a_login_audit_row(client, officer, device):
    login_password(client, "officer_a")

    response = client.post(VERIFY, {"token": code_for(device)})

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert event.actor == officer
    assert event.person_id is None
    assert event.organisation == officer.membership.organisation


@pytest.mark.django_db
def test_wrong_code_is_rejected_with_an_error_summary(client, officer, device):
    login_password(client, "officer_a")
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY, {"token": wrong})

    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session
    html = response.content.decode()
    assert "data-error-summary" in html
    assert re.search(r'<a href="#id_token"', html)
    assert 'tabindex="-1"' in html
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()


@pytest.mark.django_db
def test_code_step_needs_the_password_step_first(client, officer, device):
    response = client.post(VERIFY, {"token": code_for(device)})

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_wrong_password_does_not_log_in(client, officer, device):
    response = login_password(client, "officer_a", "forkert-kodeord-123")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert "data-error-summary" in response.content.decode()


@pytest.mark.django_db
def test_three_wrong_passwords_lock_the_username_even_for_the_right_password(
    client, officer, device
):
    for _ in range(2):
        assert login_password(client, "officer_a", "forkert-kodeord-123").status_code == 200
    third = login_password(client, "officer_a", "forkert-kodeord-123")
    assert third.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in third.templates]

    response = login_password(client, "officer_a")

    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert "administrator" in response.content.decode()


@pytest.mark.django_db
def test_lock_is_per_username(client, personas, device):
    for _ in range(3):
        login_password(client, "officer_a", "forkert-kodeord-123")

    response = login_password(client, "investigator_a")

    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == personas.investigator_a.pk


@pytest.mark.django_db
def test_service_user_cannot_log_in_with_the_right_password(client, service_user):
    response = login_password(client, "svc_kommune")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    html = response.content.decode()
    assert "data-error-summary" in html


@pytest.mark.django_db
def test_service_user_attempts_count_towards_the_lock(client, service_user):
    for _ in range(2):
        login_password(client, "svc_kommune")

    assert login_password(client, "svc_kommune").status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_next_to_another_site_is_refused(client, officer, device, target):
    response = login_password(client, "officer_a", next=target)
    assert "evil" not in response["Location"]
    assert "javascript" not in response["Location"]

    response = client.post(f"{VERIFY}?next={target}", {"token": code_for(device), "next": target})

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_next_on_this_site_is_followed_through_both_steps(client, officer, device):
    target = reverse("core:privacy")
    response = login_password(client, "officer_a", next=target)
    assert response["Location"] == f"{VERIFY}?next={target.replace('/', '%2F')}"

    response = client.post(VERIFY, {"token": code_for(device), "next": target})

    assert response["Location"] == target


@pytest.mark.django_db
def test_logout_is_post_only(as_user, officer):
    client = as_user(officer)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_without_mfa_required_the_password_is_enough(client, officer, settings):
    settings.MFA_REQUIRED = False

    response = login_password(client, "officer_a")

    assert response["Location"] == reverse("core:home")
    assert AuditEvent.objects.filter(actor=officer, action=AuditEvent.Action.LOGIN).exists()


@pytest.mark.django_db
def test_a_code_already_used_is_explained_and_the_next_one_is_accepted(client, officer, device):
    login_password(client, "officer_a")
    used = code_for(device)
    client.post(VERIFY, {"token": used})
    client.post(reverse("accounts:logout"))
    login_password(client, "officer_a")

    again = client.post(VERIFY, {"token": used})

    assert again.status_code == 200
    assert "already been used" in again.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    # The next 30-second window's code gets in.
    device.refresh_from_db()
    next_code = f"{totp(device.bin_key, step=device.step, t0=device.t0 - device.step):06d}"
    assert client.post(VERIFY, {"token": next_code}).status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


@pytest.mark.django_db
def test_the_code_page_shows_neither_menu_nor_name_before_the_second_step(client, officer, device):
    login_password(client, "officer_a")

    html = client.get(VERIFY).content.decode()

    assert "navigation-menu" not in html and "mobile-drawer" not in html
    assert officer.get_full_name() not in html
    assert 'action="/konto/log-ud/"' in html  # leaving is still possible
