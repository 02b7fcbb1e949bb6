import pytest
from django.core.checks import Error
from django.urls import reverse
from django_otp.oath import totp

from sporskifte.accounts.checks import (
    check_demo_not_in_production,
    check_mfa_required_in_production,
)

from .conftest import PASSWORD
from .test_login import VERIFY


def recent_codes(device):
    """The code now and one step ago, so a page rendered just before a step change still counts."""
    device.refresh_from_db()
    return {
        f"{totp(device.bin_key, step=device.step, t0=device.t0 + delta, drift=device.drift):06d}"
        for delta in (0, device.step)
    }


def _at_verify_page(client, user):
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    return client.get(VERIFY)


@pytest.mark.django_db
def test_demo_code_is_shown_for_demo_user_in_demo_mode(client, officer, device, settings):
    settings.DEMO = True
    officer.is_demo = True
    officer.save()

    html = _at_verify_page(client, officer).content.decode()

    assert "data-demo-code" in html
    assert any(code in html for code in recent_codes(device))


@pytest.mark.django_db
def test_demo_code_is_hidden_without_demo_mode(client, officer, device, settings):
    settings.DEMO = False
    officer.is_demo = True
    officer.save()

    html = _at_verify_page(client, officer).content.decode()

    assert "data-demo-code" not in html
    assert not any(code in html for code in recent_codes(device))


@pytest.mark.django_db
def test_demo_code_is_hidden_for_ordinary_users_in_demo_mode(client, officer, device, settings):
    settings.DEMO = True

    html = _at_verify_page(client, officer).content.decode()

    assert "data-demo-code" not in html
    assert not any(code in html for code in recent_codes(device))


@pytest.mark.parametrize(
    ("demo", "production", "errors"),
    [(True, True, 1), (True, False, 0), (False, True, 0), (False, False, 0)],
)
def test_demo_in_production_is_a_check_error(settings, demo, production, errors):
    settings.DEMO = demo
    settings.PRODUCTION = production

    result = check_demo_not_in_production()

    assert len(result) == errors
    assert all(isinstance(e, Error) and e.id == "accounts.E001" for e in result)


@pytest.mark.parametrize(
    ("mfa", "production", "errors"),
    [(False, True, 1), (True, True, 0), (False, False, 0)],
)
def test_mfa_off_in_production_is_a_deploy_check_error(settings, mfa, production, errors):
    settings.MFA_REQUIRED = mfa
    settings.PRODUCTION = production

    result = check_mfa_required_in_production()

    assert len(result) == errors
    assert all(e.id == "accounts.E002" for e in result)


def test_checks_are_registered_with_django(settings):
    from django.core import checks

    settings.DEMO = True
    settings.PRODUCTION = True
    settings.MFA_REQUIRED = False

    ordinary = {m.id for m in checks.run_checks(include_deployment_checks=False)}
    deploy = {m.id for m in checks.run_checks(include_deployment_checks=True)}

    assert "accounts.E001" in ordinary
    assert "accounts.E002" not in ordinary
    assert "accounts.E002" in deploy
