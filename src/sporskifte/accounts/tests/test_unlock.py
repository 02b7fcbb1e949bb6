import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.urls import reverse

from sporskifte.audit.models import AuditEvent

from .conftest import PASSWORD


@pytest.mark.django_db
def test_unlock_user_lets_the_locked_user_log_in_again_and_is_audited(client, officer, device):
    for _ in range(3):
        client.post(
            reverse("accounts:login"), {"username": "officer_a", "password": "nej-nej-nej-1"}
        )
    assert (
        client.post(
            reverse("accounts:login"), {"username": "officer_a", "password": PASSWORD}
        ).status_code
        == 429
    )

    call_command("unlock_user", "officer_a")

    assert not AccessAttempt.objects.filter(username="officer_a").exists()
    response = client.post(
        reverse("accounts:login"), {"username": "officer_a", "password": PASSWORD}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.CONFIGURE, object_type="user")
    assert event.object_id == str(officer.pk)


@pytest.mark.django_db
def test_unlock_unknown_user_is_an_error(personas):
    with pytest.raises(CommandError):
        call_command("unlock_user", "nobody")
