"""Meetings: the year's minimum, notice with agenda after commit, minutes approved at the next
meeting, actions carried over, community terms flagged, the calendar feed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from sporskifte.councils import services
from sporskifte.councils.models import Council, CouncilMember
from sporskifte.councils.tests.conftest import at
from sporskifte.fora import exchange
from sporskifte.organisations.models import Organisation
from sporskifte.testing.jobs import run_queued_jobs


def test_a_kredsraad_with_four_meetings_is_enough_and_three_is_not(world, personas):
    assert services.meeting_shortfall(world.kredsraad, 2023) == 0
    last = world.meetings[-1]
    last.status = "cancelled"
    last.save()
    assert services.meeting_shortfall(world.kredsraad, 2023) == 1


def test_an_ssp_samraad_needs_six(personas):
    ssp = services.council_create(actor=personas.admin_a, kind=Council.Kind.SSP_SAMRAAD, name="SSP")
    services.meetings_plan(
        actor=personas.admin_a,
        council=ssp,
        starts=[at(2023, m, 5) for m in (1, 3, 5, 7)],
        place="X",
    )
    assert services.meeting_shortfall(ssp, 2023) == 2


def test_the_warning_is_on_the_council_page(world, personas, as_user):
    page = as_user(personas.admin_a).get(f"/raad/{world.viborg.pk}/?year=2023").content.decode()
    assert "4 meetings short: this council meets at least 4 times a year." in page


def test_notice_needs_an_agenda_and_is_queued_with_the_change(world, personas):
    meeting = world.meetings[0]
    with pytest.raises(ValidationError, match="needs an agenda"):
        services.meeting_notice_send(actor=personas.admin_a, meeting=meeting)
    services.agenda_add(actor=personas.admin_a, meeting=meeting, title="Kriminalitetsudviklingen")
    services.meeting_notice_send(actor=personas.admin_a, meeting=meeting)
    # The mail is a job written in the same transaction; it leaves when a worker runs it.
    from django.core import mail

    assert mail.outbox == []
    assert [m.to for m in outbox()] == [[world.mayor.email]]
    assert "Kriminalitetsudviklingen" in outbox()[0].body


def test_minutes_are_approved_only_at_the_next_held_meeting(world, personas):
    first, second, third = world.meetings[:3]
    services.meeting_hold(actor=personas.admin_a, meeting=first, minutes="A")
    services.meeting_hold(actor=personas.admin_a, meeting=third, minutes="C")
    with pytest.raises(ValidationError, match="next meeting"):
        services.minutes_approve(actor=personas.admin_a, meeting=first)  # second not held
    services.meeting_hold(actor=personas.admin_a, meeting=second, minutes="B")
    services.minutes_approve(actor=personas.admin_a, meeting=first)
    first.refresh_from_db()
    assert first.minutes_approved_at == second
    with pytest.raises(ValidationError, match="already approved"):
        services.minutes_approve(actor=personas.admin_a, meeting=first)


def test_open_actions_carry_over_until_done(world, personas):
    first, second, third = world.meetings[:3]
    owner = Organisation.objects.get(slug="kommune-dk-0657")
    action = services.action_agree(
        actor=personas.admin_a,
        meeting=first,
        description="Tal om nattelivet",
        owner=owner,
        deadline=dt.date(2023, 5, 1),
    )
    assert services.carried_actions(second) == [action]
    assert services.carried_actions(first) == []
    action.status = "done"
    action.save()
    assert services.carried_actions(third) == []


def test_community_terms_are_flagged_two_months_ahead(world, personas):
    community = world.viborg.members.get(standing=CouncilMember.Standing.COMMUNITY)
    community.term_end = dt.date(2024, 3, 1)
    community.save()
    assert services.terms_ending(world.viborg, dt.date(2024, 1, 15)) == [community]
    assert services.terms_ending(world.viborg, dt.date(2023, 12, 1)) == []
    official = world.viborg.members.get(standing=CouncilMember.Standing.PUBLIC_OFFICIAL)
    official.term_end = dt.date(2024, 3, 1)
    official.save()
    assert services.terms_ending(world.viborg, dt.date(2024, 1, 15)) == [community]


def test_calendar_feed_lists_the_members_council_meetings_without_names(world, personas):
    key = exchange.calendar_feed_create(actor=world.mayor)
    world.meetings[0].starts_at = at(2099, 1, 1)
    world.meetings[0].save()
    body = Client().get(f"/raad/kalender/{key}.ics").content.decode()
    assert "BEGIN:VEVENT" in body and "Kredsrådet" in body
    assert "Politidirektør" not in body
    other = exchange.calendar_feed_create(actor=personas.officer_a)
    assert Client().get(f"/raad/kalender/{other}.ics").status_code == 404


def outbox() -> list:
    """The e-mails sent once the queued jobs have run, as a worker would run them."""
    from django.core import mail

    run_queued_jobs()
    return mail.outbox
