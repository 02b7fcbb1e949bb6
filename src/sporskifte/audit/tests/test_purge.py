import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from sporskifte.audit.models import AuditEvent


def _aged(event, days):
    AuditEvent.objects.filter(pk=event.pk).update(at=timezone.now() - dt.timedelta(days=days))
    return event


@pytest.mark.django_db
def test_purge_deletes_only_events_older_than_six_months(personas, person_a, look):
    old = _aged(look(personas.officer_a, person_a), 184)
    kept = _aged(look(personas.officer_a, person_a), 182)
    fresh = look(personas.officer_a, person_a)

    call_command("purge_audit_log")

    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert old.pk not in remaining
    assert {kept.pk, fresh.pk} <= remaining
    record = AuditEvent.objects.get(
        action=AuditEvent.Action.ERASE, object_type=AuditEvent.ObjectType.AUDIT_LOG
    )
    assert record.detail["deleted"] == 1


@pytest.mark.django_db
def test_purge_follows_the_retention_setting(personas, person_a, look, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    month_old = _aged(look(personas.officer_a, person_a), 31)

    call_command("purge_audit_log")

    assert not AuditEvent.objects.filter(pk=month_old.pk).exists()
