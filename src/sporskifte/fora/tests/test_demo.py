"""The demo fora: loaded once, made-up persons marked as test data, a quarter of meetings with
actions in every state, and demo accounts that log in."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sporskifte.accounts.models import User
from sporskifte.core.demo import PASSWORD
from sporskifte.fora.frame import ForumKind
from sporskifte.fora.management.commands.demo_fora import ACCOUNTS
from sporskifte.fora.models import Action, Escalation, Forum, ForumPerson, Meeting


def _counts():
    return {m.__name__: m.objects.count() for m in (Forum, ForumPerson, Meeting, Action, User)}


@pytest.mark.django_db
def test_demo_fora_load_once_with_a_quarter_of_meetings():
    call_command("demo_fora", stdout=StringIO())

    assert set(Forum.objects.values_list("kind", flat=True)) == {
        ForumKind.SSP,
        ForumKind.PSP,
        ForumKind.PSP_VISITATION,
    }
    assert not ForumPerson.objects.filter(is_test_data=False).exists()
    now = timezone.now()
    held = Meeting.objects.filter(status=Meeting.Status.HELD)
    assert held.filter(starts_at__lt=now - timezone.timedelta(days=75)).exists()
    assert Meeting.objects.filter(status=Meeting.Status.PLANNED, starts_at__gt=now).exists()
    today = timezone.localdate()
    actions = Action.objects.all()
    assert actions.filter(status=Action.Status.DONE).exists()
    assert actions.filter(status=Action.Status.OPEN, deadline__lt=today).exists()  # overdue
    assert Escalation.objects.count() == 1

    before = _counts()
    call_command("demo_fora", stdout=StringIO())
    assert _counts() == before


@pytest.mark.django_db
def test_demo_fora_accounts_are_demo_users_with_the_demo_password():
    call_command("demo_fora", stdout=StringIO())
    for username, *_ in ACCOUNTS:
        user = User.objects.get(username=username)
        assert username.startswith("demo-") and user.is_demo
        assert user.check_password(PASSWORD)


def test_demo_fora_is_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("demo_fora", stdout=StringIO())
