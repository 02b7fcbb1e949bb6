"""Writes for councils, their members and meetings. Each function is atomic and writes its audit
row in the same transaction; e-mail goes out after the commit (``notices.py``). Plans are in
``plans.py``, quarterly status in ``status.py``, the area register in ``areas.py``.

A refused write raises ``ValidationError`` with a message for the user and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.councils import notices, selectors
from sporskifte.councils.models import (
    AgendaItem,
    Council,
    CouncilAction,
    CouncilMeeting,
    CouncilMember,
    Plan,
    YearEndInput,
)
from sporskifte.organisations.models import Municipality, Organisation

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

# Our own rule, not the law's: a notice sent less than a week ahead is flagged as late.
NOTICE_DAYS = 7


def _require_manager(actor: User, council: Council) -> None:
    if not selectors.can_manage(actor, council):
        raise PermissionDenied


def _audit(
    actor: User, action: str, object_type: str, obj: object, purpose: str, **detail: object
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=getattr(obj, "pk", obj),
        purpose=purpose,
        detail=dict(detail),
    )


@transaction.atomic
def council_create(
    *,
    actor: User,
    kind: str,
    name: str,
    municipality: Municipality | None = None,
) -> Council:
    district_id = selectors.managed_district_of(actor)
    if district_id is None:
        raise PermissionDenied
    if kind == Council.Kind.LOKALRAAD:
        if municipality is None or municipality.police_district_id != district_id:
            raise ValidationError(_("A local council serves one municipality of your district."))
        if Council.objects.filter(kind=kind, municipality=municipality).exists():
            raise ValidationError(_("The municipality already has a local council."))
    else:
        municipality = None
        if (
            kind == Council.Kind.KREDSRAAD
            and Council.objects.filter(kind=kind, police_district_id=district_id).exists()
        ):
            raise ValidationError(_("The police district already has a district council."))
    council = Council.objects.create(
        kind=kind, name=name, police_district_id=district_id, municipality=municipality
    )
    _audit(actor, AuditEvent.Action.CREATE, "council", council, "council_created", kind=kind)
    return council


@transaction.atomic
def member_add(
    *,
    actor: User,
    council: Council,
    name: str,
    role: str,
    standing: str,
    term_start: dt.date,
    term_end: dt.date | None = None,
    title: str = "",
    organisation: Organisation | None = None,
    user: User | None = None,
    substitute_for: CouncilMember | None = None,
) -> CouncilMember:
    _require_manager(actor, council)
    if term_end is not None and term_end < term_start:
        raise ValidationError(_("A term cannot end before it starts."))
    if substitute_for is not None and substitute_for.council_id != council.pk:
        raise ValidationError(_("A substitute stands in for a member of the same council."))
    seat = CouncilMember.objects.create(
        council=council,
        name=name,
        title=title,
        role=role,
        standing=standing,
        term_start=term_start,
        term_end=term_end,
        organisation=organisation,
        user=user,
        substitute_for=substitute_for,
    )
    _audit(actor, AuditEvent.Action.CREATE, "council_member", seat, "council_member_added")
    return seat


def _check_seat(
    seat: CouncilMember, term_end: dt.date | None, substitute_for: CouncilMember | None
) -> None:
    if term_end is not None and term_end < seat.term_start:
        raise ValidationError(_("A term cannot end before it starts."))
    if substitute_for is not None:
        if substitute_for.council_id != seat.council_id:
            raise ValidationError(_("A substitute stands in for a member of the same council."))
        if substitute_for.pk == seat.pk:
            raise ValidationError(_("A member cannot be their own substitute."))


@transaction.atomic
def member_change(
    *,
    actor: User,
    member: CouncilMember,
    role: str,
    title: str = "",
    organisation: Organisation | None = None,
    term_end: dt.date | None = None,
    substitute_for: CouncilMember | None = None,
) -> CouncilMember:
    """Role, organisation, term end and whom the member stands in for. The name, standing and
    term start stay: a different person or standing is a new seat."""
    _require_manager(actor, member.council)
    member = CouncilMember.objects.select_for_update().get(pk=member.pk)
    _check_seat(member, term_end, substitute_for)
    changed = sorted(
        field
        for field, value in (
            ("role", role),
            ("title", title),
            ("organisation_id", organisation.pk if organisation else None),
            ("term_end", term_end),
            ("substitute_for_id", substitute_for.pk if substitute_for else None),
        )
        if getattr(member, field) != value
    )
    if not changed:
        return member
    member.role = role
    member.title = title
    member.organisation = organisation
    member.term_end = term_end
    member.substitute_for = substitute_for
    member.save(update_fields=[f.removesuffix("_id") for f in changed])
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        "council_member",
        member,
        "council_member_changed",
        fields=changed,
    )
    return member


@transaction.atomic
def member_term_end(*, actor: User, member: CouncilMember, on: dt.date) -> CouncilMember:
    """The member leaves the council: their last day is ``on``. From the day after, the seat
    gives no access and the member is no longer named on public pages."""
    _require_manager(actor, member.council)
    member = CouncilMember.objects.select_for_update().get(pk=member.pk)
    if on < member.term_start:
        raise ValidationError(_("A term cannot end before it starts."))
    if member.term_end is not None and member.term_end < timezone.localdate():
        raise ValidationError(_("This member's term has already ended."))
    member.term_end = on
    member.save(update_fields=["term_end"])
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        "council_member",
        member,
        "council_member_term_ended",
        term_end=on.isoformat(),
    )
    return member


@transaction.atomic
def member_remove(*, actor: User, member: CouncilMember) -> None:
    """Takes away a seat added by mistake. A member who really sat has their term ended instead,
    so the council's composition stays known; the audit row keeps who removed which seat."""
    _require_manager(actor, member.council)
    member = CouncilMember.objects.select_for_update().get(pk=member.pk)
    if member.substitutes.exists():
        raise ValidationError(
            _("Someone stands in for this member: change or remove the substitute first.")
        )
    pk, council_id = member.pk, member.council_id
    member.delete()
    _audit(
        actor,
        AuditEvent.Action.ERASE,
        "council_member",
        pk,
        "council_member_removed",
        council=council_id,
    )


