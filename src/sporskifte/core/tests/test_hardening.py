"""Responses with personal data are never stored by a browser or proxy; cookies are locked down."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from sporskifte.api.tests.conftest import client_for, issue_token


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["core:home", "audit:search", "referrals:overview"])
def test_every_page_for_a_logged_in_user_is_no_store(personas, as_user, name):
    response = as_user(personas.admin_a).get(reverse(name))

    assert _no_store(response)


@pytest.mark.django_db
def test_every_api_answer_is_no_store_even_an_error(personas):
    key = issue_token("rusmiddelcenter-viborg", "counsellor")

    assert _no_store(client_for(key).get("/api/v1/referrals/"))
    assert _no_store(client_for(None).get("/api/v1/referrals/"))


@pytest.mark.django_db
def test_anonymous_public_pages_keep_their_own_caching(client):
    assert not _no_store(client.get(reverse("core:accessibility")))


def test_language_cookie_is_secure_and_same_site_in_production():
    """The production profile is read in a fresh interpreter: settings are parsed at import."""
    env = {
        **os.environ,
        "SPORSKIFTE_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "SPORSKIFTE_PSEUDONYM_KEY": "y" * 50,
        "SPORSKIFTE_SITE_URL": "https://sporskifte.example",
        "DJANGO_SETTINGS_MODULE": "sporskifte.settings",
        "PYTHONPATH": str(settings.BASE_DIR / "src"),
    }
    code = (
        "from django.conf import settings as s;"
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_HTTPONLY)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )

    assert out.stdout.split() == ["True", "Lax", "True"]
