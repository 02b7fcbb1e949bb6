import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.people.models import Person
from sporskifte.referrals import services
from sporskifte.referrals.models import CounsellingNote, Offer, Referral, Step
from sporskifte.referrals.reminders import overdue_reminders_send
from sporskifte.referrals.retention import personal_data_erase_expired
from sporskifte.testing.jobs import run_queued_jobs

pytestmark = pytest.mark.django_db


def _close(world, personas):
    r = world.referral_viborg
    services.counselling_note_add(actor=personas.counsellor_a, referral=r, text="noget privat")
    services.referral_record_step(
        actor=personas.counsellor_a, referral=r, step=Step.CLOSED, at=timezone.now()
    )
    return r


def test_erasure_deletes_the_person_and_keeps_the_counts(personas, world):
    r = _close(world, personas)
    person_id = r.offer.person_id
    later = timezone.now() + dt.timedelta(days=world.programme_a.retention_days + 1)
    erased = personal_data_erase_expired(now=later)
    assert erased >= 1
    assert not Person.objects.filter(pk=person_id).exists()  # a real DELETE
    assert not CounsellingNote.objects.filter(referral=r).exists()
    offer = Offer.objects.get(pk=r.offer_id)
    assert offer.person_id is None and offer.journal_number == "" and offer.erased_at
    # Counted for evaluation; alone in the residue, its birth year and municipality are not
    # kept (k-anonymity, test_erasure_residue.py).
    assert offer.programme_id and offer.offence_id
    assert offer.birth_year is None and offer.home_municipality_id is None
    assert Referral.objects.get(pk=r.pk).closed_at is not None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ERASE, person_id=person_id).exists()


def test_open_referrals_are_not_erased(personas, world):
    later = timezone.now() + dt.timedelta(days=world.programme_a.retention_days + 1)
    personal_data_erase_expired(now=later)
    assert Person.objects.filter(pk=world.offer_herning.person_id).exists()


def test_nothing_is_erased_before_retention_ends(personas, world):
    _close(world, personas)
    assert personal_data_erase_expired(now=timezone.now() + dt.timedelta(days=10)) == 0


def test_reminder_mail_counts_overdue_without_naming_anyone(personas, world):
    Referral.objects.filter(pk=world.referral_viborg.pk).update(
        due_at=timezone.now() - dt.timedelta(days=1)
    )
    reminders = overdue_reminders_send(base_url="https://sporskifte.example/indbakke/").sent
    assert [(r.partner.name, r.overdue) for r in reminders] == [("Rusmiddelcenter Viborg", 1)]
    run_queued_jobs()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [personas.counsellor_a.email]
    assert world.offer_viborg.person.full_name not in message.body
    assert world.offer_viborg.person.phone not in message.body
    assert "https://sporskifte.example/indbakke/" in message.body


def test_no_reminder_once_contact_is_made(personas, world):
    r = world.referral_viborg
    Referral.objects.filter(pk=r.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    services.referral_record_attempt(
        actor=personas.counsellor_a, referral=r, at=timezone.now(), method="phone", reached=True
    )
    assert overdue_reminders_send(base_url="x").sent == []