def terms_ending(council: Council, on: dt.date) -> list[CouncilMember]:
    """Community members whose term ends within two months: time to find their successor."""
    return [m for m in council.members.all() if m.term_ending_soon(on)]


# Meetings --------------------------------------------------------------------------------------


def meetings_in_year(council: Council, year: int) -> list[CouncilMeeting]:
    return list(
        council.meetings.filter(starts_at__year=year).exclude(
            status=CouncilMeeting.Status.CANCELLED
        )
    )


def meeting_shortfall(council: Council, year: int) -> int:
    """How many meetings short of the minimum (4 for a kredsråd or lokalråd, 6 for the
    SSP-samråd) the year's plan is; 0 when it is enough."""
    return max(0, council.minimum_meetings - len(meetings_in_year(council, year)))


@transaction.atomic
def meetings_plan(
    *, actor: User, council: Council, starts: Sequence[dt.datetime], place: str
) -> list[CouncilMeeting]:
    _require_manager(actor, council)
    if not starts:
        raise ValidationError(_("Give at least one date."))
    meetings = CouncilMeeting.objects.bulk_create(
        CouncilMeeting(council=council, starts_at=s, place=place) for s in sorted(starts)
    )
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        "council",
        council,
        "council_meetings_planned",
        meetings=len(meetings),
    )
    return meetings


@transaction.atomic
def agenda_add(
    *, actor: User, meeting: CouncilMeeting, title: str, plan: Plan | None = None
) -> AgendaItem:
    _require_manager(actor, meeting.council)
    if meeting.status != CouncilMeeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting's agenda can change."))
    position = meeting.agenda.count()
    item = AgendaItem.objects.create(meeting=meeting, title=title, plan=plan, position=position)
    _audit(actor, AuditEvent.Action.UPDATE, "council_meeting", meeting, "agenda_item_added")
    return item


@transaction.atomic
def meeting_notice_send(*, actor: User, meeting: CouncilMeeting) -> CouncilMeeting:
    """The notice with the agenda goes to every seated member with an account, after commit."""
    _require_manager(actor, meeting.council)
    if meeting.status != CouncilMeeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be called."))
    if not meeting.agenda.exists():
        raise ValidationError(_("A notice needs an agenda: add at least one item first."))
    meeting.notice_sent_at = timezone.now()
    meeting.save(update_fields=["notice_sent_at"])
    _audit(actor, AuditEvent.Action.DISCLOSE, "council_meeting", meeting, "council_notice_sent")
    notices.meeting_notice(meeting.pk)
    return meeting


