"""Failed log-ins lock a user name from one address, in rising steps; the user lifts the lock
with their second factor; the system administrator sees the bursts."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from sporskifte.accounts.lockout import failure_bursts, lock_step
from sporskifte.audit.models import AuditEvent

from .conftest import PASSWORD
from .test_login import code_for

LOGIN = reverse("accounts:login")
UNLOCK = reverse("accounts:unlock_self")
ATTACKER, OFFICE = "203.0.113.9", "198.51.100.20"


def attempt(client, password, address, username="officer_a"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def lock_from(client, address, username="officer_a"):
    for _ in range(3):
        attempt(client, "forkert-kodeord-123", address, username)


@pytest.mark.django_db
def test_a_stranger_who_knows_the_user_name_does_not_lock_out_the_user(client, officer, device):
    lock_from(client, ATTACKER)

    assert attempt(client, PASSWORD, ATTACKER).status_code == 429
    response = attempt(client, PASSWORD, OFFICE)
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == officer.pk


def test_locks_rise_in_steps_to_at_most_a_day():
    steps = [lock_step(n) for n in range(1, 8)]

    assert steps[0] == dt.timedelta(minutes=15)
    assert steps[1] == dt.timedelta(hours=1)
    assert steps[2] == dt.timedelta(hours=4)
    assert steps == sorted(steps)
    assert steps[-1] == dt.timedelta(hours=24)


@pytest.mark.django_db
def test_the_first_lock_ends_after_fifteen_minutes_not_a_day(client, officer, device):
    lock_from(client, OFFICE)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    AccessFailureLog.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))

    assert attempt(client, PASSWORD, OFFICE).status_code == 302


@pytest.mark.django_db
def test_a_repeated_lock_lasts_longer(client, officer, device):
    lock_from(client, OFFICE)
    attempt(client, "forkert-kodeord-123", OFFICE)  # a further try while locked: a second lock
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))

    assert attempt(client, PASSWORD, OFFICE).status_code == 429


@pytest.mark.django_db
def test_the_user_lifts_their_own_lock_with_the_second_factor(client, officer, device):
    lock_from(client, OFFICE)

    response = client.post(UNLOCK, {"username": "officer_a", "token": code_for(device)})

    assert response.status_code == 302
    assert attempt(client, PASSWORD, OFFICE).status_code == 302
    event = AuditEvent.objects.get(purpose=AuditEvent.Purpose.UNLOCKED)
    assert (event.actor, event.detail["by_second_factor"]) == (officer, True)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["officer_a", "nobody_here"])
def test_a_wrong_code_or_unknown_user_lifts_nothing_and_says_the_same(
    client, officer, device, username
):
    lock_from(client, OFFICE)

    response = client.post(UNLOCK, {"username": username, "token": "000000"})

    assert response.status_code == 200
    assert "The user name or the code is wrong" in response.content.decode()
    assert attempt(client, PASSWORD, OFFICE).status_code == 429
    assert not AuditEvent.objects.filter(purpose=AuditEvent.Purpose.UNLOCKED).exists()


@pytest.mark.django_db
def test_bursts_of_failures_are_shown_to_the_system_administrator(
    client, personas, officer, device, as_user
):
    lock_from(client, ATTACKER)

    assert [(b.username, b.ip_address, b.failures) for b in failure_bursts()] == [
        ("officer_a", ATTACKER, 3)
    ]
    page = as_user(personas.sysadmin).get(reverse("accounts:user_list")).content.decode()
    assert ATTACKER in page
