"""The calendar feed: a member's secret, revocable address; meetings of their fora only; no
person names, ever."""

from django.urls import reverse
from icalendar import Calendar

from sporskifte.audit.models import AuditEvent
from sporskifte.fora import exchange, meetings
from sporskifte.fora.models import CalendarFeed, ForumMember
from sporskifte.fora.tests.conftest import PSP_PERSON, SSP_PERSON


def feed_url(key: str) -> str:
    return reverse("fora:calendar_feed", args=[key])


def test_feed_has_the_members_meetings_and_no_names(personas, world, client):
    meetings.agenda_item_add(
        actor=world.school,
        meeting=world.ssp_meeting,
        kind="person",
        person=world.ssp_person,
        reason="Bekymring",
    )
    meetings.agenda_item_add(
        actor=world.school, meeting=world.ssp_meeting, kind="theme", title=f"Om {SSP_PERSON}"
    )
    key = exchange.calendar_feed_create(actor=world.school)

    response = client.get(feed_url(key))  # no log-in: calendar programs cannot
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert SSP_PERSON not in body and PSP_PERSON not in body and "Bekymring" not in body
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == world.ssp.name
    assert str(event["LOCATION"]) == "Viborg Rådhus"
    assert str(event["DESCRIPTION"]) == "1 person case"
    assert event.decoded("DTSTART") == world.ssp_meeting.starts_at


def test_feed_shows_only_the_users_fora(personas, world, client):
    meetings.meeting_plan(
        actor=personas.officer_a,
        forum=world.psp,
        starts_at=world.ssp_meeting.starts_at,
        place="PSP-stedet",
    )
    nurse = client.get(feed_url(exchange.calendar_feed_create(actor=world.nurse))).content
    assert b"PSP-stedet" in nurse and b"Viborg R" not in nurse


def test_only_a_digest_is_stored_and_a_new_address_revokes_the_old(world, client):
    first = exchange.calendar_feed_create(actor=world.school)
    assert not CalendarFeed.objects.filter(digest=first).exists()
    second = exchange.calendar_feed_create(actor=world.school)
    assert client.get(feed_url(first)).status_code == 404
    assert client.get(feed_url(second)).status_code == 200


def test_revoked_address_stops_working(world, as_user, client):
    key = exchange.calendar_feed_create(actor=world.school)
    response = as_user(world.school).post(reverse("fora:calendar"), {"do": "revoke"})
    assert response.status_code == 302
    assert client.get(feed_url(key)).status_code == 404
    assert AuditEvent.objects.filter(purpose=AuditEvent.Purpose.CALENDAR_FEED_REVOKED).exists()


def test_leaving_the_forum_empties_the_feed(world, client):
    key = exchange.calendar_feed_create(actor=world.school)
    ForumMember.objects.filter(user=world.school).delete()
    assert b"VEVENT" not in client.get(feed_url(key)).content


def test_inactive_user_feed_stops(world, client):
    key = exchange.calendar_feed_create(actor=world.school)
    world.school.is_active = False
    world.school.save()
    assert client.get(feed_url(key)).status_code == 404


def test_calendar_page_shows_the_address_once(world, as_user):
    client = as_user(world.school)
    response = client.post(reverse("fora:calendar"), {"do": "create"})
    body = response.content.decode()
    assert response.status_code == 200 and "/fora/kalender/" in body and ".ics" in body
    assert response["Cache-Control"] == "no-store"
    assert ".ics" not in client.get(reverse("fora:calendar")).content.decode()
