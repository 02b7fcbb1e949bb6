"""X-Cons as seeds/004 describes it: the referral names the detention facility and the
restrictions, the offer is made in consultation with the prosecutor, relatives can be offered
support with their own consent, contact goes on through the prison term (long follow-up with a
next-contact date), and contact is made by visits and letters."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.people.services import person_build
from sporskifte.referrals import services
from sporskifte.referrals.models import (
    ContactAttempt,
    Offence,
    Offer,
    ProsecutorConsultation,
    Referral,
)
from sporskifte.referrals.reminders import overdue_reminders_collect
from sporskifte.referrals.selectors import (
    INBOX_BUCKETS,
    inbox_bucket,
    inbox_bucket_q,
    inbox_counts,
)
from sporskifte.referrals.tests.conftest import accept
from sporskifte.testing.factories import municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def xcons(stockholm):
    programme = stockholm.programme
    programme.for_detained = True
    programme.prosecutor_consultation = True
    programme.offers_relatives = True
    programme.contact_deadline_days = 10
    programme.save()
    return stockholm


def _person(name: str = "Johan Ek"):
    from sporskifte.testing.factories import district

    return person_build(
        police_district_id=district("polisregion-stockholm").pk,
        full_name=name,
        phone="",
        home_municipality=municipality("Stockholm"),
    )


def _detained(xcons, facility: str = "Häktet Kronoberg") -> Offer:
    return services.offer_register(
        actor=xcons.officer,
        programme=xcons.programme,
        person=_person(),
        offence=Offence.objects.get(code="NSL-GROVT"),
        offence_date=timezone.localdate() - dt.timedelta(days=2),
        journal_number="5000-K100001-26",
        detention_facility=facility,
        restrictions="Besök och brev efter åklagarens medgivande.",
    )


def _agree(xcons, offer: Offer, answer=ProsecutorConsultation.Answer.AGREED):
    return services.prosecutor_consultation_record(
        actor=xcons.officer,
        offer=offer,
        prosecutor="Kammaråklagare Lisa Holm",
        consulted_at=timezone.now(),
        answer=answer,
    )


# The prosecutor -------------------------------------------------------------------------------


def test_no_referral_before_the_prosecutor_has_agreed(xcons):
    offer = _detained(xcons)
    with pytest.raises(ValidationError) as exc:
        accept(offer, xcons.officer)
    assert "prosecutor" in str(exc.value)
    _agree(xcons, offer, ProsecutorConsultation.Answer.OBJECTED)
    with pytest.raises(ValidationError):
        accept(offer, xcons.officer)
    assert not Referral.objects.exists()


def test_the_consultation_is_recorded_who_when_answer_and_audited(xcons):
    offer = _detained(xcons)
    consultation = _agree(xcons, offer)
    assert consultation.prosecutor == "Kammaråklagare Lisa Holm"
    assert consultation.recorded_by == xcons.officer and consultation.consulted_at
    referral = accept(offer, xcons.officer)
    assert referral.partner.slug == "x-cons-stockholm"
    assert AuditEvent.objects.filter(
        object_type="prosecutor_consultation", person_id=offer.person_id
    ).exists()


def test_a_danish_programme_needs_no_prosecutor(personas, world):
    referral = accept(world.offer_not_asked, personas.officer_a)
    assert referral.pk


def test_another_district_cannot_record_a_consultation(xcons, personas):
    offer = _detained(xcons)
    with pytest.raises(PermissionDenied):
        services.prosecutor_consultation_record(
            actor=personas.officer_a,
            offer=offer,
            prosecutor="x",
            consulted_at=timezone.now(),
            answer="agreed",
        )


# The detention facility ------------------------------------------------------------------------


def test_no_referral_without_the_detention_facility(xcons):
    offer = _detained(xcons, facility="")
    _agree(xcons, offer)
    with pytest.raises(ValidationError) as exc:
        accept(offer, xcons.officer)
    assert "detention facility" in str(exc.value)


def test_the_partner_reads_the_facility_and_restrictions_while_consent_holds(xcons, as_user):
    offer = _detained(xcons)
    _agree(xcons, offer)
    referral = accept(offer, xcons.officer)
    url = reverse("referrals:referral_detail", args=[referral.pk])
    from sporskifte.accounts.models import User

    ngo = User.objects.get(username="ngo")
    page = as_user(ngo).get(url).content.decode()
    assert "Häktet Kronoberg" in page and "åklagarens medgivande" in page
    services.consent_withdraw(actor=xcons.officer, offer=offer)
    page = as_user(ngo).get(url).content.decode()
    assert "Häktet Kronoberg" not in page


def test_the_form_asks_for_the_facility_for_a_programme_for_detained(xcons, as_user):
    response = as_user(xcons.officer).post(
        reverse("referrals:offer_new"),
        {
            "programme": xcons.programme.pk,
            "journal_number": "5000-K100002-26",
            "offence": Offence.objects.get(code="NSL-GROVT").pk,
            "offence_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "full_name": "Johan Ek",
            "id_kind": "none",
            "home_municipality": municipality("Stockholm").pk,
        },
    )
    assert "detention_facility" in response.context["form"].errors
    assert not Offer.objects.exists()


def test_a_move_to_another_facility_is_recorded(xcons, as_user):
    offer = _detained(xcons)
    response = as_user(xcons.officer).post(
        reverse("referrals:offer_detention", args=[offer.pk]),
        {"detention_facility": "Anstalten Österåker", "restrictions": ""},
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.detention_facility == "Anstalten Österåker" and offer.restrictions == ""


# Relatives -------------------------------------------------------------------------------------


def test_a_relative_gets_an_offer_of_their_own_linked_and_consents_alone(xcons, as_user):
    offer = _detained(xcons)
    response = as_user(xcons.officer).post(
        reverse("referrals:offer_relative", args=[offer.pk]),
        {
            "relation": "mor",
            "full_name": "Karin Ek",
            "id_kind": "none",
            "phone": "+46 70 174 06 10",
            "home_municipality": municipality("Stockholm").pk,
        },
    )
    assert response.status_code == 302
    relative = Offer.objects.get(relative_of=offer)
    assert relative.person.full_name == "Karin Ek" and relative.relation == "mor"
    assert relative.person_id != offer.person_id
    # Her own yes and consent: no prosecutor, no facility, and the detained person's offer
    # stays unanswered.
    referral = accept(relative, xcons.officer)
    assert referral.partner.slug == "x-cons-stockholm"
    assert relative.consents.count() == 1 and not offer.consents.exists()
    offer.refresh_from_db()
    assert offer.answer == Offer.Answer.NOT_ASKED


def test_a_programme_without_support_to_relatives_refuses_one(personas, world):
    with pytest.raises(ValidationError):
        services.relative_offer_register(
            actor=personas.officer_a,
            offer=world.offer_not_asked,
            person=_person("Anna"),
            relation="mor",
        )


def test_another_district_cannot_add_a_relative(xcons, personas, as_user):
    offer = _detained(xcons)
    response = as_user(personas.officer_a).post(
        reverse("referrals:offer_relative", args=[offer.pk]),
        {"relation": "mor", "full_name": "Karin Ek", "id_kind": "none"},
    )
    assert response.status_code == 404
    assert not Offer.objects.filter(relative_of=offer).exists()


# Long follow-up and how contact is made --------------------------------------------------------


def _referral(xcons) -> Referral:
    offer = _detained(xcons)
    _agree(xcons, offer)
    return accept(offer, xcons.officer)


def test_long_follow_up_waits_in_its_own_bucket_not_overdue(xcons, personas):
    referral = _referral(xcons)
    Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() - dt.timedelta(days=30))
    assert inbox_bucket(Referral.objects.get(pk=referral.pk)) == "overdue"
    assert [r.overdue for r in overdue_reminders_collect()] == [1]

    services.referral_follow_up_set(
        actor=personas.ngo,
        referral=referral,
        next_contact_on=timezone.localdate() + dt.timedelta(days=90),
    )
    referral.refresh_from_db()
    assert inbox_bucket(referral) == "follow_up"
    assert referral.long_follow_up and referral.next_contact_on
    assert overdue_reminders_collect() == []


def test_police_cannot_set_follow_up(xcons):
    referral = _referral(xcons)
    with pytest.raises(PermissionDenied):
        services.referral_follow_up_set(
            actor=xcons.officer, referral=referral, next_contact_on=timezone.localdate()
        )


def test_follow_up_in_the_past_is_refused(xcons, personas):
    referral = _referral(xcons)
    with pytest.raises(ValidationError):
        services.referral_follow_up_set(
            actor=personas.ngo,
            referral=referral,
            next_contact_on=timezone.localdate() - dt.timedelta(days=1),
        )


def test_visits_in_detention_and_letters_are_contact_methods(xcons, personas):
    referral = _referral(xcons)
    for method in (ContactAttempt.Method.LETTER, ContactAttempt.Method.VISIT):
        services.referral_record_attempt(
            actor=personas.ngo, referral=referral, at=timezone.now(), method=method, reached=True
        )
    assert set(referral.attempts.values_list("method", flat=True)) == {"letter", "visit"}


def test_every_referral_is_in_exactly_one_bucket_with_follow_up_too(xcons, personas):
    referral = _referral(xcons)
    now = timezone.now()
    for status, contacted, following, due in itertools.product(
        Referral.Status.values, (False, True), (False, True), (-3, 1, 5)
    ):
        Referral.objects.filter(pk=referral.pk).update(
            status=status,
            contact_made_at=now if contacted else None,
            long_follow_up=following,
            due_at=now + dt.timedelta(days=due),
        )
        r = Referral.objects.get(pk=referral.pk)
        found = [
            b for b in INBOX_BUCKETS if Referral.objects.filter(inbox_bucket_q(b, now), pk=r.pk)
        ]
        assert found == [inbox_bucket(r, now)], (status, contacted, following, due)


def test_inbox_tab_counts_equal_the_referrals_in_each_bucket(xcons, personas):
    """The tabs' counts (two aggregates: open buckets, closed apart) against the bucket each
    referral is in, for every kind of referral, several at a time."""
    referrals = [_referral(xcons) for _ in range(6)]
    now = timezone.now()
    kinds = list(
        itertools.product(Referral.Status.values, (False, True), (False, True), (-3, 1, 5))
    )
    for start in range(0, len(kinds), len(referrals)):
        for referral, (status, contacted, following, due) in zip(
            referrals, kinds[start : start + len(referrals)], strict=False
        ):
            Referral.objects.filter(pk=referral.pk).update(
                status=status,
                contact_made_at=now if contacted else None,
                long_follow_up=following,
                due_at=now + dt.timedelta(days=due),
            )
        shown = Referral.objects.filter(pk__in=[r.pk for r in referrals])
        expected = dict.fromkeys(INBOX_BUCKETS, 0)
        for r in shown:
            expected[inbox_bucket(r, now)] += 1
        assert inbox_counts(shown, now) == expected, kinds[start : start + len(referrals)]
