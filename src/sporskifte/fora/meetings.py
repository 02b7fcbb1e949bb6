"""Writes for meetings: plan with notice, agenda, attendance, minutes, agreed actions.

Coordinators run a meeting (plan, notice, attendance, minutes, actions, closing it); every
member may put a person or a theme on the agenda of a planned meeting. An action's status may
be changed by a coordinator or a member of the owner organisation. Open actions need no copying
onto the next agenda: ``selectors.followup_actions`` brings them back until they are closed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.core.errors import NotAllowed
from sporskifte.core.versioning import text_version, version_check
from sporskifte.fora import selectors
from sporskifte.fora.models import (
    Action,
    AgendaItem,
    Attendance,
    Forum,
    ForumMember,
    ForumPerson,
    Meeting,
)
from sporskifte.fora.services import require_coordinator, require_member
from sporskifte.jobs.notices import notice_enqueue

if TYPE_CHECKING:
    from sporskifte.accounts.models import User
    from sporskifte.organisations.models import Organisation


def _audit(
    actor: User, action: str, object_type: str, obj: object, purpose: str, **kw: Any
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=getattr(obj, "pk", ""),
        purpose=purpose,
        **kw,
    )


def _require_open(meeting: Meeting) -> None:
    if not meeting.is_open:
        raise ValidationError(_("The meeting is closed; its record can no longer change."))


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime | None, place: str) -> None:
    errors = {}
    if ends_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    if not place.strip():
        errors["place"] = _("Write where the meeting is held.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_plan(
    *,
    actor: User,
    forum: Forum,
    starts_at: dt.datetime,
    place: str,
    ends_at: dt.datetime | None = None,
    notice: str = "",
) -> Meeting:
    require_coordinator(actor, forum)
    _check_times(starts_at, ends_at, place)
    meeting = Meeting.objects.create(
        forum=forum,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        notice=notice.strip(),
        created_by=actor,
    )
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        AuditEvent.ObjectType.MEETING,
        meeting,
        AuditEvent.Purpose.MEETING_PLANNED,
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    starts_at: dt.datetime,
    place: str,
    ends_at: dt.datetime | None = None,
    notice: str = "",
) -> Meeting:
    require_coordinator(actor, meeting.forum)
    _require_open(meeting)
    _check_times(starts_at, ends_at, place)
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.place, meeting.notice = place.strip(), notice.strip()
    meeting.save(update_fields=["starts_at", "ends_at", "place", "notice"])
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        AuditEvent.ObjectType.MEETING,
        meeting,
        AuditEvent.Purpose.MEETING_CHANGED,
    )
    return meeting


@transaction.atomic
def meeting_send_notice(*, actor: User, meeting: Meeting, link: str) -> int:
    """E-mail the notice to the members. E-mail leaves the forum, so it carries the forum, the
    time, the place and how many items there are, never a name or the notice's own text."""
    require_coordinator(actor, meeting.forum)
    _require_open(meeting)
    items = list(meeting.agenda.values_list("kind", flat=True))
    persons = items.count(AgendaItem.Kind.PERSON)
    start = timezone.localtime(meeting.starts_at)
    subject = _("Notice: %(forum)s %(when)s") % {
        "forum": meeting.forum.name,
        "when": f"{start:%d.%m.%Y %H:%M}",
    }
    body = "\n".join(
        [
            _("You are called to a meeting of %(forum)s.") % {"forum": meeting.forum.name},
            _("When: %(when)s") % {"when": f"{start:%d.%m.%Y %H:%M}"},
            _("Where: %(place)s") % {"place": meeting.place},
            ngettext("%(n)d person case", "%(n)d person cases", persons) % {"n": persons},
            _("Read the agenda in Sporskifte: %(link)s") % {"link": link},
        ]
    )
    members = selectors.members_of(meeting.forum)
    recipients = sorted({m.user.email for m in members if m.user.email and m.user.is_active})
    meeting.notice_sent_at = timezone.now()
    meeting.save(update_fields=["notice_sent_at"])
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        AuditEvent.ObjectType.MEETING,
        meeting,
        AuditEvent.Purpose.MEETING_NOTICE_SENT,
        detail={"recipients": len(recipients)},
    )
    # Queued in this transaction: sent by a worker once the notice is saved and audited, and
    # never for a notice that rolled back. One notice per sending, each member mailed once.
    notice_enqueue(
        key=f"meeting-notice:{meeting.pk}:{meeting.notice_sent_at.isoformat()}",
        subject=subject,
        body=body,
        recipients=recipients,
    )
    return len(recipients)


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting) -> Meeting:
    require_coordinator(actor, meeting.forum)
    _require_open(meeting)
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        AuditEvent.ObjectType.MEETING,
        meeting,
        AuditEvent.Purpose.MEETING_CANCELLED,
    )
    return meeting


