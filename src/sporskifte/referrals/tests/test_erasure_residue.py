"""Issue 15: an erased referral takes no more writes, the erasure job sweeps what reached one
anyway, and what survives erasure is counts (k-anonymous), not people."""

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sporskifte.referrals import services
from sporskifte.referrals.models import (
    Case,
    ContactAttempt,
    CounsellingNote,
    Offer,
    Referral,
    Step,
)
from sporskifte.referrals.retention import (
    K_ANONYMITY,
    personal_data_erase_expired,
    residue_rows,
)
from sporskifte.referrals.tests.conftest import accept
from sporskifte.testing.factories import CaseFactory, OfferFactory, PersonFactory, municipality

pytestmark = pytest.mark.django_db


def _erase_closed(world, personas):
    r = world.referral_viborg
    services.referral_record_step(
        actor=personas.counsellor_a, referral=r, step=Step.CLOSED, at=timezone.now()
    )
    later = timezone.now() + dt.timedelta(days=world.programme_a.retention_days + 1)
    assert personal_data_erase_expired(now=later) >= 1
    return Referral.objects.select_related("offer").get(pk=r.pk)


def test_erased_referral_refuses_a_note_an_attempt_and_a_withdrawal(personas, world):
    r = _erase_closed(world, personas)
    with pytest.raises(ValidationError):
        services.counselling_note_add(actor=personas.counsellor_a, referral=r, text="Navn Navnesen")
    with pytest.raises(ValidationError):
        services.referral_record_attempt(
            actor=personas.counsellor_a, referral=r, at=timezone.now(), method="phone", reached=True
        )
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=personas.counsellor_a, offer=r.offer)
    assert not CounsellingNote.objects.filter(referral=r).exists()
    assert not ContactAttempt.objects.filter(referral=r).exists()


def test_erased_referral_refuses_a_note_through_the_web_form(personas, world, as_user):
    r = _erase_closed(world, personas)
    client = as_user(personas.counsellor_a)
    page = client.get(reverse("referrals:referral_detail", args=[r.pk]))
    assert "Erased" in page.content.decode() and "Save the note" not in page.content.decode()
    client.post(reverse("referrals:referral_note", args=[r.pk]), {"text": "Navn Navnesen"})
    assert not CounsellingNote.objects.filter(referral=r).exists()


def test_erasure_job_sweeps_what_reached_an_erased_referral(personas, world):
    r = _erase_closed(world, personas)
    # As an earlier version let it through: written straight to the table.
    CounsellingNote.objects.create(referral=r, text="Navn Navnesen", author=personas.counsellor_a)
    late = ContactAttempt.objects.create(
        referral=r, at=timezone.now(), method="phone", reached=True
    )
    ContactAttempt.objects.filter(pk=late.pk).update(
        created_at=r.offer.erased_at + dt.timedelta(days=1)
    )
    personal_data_erase_expired()
    assert not CounsellingNote.objects.filter(referral=r).exists()
    assert not ContactAttempt.objects.filter(referral=r).exists()


def test_inbox_shows_an_erased_referral_as_erased_not_withdrawn(personas, world, as_user):
    _erase_closed(world, personas)
    page = as_user(personas.counsellor_a).get(reverse("referrals:inbox") + "?vis=closed")
    text = page.content.decode()
    assert "(erased)" in text and "(consent withdrawn)" not in text


def test_a_case_whose_suspects_are_all_erased_loses_its_number_and_title(personas, world):
    case = CaseFactory(programme=world.programme_a, title="100 købere fra én salgstelefon")
    kept = CaseFactory(programme=world.programme_a, title="Stadig åben")
    for c in (case, kept):
        offer = OfferFactory(programme=world.programme_a, case=c)
        services.offer_answer(actor=personas.officer_a, offer=offer, answer=Offer.Answer.NO)
    later = timezone.now() + dt.timedelta(days=world.programme_a.retention_days + 1)
    # A suspect of `kept` asked only lately is still within retention.
    recent = OfferFactory(programme=world.programme_a, case=kept)
    Offer.objects.filter(pk=recent.pk).update(created_at=later)
    personal_data_erase_expired(now=later)
    case.refresh_from_db()
    kept.refresh_from_db()
    assert case.title == "" and case.journal_number == f"erased-{case.pk}"
    assert kept.title == "Stadig åben"


def test_erased_offer_dates_are_coarsened_to_the_month(personas, world):
    r = _erase_closed(world, personas)
    offer = Offer.objects.get(pk=r.offer_id)
    assert offer.offence_date.day == 1
    assert timezone.localtime(offer.created_at).day == 1
    referral = Referral.objects.get(pk=r.pk)
    assert timezone.localtime(referral.created_at).day == 1
    assert referral.closed_at is not None and referral.closed_at >= referral.created_at


def test_residue_is_k_anonymous_over_its_quasi_identifiers(personas, world):
    """Many different people erased at once: every group of residue rows that share the
    quasi-identifiers has at least K_ANONYMITY rows (the test fails if generalisation is off)."""
    rng = random.Random(15)
    towns = ["Viborg", "Herning", "Holstebro", "Silkeborg", "Skive"]
    cases = [CaseFactory(programme=world.programme_a) for _ in range(3)]
    start = timezone.now() - dt.timedelta(days=800)
    for i in range(60):
        person = PersonFactory(
            home_municipality=municipality(rng.choice(towns)),
            birth_date=dt.date(rng.randint(1960, 2006), rng.randint(1, 12), rng.randint(1, 28)),
        )
        offer = OfferFactory(
            programme=world.programme_a,
            person=person,
            case=rng.choice([*cases, None]),
            offence_date=(start + dt.timedelta(days=rng.randint(0, 200))).date(),
        )
        Offer.objects.filter(pk=offer.pk).update(
            created_at=start + dt.timedelta(days=rng.randint(0, 200))
        )
        if i % 3 == 0:
            accept(offer, personas.officer_a)
            services.consent_withdraw(actor=personas.officer_a, offer=offer)
        else:
            services.offer_answer(actor=personas.officer_a, offer=offer, answer=Offer.Answer.NO)
    later = timezone.now() + dt.timedelta(days=world.programme_a.retention_days + 1)
    personal_data_erase_expired(now=later)
    rows = residue_rows()
    assert len(rows) >= 40
    groups: dict[tuple, int] = {}
    for row in rows:
        groups[row[1:]] = groups.get(row[1:], 0) + 1
    assert min(groups.values()) >= K_ANONYMITY, groups
    # Still counts: every erased offer is in the residue, and totals are unchanged.
    assert Offer.objects.filter(erased_at__isnull=False).count() == len(rows)
    assert Case.objects.exclude(journal_number__startswith="erased-").count() >= 1
