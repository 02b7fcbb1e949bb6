"""Counts per forum and quarter for council members, suppressed like published figures."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from sporskifte.fora import counts, meetings, selectors, services
from sporskifte.fora.counts import Quarter
from sporskifte.fora.frame import LegalBasis
from sporskifte.fora.models import Action, Meeting
from sporskifte.fora.tests.conftest import SSP_PERSON


def held_with_persons(personas, world, n: int, days_ago: int = 1) -> Meeting:
    officer = personas.officer_a
    m = meetings.meeting_plan(
        actor=officer,
        forum=world.ssp,
        starts_at=timezone.now() - dt.timedelta(days=days_ago),
        place="Rådhuset",
    )
    for i in range(n):
        p = services.forum_person_share(
            actor=world.school,
            forum=world.ssp,
            full_name=f"Tællet {i}",
            birth_date=None,
            legal_basis=LegalBasis.SSP,
            reason="r",
            information="i",
        )
        meetings.agenda_item_add(actor=officer, meeting=m, kind="person", person=p, reason="r")
    return m


def test_quarters_run_back_from_today():
    assert counts.last_quarters(4, dt.date(2026, 2, 1)) == [
        Quarter(2025, 2),
        Quarter(2025, 3),
        Quarter(2025, 4),
        Quarter(2026, 1),
    ]


def test_persons_are_counted_at_held_meetings_only(personas, world):
    m = held_with_persons(personas, world, 6)
    q = Quarter.of(timezone.localdate(m.starts_at))
    assert counts.quarter_counts([world.ssp], [q])[(world.ssp.pk, q, "persons")] == 0
    meetings.meeting_close(actor=personas.officer_a, meeting=m)
    assert counts.quarter_counts([world.ssp], [q])[(world.ssp.pk, q, "persons")] == 6


def test_actions_done_on_time(personas, world):
    m = held_with_persons(personas, world, 0)
    deadline = timezone.localdate(m.starts_at) + dt.timedelta(days=3)
    kw = {"actor": personas.officer_a, "meeting": m, "owner": world.kommune, "deadline": deadline}
    on_time = meetings.action_add(description="a", **kw)
    late = meetings.action_add(description="b", **kw)
    meetings.action_add(description="c", **kw)  # still open
    for action, days in ((on_time, 0), (late, 1)):
        meetings.action_close(actor=personas.officer_a, action=action, status=Action.Status.DONE)
        closed = timezone.make_aware(
            dt.datetime.combine(deadline + dt.timedelta(days=days), dt.time(23))
        )
        Action.objects.filter(pk=action.pk).update(closed_at=closed)
    q = Quarter.of(deadline)
    assert counts.quarter_counts([world.ssp], [q])[(world.ssp.pk, q, "on_time")] == 1


def test_council_member_sees_suppressed_counts_and_no_names(personas, world, as_user):
    m = held_with_persons(personas, world, 3)
    meetings.meeting_close(actor=personas.officer_a, meeting=m)
    response = as_user(personas.council_member).get(reverse("fora:counts"))
    body = response.content.decode()
    assert response.status_code == 200
    assert world.ssp.name in body and world.visitation.name in body
    assert "&lt;5" in body  # three persons: shown as <5
    assert ">3<" not in body
    assert SSP_PERSON not in body and "Tællet" not in body


def test_counts_show_numbers_from_five(personas, world):
    m = held_with_persons(personas, world, 7)
    meetings.meeting_close(actor=personas.officer_a, meeting=m)
    quarters = counts.last_quarters()
    (persons, _on_time) = counts.tables(
        [world.ssp], quarters, counts.quarter_counts([world.ssp], quarters)
    )
    (row,) = persons.rows
    assert 7 in row.cells and row.total == 7


def test_council_member_sees_only_fora_of_their_municipality_and_district(personas, world):
    from sporskifte.organisations.models import Organisation
    from sporskifte.testing.factories import member

    herning = member(
        "council_herning", Organisation.objects.get(slug="kommune-dk-0657"), "council_member"
    )
    viborg = set(selectors.forums_for_council(personas.council_member))
    assert viborg == {world.ssp, world.psp, world.visitation}
    assert set(selectors.forums_for_council(herning)) == {world.visitation}
    assert not selectors.forums_for_council(personas.officer_a).exists()