@transaction.atomic
def meeting_close(*, actor: User, meeting: Meeting) -> Meeting:
    """The meeting was held: its agenda, attendance and minutes are final."""
    require_coordinator(actor, meeting.forum)
    _require_open(meeting)
    now = timezone.now()
    if meeting.starts_at > now:
        raise ValidationError(_("A meeting can be marked as held once it has begun."))
    meeting.status, meeting.held_at = Meeting.Status.HELD, now
    meeting.save(update_fields=["status", "held_at"])
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        AuditEvent.ObjectType.MEETING,
        meeting,
        AuditEvent.Purpose.MEETING_HELD,
    )
    return meeting


# Agenda ---------------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(
    *,
    actor: User,
    meeting: Meeting,
    kind: str,
    person: ForumPerson | None = None,
    title: str = "",
    reason: str = "",
) -> AgendaItem:
    require_member(actor, meeting.forum)
    _require_open(meeting)
    if kind == AgendaItem.Kind.PERSON:
        if person is None or person.forum_id != meeting.forum_id:
            raise ValidationError({"person": _("Choose a person known to this forum.")})
        if not reason.strip():
            raise ValidationError({"reason": _("Write why the person is on the agenda.")})
        if meeting.agenda.filter(person=person).exists():
            raise ValidationError({"person": _("The person is already on the agenda.")})
        title = ""
    elif kind == AgendaItem.Kind.THEME:
        if not title.strip():
            raise ValidationError({"title": _("Give the theme a title.")})
        person = None
    else:
        raise ValidationError({"kind": _("Choose a person or a theme.")})
    last = meeting.agenda.aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        kind=kind,
        person=person,
        title=title.strip(),
        reason=reason.strip(),
        position=last + 1,
        added_by=actor,
    )
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        AuditEvent.ObjectType.MEETING,
        meeting,
        AuditEvent.Purpose.AGENDA_ITEM_ADDED,
        legal_basis=meeting.forum.default_basis if person else "",
        detail={"agenda_item": item.pk, "forum_person": person.pk if person else None},
    )
    return item


@transaction.atomic
def agenda_item_remove(*, actor: User, item: AgendaItem) -> None:
    member = require_member(actor, item.meeting.forum)
    _require_open(item.meeting)
    if not member.is_coordinator and item.added_by_id != actor.pk:
        raise NotAllowed
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        AuditEvent.ObjectType.MEETING,
        item.meeting,
        AuditEvent.Purpose.AGENDA_ITEM_REMOVED,
        detail={"agenda_item": item.pk, "forum_person": item.person_id},
    )
    item.delete()


# Attendance and minutes -----------------------------------------------------------------------


@transaction.atomic
def attendance_set(*, actor: User, meeting: Meeting, present: Iterable[ForumMember]) -> int:
    """Present are exactly the members given; the rest are absent."""
    require_coordinator(actor, meeting.forum)
    _require_open(meeting)
    wanted = {m.pk for m in present}
    members = set(selectors.members_of(meeting.forum).values_list("pk", flat=True))
    if wanted - members:
        raise ValidationError(_("Only the forum's members can be marked present."))
    meeting.attendance.exclude(member_id__in=wanted).delete()
    have = set(meeting.attendance.values_list("member_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member_id=pk, recorded_by=actor) for pk in wanted - have
    )
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        AuditEvent.ObjectType.MEETING,
        meeting,
        AuditEvent.Purpose.ATTENDANCE_RECORDED,
        detail={"present": sorted(wanted)},
    )
    return len(wanted)


def minutes_version(meeting: Meeting) -> str:
    """The version of a meeting's minutes: the general text and every item's notes. Items
    without notes leave it as it was, so putting an item on the agenda (without a page load, as
    the meeting page does) does not look like someone else's save."""
    notes = meeting.agenda.exclude(notes="").order_by("pk").values_list("pk", "notes")
    return text_version(meeting.minutes, *(f"{pk}:{text}" for pk, text in notes))


