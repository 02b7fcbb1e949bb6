"""The session store's own read answers as Django's database store does."""

import datetime as dt

import pytest
from django.contrib.sessions.backends import db as django_db
from django.contrib.sessions.models import Session
from django.utils import timezone

from sporskifte.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _saved(**data: object) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    assert store.session_key is not None
    return store.session_key


def test_a_saved_session_reads_back_as_django_reads_it():
    key = _saved(answer=42, name="Åse")

    ours, django = SessionStore(key), django_db.SessionStore(key)

    assert dict(ours.items()) == dict(django.items()) == {"answer": 42, "name": "Åse"}


def test_an_expired_session_is_empty_and_gets_a_new_key_on_save():
    key = _saved(answer=42)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    store = SessionStore(key)
    assert dict(store.items()) == {}
    store["again"] = 1
    store.save()
    assert store.session_key != key


def test_an_unknown_key_reads_nothing():
    assert dict(SessionStore("x" * 32).items()) == {}


def test_logging_in_uses_this_store(client, personas):
    from django.conf import settings

    assert settings.SESSION_ENGINE == "sporskifte.accounts.sessions"
    client.force_login(personas.officer_a)
    assert Session.objects.filter(session_key=client.session.session_key).exists()
