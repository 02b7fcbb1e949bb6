"""Issue 15: reminders are sent once a day, link to the configured site, escalate stale
referrals to the district, and a partner nobody can be reminded at is a visible failure."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from sporskifte.accounts.models import User
from sporskifte.referrals.models import Referral
from sporskifte.referrals.reminders import overdue_reminders_send
from sporskifte.testing.jobs import run_queued_jobs

pytestmark = pytest.mark.django_db


def _overdue(referral, days_ago=6):
    Referral.objects.filter(pk=referral.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days_ago),
        due_at=timezone.now() - dt.timedelta(days=1),
    )


def test_a_second_run_on_the_same_day_sends_nothing(personas, world):
    _overdue(world.referral_viborg)
    assert len(overdue_reminders_send().sent) == 1
    assert overdue_reminders_send().sent == []
    run_queued_jobs()
    assert len(mail.outbox) == 1
    # The next day it is sent again.
    overdue_reminders_send(now=timezone.now() + dt.timedelta(days=1))
    run_queued_jobs()
    assert len(mail.outbox) == 2


def test_the_link_is_the_configured_site(personas, world, settings):
    settings.SITE_URL = "https://sporskifte.example"
    _overdue(world.referral_viborg)
    overdue_reminders_send()
    run_queued_jobs()
    assert "https://sporskifte.example/henvisninger/indbakke/?vis=overdue" in mail.outbox[0].body
    assert "127.0.0.1" not in mail.outbox[0].body


def test_a_partner_nobody_can_be_reminded_at_tells_the_district_and_fails(personas, world):
    _overdue(world.referral_viborg)
    User.objects.filter(pk=personas.counsellor_a.pk).update(is_active=False)
    with pytest.raises(CommandError, match="Rusmiddelcenter Viborg"):
        call_command("send_overdue_reminders", stdout=StringIO())
    run_queued_jobs()
    assert [m.to for m in mail.outbox] == [[personas.admin_a.email]]
    assert "cannot be reminded" in mail.outbox[0].subject


def test_a_referral_never_contacted_for_long_goes_to_the_district_not_the_partner(
    personas, world, settings
):
    settings.STALE_REFERRAL_DAYS = 30
    _overdue(world.referral_viborg, days_ago=400)
    result = overdue_reminders_send()
    assert result.sent == []  # not in the partner's count every night
    assert result.stale == {world.referral_viborg.police_district_id: 1}
    run_queued_jobs()
    assert [m.to for m in mail.outbox] == [[personas.admin_a.email]]
    assert f"#{world.referral_viborg.pk}" in mail.outbox[0].body
    assert world.offer_viborg.person.full_name not in mail.outbox[0].body
    assert overdue_reminders_send().stale == {}  # once a day