def _birth_date_patterns(day: dt.date) -> list[str]:
    d, m, y = day.day, day.month, day.year
    return [
        rf"0?{d}\s*[./-]\s*0?{m}\s*[./-]\s*(?:{y}|{y % 100:02d})",
        rf"{y}-{m:02d}-{d:02d}",
        rf"{d:02d}{m:02d}{y % 100:02d}",  # the first six digits of a CPR number
    ]


def minutes_mentions(meeting: Meeting) -> list[str]:
    """The persons on the agenda whom the general minutes mention by any part of their name (of
    three letters or more) or by their birth date: the forum erasure removes only full names from
    the general minutes, so the coordinator is told to move the text under the person's item."""
    text = meeting.minutes
    if not text:
        return []
    named = []
    items = meeting.agenda.filter(person__isnull=False).select_related("person")
    for item in items:
        person = item.person
        assert person is not None
        parts = [re.escape(p) for p in person.full_name.split() if len(p) >= 3]
        patterns = [rf"\b(?:{'|'.join(parts)})\b"] if parts else []
        if person.birth_date:
            patterns += [rf"(?<!\d){p}(?!\d)" for p in _birth_date_patterns(person.birth_date)]
        if any(re.search(p, text, re.IGNORECASE) for p in patterns):
            named.append(person.full_name)
    return sorted(set(named))


@transaction.atomic
def minutes_save(
    *,
    actor: User,
    meeting: Meeting,
    minutes: str,
    item_notes: dict[int, str] | None = None,
    expected_version: str | None = None,
) -> Meeting:
    require_coordinator(actor, meeting.forum)
    # Under the row lock: a second save waits here and then sees the first one's text.
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.status = locked.status
    _require_open(meeting)
    version_check(expected_version, minutes_version(locked))
    meeting.minutes = minutes.strip()
    meeting.save(update_fields=["minutes"])
    items = {i.pk: i for i in meeting.agenda.all()}
    for pk, notes in (item_notes or {}).items():
        if pk not in items:
            raise ValidationError(_("That item is not on this meeting's agenda."))
        items[pk].notes = notes.strip()
    AgendaItem.objects.bulk_update(list(items.values()), ["notes"])
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        AuditEvent.ObjectType.MEETING,
        meeting,
        AuditEvent.Purpose.MINUTES_WRITTEN,
        legal_basis=meeting.forum.default_basis,
    )
    return meeting


# Actions --------------------------------------------------------------------------------------


@transaction.atomic
def action_add(
    *,
    actor: User,
    meeting: Meeting,
    description: str,
    owner: Organisation,
    deadline: dt.date,
    person: ForumPerson | None = None,
) -> Action:
    require_coordinator(actor, meeting.forum)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting agrees no actions."))
    errors = {}
    if not description.strip():
        errors["description"] = _("Write what is to be done.")
    if not meeting.forum.organisations.filter(pk=owner.pk).exists():
        errors["owner"] = _("The owner must be one of the forum's member organisations.")
    if person is not None and person.forum_id != meeting.forum_id:
        errors["person"] = _("Choose a person known to this forum.")
    if deadline < timezone.localdate(meeting.starts_at):
        errors["deadline"] = _("The deadline cannot be before the meeting.")
    if errors:
        raise ValidationError(errors)
    action = Action.objects.create(
        forum=meeting.forum,
        meeting=meeting,
        person=person,
        description=description.strip(),
        owner=owner,
        deadline=deadline,
        created_by=actor,
    )
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        AuditEvent.ObjectType.FORUM_ACTION,
        action,
        AuditEvent.Purpose.ACTION_AGREED,
        detail={"meeting": meeting.pk, "forum_person": person.pk if person else None},
    )
    return action


@transaction.atomic
def action_close(*, actor: User, action: Action, status: str) -> Action:
    member = require_member(actor, action.forum)
    if not member.is_coordinator and member.organisation_id != action.owner_id:
        raise NotAllowed
    if status not in (Action.Status.DONE, Action.Status.DROPPED):
        raise ValidationError({"status": _("Mark the action done or dropped.")})
    if action.status != Action.Status.OPEN:
        raise ValidationError(_("The action is already closed."))
    action.status, action.closed_at, action.closed_by = status, timezone.now(), actor
    action.save(update_fields=["status", "closed_at", "closed_by"])
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        AuditEvent.ObjectType.FORUM_ACTION,
        action,
        AuditEvent.Purpose(f"action_{status}"),
    )
    return action
