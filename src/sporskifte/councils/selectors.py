"""Who sees and does what with councils and plans: every view and export goes through here.

The matrix (anything not listed: nothing, and missing and forbidden both answer 404):

=====================================  =========================================================
district administrator, crime-         every council of their police district: sets them up,
prevention secretariat (police)        plans meetings, edits and publishes plans, enters status,
                                       imports the area register, approves local plans as police
seated council member (any role with   the councils they hold a current seat in, their meetings,
a current ``CouncilMember`` seat)      plans and statuses; a seat for the municipality approves
                                       its lokalråd's plan as the municipality; a lokalråd seat
                                       enters status for its municipality; a lokalråd chair gives
                                       year-end input to the district's next plan
anyone, without log-in                 published plans of a district (``published_plans``)
=====================================  =========================================================
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone

from sporskifte.accounts.access import membership_of
from sporskifte.accounts.models import Role
from sporskifte.core.access import get_or_404
from sporskifte.councils.models import (
    Activity,
    Council,
    CouncilMeeting,
    CouncilMember,
    FocusArea,
    Indicator,
    Plan,
    PlanSection,
)
from sporskifte.organisations.models import Organisation

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

PlanPart = TypeVar("PlanPart", PlanSection, FocusArea, Activity, Indicator)

MANAGER_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.PREVENTION_SECRETARIAT})


def managed_district_of(user: User) -> int | None:
    """The police district whose councils the user sets up and whose plans they edit."""
    m = membership_of(user)
    if m is None or m.role not in MANAGER_ROLES:
        return None
    return m.organisation.police_district_id


def _today() -> dt.date:
    return timezone.localdate()


def current_seats(user: User) -> QuerySet[CouncilMember]:
    if membership_of(user) is None:
        return CouncilMember.objects.none()
    today = _today()
    return CouncilMember.objects.filter(user=user, term_start__lte=today).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=today)
    )


def councils_for_user(user: User) -> QuerySet[Council]:
    district = managed_district_of(user)
    seated = Q(pk__in=current_seats(user).values("council_id"))
    if district is not None:
        return Council.objects.filter(Q(police_district_id=district) | seated)
    return Council.objects.filter(seated)


def council_for_user(user: User, pk: object) -> Council:
    return get_or_404(councils_for_user(user).select_related("police_district", "municipality"), pk)


def can_manage(user: User, council: Council) -> bool:
    return managed_district_of(user) == council.police_district_id


def member_for_manager(user: User, pk: object) -> CouncilMember:
    """A seat the user may change: only the district's secretariat and administrator; a seated
    member sees the council's members but changes none."""
    district = managed_district_of(user)
    seats = CouncilMember.objects.filter(council__police_district_id=district)
    if district is None:
        seats = CouncilMember.objects.none()
    return get_or_404(seats.select_related("council", "organisation", "substitute_for"), pk)


def meetings_for_user(user: User) -> QuerySet[CouncilMeeting]:
    return CouncilMeeting.objects.filter(council__in=councils_for_user(user))


def meeting_for_user(user: User, pk: object) -> CouncilMeeting:
    return get_or_404(meetings_for_user(user).select_related("council"), pk)


def plans_for_user(user: User) -> QuerySet[Plan]:
    return Plan.objects.filter(council__in=councils_for_user(user))


def plan_for_user(user: User, pk: object) -> Plan:
    return get_or_404(plans_for_user(user).select_related("council__police_district"), pk)


def plan_part_for_manager(user: User, model: type[PlanPart], pk: object) -> PlanPart:
    """A section, focus area, activity or indicator of a plan the user may edit (the district's
    managers); anyone else, and another district's manager, gets 404."""
    path = "focus_area__plan" if model in (Activity, Indicator) else "plan"
    district = managed_district_of(user)
    parts = model._default_manager.filter(**{f"{path}__council__police_district_id": district})
    if district is None:
        parts = model._default_manager.none()
    return get_or_404(parts.select_related(f"{path}__council"), pk)


def municipality_party_of(user: User, council: Council) -> Organisation | None:
    """The municipality a user approves a lokalråd's plan for: their own organisation, when it is
    the lokalråd's municipality and they hold a current seat in that lokalråd."""
    m = membership_of(user)
    if m is None or council.kind != Council.Kind.LOKALRAAD:
        return None
    org = m.organisation
    if org.kind != Organisation.Kind.MUNICIPALITY or org.municipality_id != council.municipality_id:
        return None
    if not current_seats(user).filter(council=council).exists():
        return None
    return org


def can_enter_status(user: User, plan: Plan, municipality_id: int) -> bool:
    if can_manage(user, plan.council):
        return True
    return (
        current_seats(user)
        .filter(
            council__kind=Council.Kind.LOKALRAAD,
            council__municipality_id=municipality_id,
            council__police_district_id=plan.council.police_district_id,
        )
        .exists()
    )


def chaired_lokalraad(user: User, district_id: int) -> Council | None:
    seat = (
        current_seats(user)
        .filter(
            role=CouncilMember.Role.CHAIR,
            council__kind=Council.Kind.LOKALRAAD,
            council__police_district_id=district_id,
        )
        .select_related("council")
        .first()
    )
    return seat.council if seat else None


def takes_part_in_councils(user: User) -> bool:
    return managed_district_of(user) is not None or current_seats(user).exists()


# Public ----------------------------------------------------------------------------------------


def published_plans(district: Organisation) -> QuerySet[Plan]:
    """Every year's published district plan: older years stay published (retsplejeloven § 113)."""
    return Plan.objects.filter(
        council__police_district=district,
        council__kind=Council.Kind.KREDSRAAD,
        state=Plan.State.PUBLISHED,
    ).order_by("-year")


def public_members(council: Council) -> QuerySet[CouncilMember]:
    """Only public officials are named publicly; community members never."""
    today = _today()
    return (
        council.members.filter(standing=CouncilMember.Standing.PUBLIC_OFFICIAL)
        .filter(term_start__lte=today)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .select_related("organisation")
    )
