"""Reads of research projects, scoped to the acting user.

- A researcher sees the projects they are named on, and only those.
- A district administrator sees (and manages) their own district's projects.
- Everyone else, including officers of the owning district, sees none.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from sporskifte.accounts.access import admin_district_of, membership_of
from sporskifte.accounts.models import Role
from sporskifte.core.access import get_or_404
from sporskifte.referrals.models import Offer
from sporskifte.research import catalogue
from sporskifte.research.models import ResearchProject

if TYPE_CHECKING:
    from sporskifte.accounts.models import User


def is_researcher(user: User) -> bool:
    m = membership_of(user)
    return bool(m and m.role == Role.RESEARCHER)


def research_projects_for_user(user: User) -> QuerySet[ResearchProject]:
    base = ResearchProject.objects.select_related("police_district", "approved_by")
    if is_researcher(user):
        return base.filter(researchers=user)
    district = admin_district_of(user)
    if district is not None:
        return base.filter(police_district_id=district)
    return ResearchProject.objects.none()


def research_project_for_user(user: User, pk: object) -> ResearchProject:
    return get_or_404(research_projects_for_user(user), pk)


def research_project_for_admin(user: User, pk: object) -> ResearchProject:
    if admin_district_of(user) is None:
        return get_or_404(ResearchProject.objects.none(), pk)
    return research_project_for_user(user, pk)


def research_project_for_researcher(user: User, pk: object) -> ResearchProject:
    if not is_researcher(user):
        return get_or_404(ResearchProject.objects.none(), pk)
    return research_project_for_user(user, pk)


def _period_bounds(project: ResearchProject) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(project.period_from, dt.time.min)
    end = dt.datetime.combine(project.period_to + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(start), timezone.make_aware(end)


def population(project: ResearchProject) -> QuerySet[Offer]:
    """The offers of the project's programmes made in its period."""
    start, end = _period_bounds(project)
    return (
        Offer.objects.filter(
            police_district_id=project.police_district_id,
            programme__in=project.programmes.values("pk"),
        )
        .annotate(offer_moment=Coalesce("offered_at", "created_at"))
        .filter(Q(offer_moment__gte=start) & Q(offer_moment__lt=end))
    )


def extract_offers(project: ResearchProject) -> Any:
    """The project's population as plain dictionaries of the catalogue's sources."""
    return population(project).values(*catalogue.SOURCE_VALUES)
