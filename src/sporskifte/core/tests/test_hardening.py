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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("officer_a", "/henvisninger/?q=%00"),
        ("mediation_coordinator", "/maegling/?kreds=%00"),
        ("counsellor_a", "/henvisninger/indbakke/?fane=%00"),
        ("counsellor_a", "/henvisninger/indbakke/?%00=1"),
    ],
)
def test_a_nul_character_in_the_address_is_refused_in_danish_before_any_view(
    personas, as_user, persona, url
):
    """PostgreSQL cannot hold NUL in text: the overview's search answered 500 there."""
    response = as_user(getattr(personas, persona)).get(url, HTTP_ACCEPT_LANGUAGE="da")

    assert response.status_code == 400
    assert "NUL-tegn" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_character_in_a_posted_form_is_refused_and_changes_nothing(personas, as_user):
    from sporskifte.audit.models import AuditEvent

    before = AuditEvent.objects.count()
    response = as_user(personas.mediation_coordinator).post("/maegling/", {"kreds": "a\x00b"})

    assert response.status_code == 400 and AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_a_swedish_user_reads_the_nul_refusal_in_swedish(personas, as_user):
    response = as_user(personas.ngo).get("/henvisninger/indbakke/?q=%00")  # X-Cons Stockholm

    assert response.status_code == 400 and "NUL-tecken" in response.content.decode()


@pytest.mark.django_db
def test_the_api_answers_nul_in_its_own_json_format(personas):
    key = issue_token("rusmiddelcenter-viborg", "counsellor")

    response = client_for(key).get("/api/v1/referrals/?cursor=%00")

    assert response.status_code != 500 and response["Content-Type"].startswith("application/json")
