"""E-mail the mediation app sends, queued (``jobs``) in the transaction of the change it
reports, so a rolled-back change tells nobody anything and a committed one is never lost. The
mails name the case's reference, never a party: e-mail is not a place for who was involved in a
crime."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import override

from sporskifte.accounts.models import Membership, Role
from sporskifte.jobs.notices import notice_enqueue
from sporskifte.mediation.models import MediationCase, Term, TermReminder


def withdrawal_notice(case_id: int) -> None:
    """Tell the mediator and the district's coordinators that a case was withdrawn."""
    case = MediationCase.objects.select_related("mediator").get(pk=case_id)
    coordinators = Membership.objects.filter(
        role=Role.MEDIATION_COORDINATOR, organisation__parent_id=case.district_id
    ).select_related("user")
    recipients = {m.user.email for m in coordinators if m.user.email}
    if case.mediator is not None and case.mediator.email:
        recipients.add(case.mediator.email)
    if not recipients:
        return
    with override("sv" if case.country == "SE" else "da"):
        notice_enqueue(
            subject=_("%(reference)s is withdrawn") % {"reference": case.reference},
            body=_(
                "A party has withdrawn from %(reference)s. A booked meeting is cancelled. "
                "See the case in Sporskifte."
            )
            % {"reference": case.reference},
            recipients=sorted(recipients),
        )


def _case_staff(case: MediationCase) -> list[str]:
    """The case's mediator and the district's active coordinators."""
    coordinators = Membership.objects.filter(
        role=Role.MEDIATION_COORDINATOR,
        organisation__parent_id=case.district_id,
        user__is_active=True,
    ).values_list("user__email", flat=True)
    recipients = {e for e in coordinators if e}
    if case.mediator is not None and case.mediator.is_active and case.mediator.email:
        recipients.add(case.mediator.email)
    return sorted(recipients)


def term_reminder_notice(
    *, case: MediationCase, term_id: int, kind: str, term_kind: str, due_on: dt.date
) -> None:
    """Before or after a term's due date. The kind of term and the date, never what was agreed
    (an amount or an apology names who owes whom)."""
    with override("sv" if case.country == "SE" else "da"):
        values = {
            "reference": case.reference,
            "kind": Term.Kind(term_kind).label,
            "day": due_on.isoformat(),
        }
        if kind == TermReminder.Kind.BEFORE:
            subject = _("%(reference)s: a term falls due on %(day)s") % values
            body = (
                _(
                    "A term of the agreement in %(reference)s (%(kind)s) falls due on %(day)s. "
                    "After that day, mark it kept or not kept in Sporskifte."
                )
                % values
            )
        else:
            subject = _("%(reference)s: a term is past its due date") % values
            body = (
                _(
                    "A term of the agreement in %(reference)s (%(kind)s) fell due on %(day)s "
                    "and is not marked kept or not kept. Mark it in Sporskifte."
                )
                % values
            )
        notice_enqueue(
            subject=subject,
            body=body,
            recipients=_case_staff(case),
            key=f"mediation:term:{term_id}:{kind}",
        )
