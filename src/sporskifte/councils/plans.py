"""The plan's life: drafted, put on the kredsråd's agenda, discussed, published; a local plan
approved by police and municipality instead. Each transition is a function here and the table
below is the whole of it (``tests/test_plan_states.py`` walks every cell).

District plan (kredsråd), retsplejeloven § 113: "published each year by the police director
after the kredsråd has discussed it":

    draft --plan_put_on_agenda--> on_agenda --minutes approved (services.minutes_approve)-->
    discussed --plan_publish--> published

Local plan (lokalråd), [S2] part 1 §2: "godkendes af relevante parter fra politi og
kommuner":

    draft --plan_approve(police) + plan_approve(municipality)--> approved --plan_publish-->
    published

Only a draft can be edited. ``plan_new_version`` starts a new draft from any non-draft version;
publishing it supersedes the version published before, which keeps its row.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.councils import selectors
from sporskifte.councils.models import (
    Activity,
    Council,
    CouncilMeeting,
    FocusArea,
    Indicator,
    Plan,
    PlanApproval,
    PlanSection,
    PreventionArea,
)
from sporskifte.councils.services import agenda_add

if TYPE_CHECKING:
    from sporskifte.accounts.models import User
    from sporskifte.organisations.models import Organisation

S = Plan.State


def _audit(actor: User, plan: Plan, purpose: str, **detail: object) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="council_plan",
        object_id=plan.pk,
        purpose=purpose,
        detail={"state": plan.state, "version": plan.version, **detail},
    )


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("council").get(pk=plan.pk)


def _require_manager(actor: User, plan: Plan) -> None:
    if not selectors.can_manage(actor, plan.council):
        raise PermissionDenied


def require_draft(plan: Plan) -> None:
    if plan.state != S.DRAFT:
        raise ValidationError(
            _("Only a draft can be changed. Start a new version to change a plan.")
        )


@transaction.atomic
def plan_create(*, actor: User, council: Council, year: int, title: str) -> Plan:
    if not selectors.can_manage(actor, council):
        raise PermissionDenied
    if council.kind == Council.Kind.SSP_SAMRAAD:
        raise ValidationError(_("The SSP council writes no cooperation plan."))
    if Plan.objects.filter(council=council, year=year).exists():
        raise ValidationError(
            _("The council already has a plan for that year: start a new version.")
        )
    plan = Plan.objects.create(council=council, year=year, title=title)
    _audit(actor, plan, "plan_changed", created=True)
    return plan


@transaction.atomic
def plan_put_on_agenda(*, actor: User, plan: Plan, meeting: CouncilMeeting) -> Plan:
    plan = _locked(plan)
    _require_manager(actor, plan)
    if not plan.is_district_plan:
        raise ValidationError(_("A local plan is approved by police and municipality."))
    if plan.state != S.DRAFT:
        raise ValidationError(_("Only a draft can be put on the agenda."))
    if meeting.council_id != plan.council_id or meeting.status != CouncilMeeting.Status.PLANNED:
        raise ValidationError(_("Choose a planned meeting of the district council."))
    agenda_add(actor=actor, meeting=meeting, title=plan.title, plan=plan)
    plan.state = S.ON_AGENDA
    plan.save(update_fields=["state"])
    _audit(actor, plan, "plan_on_agenda", meeting=meeting.pk)
    return plan


@transaction.atomic
def plan_approve(*, actor: User, plan: Plan, party: str) -> Plan:
    """One party's approval of a local plan; the plan is approved when both have approved."""
    plan = _locked(plan)
    if plan.is_district_plan:
        raise ValidationError(
            _("The district plan is discussed by the district council, not approved by parties.")
        )
    if plan.state != S.DRAFT:
        raise ValidationError(_("Only a draft can be approved."))
    organisation: Organisation | None
    if party == PlanApproval.Party.POLICE:
        if not selectors.can_manage(actor, plan.council):
            raise PermissionDenied
        organisation = plan.council.police_district
    elif party == PlanApproval.Party.MUNICIPALITY:
        organisation = selectors.municipality_party_of(actor, plan.council)
        if organisation is None:
            raise PermissionDenied
    else:
        raise ValidationError(_("Unknown party."))
    if plan.approvals.filter(party=party).exists():
        raise ValidationError(_("This party has already approved the plan."))
    PlanApproval.objects.create(
        plan=plan, party=party, approved_by=actor, organisation=organisation
    )
    if plan.approvals.count() == len(PlanApproval.Party.choices):
        plan.state = S.APPROVED
        plan.save(update_fields=["state"])
    _audit(actor, plan, "plan_approved", party=party)
    return plan


