"""Who acts for the konfliktråd / medling. The coordinator and the mediators are members of the
district's mediation service (an organisation of kind MEDIATION_SERVICE under the police
district, see models.py); built on ``accounts.access.membership_of`` like every other rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sporskifte.accounts.access import membership_of
from sporskifte.accounts.models import Role
from sporskifte.organisations.models import Organisation

if TYPE_CHECKING:
    from sporskifte.accounts.models import User


def _service_district(user: User, role: str) -> int | None:
    m = membership_of(user)
    if m is None or m.role != role or m.organisation.kind != Organisation.Kind.MEDIATION_SERVICE:
        return None
    return m.organisation.parent_id


def coordinator_district_of(user: User) -> int | None:
    """The district whose konfliktråd this coordinator runs; None for everyone else."""
    return _service_district(user, Role.MEDIATION_COORDINATOR)


def mediator_district_of(user: User) -> int | None:
    """The district a mediator takes cases in; None for everyone else."""
    return _service_district(user, Role.MEDIATOR)


def prosecutor_district_of(user: User) -> int | None:
    """The police region a Swedish prosecution office works with (``parent``); None for
    everyone else. Medling is Swedish only for the prosecutor: in Denmark the konfliktråd
    reports to the police, who hold the case file."""
    m = membership_of(user)
    if (
        m is None
        or m.role != Role.PROSECUTOR
        or m.organisation.kind != Organisation.Kind.PROSECUTION
        or m.organisation.country != "SE"
    ):
        return None
    return m.organisation.parent_id


def national_country_of(user: User) -> str | None:
    """The country whose figures the central secretariat reads: a coordinator of a mediation
    service that serves no one district (``parent`` empty). Denmark's konfliktråd secretariat
    sits at the national police, above the twelve districts' konfliktråd; it reads name-free
    figures only, never a case."""
    m = membership_of(user)
    if (
        m is None
        or m.role != Role.MEDIATION_COORDINATOR
        or m.organisation.kind != Organisation.Kind.MEDIATION_SERVICE
        or m.organisation.parent_id is not None
    ):
        return None
    return m.organisation.country
