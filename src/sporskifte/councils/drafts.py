"""Changing and removing a draft plan's contents: its sections, focus areas, activities and
indicators. Adding them is in ``plans.py``; the rule is the same here: only the district's
managers, only while the plan is a draft (a published version is frozen, see ``models.py``),
one audit row on the plan per write, and a refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sporskifte.councils import plans
from sporskifte.councils.models import (
    Activity,
    FocusArea,
    Indicator,
    Plan,
    PlanSection,
)

if TYPE_CHECKING:
    from sporskifte.accounts.models import User
    from sporskifte.organisations.models import Organisation


def _editable(actor: User, plan: Plan) -> Plan:
    plan = plans._locked(plan)
    plans._require_manager(actor, plan)
    plans.require_draft(plan)
    return plan


# Sections --------------------------------------------------------------------------------------


@transaction.atomic
def section_change(
    *, actor: User, section: PlanSection, part: int, number: str, title: str, body: str
) -> PlanSection:
    plan = _editable(actor, section.plan)
    PlanSection.objects.filter(pk=section.pk).update(
        part=part, number=number, title=title, body=body
    )
    plans._audit(actor, plan, "plan_changed", section=section.pk, change="changed")
    section.refresh_from_db()
    return section


@transaction.atomic
def section_remove(*, actor: User, section: PlanSection) -> None:
    plan = _editable(actor, section.plan)
    pk = section.pk
    section.delete()
    plans._audit(actor, plan, "plan_changed", section=pk, change="removed")


# Focus areas -----------------------------------------------------------------------------------


@transaction.atomic
def focus_area_change(
    *,
    actor: User,
    focus_area: FocusArea,
    scope: str,
    title: str,
    owner: Organisation,
    municipality_ids: list[int],
    description: str = "",
    internal_note: str = "",
    last_year: int | None = None,
) -> FocusArea:
    plan = _editable(actor, focus_area.plan)
    covered = list(plan.council.police_district.municipalities.filter(pk__in=municipality_ids))
    if not covered or len(covered) != len(set(municipality_ids)):
        raise ValidationError(_("Choose the municipalities of the district the focus area covers."))
    last_year = last_year or focus_area.last_year
    if last_year < plan.year or last_year < focus_area.first_year:
        raise ValidationError(_("A focus area cannot end before the plan's year."))
    focus_area.scope = scope
    focus_area.title = title
    focus_area.owner = owner
    focus_area.description = description
    focus_area.internal_note = internal_note
    focus_area.last_year = last_year
    focus_area.save()
    focus_area.municipalities.set(covered)
    # An activity keeps only the areas of municipalities its focus area still covers.
    for activity in focus_area.activities.all():
        activity.areas.remove(*activity.areas.exclude(municipality__in=covered))
    plans._audit(actor, plan, "plan_changed", focus_area=focus_area.pk, change="changed")
    return focus_area


@transaction.atomic
def focus_area_remove(*, actor: User, focus_area: FocusArea) -> None:
    """Removes the focus area with its activities and indicators. A draft has no quarterly
    statuses yet (they are entered for a plan in force), so nothing recorded goes with it."""
    plan = _editable(actor, focus_area.plan)
    pk = focus_area.pk
    focus_area.delete()
    plans._audit(actor, plan, "plan_changed", focus_area=pk, change="removed")


# Activities ------------------------------------------------------------------------------------


@transaction.atomic
def activity_change(
    *,
    actor: User,
    activity: Activity,
    description: str,
    owner: Organisation,
    area_ids: Sequence[int] = (),
) -> Activity:
    plan = _editable(actor, activity.focus_area.plan)
    areas = plans.activity_areas(activity.focus_area, area_ids)
    activity.description = description
    activity.owner = owner
    activity.save(update_fields=["description", "owner"])
    activity.areas.set(areas)
    plans._audit(actor, plan, "plan_changed", activity=activity.pk, change="changed")
    return activity


@transaction.atomic
def activity_remove(*, actor: User, activity: Activity) -> None:
    plan = _editable(actor, activity.focus_area.plan)
    pk = activity.pk
    activity.delete()
    plans._audit(actor, plan, "plan_changed", activity=pk, change="removed")


# Indicators ------------------------------------------------------------------------------------


@transaction.atomic
def indicator_change(
    *,
    actor: User,
    indicator: Indicator,
    definition: str,
    source: str,
    baseline: Decimal,
    target: Decimal,
    direction: str,
    feed: str = "",
) -> Indicator:
    plan = _editable(actor, indicator.focus_area.plan)
    plans.check_target(direction, baseline, target)
    Indicator.objects.filter(pk=indicator.pk).update(
        definition=definition,
        source=source,
        baseline=baseline,
        target=target,
        direction=direction,
        feed=feed,
    )
    plans._audit(actor, plan, "plan_changed", indicator=indicator.pk, change="changed")
    indicator.refresh_from_db()
    return indicator


@transaction.atomic
def indicator_remove(*, actor: User, indicator: Indicator) -> None:
    plan = _editable(actor, indicator.focus_area.plan)
    pk = indicator.pk
    indicator.delete()
    plans._audit(actor, plan, "plan_changed", indicator=pk, change="removed")
