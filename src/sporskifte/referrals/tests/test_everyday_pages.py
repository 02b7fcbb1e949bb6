"""What a user of the referral pages notices (issue 9): irreversible withdrawals are confirmed
first, the history reads in time order, a closed referral says so once, phone numbers are
grouped, and "how the consent was given" is not called optional."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sporskifte.referrals import services
from sporskifte.referrals.models import Consent, Referral, Step

pytestmark = pytest.mark.django_db


def test_withdrawal_without_confirmation_asks_and_changes_nothing(personas, world, as_user):
    offer = world.offer_viborg
    url = reverse("referrals:offer_withdraw", args=[offer.pk])

    response = as_user(personas.officer_a).post(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "data-confirm-page" in html and 'name="confirmed" value="yes"' in html
    assert Consent.objects.get(offer=offer).withdrawn_at is None


def test_confirmed_withdrawal_is_recorded(personas, world, as_user):
    offer = world.offer_viborg
    url = reverse("referrals:offer_withdraw", args=[offer.pk])

    response = as_user(personas.officer_a).post(url, {"confirmed": "yes"})

    assert response.status_code == 302
    assert Consent.objects.get(offer=offer).withdrawn_at is not None


def test_another_districts_officer_gets_no_confirmation_page(personas, world, as_user):
    url = reverse("referrals:offer_withdraw", args=[world.offer_viborg.pk])

    assert as_user(personas.officer_b).post(url).status_code == 404


def test_partner_withdrawal_is_confirmed_first_too(personas, world, as_user):
    referral = world.referral_viborg
    url = reverse("referrals:referral_withdraw", args=[referral.pk])
    client = as_user(personas.counsellor_a)

    assert client.post(url).status_code == 200
    referral.refresh_from_db()
    assert referral.withdrawn_at is None
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    referral.refresh_from_db()
    assert referral.withdrawn_at is not None
    # The page offers the question as the design system's modal, not a bare button.
    page = client.get(reverse("referrals:referral_detail", args=[referral.pk]))
    assert "fds-modal" not in page.content.decode()  # withdrawn: nothing left to withdraw


def test_history_is_one_story_in_time_order(personas, world, as_user):
    referral = world.referral_viborg
    counsellor = personas.counsellor_a
    start = timezone.now() - dt.timedelta(hours=2)
    Referral.objects.filter(pk=referral.pk).update(created_at=start)
    referral.refresh_from_db()
    services.referral_record_step(
        actor=counsellor,
        referral=referral,
        step=Step.FIRST_CONVERSATION,
        at=start + dt.timedelta(minutes=30),
    )
    services.referral_record_attempt(
        actor=counsellor,
        referral=referral,
        at=start + dt.timedelta(minutes=10),
        method="phone",
        reached=True,
    )

    html = as_user(counsellor).get(reverse("referrals:referral_detail", args=[referral.pk]))
    rows = re.findall(r"<tr data-history-row>(.*?)</tr>", html.content.decode(), re.S)

    assert ["Contact attempt" in rows[0], "First conversation held" in rows[1]] == [True, True]


def test_a_closed_referral_says_closed_once(personas, world, as_user):
    referral = world.referral_viborg
    services.referral_record_step(
        actor=personas.counsellor_a, referral=referral, step=Step.CLOSED, at=timezone.now()
    )

    html = as_user(personas.counsellor_a).get(reverse("referrals:inbox") + "?vis=closed")

    text = html.content.decode()
    assert text.count(">Closed<") + text.count("Closed · ") >= 1  # the row is there
    assert "Closed · Closed" not in text


def test_phone_numbers_are_grouped(personas, world, as_user):
    person = world.offer_viborg.person
    person.phone = "+4520304050"
    person.save(update_fields=["phone"])

    html = as_user(personas.counsellor_a).get(
        reverse("referrals:referral_detail", args=[world.referral_viborg.pk])
    )

    assert "+45 20 30 40 50" in html.content.decode()


def test_how_consent_was_given_is_not_marked_optional(personas, world, as_user):
    html = as_user(personas.officer_a).get(
        reverse("referrals:offer_detail", args=[world.offer_not_asked.pk])
    )
    text = html.content.decode()
    legend = text[text.index("How the consent was given") :][:200]

    assert "(optional)" not in legend
    assert "Required when the answer is yes." in text
