"""Log-in through an identity provider in a real browser: the demo IdP (pysaml2, on its own
loopback port) answers Sporskifte's signed request; the account, made by an administrator, is
bound at its first log-in and reaches the site without a TOTP step. A too-low level of
assurance is refused with a page that says so."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from urllib.parse import urlsplit
from wsgiref.simple_server import make_server

import pytest
from django.core.management import call_command

from sporskifte.accounts.models import Membership
from sporskifte.saml import demo
from sporskifte.saml.management.commands.demo_identity_provider import (
    DemoIdentityProviderApp,
    _QuietHandler,
)
from sporskifte.testing.personas import ensure_reference_data


@pytest.fixture
def demo_idp(settings, live_server, transactional_db) -> Iterator[str]:
    ensure_reference_data()
    httpd = make_server("127.0.0.1", 0, lambda e, s: [], handler_class=_QuietHandler)
    settings.DEMO_IDP_PORT = httpd.server_port
    settings.SAML_BASE_URL = live_server.url
    call_command("demo_saml")
    httpd.set_app(DemoIdentityProviderApp(demo.demo_idp()))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield demo.demo_base_url()
    httpd.shutdown()
    httpd.server_close()


def _start(page, idp_url: str) -> None:
    page.goto("/konto/log-ind/")
    page.click(f"a[data-identity-provider='{idp_url}metadata']")
    page.wait_for_url(lambda url: url.startswith(idp_url))


def test_staff_log_in_through_their_organisations_identity_provider(page, demo_idp):
    _start(page, demo_idp)
    page.click("button[type=submit]")  # Birgitte Lund at NSIS Substantial, the defaults
    page.click("button[type=submit]")  # on to Sporskifte's ACS
    page.wait_for_url(lambda url: not url.startswith(demo_idp))

    path = urlsplit(page.url).path
    assert not path.startswith("/konto/"), path  # neither the log-in nor the code step
    assert page.locator("body").inner_text().count("Birgitte Lund") >= 1
    membership = Membership.objects.get(user__username="herning-saml")
    assert membership.saml_name_id == demo.PEOPLE[0].persistent_id


def test_too_low_level_of_assurance_is_refused_in_the_browser(page, demo_idp, console_errors):
    _start(page, demo_idp)
    page.check("input[name=level][value=Low]")
    page.click("button[type=submit]")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-saml-reason=low_assurance]")
    assert "NSIS" in page.locator("main").inner_text()
    console_errors.clear()  # the refusal page answers 403 on purpose
