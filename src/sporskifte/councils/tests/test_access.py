"""The role x object matrix of ``selectors.py``: each cell is a test that fails if its rule goes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sporskifte.accounts.models import Role
from sporskifte.councils import plans, selectors, services
from sporskifte.councils.models import Council
from sporskifte.testing.factories import district, member

NOBODY = ["officer_a", "investigator_a", "counsellor_a", "researcher", "sysadmin", "officer_b"]


@pytest.fixture
def plan(world, personas):
    return plans.plan_create(actor=personas.admin_a, council=world.kredsraad, year=2023, title="P")


@pytest.mark.parametrize("name", ["admin_a", "secretariat_a"])
def test_district_staff_see_and_manage_every_council_of_their_district(world, personas, name):
    user = getattr(personas, name)
    assert set(selectors.councils_for_user(user)) == {world.kredsraad, world.viborg}
    assert selectors.can_manage(user, world.viborg)


def test_secretariat_sets_up_councils(personas):
    council = services.council_create(
        actor=personas.secretariat_a, kind=Council.Kind.SSP_SAMRAAD, name="SSP-samrådet"
    )
    assert council.police_district == district("midt-vestjylland")


@pytest.mark.parametrize("name", [*NOBODY, "council_member"])
def test_others_cannot_set_up_councils(personas, name):
    with pytest.raises(PermissionDenied):
        services.council_create(actor=getattr(personas, name), kind="kredsraad", name="X")


def test_another_districts_administrator_sees_nothing(world, personas):
    admin_b = member("admin_b", district("sydoestjylland"), Role.DISTRICT_ADMIN)
    assert not selectors.councils_for_user(admin_b).exists()
    assert not selectors.can_manage(admin_b, world.kredsraad)


def test_council_member_sees_only_their_councils(world, personas):
    assert list(selectors.councils_for_user(personas.council_member)) == [world.viborg]
    assert list(selectors.councils_for_user(world.mayor)) == [world.kredsraad]
    assert not selectors.can_manage(personas.council_member, world.viborg)


def test_a_seat_whose_term_ended_sees_nothing(world, personas):
    world.viborg.members.filter(user=personas.council_member).update(
        term_start="2020-01-01", term_end="2021-01-01"
    )
    assert not selectors.councils_for_user(personas.council_member).exists()


@pytest.mark.parametrize("name", NOBODY)
def test_other_roles_see_no_council_meeting_or_plan(world, personas, plan, name):
    user = getattr(personas, name)
    assert not selectors.councils_for_user(user).exists()
    assert not selectors.meetings_for_user(user).exists()
    assert not selectors.plans_for_user(user).exists()


def test_member_plans_are_those_of_their_councils(world, personas, plan):
    assert list(selectors.plans_for_user(world.mayor)) == [plan]
    assert not selectors.plans_for_user(personas.council_member).exists()


def test_member_cannot_edit_or_publish(world, personas, plan):
    with pytest.raises(PermissionDenied):
        plans.section_add(actor=world.mayor, plan=plan, part=1, number="1", title="T", body="")
    with pytest.raises(PermissionDenied):
        plans.plan_publish(actor=world.mayor, plan=plan)


def test_only_a_lokalraad_chair_gives_year_end_input(world, personas, plan):
    given = services.year_end_input_give(actor=personas.council_member, draft=plan, text="Mere PSP")
    assert given.council == world.viborg
    with pytest.raises(PermissionDenied):
        services.year_end_input_give(actor=world.mayor, draft=plan, text="X")
    with pytest.raises(ValidationError, match="already given"):
        services.year_end_input_give(actor=personas.council_member, draft=plan, text="Igen")


@pytest.mark.parametrize("name", [*NOBODY, "council_member"])
def test_pages_are_404_for_those_outside(world, personas, plan, as_user, name):
    client = as_user(getattr(personas, name))
    for url in (
        f"/raad/{world.kredsraad.pk}/",
        f"/raad/moede/{world.meetings[0].pk}/",
        f"/raad/plan/{plan.pk}/",
        f"/raad/plan/{plan.pk}/status/",
        f"/raad/plan/{plan.pk}/aarsrapport/",
        "/raad/omraader/",
    ):
        assert client.get(url).status_code == 404, url


def test_seated_member_reads_the_plan_page_but_cannot_post(world, personas, plan, as_user):
    client = as_user(world.mayor)
    assert client.get(f"/raad/plan/{plan.pk}/").status_code == 200
    response = client.post(f"/raad/plan/{plan.pk}/", {"do": "publish"})
    assert response.status_code == 404
