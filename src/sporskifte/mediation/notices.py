"""E-mail the mediation app sends, queued (``jobs``) in the transaction of the change it
reports, so a rolled-back change tells nobody anything and a committed one is never lost. The
mails name the case's reference, never a party: e-mail is not a place for who was involved in a
crime."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from sporskifte.accounts.models import Membership, Role
from sporskifte.jobs.notices import notice_enqueue
from sporskifte.mediation.models import MediationCase


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
