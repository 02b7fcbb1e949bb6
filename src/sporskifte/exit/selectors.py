"""Reads of the exit programme, scoped to the acting user: a coordinator sees the cases of the
exit units they coordinate, nobody else sees any. Missing and forbidden are both 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from sporskifte.accounts.access import membership_of
from sporskifte.accounts.models import Role
from sporskifte.core.access import get_or_404
from sporskifte.exit.models import ExitCase, ExitUnit, Handover
from sporskifte.organisations.models import Organisation

if TYPE_CHECKING:
    from sporskifte.accounts.models import User


def exit_units_for_user(user: User) -> QuerySet[ExitUnit]:
    m = membership_of(user)
    if m is None or m.role != Role.EXIT_COORDINATOR:
        return ExitUnit.objects.none()
    return ExitUnit.objects.filter(coordinators__user=user)


def exit_cases_for_user(user: User) -> QuerySet[ExitCase]:
    return ExitCase.objects.filter(unit__in=exit_units_for_user(user)).select_related(
        "person", "unit"
    )


def exit_case_for_user(user: User, pk: object) -> ExitCase:
    return get_or_404(exit_cases_for_user(user), pk)


def is_prison_side(user: User) -> bool:
    m = membership_of(user)
    return bool(m and m.organisation.kind == Organisation.Kind.PRISON_PROBATION)


def may_edit(user: User, case: ExitCase) -> bool:
    """The owner's side edits: the prison and probation service while the candidate is in
    custody, the local coordinators after the handover. Everyone of the unit reads."""
    prison = is_prison_side(user)
    return prison if case.owner == ExitCase.Owner.PRISON_PROBATION else not prison


def handovers_due(user: User) -> QuerySet[Handover]:
    """The local coordinators' tasks: cases released today or earlier, not yet taken over."""
    if is_prison_side(user):
        return Handover.objects.none()
    return Handover.objects.filter(
        case__unit__in=exit_units_for_user(user),
        due_on__lte=timezone.localdate(),
        done_at__isnull=True,
    ).select_related("case__person")
