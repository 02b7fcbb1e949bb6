"""Changing a seat, ending a term and removing a seat added by mistake: only the district's
managers may, each write leaves an audit row, and bad input is refused and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sporskifte.accounts.models import Role
from sporskifte.audit.models import AuditEvent
from sporskifte.councils import selectors, services
from sporskifte.councils.models import CouncilMember
from sporskifte.testing.factories import district, member


@pytest.fixture
def community(world) -> CouncilMember:
    return world.viborg.members.get(standing=CouncilMember.Standing.COMMUNITY)


def test_manager_changes_role_and_term_end_with_an_audit_row(world, personas, community):
    end = dt.date(2030, 12, 31)
    services.member_change(
        actor=personas.secretariat_a, member=community, role="vice_chair", term_end=end
    )
    community.refresh_from_db()
    assert (community.role, community.term_end) == ("vice_chair", end)
    row = AuditEvent.objects.get(purpose="council_member_changed")
    assert row.object_id == str(community.pk) and row.detail["fields"] == ["role", "term_end"]


def test_changing_the_term_end_to_before_its_start_is_refused_and_changes_nothing(
    world, personas, community
):
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        services.member_change(
            actor=personas.secretariat_a,
            member=community,
            role="chair",
            term_end=dt.date(2019, 1, 1),
        )
    community.refresh_from_db()
    assert community.role == "member" and community.term_end is None
    assert not AuditEvent.objects.filter(purpose="council_member_changed").exists()


def test_substitute_must_sit_in_the_same_council_and_not_be_themselves(world, personas, community):
    other = world.kredsraad.members.first()
    with pytest.raises(ValidationError, match="same council"):
        services.member_change(
            actor=personas.admin_a, member=community, role="member", substitute_for=other
        )
    with pytest.raises(ValidationError, match="own substitute"):
        services.member_change(
            actor=personas.admin_a, member=community, role="member", substitute_for=community
        )


def test_a_seated_member_cannot_change_members(world, personas, community):
    with pytest.raises(PermissionDenied):
        services.member_change(actor=personas.council_member, member=community, role="chair")
    community.refresh_from_db()
    assert community.role == "member"


def test_ending_a_term_removes_access_from_the_next_day(world, personas):
    seat = world.kredsraad.members.get(user=world.mayor)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    services.member_term_end(actor=personas.admin_a, member=seat, on=yesterday)
    assert not selectors.councils_for_user(world.mayor).exists()
    assert AuditEvent.objects.filter(purpose="council_member_term_ended").count() == 1
    with pytest.raises(ValidationError, match="already ended"):
        services.member_term_end(actor=personas.admin_a, member=seat, on=dt.date.today())


def test_ending_a_term_before_it_started_is_refused(world, personas, community):
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        services.member_term_end(actor=personas.admin_a, member=community, on=dt.date(2019, 12, 31))
    community.refresh_from_db()
    assert community.term_end is None


def test_removing_a_seat_added_by_mistake_deletes_it_with_an_audit_row(world, personas, community):
    pk = community.pk
    services.member_remove(actor=personas.secretariat_a, member=community)
    assert not CouncilMember.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.get(purpose="council_member_removed").object_id == str(pk)


def test_a_member_someone_stands_in_for_is_not_removed(world, personas, community):
    services.member_add(
        actor=personas.admin_a,
        council=world.viborg,
        name="Suppleant",
        role="member",
        standing="community",
        term_start=dt.date(2020, 1, 1),
        substitute_for=community,
    )
    with pytest.raises(ValidationError, match="stands in for this member"):
        services.member_remove(actor=personas.admin_a, member=community)
    assert CouncilMember.objects.filter(pk=community.pk).exists()


# Pages -----------------------------------------------------------------------------------------


def test_member_page_refuses_a_term_end_before_start_with_a_message(
    world, personas, as_user, community
):
    url = f"/raad/medlem/{community.pk}/"
    response = as_user(personas.secretariat_a).post(
        url, {"do": "change", "change-role": "member", "change-term_end": "2019-01-01"}
    )
    assert response.status_code == 200
    assert "A term cannot end before it starts." in response.content.decode()
    community.refresh_from_db()
    assert community.term_end is None


def test_member_page_ends_a_term_and_removes_a_seat(world, personas, as_user, community):
    client = as_user(personas.secretariat_a)
    url = f"/raad/medlem/{community.pk}/"
    assert client.post(url, {"do": "end", "end-on": "2030-06-30"}).status_code == 302
    community.refresh_from_db()
    assert community.term_end == dt.date(2030, 6, 30)
    response = client.post(url, {"do": "remove"})
    assert response.status_code == 302 and response["Location"] == f"/raad/{world.viborg.pk}/"
    assert not CouncilMember.objects.filter(pk=community.pk).exists()


def test_member_page_is_404_for_a_seated_member_and_another_district(
    world, personas, as_user, community
):
    url = f"/raad/medlem/{community.pk}/"
    assert as_user(personas.council_member).get(url).status_code == 404
    admin_b = member("admin_b", district("sydoestjylland"), Role.DISTRICT_ADMIN)
    assert as_user(admin_b).get(url).status_code == 404
    assert as_user(personas.secretariat_a).get(url).status_code == 200
