"""A draft plan's sections, focus areas, activities and indicators are changed and removed by
the district's managers while the plan is a draft, each with an audit row on the plan; once the
plan has left the draft, or by anyone else, the change is refused and nothing changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sporskifte.audit.models import AuditEvent
from sporskifte.councils import drafts, plans, seed002
from sporskifte.councils.models import Activity, FocusArea, Indicator, Plan, PreventionArea
from sporskifte.testing.factories import municipality


@pytest.fixture
def draft(world, personas) -> Plan:
    return seed002.build_plan(actor=personas.admin_a, kredsraad=world.kredsraad)


def _area(name: str, municipality_name: str) -> PreventionArea:
    return PreventionArea.objects.create(
        municipality=municipality(municipality_name),
        name=name,
        year=2023,
        residents=2000,
        non_western_pct=Decimal("40"),
        no_work_pct=Decimal("30"),
        convicted_ratio=Decimal("2"),
        basic_education_pct=Decimal("50"),
        income_pct=Decimal("50"),
    )


def _changes(plan: Plan) -> int:
    return AuditEvent.objects.filter(
        purpose="plan_changed", object_id=str(plan.pk), detail__has_key="change"
    ).count()


def test_manager_changes_and_removes_a_section(draft, personas):
    section = draft.sections.first()
    drafts.section_change(
        actor=personas.secretariat_a, section=section, part=1, number="1", title="Ny", body="Tekst"
    )
    section.refresh_from_db()
    assert (section.title, section.body) == ("Ny", "Tekst")
    drafts.section_remove(actor=personas.secretariat_a, section=section)
    assert not draft.sections.filter(pk=section.pk).exists()
    assert _changes(draft) == 2


def test_focus_area_change_narrows_its_activities_areas(draft, personas):
    area = draft.focus_areas.filter(municipalities__name="Viborg").first()
    assert area is not None
    viborg, holstebro = municipality("Viborg"), municipality("Holstebro")
    area.municipalities.add(holstebro)
    activity = area.activities.first() or plans.activity_add(
        actor=personas.admin_a, focus_area=area, description="Tryghedsvandring", owner=area.owner
    )
    kept, dropped = _area("Houlkær", "Viborg"), _area("Trekanten", "Holstebro")
    drafts.activity_change(
        actor=personas.admin_a,
        activity=activity,
        description="Tryghedsvandring",
        owner=area.owner,
        area_ids=[kept.pk, dropped.pk],
    )
    drafts.focus_area_change(
        actor=personas.admin_a,
        focus_area=area,
        scope=area.scope,
        title="Psykisk sårbare",
        owner=area.owner,
        municipality_ids=[viborg.pk],
    )
    area.refresh_from_db()
    assert area.title == "Psykisk sårbare"
    assert list(area.municipalities.all()) == [viborg]
    assert list(Activity.objects.get(pk=activity.pk).areas.all()) == [kept]


def test_activity_cannot_serve_an_area_outside_its_focus_areas_municipalities(draft, personas):
    area = draft.focus_areas.filter(municipalities__name="Viborg").first()
    activity = plans.activity_add(
        actor=personas.admin_a, focus_area=area, description="Gadeplan", owner=area.owner
    )
    elsewhere = _area("Andetsteds", "Herning")
    with pytest.raises(ValidationError, match="only areas in the municipalities"):
        drafts.activity_change(
            actor=personas.admin_a,
            activity=activity,
            description="Ændret",
            owner=area.owner,
            area_ids=[elsewhere.pk],
        )
    activity.refresh_from_db()
    assert activity.description == "Gadeplan" and not activity.areas.exists()


def test_indicator_target_on_the_wrong_side_is_refused(draft, personas):
    indicator = Indicator.objects.filter(focus_area__plan=draft).first()
    before = (indicator.baseline, indicator.target)
    with pytest.raises(ValidationError, match="wrong side of the baseline"):
        drafts.indicator_change(
            actor=personas.admin_a,
            indicator=indicator,
            definition=indicator.definition,
            source=indicator.source,
            baseline=Decimal("10"),
            target=Decimal("5"),
            direction=Indicator.Direction.UP,
        )
    indicator.refresh_from_db()
    assert (indicator.baseline, indicator.target) == before


def test_removing_a_focus_area_removes_its_activities_and_indicators(draft, personas):
    area = draft.focus_areas.filter(indicators__isnull=False).first()
    drafts.focus_area_remove(actor=personas.admin_a, focus_area=area)
    assert not FocusArea.objects.filter(pk=area.pk).exists()
    assert not Indicator.objects.filter(focus_area_id=area.pk).exists()


def test_a_plan_that_left_the_draft_cannot_be_changed(draft, personas, world):
    plans.plan_put_on_agenda(actor=personas.admin_a, plan=draft, meeting=world.meetings[0])
    section = draft.sections.first()
    indicator = Indicator.objects.filter(focus_area__plan=draft).first()
    with pytest.raises(ValidationError, match="Only a draft can be changed"):
        drafts.section_remove(actor=personas.admin_a, section=section)
    with pytest.raises(ValidationError, match="Only a draft can be changed"):
        drafts.indicator_remove(actor=personas.admin_a, indicator=indicator)
    assert draft.sections.filter(pk=section.pk).exists()


def test_a_council_member_cannot_change_a_draft(draft, personas):
    section = draft.sections.first()
    with pytest.raises(PermissionDenied):
        drafts.section_remove(actor=personas.council_member, section=section)
    assert draft.sections.filter(pk=section.pk).exists()


# Pages -----------------------------------------------------------------------------------------


def test_activity_page_links_prevention_areas(draft, personas, as_user):
    area = draft.focus_areas.filter(municipalities__name="Viborg").first()
    activity = plans.activity_add(
        actor=personas.admin_a, focus_area=area, description="Gadeplan", owner=area.owner
    )
    houlkaer = _area("Houlkær", "Viborg")
    client = as_user(personas.secretariat_a)
    url = f"/raad/plan/aktivitet/{activity.pk}/ret/"
    assert "Houlkær (2023)" in client.get(url).content.decode()
    response = client.post(
        url,
        {"do": "change", "description": "Gadeplan i Houlkær", "owner": area.owner.pk,
         "areas": [houlkaer.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    assert list(Activity.objects.get(pk=activity.pk).areas.all()) == [houlkaer]
    assert "Houlkær (2023)" in client.get(f"/raad/plan/{draft.pk}/").content.decode()


def test_part_page_shows_the_refusal_once_the_plan_left_the_draft(draft, personas, as_user, world):
    plans.plan_put_on_agenda(actor=personas.admin_a, plan=draft, meeting=world.meetings[0])
    section = draft.sections.first()
    response = as_user(personas.secretariat_a).post(
        f"/raad/plan/afsnit/{section.pk}/ret/", {"do": "remove"}
    )
    assert response.status_code == 200
    assert "Only a draft can be changed." in response.content.decode()
    assert draft.sections.filter(pk=section.pk).exists()


def test_part_page_is_404_for_a_council_member_and_an_unknown_kind(draft, personas, as_user):
    section = draft.sections.first()
    assert (
        as_user(personas.council_member).get(f"/raad/plan/afsnit/{section.pk}/ret/").status_code
        == 404
    )
    assert as_user(personas.admin_a).get(f"/raad/plan/andet/{section.pk}/ret/").status_code == 404
    assert as_user(personas.admin_a).get(f"/raad/plan/afsnit/{section.pk}/ret/").status_code == 200
