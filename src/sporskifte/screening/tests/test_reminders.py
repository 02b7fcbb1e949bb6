"""The daily reminder about notifications past the receipt deadline: one e-mail per sending
district and day, a count and no personal data, queued once however often the job runs."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from sporskifte.screening import services
from sporskifte.screening.models import Notification, OverdueReminder
from sporskifte.screening.reminders import overdue_reminders_queue
from sporskifte.screening.tests.test_notifications import draft_approve, hits  # noqa: F401
from sporskifte.testing.jobs import run_queued_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(personas, hits):  # noqa: F811
    sent = []
    for hit in hits.values():
        n = draft_approve(personas, hit)
        services.notification_send(actor=personas.screening_a, notification=n)
        sent.append(n)
    run_queued_jobs()  # the "notification waiting" notices to the municipalities
    mail.outbox.clear()
    past = dt.date.today() - dt.timedelta(days=1)
    Notification.objects.filter(pk__in=[n.pk for n in sent]).update(acknowledge_due_on=past)
    return sent


def test_one_email_per_district_with_the_count_and_no_personal_data(personas, overdue):
    assert overdue_reminders_queue() == {overdue[0].police_district_id: 2}
    run_queued_jobs()
    assert personas.screening_a.email in {r for m in mail.outbox for r in m.to}
    assert len({m.subject for m in mail.outbox}) == 1
    body = mail.outbox[0].body
    assert body.startswith("2 ")  # in Danish: the district is Danish (notices.py)
    for n in overdue:
        assert n.child_name not in body and n.child_id_number not in body
        assert n.municipality.name not in body


def test_run_twice_a_day_queues_once_and_mails_once(personas, overdue):
    overdue_reminders_queue()
    assert overdue_reminders_queue() == {}
    run_queued_jobs()
    recipients = [r for m in mail.outbox for r in m.to]
    assert len(recipients) == len(set(recipients))
    assert OverdueReminder.objects.count() == 1


def test_the_next_day_reminds_again(personas, overdue):
    overdue_reminders_queue()
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert overdue_reminders_queue(today=tomorrow) == {overdue[0].police_district_id: 2}


def test_an_acknowledged_notification_is_not_counted(personas, overdue):
    services.notification_acknowledge(
        actor=personas.child_services_holstebro,
        notification=next(n for n in overdue if n.municipality.name == "Holstebro"),
    )
    assert list(overdue_reminders_queue().values()) == [1]


def test_nothing_overdue_sends_nothing(personas, hits):  # noqa: F811
    assert overdue_reminders_queue() == {}
    run_queued_jobs()
    assert mail.outbox == []


def test_the_command_is_scheduled_daily_and_runs(personas, overdue, capsys):
    job = settings.JOBS_SCHEDULE["screening-overdue"]
    assert job["command"] == "remind_overdue_acknowledgements"
    assert job["cron"].split()[2:] == ["*", "*", "*"]
    call_command("remind_overdue_acknowledgements")
    assert "1 reminders queued" in capsys.readouterr().out
