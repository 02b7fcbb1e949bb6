"""The issue's bad input: each gets a clear message and changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sporskifte.audit.models import AuditEvent
from sporskifte.councils import areas, plans, seed002, services, status
from sporskifte.councils.models import CouncilMember, Indicator, Plan, PlanApproval, PreventionArea
from sporskifte.testing.factories import municipality

HEADER = (
    "kommunekode;omraade;aar;beboere;ikke_vestlige_pct;uden_arbejde_pct;"
    "doemte_gange_landsgns;grundskole_pct;indkomst_pct;anmeldelser\n"
)


def test_plan_published_without_discussion_is_refused(world, personas):
    plan = plans.plan_create(actor=personas.admin_a, council=world.kredsraad, year=2023, title="P")
    plans.plan_put_on_agenda(actor=personas.admin_a, plan=plan, meeting=world.meetings[0])
    with pytest.raises(ValidationError, match="retsplejeloven § 113"):
        plans.plan_publish(actor=personas.admin_a, plan=plan)
    plan.refresh_from_db()
    assert plan.state == Plan.State.ON_AGENDA and plan.published_at is None


def test_local_plan_approved_by_one_party_is_not_published(world, personas):
    plan = plans.plan_create(actor=personas.admin_a, council=world.viborg, year=2023, title="L")
    plans.plan_approve(actor=personas.admin_a, plan=plan, party=PlanApproval.Party.POLICE)
    with pytest.raises(ValidationError, match="both police and municipality"):
        plans.plan_publish(actor=personas.admin_a, plan=plan)
    with pytest.raises(ValidationError, match="already approved"):
        plans.plan_approve(actor=personas.admin_a, plan=plan, party=PlanApproval.Party.POLICE)
    plan.refresh_from_db()
    assert plan.state == Plan.State.DRAFT and plan.approvals.count() == 1


def test_a_quarter_entered_twice_is_refused(world, personas):
    plan = seed002.build_plan(actor=personas.admin_a, kredsraad=world.kredsraad)
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.PUBLISHED)
    indicator = Indicator.objects.filter(focus_area__plan=plan, feed="").first()
    mun = indicator.focus_area.municipalities.first()
    args = dict(actor=personas.admin_a, indicator=indicator, municipality=mun, year=2023, quarter=1)
    status.status_enter(**args, value=Decimal(95), rag="amber")
    with pytest.raises(ValidationError, match="already entered"):
        status.status_enter(**args, value=Decimal(80), rag="green")
    assert indicator.statuses.get().value == Decimal(95)


def test_a_term_ending_before_it_starts_is_refused(world, personas):
    before = CouncilMember.objects.count()
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        services.member_add(
            actor=personas.admin_a,
            council=world.viborg,
            name="X",
            role="member",
            standing="community",
            term_start=dt.date(2024, 1, 1),
            term_end=dt.date(2023, 12, 31),
        )
    assert CouncilMember.objects.count() == before


def test_area_csv_with_a_bad_municipality_code_imports_nothing(personas):
    events = AuditEvent.objects.count()
    good = "0657;Holtbjerg;2022;1500;45;35;2,5;62;60;80\n"
    data = HEADER + good + "0101;Mjølnerparken;2022;2000;80;40;3;65;50;90\n"
    with pytest.raises(ValidationError) as refused:
        areas.areas_import(actor=personas.admin_a, data=data)
    assert refused.value.messages == [
        "Row 3, column kommunekode: 0101 is not a municipality of your police district."
    ]
    assert not PreventionArea.objects.exists()
    assert AuditEvent.objects.count() == events


def test_area_criteria_and_changes_to_the_list(personas):
    data = HEADER + (
        "0657;Holtbjerg;2022;1500;45;35;2,5;62;60;80\n"
        "0661;Trekanten;2022;1200;35;25;1,5;50;70;20\n"
        "0657;Holtbjerg;2021;1500;45;25;1,5;50;70;60\n"
        "0661;Trekanten;2021;1200;35;35;2,2;50;70;20\n"
    )
    assert areas.areas_import(actor=personas.admin_a, data=data) == 4
    district = municipality("Herning").police_district_id
    listed = {a.area.name: a for a in areas.assessments(district, 2022)}
    assert listed["Holtbjerg"].listed and listed["Holtbjerg"].crime_criterion
    assert listed["Holtbjerg"].criteria_met == [1, 2, 3, 4]
    assert not listed["Trekanten"].listed
    assert areas.list_changes(district, 2022) == (["Holtbjerg"], ["Trekanten"])