def publish_refusal(plan: Plan) -> str:
    """Why ``plan`` cannot be published yet, or "" when it can."""
    if plan.is_district_plan:
        if plan.state != S.DISCUSSED:
            return _(
                "The plan can be published only after the district council has discussed it "
                "(its meeting's minutes approved), retsplejeloven § 113."
            )
        return ""
    if plan.state != S.APPROVED:
        return _(
            "A local plan is published only when both police and municipality have approved it."
        )
    return ""


@transaction.atomic
def plan_publish(*, actor: User, plan: Plan) -> Plan:
    plan = _locked(plan)
    _require_manager(actor, plan)
    refusal = publish_refusal(plan)
    if refusal:
        raise ValidationError(refusal)
    Plan.objects.filter(council=plan.council, year=plan.year, state=S.PUBLISHED).update(
        state=S.SUPERSEDED
    )
    plan.state = S.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["state", "published_at"])
    _audit(actor, plan, "plan_published")
    return plan


def _copy_into(source: Plan, target: Plan, *, carry_only: bool) -> None:
    """Sections and focus areas (with activities and indicators) of ``source`` into ``target``.
    ``carry_only`` takes only the focus areas still running in the target's year."""
    if not carry_only:
        PlanSection.objects.bulk_create(
            PlanSection(
                plan=target,
                part=s.part,
                number=s.number,
                title=s.title,
                body=s.body,
                position=s.position,
            )
            for s in source.sections.all()
        )
    areas = source.focus_areas.prefetch_related("municipalities", "activities__areas", "indicators")
    for area in areas:
        if carry_only and area.last_year < target.year:
            continue
        copy = FocusArea.objects.create(
            plan=target,
            scope=area.scope,
            title=area.title,
            description=area.description,
            internal_note=area.internal_note,
            owner_id=area.owner_id,
            first_year=area.first_year,
            last_year=area.last_year,
            continues=area if carry_only else area.continues,
            position=area.position,
        )
        copy.municipalities.set(area.municipalities.all())
        for activity in area.activities.all():
            areas_of = list(activity.areas.all())
            activity.pk = None
            activity.focus_area = copy
            activity.save()
            activity.areas.set(areas_of)
        for indicator in area.indicators.all():
            indicator.pk = None
            indicator.focus_area = copy
            indicator.save()


@transaction.atomic
def plan_new_version(*, actor: User, plan: Plan) -> Plan:
    plan = _locked(plan)
    _require_manager(actor, plan)
    if plan.state == S.DRAFT:
        raise ValidationError(_("The plan is already a draft."))
    if Plan.objects.filter(council=plan.council, year=plan.year, state=S.DRAFT).exists():
        raise ValidationError(_("A newer draft of this plan exists already."))
    latest = Plan.objects.filter(council=plan.council, year=plan.year).order_by("-version").first()
    assert latest is not None
    draft = Plan.objects.create(
        council=plan.council,
        year=plan.year,
        version=latest.version + 1,
        title=plan.title,
        foreword=plan.foreword,
        place_and_date=plan.place_and_date,
        internal_note=plan.internal_note,
    )
    _copy_into(plan, draft, carry_only=False)
    _audit(actor, draft, "plan_new_version", source=plan.pk)
    return draft


@transaction.atomic
def plan_carry_over(*, actor: User, plan: Plan, title: str) -> Plan:
    """Next year's draft, with the sections and the focus areas that run on (``continues``)."""
    _require_manager(actor, plan)
    year = plan.year + 1
    if Plan.objects.filter(council=plan.council, year=year).exists():
        raise ValidationError(
            _("The council already has a plan for that year: start a new version.")
        )
    draft = Plan.objects.create(council=plan.council, year=year, title=title)
    PlanSection.objects.bulk_create(
        PlanSection(
            plan=draft,
            part=s.part,
            number=s.number,
            title=s.title,
            body=s.body,
            position=s.position,
        )
        for s in plan.sections.all()
    )
    _copy_into(plan, draft, carry_only=True)
    _audit(actor, draft, "plan_new_version", carried_from=plan.pk)
    return draft


