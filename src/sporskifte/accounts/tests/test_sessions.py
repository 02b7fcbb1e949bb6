"""The idle timeout slides without writing the session on every request (issue 8)."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sporskifte.accounts import middleware

HOME = reverse("referrals:overview")  # a police officer's page


def session_writes(client, url=HOME):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [
        q["sql"]
        for q in captured
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


@pytest.fixture
def clock(monkeypatch):
    """The middleware's clock, moved by hand."""
    current = [middleware.now()]
    monkeypatch.setattr(middleware, "now", lambda: current[0])
    return current


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.mark.django_db
def test_second_page_within_the_minute_writes_nothing_to_the_session_table(
    as_user, personas, clock
):
    client = as_user(personas.officer_a)  # stamped as the log-in leaves it
    assert session_writes(client) == []

    clock[0] += 30
    assert session_writes(client) == []
    assert session_writes(client) == []


@pytest.mark.django_db
def test_a_minute_later_the_idle_timeout_slides(as_user, personas, clock, settings):
    client = as_user(personas.officer_a)
    session_writes(client)
    before = expiry(client)

    clock[0] += settings.SESSION_REFRESH_SECONDS
    writes = session_writes(client)

    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("UPDATE")
    assert expiry(client) > before
    assert expiry(client) > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)


@pytest.mark.django_db
def test_idle_timeout_is_never_longer_than_promised(as_user, personas, clock, settings):
    client = as_user(personas.officer_a)
    session_writes(client)
    clock[0] += settings.SESSION_REFRESH_SECONDS - 1
    session_writes(client)  # not written: the expiry still counts from the first request

    assert expiry(client) <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert settings.SESSION_REFRESH_SECONDS <= settings.SESSION_COOKIE_AGE // 10


@pytest.mark.django_db
def test_expired_session_is_logged_out_and_not_revived(as_user, personas):
    client = as_user(personas.officer_a)
    session_writes(client)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get(HOME)

    assert response.status_code == 302
    assert Session.objects.filter(expire_date__gt=timezone.now()).count() == 0


@pytest.mark.django_db
def test_api_and_anonymous_requests_start_no_session(client):
    client.get(reverse("accounts:login"))
    client.get("/api/v1/schema/")

    assert Session.objects.count() == 0


@pytest.mark.django_db
def test_clearsessions_removes_expired_sessions_only(as_user, personas):
    expired = as_user(personas.officer_a)
    live = as_user(personas.officer_b)
    session_writes(expired)
    session_writes(live)
    Session.objects.filter(session_key=expired.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    call_command("clearsessions")

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session.session_key]
