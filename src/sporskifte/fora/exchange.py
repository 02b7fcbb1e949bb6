"""What leaves a forum, and how little: escalation to the visitation group, a member's export
inside the forum, and the calendar feed (which names no one)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, Event

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.fora import selectors
from sporskifte.fora.frame import RULES, WARNING, ForumKind, PspSign, Section
from sporskifte.fora.models import (
    AgendaItem,
    CalendarFeed,
    Escalation,
    Forum,
    ForumPerson,
    Meeting,
    Share,
)
from sporskifte.fora.services import require_member

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

# What travels with an escalated person; shares, minutes, agenda reasons and consents stay in the
# local group. Of the actions only what was agreed, by whom, by when and how far it got.
TRAVELLING_PERSON_FIELDS = ("full_name", "birth_date", "psp_signs", "is_test_data")


# Escalation -----------------------------------------------------------------------------------


def escalation_targets(person: ForumPerson) -> QuerySet[Forum]:
    """The visitation groups of the person's police district, for a local PSP group's person."""
    rule = person.forum.rule
    if rule.section != Section.PSP or rule.receives_escalations:
        return Forum.objects.none()
    return Forum.objects.filter(
        kind=ForumKind.PSP_VISITATION, police_district_id=person.forum.police_district_id
    )


def carried_actions(person: ForumPerson) -> list[dict[str, str]]:
    return [
        {
            "description": a.description,
            "owner": a.owner.name,
            "deadline": a.deadline.isoformat(),
            "status": a.status,
        }
        for a in person.actions.select_related("owner").order_by("deadline", "id")
    ]


@transaction.atomic
def forum_person_escalate(
    *, actor: User, person: ForumPerson, to_forum: Forum, reason: str
) -> Escalation:
    """A member of the local PSP group lifts a person to the district's visitation group. The
    new record holds the name, birth date, signs, the reason and the actions' status."""
    member = require_member(actor, person.forum)
    if not escalation_targets(person).filter(pk=to_forum.pk).exists():
        raise ValidationError(
            {"to_forum": _("Only a local PSP group escalates, to its district's visitation group.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the local group cannot lift the case.")})
    if Escalation.objects.filter(from_person=person, to_person__forum=to_forum).exists():
        raise ValidationError(_("The person has already been escalated to this group."))
    basis = RULES[to_forum.kind].bases[0]
    target = ForumPerson.objects.create(
        forum=to_forum,
        created_by=actor,
        **{f: getattr(person, f) for f in TRAVELLING_PERSON_FIELDS},
    )
    Share.objects.create(
        person=target,
        legal_basis=basis,
        brought_by=actor,
        brought_by_label=(actor.get_full_name() or actor.username)[:200],
        organisation=member.organisation,
        reason=_("Escalated from %(forum)s") % {"forum": person.forum.name},
        information=reason.strip(),
    )
    escalation = Escalation.objects.create(
        from_person=person,
        from_forum=person.forum,
        to_person=target,
        reason=reason.strip(),
        legal_basis=basis,
        carried_actions=carried_actions(person),
        escalated_by=actor,
        organisation=member.organisation,
    )
    for obj_id, purpose in (
        (person.pk, AuditEvent.Purpose.ESCALATED_OUT),
        (target.pk, AuditEvent.Purpose.ESCALATED_IN),
    ):
        audit_record(
            actor=actor,
            action=AuditEvent.Action.DISCLOSE,
            object_type=AuditEvent.ObjectType.FORUM_PERSON,
            object_id=obj_id,
            purpose=purpose,
            legal_basis=basis,
            detail={"escalation": escalation.pk, "forum": to_forum.name},
        )
    return escalation


# Export, inside the forum ---------------------------------------------------------------------


@transaction.atomic
def forum_person_export(*, actor: User, person: ForumPerson) -> str:
    """A member's plain-text copy of a person's record, for the forum's own use."""
    require_member(actor, person.forum)
    lines = [
        str(WARNING),
        _("For the members of %(forum)s only; not to be passed on.") % {"forum": person.forum},
        "",
        f"{_('Name')}: {person.full_name}",
        f"{_('Birth date')}: {person.birth_date or '-'}",
    ]
    if person.psp_signs:
        signs = ", ".join(str(PspSign(s).label) for s in person.psp_signs)
        lines.append(f"{_('Target-group signs')}: {signs}")
    if person.release_date:
        lines.append(f"{_('Release')}: {person.release_date} {person.institution}")
    if person.charge:
        lines.append(f"{_('Charge')}: {person.charge}")
        lines.append(f"{_('Recommendation to the court')}: {person.recommendation or '-'}")
    lines.append("")
    for s in person.shares.select_related("organisation"):
        lines += [
            f"{timezone.localtime(s.created_at):%d.%m.%Y} · {s.organisation} · "
            f"{s.get_legal_basis_display()} · {s.reason}",
            s.information,
            "",
        ]
    for a in person.actions.select_related("owner"):
        lines.append(f"{a.deadline} · {a.owner} · {a.get_status_display()} · {a.description}")
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        object_type=AuditEvent.ObjectType.FORUM_PERSON,
        object_id=person.pk,
        purpose=AuditEvent.Purpose.FORUM_EXPORT,
        legal_basis=person.forum.default_basis,
    )
    return "\n".join(lines) + "\n"


# Calendar feed --------------------------------------------------------------------------------


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, actor: User) -> str:
    """A new secret address for the member's calendar; any earlier one stops working."""
    calendar_feed_revoke(actor=actor)
    key = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=actor, digest=_digest(key))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.CALENDAR_FEED,
        object_id=feed.pk,
        purpose=AuditEvent.Purpose.CALENDAR_FEED_CREATED,
    )
    return key


@transaction.atomic
def calendar_feed_revoke(*, actor: User) -> int:
    revoked = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CONFIGURE,
            object_type=AuditEvent.ObjectType.CALENDAR_FEED,
            purpose=AuditEvent.Purpose.CALENDAR_FEED_REVOKED,
        )
    return revoked


def calendar_feed_user(key: str) -> User | None:
    feed = (
        CalendarFeed.objects.filter(digest=_digest(key), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


def calendar_feed(user: User, *, host: str) -> bytes:
    """The user's fora's meetings: forum, time, place and a count of person cases. No names."""
    meetings = (
        selectors.meetings_for_user(user)
        .filter(starts_at__gte=timezone.now() - dt.timedelta(days=90))
        .annotate(persons=Count("agenda", filter=Q(agenda__kind=AgendaItem.Kind.PERSON)))
        .order_by("starts_at")
    )
    cal = Calendar()
    cal.add("prodid", "-//Sporskifte//Samarbejdsfora//DA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Cooperation fora"))
    stamp = timezone.now()
    for m in meetings:
        event = Event()
        event.add("uid", f"meeting-{m.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", m.starts_at)
        event.add("dtend", m.ends_at or m.starts_at + dt.timedelta(hours=2))
        event.add("summary", m.forum.name)
        event.add("location", m.place)
        event.add(
            "description",
            ngettext("%(n)d person case", "%(n)d person cases", m.persons) % {"n": m.persons},
        )
        if m.status == Meeting.Status.CANCELLED:
            event.add("status", "CANCELLED")
        cal.add_component(event)
    return cal.to_ical()


# Persons in the visitation group: what came with them ------------------------------------------


def escalation_of(person: ForumPerson) -> Escalation | None:
    return Escalation.objects.filter(to_person=person).select_related("from_forum").first()
