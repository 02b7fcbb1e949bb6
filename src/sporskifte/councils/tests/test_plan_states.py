"""Every cell of the plan's state table (``plans.py``): each transition from each state either
moves the plan to the state the table says or is refused and changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sporskifte.councils import plans, services
from sporskifte.councils.models import Plan, PlanApproval

S = Plan.State
ALL = [S.DRAFT, S.ON_AGENDA, S.DISCUSSED, S.APPROVED, S.PUBLISHED, S.SUPERSEDED]


def _district_plan(world, personas, state):
    plan = plans.plan_create(actor=personas.admin_a, council=world.kredsraad, year=2023, title="P")
    Plan.objects.filter(pk=plan.pk).update(state=state)
    plan.refresh_from_db()
    return plan


def _local_plan(world, personas, state):
    plan = plans.plan_create(actor=personas.admin_a, council=world.viborg, year=2023, title="L")
    Plan.objects.filter(pk=plan.pk).update(state=state)
    plan.refresh_from_db()
    return plan


PUT_ON_AGENDA = {S.DRAFT: S.ON_AGENDA}
PUBLISH_DISTRICT = {S.DISCUSSED: S.PUBLISHED}


@pytest.mark.parametrize("state", ALL)
def test_district_plan_put_on_agenda(world, personas, state):
    plan = _district_plan(world, personas, state)
    meeting = world.meetings[0]
    if state in PUT_ON_AGENDA:
        plans.plan_put_on_agenda(actor=personas.admin_a, plan=plan, meeting=meeting)
        plan.refresh_from_db()
        assert plan.state == PUT_ON_AGENDA[state]
        assert meeting.agenda.filter(plan=plan).exists()
    else:
        with pytest.raises(ValidationError):
            plans.plan_put_on_agenda(actor=personas.admin_a, plan=plan, meeting=meeting)
        plan.refresh_from_db()
        assert plan.state == state
        assert not meeting.agenda.exists()


@pytest.mark.parametrize("state", ALL)
def test_district_plan_publish(world, personas, state):
    plan = _district_plan(world, personas, state)
    if state in PUBLISH_DISTRICT:
        plans.plan_publish(actor=personas.admin_a, plan=plan)
        plan.refresh_from_db()
        assert plan.state == S.PUBLISHED and plan.published_at is not None
    else:
        with pytest.raises(ValidationError, match="district council has discussed it"):
            plans.plan_publish(actor=personas.admin_a, plan=plan)
        plan.refresh_from_db()
        assert plan.state == state and plan.published_at is None


@pytest.mark.parametrize("state", ALL)
def test_district_plan_cannot_be_approved_by_parties(world, personas, state):
    plan = _district_plan(world, personas, state)
    with pytest.raises(ValidationError):
        plans.plan_approve(actor=personas.admin_a, plan=plan, party=PlanApproval.Party.POLICE)
    assert not plan.approvals.exists()


@pytest.mark.parametrize("state", ALL)
def test_local_plan_approvals(world, personas, state):
    plan = _local_plan(world, personas, state)
    if state == S.DRAFT:
        plans.plan_approve(actor=personas.admin_a, plan=plan, party=PlanApproval.Party.POLICE)
        plan.refresh_from_db()
        assert plan.state == S.DRAFT  # one party alone is not enough
        plans.plan_approve(
            actor=personas.council_member, plan=plan, party=PlanApproval.Party.MUNICIPALITY
        )
        plan.refresh_from_db()
        assert plan.state == S.APPROVED
    else:
        with pytest.raises(ValidationError):
            plans.plan_approve(actor=personas.admin_a, plan=plan, party=PlanApproval.Party.POLICE)
        assert not plan.approvals.exists()


@pytest.mark.parametrize("state", ALL)
def test_local_plan_publish(world, personas, state):
    plan = _local_plan(world, personas, state)
    if state == S.APPROVED:
        plans.plan_publish(actor=personas.admin_a, plan=plan)
        plan.refresh_from_db()
        assert plan.state == S.PUBLISHED
    else:
        with pytest.raises(ValidationError, match="both police and municipality"):
            plans.plan_publish(actor=personas.admin_a, plan=plan)
        plan.refresh_from_db()
        assert plan.state == state


@pytest.mark.parametrize("state", ALL)
def test_new_version_from_every_state(world, personas, state):
    plan = _district_plan(world, personas, state)
    if state == S.DRAFT:
        with pytest.raises(ValidationError):
            plans.plan_new_version(actor=personas.admin_a, plan=plan)
        assert Plan.objects.count() == 1
    else:
        draft = plans.plan_new_version(actor=personas.admin_a, plan=plan)
        assert (draft.state, draft.version, draft.year) == (S.DRAFT, 2, 2023)


@pytest.mark.parametrize("state", [s for s in ALL if s != S.DRAFT])
def test_only_a_draft_is_edited(world, personas, state):
    plan = _district_plan(world, personas, state)
    with pytest.raises(ValidationError, match="Only a draft"):
        plans.section_add(actor=personas.admin_a, plan=plan, part=1, number="1", title="T", body="")
    assert not plan.sections.exists()


def test_discussion_is_the_approval_of_the_minutes_at_the_next_meeting(world, personas):
    admin = personas.admin_a
    plan = _district_plan(world, personas, S.DRAFT)
    first, second = world.meetings[0], world.meetings[1]
    plans.plan_put_on_agenda(actor=admin, plan=plan, meeting=first)
    services.meeting_hold(actor=admin, meeting=first, minutes="Planen drøftet.")
    with pytest.raises(ValidationError, match="next meeting"):
        services.minutes_approve(actor=admin, meeting=first)
    plan.refresh_from_db()
    assert plan.state == S.ON_AGENDA
    services.meeting_hold(actor=admin, meeting=second, minutes="Referat godkendt.")
    services.minutes_approve(actor=admin, meeting=first)
    plan.refresh_from_db()
    assert plan.state == S.DISCUSSED
    plans.plan_publish(actor=admin, plan=plan)
    plan.refresh_from_db()
    assert plan.state == S.PUBLISHED


def test_publishing_a_new_version_supersedes_the_old_which_stays(world, personas):
    old = _district_plan(world, personas, S.PUBLISHED)
    new = plans.plan_new_version(actor=personas.admin_a, plan=old)
    Plan.objects.filter(pk=new.pk).update(state=S.DISCUSSED)
    plans.plan_publish(actor=personas.admin_a, plan=new)
    old.refresh_from_db()
    assert old.state == S.SUPERSEDED


def test_municipality_approval_needs_a_seat_for_that_municipality(world, personas):
    plan = _local_plan(world, personas, S.DRAFT)
    with pytest.raises(PermissionDenied):  # Herning's mayor is not Viborg
        plans.plan_approve(actor=world.mayor, plan=plan, party=PlanApproval.Party.MUNICIPALITY)
    with pytest.raises(PermissionDenied):  # police approval is the district's
        plans.plan_approve(
            actor=personas.council_member, plan=plan, party=PlanApproval.Party.POLICE
        )
    assert not plan.approvals.exists()
