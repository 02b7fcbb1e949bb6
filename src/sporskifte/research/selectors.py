"""Reads of research projects, scoped to the acting user.

- A researcher sees the projects they are named on, and only those.
- A district administrator sees (and manages) their own district's projects.
- Everyone else, including officers of the owning district, sees none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from sporskifte.accounts.access import admin_district_of, membership_of
from sporskifte.accounts.models import Role
from sporskifte.core.access import get_or_404
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