def transitions_for(plan: Plan, meetings: list[CouncilMeeting] | None = None) -> dict[str, bool]:
    """What the plan page offers (the services decide again on submit)."""
    return {
        "put_on_agenda": plan.is_district_plan and plan.state == S.DRAFT,
        "approve": (not plan.is_district_plan) and plan.state == S.DRAFT,
        "publish": publish_refusal(plan) == "",
        "new_version": plan.state != S.DRAFT,
    }


# The plan's contents (drafts only) ------------------------------------------------------------


def _editable(actor: User, plan: Plan) -> Plan:
    plan = _locked(plan)
    _require_manager(actor, plan)
    require_draft(plan)
    return plan


def check_target(direction: str, baseline: Decimal, target: Decimal) -> None:
    if (direction == Indicator.Direction.UP and target < baseline) or (
        direction == Indicator.Direction.DOWN and target > baseline
    ):
        raise ValidationError(
            _("The target lies on the wrong side of the baseline for its direction.")
        )


def activity_areas(focus_area: FocusArea, area_ids: Sequence[int]) -> list[PreventionArea]:
    """The forebyggelsesområder an activity serves: only areas in the municipalities its focus
    area covers."""
    found = list(
        PreventionArea.objects.filter(
            pk__in=area_ids, municipality__in=focus_area.municipalities.all()
        )
    )
    if len(found) != len(set(area_ids)):
        raise ValidationError(
            _("An activity serves only areas in the municipalities its focus area covers.")
        )
    return found


@transaction.atomic
def section_add(
    *, actor: User, plan: Plan, part: int, number: str, title: str, body: str
) -> PlanSection:
    plan = _editable(actor, plan)
    section = PlanSection.objects.create(
        plan=plan, part=part, number=number, title=title, body=body, position=plan.sections.count()
    )
    _audit(actor, plan, "plan_changed", section=section.pk)
    return section


@transaction.atomic
def focus_area_add(
    *,
    actor: User,
    plan: Plan,
    scope: str,
    title: str,
    owner: Organisation,
    municipality_ids: list[int],
    description: str = "",
    internal_note: str = "",
    last_year: int | None = None,
) -> FocusArea:
    plan = _editable(actor, plan)
    district = plan.council.police_district
    covered = list(district.municipalities.filter(pk__in=municipality_ids))
    if not covered or len(covered) != len(set(municipality_ids)):
        raise ValidationError(_("Choose the municipalities of the district the focus area covers."))
    if last_year is not None and last_year < plan.year:
        raise ValidationError(_("A focus area cannot end before the plan's year."))
    area = FocusArea.objects.create(
        plan=plan,
        scope=scope,
        title=title,
        description=description,
        internal_note=internal_note,
        owner=owner,
        first_year=plan.year,
        last_year=last_year or plan.year,
        position=plan.focus_areas.count(),
    )
    area.municipalities.set(covered)
    _audit(actor, plan, "plan_changed", focus_area=area.pk)
    return area


@transaction.atomic
def activity_add(
    *,
    actor: User,
    focus_area: FocusArea,
    description: str,
    owner: Organisation,
    area_ids: Sequence[int] = (),
) -> Activity:
    plan = _editable(actor, focus_area.plan)
    activity = Activity.objects.create(focus_area=focus_area, description=description, owner=owner)
    if area_ids:
        activity.areas.set(activity_areas(focus_area, area_ids))
    _audit(actor, plan, "plan_changed", activity=activity.pk)
    return activity


@transaction.atomic
def indicator_add(
    *,
    actor: User,
    focus_area: FocusArea,
    definition: str,
    source: str,
    baseline: Decimal,
    target: Decimal,
    direction: str,
    feed: str = "",
) -> Indicator:
    plan = _editable(actor, focus_area.plan)
    check_target(direction, baseline, target)
    indicator = Indicator.objects.create(
        focus_area=focus_area,
        definition=definition,
        source=source,
        baseline=baseline,
        target=target,
        direction=direction,
        feed=feed,
    )
    _audit(actor, plan, "plan_changed", indicator=indicator.pk)
    return indicator
