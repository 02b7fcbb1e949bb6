"""Irreversible forum steps are asked about first (issue 9): a first POST answers with the
question and changes nothing; only the confirmed POST acts; a stranger gets no question."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sporskifte.fora import services
from sporskifte.fora.models import ForumConsent, Meeting

pytestmark = pytest.mark.django_db


def test_cancelling_a_meeting_asks_first(world, personas, as_user):
    meeting = world.ssp_meeting
    url = reverse("fora:meeting_cancel", args=[meeting.pk])
    client = as_user(personas.officer_a)

    asked = client.post(url)

    assert asked.status_code == 200 and "data-confirm-page" in asked.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED


def test_only_the_coordinator_is_asked(world, as_user):
    url = reverse("fora:meeting_cancel", args=[world.ssp_meeting.pk])

    assert as_user(world.school).post(url).status_code == 404


def test_withdrawing_a_forum_consent_asks_first(world, as_user):
    consent = services.consent_record(
        actor=world.school,
        person=world.ssp_person,
        text="Jeg giver samtykke til, at mine oplysninger drøftes i forummet.",
        method=ForumConsent.Method.SIGNED,
        given_by="Personen selv",
        given_at=timezone.now() - dt.timedelta(hours=1),
    )
    url = reverse("fora:consent_withdraw", args=[consent.pk])
    client = as_user(world.school)

    assert client.post(url).status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
