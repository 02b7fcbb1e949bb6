"""Who may do what in screening, decided here from ``accounts.access``.

Incidents, households, rules, runs and hits are police-only and district-scoped: the district's
screening officers and its administrator (who also sets the rules and the code list). Ordinary
officers and investigators do not see them: the screening register serves the duty to notify
(barnets lov § 133), not investigation. Child services see only notifications sent to their own
municipality.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sporskifte.accounts.access import membership_of
from sporskifte.accounts.models import Role
from sporskifte.organisations.models import Organisation

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

SCREENING_ROLES = frozenset({Role.SCREENING_OFFICER, Role.DISTRICT_ADMIN})


def screening_district_of(user: User) -> int | None:
    m = membership_of(user)
    if m is None or m.role not in SCREENING_ROLES:
        return None
    return m.organisation.police_district_id


def rule_admin_district_of(user: User) -> int | None:
    m = membership_of(user)
    if m is None or m.role != Role.DISTRICT_ADMIN:
        return None
    return m.organisation.police_district_id


def child_services_municipality_of(user: User) -> int | None:
    m = membership_of(user)
    if m is None or m.role != Role.CHILD_SERVICES:
        return None
    if m.organisation.kind != Organisation.Kind.MUNICIPALITY:
        return None
    return m.organisation.municipality_id
