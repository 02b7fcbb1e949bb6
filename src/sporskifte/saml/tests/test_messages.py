"""The SAML message log: the system administrator's alone, and kept 180 days."""

import datetime as dt

import pytest
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.vocabulary import Purpose
from sporskifte.saml.models import SamlMessage
from sporskifte.saml.selectors import saml_messages_for_user
from sporskifte.saml.services import saml_messages_purge

pytestmark = pytest.mark.django_db


def _message(**fields):
    return SamlMessage.objects.create(
        kind=SamlMessage.Kind.RESPONSE,
        outcome=SamlMessage.Outcome.REFUSED,
        reason="unsigned",
        raw="PHNhbWxwOlJlc3BvbnNlLz4=",
        **fields,
    )


def test_system_administrator_sees_the_messages_and_the_look_is_audited(
    personas, as_user, django_assert_max_num_queries
):
    for _ in range(3):
        _message(idp_entity_id="https://idp.example/metadata")
    client = as_user(personas.sysadmin)
    with django_assert_max_num_queries(12):
        response = client.get("/saml/beskeder/")
    assert response.status_code == 200
    assert response.content.count(b"https://idp.example/metadata") == 3
    assert AuditEvent.objects.filter(
        actor=personas.sysadmin, purpose=Purpose.SAML_MESSAGE_LOG
    ).exists()


@pytest.mark.parametrize("name", ["officer_a", "admin_a", "counsellor_a", "researcher"])
def test_nobody_else_sees_the_messages(personas, as_user, name):
    _message()
    user = getattr(personas, name)
    assert as_user(user).get("/saml/beskeder/").status_code == 404
    assert not saml_messages_for_user(user).exists()


def test_purge_deletes_messages_older_than_180_days_and_is_audited():
    old, recent = _message(), _message()
    now = timezone.now()
    SamlMessage.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=181))
    SamlMessage.objects.filter(pk=recent.pk).update(created_at=now - dt.timedelta(days=179))

    assert saml_messages_purge(now=now) == 1

    assert list(SamlMessage.objects.values_list("pk", flat=True)) == [recent.pk]
    event = AuditEvent.objects.get(purpose=Purpose.SAML_RETENTION)
    assert event.detail["deleted"] == 1


def test_message_log_needs_the_second_factor(personas, client):
    client.force_login(personas.sysadmin)  # the password step only
    response = client.get("/saml/beskeder/")
    assert response.status_code == 302 and response["Location"] == "/konto/kode/"
