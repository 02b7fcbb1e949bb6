"""Writes of the exit programme: atomic, each with its audit row, each refusing what the
programme does not allow (an under-18 candidate, a move out of order, an edit by the side that
does not own the case)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.exit import selectors
from sporskifte.exit.models import (
    AgreementText,
    Criterion,
    ExitCase,
    ExitUnit,
    Handover,
    Milestone,
    ProtectedAddress,
    Score,
    SupportElement,
)
from sporskifte.people.models import Person

if TYPE_CHECKING:
    from sporskifte.accounts.models import User
    from sporskifte.organisations.models import Organisation

# Participation is voluntary and rests on the candidate's consent, recorded by the signed
# agreement; the visitation before it on the same consent, given at the first conversation.
LEGAL_BASIS = "samtykke"
ADULT = 18

OT, P, A = AuditEvent.ObjectType, AuditEvent.Purpose, AuditEvent.Action

MOVES: dict[str, set[str]] = {
    ExitCase.State.VISITATION: {ExitCase.State.ADMITTED, ExitCase.State.REJECTED},
    ExitCase.State.ADMITTED: {ExitCase.State.ACTIVE, ExitCase.State.BROKEN_OFF},
    ExitCase.State.ACTIVE: {ExitCase.State.COMPLETED, ExitCase.State.BROKEN_OFF},
    ExitCase.State.REJECTED: set(),
    ExitCase.State.COMPLETED: set(),
    ExitCase.State.BROKEN_OFF: set(),
}


def _audit(
    actor: User | None, case: ExitCase, purpose: str, action: str = A.UPDATE, **detail: object
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=OT.EXIT_CASE,
        object_id=case.pk,
        person_id=case.person_id,
        purpose=purpose,
        legal_basis=LEGAL_BASIS,
        detail=detail or None,
        responsible=[case.unit.district_id],
    )


def _editable(actor: User, case: ExitCase) -> ExitCase:
    locked = ExitCase.objects.select_for_update().select_related("unit").get(pk=case.pk)
    if not selectors.may_edit(actor, locked):
        raise ValidationError(
            _(
                "While the candidate is in custody the prison and probation service "
                "owns the case; after the handover, the local coordinators do."
            )
        )
    return locked


def _move(case: ExitCase, to: str) -> None:
    if to not in MOVES[case.state]:
        raise ValidationError(
            _("A case that is “%(state)s” cannot go on to that.")
            % {"state": case.get_state_display()}
        )
    case.state = to


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@transaction.atomic
def exit_case_open(
    *,
    actor: User,
    unit: ExitUnit,
    person: Person,
    referred_by: str,
    in_custody: bool,
    release_date: dt.date | None,
) -> ExitCase:
    """``person`` is unsaved (built by ``people.services.person_build``); it gets the exit
    programme's own row (purpose limitation: no other register sees it)."""
    today = timezone.localdate()
    if person.birth_date is None:
        raise ValidationError(
            {
                "id_number": _(
                    "The candidate's identity number or birth date is needed: the "
                    "programme is for adults."
                )
            }
        )
    if _age_on(person.birth_date, today) < ADULT:
        raise ValidationError(
            {
                "id_number": _(
                    "The exit programme is for adults (18 or over). A young person is"
                    " helped through the municipality's children and youth services "
                    "and SSP."
                )
            }
        )
    if in_custody and release_date is None:
        raise ValidationError(
            {
                "release_date": _(
                    "Give the expected release date: the handover to the local unit "
                    "is planned from it."
                )
            }
        )
    if not in_custody and release_date is not None:
        raise ValidationError(
            {"release_date": _("A release date is only for a candidate in custody.")}
        )
    if release_date is not None and release_date < today:
        raise ValidationError(
            {"release_date": _("The release date has passed: the candidate is not in custody.")}
        )
    person.register = Person.Register.EXIT
    person.save()
    case = ExitCase.objects.create(
        unit=unit,
        person=person,
        referred_by=referred_by,
        in_custody=in_custody,
        release_date=release_date,
        owner=ExitCase.Owner.PRISON_PROBATION if in_custody else ExitCase.Owner.LOCAL,
        visitation_started_on=today,
        created_by=actor,
    )
    if in_custody and release_date is not None:
        Handover.objects.create(case=case, due_on=release_date)
    _audit(actor, case, P.EXIT_CASE_OPENED, action=A.CREATE)
    return case


@transaction.atomic
def exit_case_score(*, actor: User, case: ExitCase, met: Mapping[int, bool]) -> int:
    """Record the screening model's checklist for the candidate; returns the weighted score."""
    case = _editable(actor, case)
    criteria = {c.pk: c for c in Criterion.objects.filter(unit=case.unit, is_active=True)}
    unknown = set(met) - set(criteria)
    if unknown:
        raise ValidationError(_("The checklist has changed; reload the page."))
    now = timezone.now()
    for pk, value in met.items():
        Score.objects.update_or_create(
            case=case,
            criterion_id=pk,
            defaults={"met": value, "scored_by": actor, "scored_at": now},
        )
    total = sum(criteria[pk].weight for pk, value in met.items() if value)
    _audit(actor, case, P.EXIT_CASE_SCORED, score=total)
    return total


