"""Meetings: plan with notice, agenda, attendance, minutes, actions; open actions come back on
the next agenda by themselves; overdue actions show on the forum page; a held meeting is final."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sporskifte.audit.models import AuditEvent
from sporskifte.fora import meetings, selectors
from sporskifte.fora.models import Action, AgendaItem, Meeting
from sporskifte.fora.tests.conftest import SSP_PERSON, tomorrow_at
from sporskifte.testing.factories import district
from sporskifte.testing.jobs import run_queued_jobs

HTMX = {"HTTP_HX_REQUEST": "true"}


def held_meeting(world, officer, days_ago: int) -> Meeting:
    m = meetings.meeting_plan(
        actor=officer,
        forum=world.ssp,
        starts_at=timezone.now() - dt.timedelta(days=days_ago),
        place="Rådhuset",
    )
    return m


def agree(world, officer, meeting, deadline_days=14, description="Skolen ringer hjem"):
    return meetings.action_add(
        actor=officer,
        meeting=meeting,
        description=description,
        owner=world.kommune,
        deadline=timezone.localdate(meeting.starts_at) + dt.timedelta(days=deadline_days),
        person=world.ssp_person,
    )


def test_only_a_coordinator_plans(personas, world):
    with pytest.raises(PermissionDenied):
        meetings.meeting_plan(
            actor=world.school, forum=world.ssp, starts_at=tomorrow_at(), place="x"
        )


def test_meeting_must_end_after_it_starts(personas, world):
    with pytest.raises(ValidationError) as exc:
        meetings.meeting_plan(
            actor=personas.officer_a,
            forum=world.ssp,
            starts_at=tomorrow_at(10),
            ends_at=tomorrow_at(9),
            place="x",
        )
    assert "ends_at" in exc.value.message_dict


def test_planning_through_the_page(personas, world, as_user):
    start = tomorrow_at(13)
    response = as_user(personas.officer_a).post(
        reverse("fora:meeting_new", args=[world.ssp.pk]),
        {"starts_at": f"{start:%Y-%m-%dT%H:%M}", "place": "Politigården", "notice": "Husk"},
    )
    m = Meeting.objects.get(place="Politigården")
    assert response.status_code == 302 and m.starts_at == start and m.notice == "Husk"


def test_member_puts_a_person_on_the_agenda_with_htmx(personas, world, as_user):
    url = reverse("fora:agenda_add", args=[world.ssp_meeting.pk])
    data = {"kind": "person", "person": world.ssp_person.pk, "reason": "Nyt fravær"}
    response = as_user(world.school).post(url, data, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<section id="agenda"')
    assert SSP_PERSON in body and "<html" not in body
    item = world.ssp_meeting.agenda.get()
    assert (item.person, item.added_by, item.reason) == (
        world.ssp_person,
        world.school,
        "Nyt fravær",
    )


def test_agenda_form_errors_come_back_in_the_section(personas, world, as_user):
    url = reverse("fora:agenda_add", args=[world.ssp_meeting.pk])
    response = as_user(world.school).post(url, {"kind": "theme", "title": ""}, **HTMX)
    assert response.status_code == 200 and "form-error-message" in response.content.decode()
    assert not world.ssp_meeting.agenda.exists()


def test_person_on_the_agenda_must_belong_to_the_forum(personas, world):
    with pytest.raises(ValidationError):
        meetings.agenda_item_add(
            actor=personas.officer_a,
            meeting=world.ssp_meeting,
            kind=AgendaItem.Kind.PERSON,
            person=world.psp_person,
            reason="x",
        )


def test_coordinator_ticks_attendance_with_htmx(personas, world, as_user):
    officer_member = world.ssp.members.get(user=personas.officer_a)
    url = reverse("fora:attendance", args=[world.ssp_meeting.pk])
    response = as_user(personas.officer_a).post(url, {"present": [officer_member.pk]}, **HTMX)
    assert response.status_code == 200 and 'id="attendance"' in response.content.decode()
    assert list(world.ssp_meeting.attendance.values_list("member", flat=True)) == [
        officer_member.pk
    ]
    as_user(personas.officer_a).post(url, {"present": []}, **HTMX)
    assert not world.ssp_meeting.attendance.exists()


def test_notice_email_names_no_one(personas, world):
    meetings.agenda_item_add(
        actor=world.school,
        meeting=world.ssp_meeting,
        kind="person",
        person=world.ssp_person,
        reason="Bekymring",
    )
    sent = meetings.meeting_send_notice(
        actor=personas.officer_a, meeting=world.ssp_meeting, link="https://x/fora/moeder/1/"
    )
    assert sent == 2 and mail.outbox == []  # queued with the notice, sent by a worker
    run_queued_jobs()
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert SSP_PERSON not in message.body + message.subject
        assert "1 person case" in message.body and "Viborg Rådhus" in message.body
    world.ssp_meeting.refresh_from_db()
    assert world.ssp_meeting.notice_sent_at is not None


def test_a_notice_rolled_back_queues_no_mail(personas, world):
    with pytest.raises(RuntimeError), transaction.atomic():
        meetings.meeting_send_notice(
            actor=personas.officer_a, meeting=world.ssp_meeting, link="https://x/"
        )
        raise RuntimeError  # e.g. the request fails after the service
    assert not DBTaskResult.objects.exists()
    world.ssp_meeting.refresh_from_db()
    assert world.ssp_meeting.notice_sent_at is None
    assert not AuditEvent.objects.filter(purpose=AuditEvent.Purpose.MEETING_NOTICE_SENT).exists()


def test_a_notice_job_run_twice_mails_each_member_once(personas, world):
    meetings.meeting_send_notice(actor=personas.officer_a, meeting=world.ssp_meeting, link="x")
    [job] = run_queued_jobs()
    DBTaskResult.objects.filter(pk=job.pk).update(status="READY")  # a lost worker's job, rerun
    run_queued_jobs()
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == 2 and len(set(recipients)) == 2


def test_minutes_and_actions_then_the_meeting_is_held_and_final(personas, world):
    officer = personas.officer_a
    m = held_meeting(world, officer, days_ago=0)
    item = meetings.agenda_item_add(
        actor=officer, meeting=m, kind="person", person=world.ssp_person, reason="Status"
    )
    meetings.minutes_save(actor=officer, meeting=m, minutes="Drøftet", item_notes={item.pk: "Ok"})
    action = agree(world, officer, m)
    meetings.meeting_close(actor=officer, meeting=m)
    item.refresh_from_db()
    assert (m.status, m.minutes, item.notes) == (Meeting.Status.HELD, "Drøftet", "Ok")
    assert action.owner == world.kommune and action.status == Action.Status.OPEN
    with pytest.raises(ValidationError):
        meetings.minutes_save(actor=officer, meeting=m, minutes="Ændret bagefter")
    with pytest.raises(ValidationError):
        meetings.agenda_item_add(actor=officer, meeting=m, kind="theme", title="For sent")


def test_a_meeting_cannot_be_held_before_it_begins(personas, world):
    with pytest.raises(ValidationError):
        meetings.meeting_close(actor=personas.officer_a, meeting=world.ssp_meeting)


def test_action_owner_must_be_a_member_organisation(personas, world):
    m = held_meeting(world, personas.officer_a, 0)
    with pytest.raises(ValidationError) as exc:
        meetings.action_add(
            actor=personas.officer_a,
            meeting=m,
            description="x",
            owner=world.psychiatry,  # not in the SSP forum
            deadline=timezone.localdate() + dt.timedelta(days=3),
        )
    assert "owner" in exc.value.message_dict


def test_open_actions_come_back_on_the_next_agenda_until_closed(personas, world, as_user):
    officer = personas.officer_a
    first = held_meeting(world, officer, days_ago=28)
    action = agree(world, officer, first)
    meetings.meeting_close(actor=officer, meeting=first)
    second = held_meeting(world, officer, days_ago=1)
    assert list(selectors.followup_actions(second)) == [action]
    assert list(selectors.followup_actions(world.ssp_meeting)) == [action]
    body = as_user(world.school).get(reverse("fora:meeting_detail", args=[second.pk])).content
    assert b"Skolen ringer hjem" in body

    meetings.action_close(actor=world.school, action=action, status=Action.Status.DONE)
    # Still on the agenda of the meeting it was open at, gone from the ones after.
    assert list(selectors.followup_actions(second)) == [action]
    assert list(selectors.followup_actions(world.ssp_meeting)) == []


def test_overdue_actions_show_on_the_forum_page(personas, world, as_user):
    officer = personas.officer_a
    m = held_meeting(world, officer, days_ago=30)
    agree(world, officer, m, deadline_days=10, description="Forfalden handling")
    agree(world, officer, m, deadline_days=60, description="Ikke forfalden")
    body = as_user(world.school).get(reverse("fora:forum_detail", args=[world.ssp.pk])).content
    overdue = body.decode().split("data-overdue", 1)[1].split("</table>", 1)[0]
    assert "Forfalden handling" in overdue and "Ikke forfalden" not in overdue


def test_only_the_owner_organisation_or_a_coordinator_closes_an_action(personas, world):
    m = held_meeting(world, personas.officer_a, 0)
    action = meetings.action_add(
        actor=personas.officer_a,
        meeting=m,
        description="Politiet",
        owner=district("midt-vestjylland"),
        deadline=timezone.localdate() + dt.timedelta(days=5),
    )
    with pytest.raises(PermissionDenied):
        meetings.action_close(actor=world.school, action=action, status=Action.Status.DONE)
    meetings.action_close(actor=personas.officer_a, action=action, status=Action.Status.DROPPED)
    assert AuditEvent.objects.filter(
        object_type="forum_action", purpose=AuditEvent.Purpose.ACTION_DROPPED
    ).exists()


def test_agenda_item_is_removed_by_who_added_it_or_a_coordinator(personas, world, as_user):
    item = meetings.agenda_item_add(
        actor=personas.officer_a, meeting=world.ssp_meeting, kind="theme", title="Tryghed"
    )
    url = reverse("fora:agenda_remove", args=[item.pk])
    assert as_user(world.school).post(url, **HTMX).status_code == 404
    assert as_user(personas.officer_a).post(url, **HTMX).status_code == 200
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_cancelled_meeting_keeps_its_record(personas, world):
    meetings.meeting_cancel(actor=personas.officer_a, meeting=world.ssp_meeting)
    with pytest.raises(ValidationError):
        meetings.agenda_item_add(
            actor=world.school, meeting=world.ssp_meeting, kind="theme", title="x"
        )