def notice_is_late(meeting: CouncilMeeting) -> bool:
    if meeting.status != CouncilMeeting.Status.PLANNED:
        return False
    deadline = meeting.starts_at - dt.timedelta(days=NOTICE_DAYS)
    sent = meeting.notice_sent_at
    return (sent is None and timezone.now() > deadline) or (sent is not None and sent > deadline)


@transaction.atomic
def meeting_hold(*, actor: User, meeting: CouncilMeeting, minutes: str) -> CouncilMeeting:
    _require_manager(actor, meeting.council)
    if meeting.status != CouncilMeeting.Status.PLANNED:
        raise ValidationError(_("The meeting is not planned."))
    if not minutes.strip():
        raise ValidationError(_("Write the minutes."))
    meeting.status = CouncilMeeting.Status.HELD
    meeting.minutes = minutes
    meeting.save(update_fields=["status", "minutes"])
    _audit(actor, AuditEvent.Action.UPDATE, "council_meeting", meeting, "council_meeting_held")
    return meeting


def next_meeting(meeting: CouncilMeeting) -> CouncilMeeting | None:
    return (
        meeting.council.meetings.filter(starts_at__gt=meeting.starts_at)
        .exclude(status=CouncilMeeting.Status.CANCELLED)
        .order_by("starts_at")
        .first()
    )


@transaction.atomic
def minutes_approve(*, actor: User, meeting: CouncilMeeting) -> CouncilMeeting:
    """The minutes of ``meeting`` are approved at the council's next meeting, once that is held.
    A plan on the approved meeting's agenda has then been discussed (retsplejeloven § 113)."""
    _require_manager(actor, meeting.council)
    meeting = CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_approved_at_id is not None:
        raise ValidationError(_("These minutes are already approved."))
    if meeting.status != CouncilMeeting.Status.HELD:
        raise ValidationError(_("Only the minutes of a held meeting can be approved."))
    following = next_meeting(meeting)
    if following is None or following.status != CouncilMeeting.Status.HELD:
        raise ValidationError(_("Minutes are approved at the next meeting, once it is held."))
    meeting.minutes_approved_at = following
    meeting.save(update_fields=["minutes_approved_at"])
    discussed = Plan.objects.filter(
        agenda_items__meeting=meeting, state=Plan.State.ON_AGENDA
    ).distinct()
    for plan in discussed:
        plan.state = Plan.State.DISCUSSED
        plan.save(update_fields=["state"])
        _audit(
            actor, AuditEvent.Action.UPDATE, "council_plan", plan, "plan_changed", state="discussed"
        )
    _audit(actor, AuditEvent.Action.UPDATE, "council_meeting", meeting, "council_minutes_approved")
    return meeting


@transaction.atomic
def action_agree(
    *,
    actor: User,
    meeting: CouncilMeeting,
    description: str,
    owner: Organisation,
    deadline: dt.date,
) -> CouncilAction:
    _require_manager(actor, meeting.council)
    action = CouncilAction.objects.create(
        council=meeting.council,
        meeting=meeting,
        description=description,
        owner=owner,
        deadline=deadline,
    )
    _audit(actor, AuditEvent.Action.CREATE, "council_action", action, "council_action_agreed")
    return action


def carried_actions(meeting: CouncilMeeting) -> list[CouncilAction]:
    """Open actions agreed at earlier meetings: they come back on every agenda until done."""
    return list(
        CouncilAction.objects.filter(
            council=meeting.council,
            status=CouncilAction.Status.OPEN,
            meeting__starts_at__lt=meeting.starts_at,
        ).select_related("owner", "meeting")
    )


@transaction.atomic
def year_end_input_give(*, actor: User, draft: Plan, text: str) -> YearEndInput:
    """A lokalråd chair's input to the district's plan for next year ([S2] part 1 §2)."""
    council = selectors.chaired_lokalraad(actor, draft.council.police_district_id)
    if council is None or not draft.is_district_plan:
        raise PermissionDenied
    if draft.state != Plan.State.DRAFT:
        raise ValidationError(
            _("Input is given to a draft, before the district council discusses it.")
        )
    if not text.strip():
        raise ValidationError(_("Write the input."))
    if YearEndInput.objects.filter(draft=draft, council=council).exists():
        raise ValidationError(_("Your local council has already given its input to this draft."))
    given = YearEndInput.objects.create(draft=draft, council=council, text=text, given_by=actor)
    _audit(actor, AuditEvent.Action.CREATE, "council_plan", draft, "year_end_input_given")
    return given
