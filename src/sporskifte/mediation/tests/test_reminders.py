"""Reminders about agreement terms: three days before the due date and after it while the term
is open, to the case's mediator and the district's coordinator, once per term and kind, with
no personal data in the e-mail."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.mediation import services
from sporskifte.mediation.models import Term, TermReminder
from sporskifte.mediation.reminders import term_reminders_queue
from sporskifte.mediation.tests.conftest import agreement_with_terms
from sporskifte.testing.jobs import run_queued_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(personas, world):
    personas.mediation_coordinator.email = "koordinator@example.test"
    personas.mediation_coordinator.save()
    world.mediator2.email = "maegler2@example.test"
    world.mediator2.save()
    personas.mediator.email = "ikke-sagens@example.test"
    personas.mediator.save()
    world.se_coordinator.email = "annat-distrikt@example.test"
    world.se_coordinator.save()
    return {"koordinator@example.test", "maegler2@example.test"}


def _mailed():
    run_queued_jobs()
    return [(m.subject, m.body, tuple(m.to)) for m in mail.outbox]


def test_a_term_due_in_three_days_reminds_its_mediator_and_coordinator_only(personas, world, staff):
    today = timezone.localdate()
    agreement_with_terms(personas, world, [today + dt.timedelta(days=3)])
    mail.outbox.clear()
    assert term_reminders_queue(today=today) == {"before": 1, "after": 0}
    sent = _mailed()
    assert {to for _s, _b, (to,) in sent} == staff
    assert len(sent) == 2


def test_the_email_names_the_case_reference_and_no_party_or_term_text(personas, world, staff):
    today = timezone.localdate()
    case = agreement_with_terms(personas, world, [today + dt.timedelta(days=2)])
    mail.outbox.clear()
    term_reminders_queue(today=today)
    subject, body, _to = _mailed()[0]
    assert case.reference.split()[-1] in subject
    for secret in ("Anders", "Testsen", "Bente", "Prøvesen", "Briller", "500", "Bibliotek"):
        assert secret not in subject and secret not in body


def test_a_term_further_away_is_not_reminded_yet(personas, world, staff):
    today = timezone.localdate()
    agreement_with_terms(personas, world, [today + dt.timedelta(days=4)])
    assert term_reminders_queue(today=today) == {"before": 0, "after": 0}


def test_running_twice_queues_nothing_the_second_time(personas, world, staff):
    today = timezone.localdate()
    agreement_with_terms(personas, world, [today + dt.timedelta(days=1)])
    mail.outbox.clear()
    term_reminders_queue(today=today)
    assert term_reminders_queue(today=today) == {"before": 0, "after": 0}
    assert term_reminders_queue(today=today + dt.timedelta(days=1)) == {"before": 0, "after": 0}
    assert len(_mailed()) == 2
    assert TermReminder.objects.count() == 1


def test_the_day_after_an_open_term_gets_the_after_reminder_once(personas, world, staff):
    today = timezone.localdate()
    agreement_with_terms(personas, world, [today])
    term_reminders_queue(today=today)
    _mailed()
    mail.outbox.clear()
    tomorrow = today + dt.timedelta(days=1)
    assert term_reminders_queue(today=tomorrow) == {"before": 0, "after": 1}
    assert term_reminders_queue(today=tomorrow + dt.timedelta(days=5)) == {
        "before": 0,
        "after": 0,
    }
    sent = _mailed()
    assert len(sent) == 2 and len({s for s, _b, _t in sent}) == 1
    assert TermReminder.objects.filter(kind="after").count() == 1


def test_a_term_marked_kept_or_not_kept_gets_no_after_reminder(personas, world, staff):
    today = timezone.localdate()
    case = agreement_with_terms(personas, world, [today, today + dt.timedelta(days=30)])
    first = Term.objects.filter(agreement__case=case).order_by("due_on").first()
    services.term_mark(actor=world.mediator2, term=first, kept=False)
    assert term_reminders_queue(today=today + dt.timedelta(days=1)) == {
        "before": 0,
        "after": 0,
    }


def test_each_reminder_is_audited_without_a_person(personas, world, staff):
    today = timezone.localdate()
    agreement_with_terms(personas, world, [today + dt.timedelta(days=3)])
    term_reminders_queue(today=today)
    [row] = AuditEvent.objects.filter(purpose=AuditEvent.Purpose.MEDIATION_TERM_REMINDED)
    assert row.person_id is None and row.actor is None


def test_a_swedish_case_is_reminded_in_swedish(personas, world, staff):
    from sporskifte.mediation.notices import term_reminder_notice

    mail.outbox.clear()
    term_reminder_notice(
        case=world.se_case, term_id=1, kind="after", term_kind="apology", due_on=dt.date(2026, 1, 1)
    )
    [(subject, body, to)] = _mailed()
    assert to == ("annat-distrikt@example.test",)
    assert "Medling" in subject and "Ursäkt" in body


def test_the_command_is_scheduled_daily_and_runs(personas, world, staff, capsys):
    job = settings.JOBS_SCHEDULE["mediation-terms"]
    assert job["command"] == "remind_mediation_terms"
    assert job["cron"].split()[2:] == ["*", "*", "*"]
    agreement_with_terms(personas, world, [timezone.localdate()])
    call_command("remind_mediation_terms")
    assert "1 reminders before and 0 after" in capsys.readouterr().out