@transaction.atomic
def exit_case_decide(*, actor: User, case: ExitCase, admitted: bool, reason: str) -> ExitCase:
    case = _editable(actor, case)
    if not admitted and not reason.strip():
        raise ValidationError({"reason": _("Say why the candidate is not admitted.")})
    _move(case, ExitCase.State.ADMITTED if admitted else ExitCase.State.REJECTED)
    case.decided_on, case.decision_reason = timezone.localdate(), reason.strip()
    case.save(update_fields=["state", "decided_on", "decision_reason"])
    _audit(actor, case, P.EXIT_CASE_DECIDED, admitted=admitted)
    return case


@transaction.atomic
def exit_agreement_sign(*, actor: User, case: ExitCase, signed_on: dt.date) -> ExitCase:
    case = _editable(actor, case)
    text = AgreementText.objects.filter(unit=case.unit).order_by("-version").first()
    if text is None:
        raise ValidationError(
            _("The unit has no agreement text yet; the district writes it first.")
        )
    if signed_on > timezone.localdate() or (case.decided_on and signed_on < case.decided_on):
        raise ValidationError(
            {"signed_on": _("The agreement is signed after the admission and not in the future.")}
        )
    _move(case, ExitCase.State.ACTIVE)
    case.agreement_text, case.signed_on = text, signed_on
    case.save(update_fields=["state", "agreement_text", "signed_on"])
    _audit(actor, case, P.EXIT_AGREEMENT_SIGNED, version=text.version)
    return case


@transaction.atomic
def support_element_set(
    *, actor: User, case: ExitCase, kind: str, owner: Organisation, status: str
) -> SupportElement:
    case = _editable(actor, case)
    if case.state not in (ExitCase.State.ADMITTED, ExitCase.State.ACTIVE):
        raise ValidationError(_("Support is planned for an admitted candidate."))
    element, _created = SupportElement.objects.update_or_create(
        case=case, kind=kind, defaults={"owner": owner, "status": status}
    )
    _audit(actor, case, P.EXIT_SUPPORT_CHANGED, kind=kind, status=status)
    return element


@transaction.atomic
def milestone_add(*, actor: User, case: ExitCase, title: str, due_on: dt.date) -> Milestone:
    case = _editable(actor, case)
    if case.state not in (ExitCase.State.ADMITTED, ExitCase.State.ACTIVE):
        raise ValidationError(_("Milestones are set for an admitted candidate."))
    milestone = Milestone.objects.create(case=case, title=title, due_on=due_on)
    _audit(actor, case, P.EXIT_SUPPORT_CHANGED, milestone=milestone.pk)
    return milestone


@transaction.atomic
def milestone_reach(*, actor: User, milestone: Milestone) -> Milestone:
    _editable(actor, milestone.case)
    milestone.done_on = milestone.done_on or timezone.localdate()
    milestone.save(update_fields=["done_on"])
    _audit(actor, milestone.case, P.EXIT_SUPPORT_CHANGED, milestone=milestone.pk, reached=True)
    return milestone


@transaction.atomic
def exit_case_end(*, actor: User, case: ExitCase, completed: bool, reason: str = "") -> ExitCase:
    case = _editable(actor, case)
    if not completed and reason not in ExitCase.EndReason.values:
        raise ValidationError({"reason": _("Choose why the programme was broken off.")})
    _move(case, ExitCase.State.COMPLETED if completed else ExitCase.State.BROKEN_OFF)
    case.ended_on, case.end_reason = timezone.localdate(), "" if completed else reason
    case.save(update_fields=["state", "ended_on", "end_reason"])
    _audit(actor, case, P.EXIT_CASE_ENDED, completed=completed)
    return case


@transaction.atomic
def protected_address_set(*, actor: User, case: ExitCase, address: str) -> ProtectedAddress:
    case = _editable(actor, case)
    if not address.strip():
        raise ValidationError({"address": _("Write the address.")})
    protected, _created = ProtectedAddress.objects.update_or_create(
        case=case, defaults={"address": address.strip(), "set_by": actor, "set_at": timezone.now()}
    )
    _audit(actor, case, P.EXIT_ADDRESS_SET)
    return protected


@transaction.atomic
def protected_address_read(*, actor: User, case: ExitCase) -> str:
    """The address, for the case's coordinators (the caller has scoped ``case``); the look is
    audited in the same transaction as the read."""
    protected = ProtectedAddress.objects.filter(case=case).first()
    if protected is None:
        return ""
    _audit(actor, case, P.EXIT_ADDRESS_VIEWED, action=A.VIEW)
    return protected.address


@transaction.atomic
def handover_take(*, actor: User, handover: Handover) -> ExitCase:
    """A local coordinator takes over the released candidate's case."""
    handover = Handover.objects.select_for_update().select_related("case__unit").get(pk=handover.pk)
    if selectors.is_prison_side(actor):
        raise ValidationError(_("The local coordinators take over the case."))
    if handover.done_at is not None:
        raise ValidationError(_("The case has been taken over already."))
    if handover.due_on > timezone.localdate():
        raise ValidationError(_("The candidate is not released yet."))
    handover.done_at, handover.done_by = timezone.now(), actor
    handover.save(update_fields=["done_at", "done_by"])
    case = handover.case
    case.owner, case.in_custody = ExitCase.Owner.LOCAL, False
    case.save(update_fields=["owner", "in_custody"])
    _audit(actor, case, P.EXIT_HANDOVER_TAKEN)
    return case
