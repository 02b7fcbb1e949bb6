"""Erasure of what the cooperation fora hold about a person, at the end of the forum's retention:
a real DELETE (Datatilsynet: a soft delete is not a deletion), run nightly by
``manage.py erase_expired_forum_records``.

The rule, one deadline per forum (``Forum.retention_days``; new fora start from their kind's
default in ``frame.RULES``: two years for SSP, PSP, the visitation group and Info-hus, one year
for KSP, Ungesamråd, gang councils and Al Capone local units). A forum person's records are
deleted ``retention_days`` after the forum last dealt with the person, that is the latest of:

- when the person was brought to the forum;
- when something was shared about them (a change of the facts of the case is a share too);
- when a consent was recorded or withdrawn;
- when they were put on a meeting's agenda, and the start of that meeting unless it was cancelled
  (a coming meeting keeps them);
- when an action about them was agreed or closed;
- when they were escalated to the visitation group;

and never while an action about them is open: the forum agreed that something is to be done, and
its members follow it up. This is the usual form of a Danish deletion deadline ("slettes N år
efter, at sagen sidst er behandlet"), with the forum as the processing activity whose deadline
the data controller sets and documents; the deadline is shown on the forum's page.

What is deleted, per person: the person row (name, birth date, the kind's facts), everything
shared about them, their consents, the escalation that brought them into a visitation group (its
reason and the actions it carried), their agenda items with the reasons and the minutes written
under them, and the description of the actions about them. The person's full name is also taken
out of the forum's meeting record (the general minutes, the notice, the place, other items and
actions), unless a person the forum still holds has the same name: the text cannot say which of
them it meant. Attendance names members, never the persons discussed, and is kept.

What survives, naming no one, so that ``counts.py`` gives every past quarter the same figures:
one agenda item per erased person and quarter with held meetings, with no person and no text
(the model's check constraint allows a person item without a person only in that shape), and the
person's actions with no person and no description (owner, deadline, status and dates). Residue
of two quarters cannot be linked: it supports counts per quarter, not "distinct persons per year".

Each erased person gets an ERASE row in the audit trail, in the same transaction: the forum
person's id and the forum, never the name or anything that was erased. A meeting whose text lost a
name gets one too. Records due to the public archives (arkivloven) are not handed over here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    F,
    Min,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear, Greatest
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record_objects
from sporskifte.fora.models import (
    Action,
    AgendaItem,
    Escalation,
    Forum,
    ForumConsent,
    ForumPerson,
    Meeting,
    Share,
)

# Persons erased per transaction: each batch is its own transaction with its audit rows, costs a
# fixed number of queries, and keeps its id lists far below the databases' parameter limits.
BATCH = 500
# Put where an erased person's name stood in the meeting record; the same in every language.
ERASED_NAME = "[…]"
PURPOSE = AuditEvent.Purpose.FORUM_RETENTION_ENDED


def _latest(model: type[Model], link: str, at: Any) -> Coalesce:
    """The latest ``at`` among the person's rows of ``model``, or when the person was brought."""
    latest = (
        model._default_manager.filter(**{link: OuterRef("pk")})
        .annotate(at=at)
        .order_by("-at")
        .values("at")[:1]
    )
    return Coalesce(Subquery(latest, output_field=DateTimeField()), F("created_at"))


def last_dealt_with() -> Greatest:
    """When the forum last dealt with the person (see the module's docstring)."""
    meeting_date = Case(
        When(meeting__status=Meeting.Status.CANCELLED, then=F("created_at")),
        default=F("meeting__starts_at"),
    )
    return Greatest(
        F("created_at"),
        _latest(Share, "person", F("created_at")),
        _latest(
            ForumConsent, "person", Greatest("recorded_at", Coalesce("withdrawn_at", "recorded_at"))
        ),
        _latest(AgendaItem, "person", Greatest("created_at", meeting_date)),
        _latest(Action, "person", Greatest("created_at", Coalesce("closed_at", "created_at"))),
        _latest(Escalation, "from_person", F("created_at")),
        output_field=DateTimeField(),
    )


def forum_persons_due_for_erasure(*, now: dt.datetime | None = None) -> QuerySet[ForumPerson]:
    now = now or timezone.now()
    # One cut-off per distinct deadline: portable date arithmetic, and fora share a few values.
    expired = Q(pk__in=[])
    for days in Forum.objects.order_by().values_list("retention_days", flat=True).distinct():
        expired |= Q(forum__retention_days=days, last_dealt_with__lte=now - dt.timedelta(days=days))
    open_action = Action.objects.filter(person=OuterRef("pk"), status=Action.Status.OPEN)
    return (
        ForumPerson.objects.annotate(last_dealt_with=last_dealt_with())
        .filter(expired)
        .exclude(Exists(open_action))
    )


def forum_persons_due_by_forum(*, now: dt.datetime | None = None) -> dict[int, int]:
    """How many persons each forum would erase now (for a dry run); changes nothing."""
    return dict(Counter(forum_persons_due_for_erasure(now=now).values_list("forum_id", flat=True)))


def forum_persons_erase_expired(*, now: dt.datetime | None = None) -> dict[int, int]:
    """Erase every forum person past their forum's retention; returns forum id → persons erased.

    Batch by batch, each in one transaction with its audit rows. A batch is chosen inside its
    transaction, so a person something was shared about a moment ago is not in it.
    """
    now = now or timezone.now()
    erased: Counter[int] = Counter()
    done: set[int] = set()
    while True:
        with transaction.atomic():
            due = list(
                forum_persons_due_for_erasure(now=now)
                .order_by("pk")
                .values_list("pk", "forum_id", "full_name")[:BATCH]
            )
            if not due:
                break
            ids = {pk for pk, _forum, _name in due}
            if ids & done:  # erased rows can never come back; this would loop for ever
                raise RuntimeError(f"forum persons {sorted(ids & done)} were not erased")
            _erase(due)
        done |= ids
        erased.update(forum_id for _pk, forum_id, _name in due)
    return dict(erased)


def _erase(due: Sequence[tuple[int, int, str]]) -> None:
    ids = [pk for pk, _forum, _name in due]
    # The counts' residue: per person and quarter (extracted as counts.py does) one held item.
    residue = [
        row["first"]
        for row in AgendaItem.objects.filter(
            person_id__in=ids, kind=AgendaItem.Kind.PERSON, meeting__status=Meeting.Status.HELD
        )
        .annotate(y=ExtractYear("meeting__starts_at"), q=ExtractQuarter("meeting__starts_at"))
        .order_by()
        .values("person_id", "y", "q")
        .annotate(first=Min("pk"))
    ]
    AgendaItem.objects.filter(pk__in=residue).update(person=None, title="", reason="", notes="")
    # Closed actions only (an open one keeps the person): what, not who, is erased.
    Action.objects.filter(person_id__in=ids).update(person=None, description="")
    # Shares first: they may rest on a consent, which protects itself against deletion.
    Share.objects.filter(person_id__in=ids).delete()
    # The rest goes with the person: consents, other agenda items, the escalation in (an
    # escalation out keeps its record in the visitation group, without the link back).
    ForumPerson.objects.filter(pk__in=ids).delete()
    meetings = _remove_names(due)
    _audit(
        [
            (AuditEvent.ObjectType.FORUM_PERSON, pk, {"forum": forum_id})
            for pk, forum_id, _name in due
        ]
        + [(AuditEvent.ObjectType.MEETING, pk, {"names_removed": True}) for pk in sorted(meetings)]
    )


def _name_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """The full names as words, in any case, with any white space (a line break) between parts
    and with a genitive ("Bertram Hansens mor", "Lars Jens' mor"); longer names first, so a name
    inside a longer one does not leave its rest behind."""
    parts = sorted({tuple(n.split()) for n in names}, key=lambda p: -len(" ".join(p)))
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in p) for p in parts)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?:s|['\u2019]s?)?(?!\w)", re.IGNORECASE)


def _remove_names(due: Sequence[tuple[int, int, str]]) -> set[int]:
    """Take the erased persons' full names out of their fora's meeting records; returns the ids of
    the meetings whose text changed. A fixed number of queries for any number of persons."""
    forum_ids = {forum_id for _pk, forum_id, _name in due}
    kept = {
        (forum_id, " ".join(name.split()).casefold())
        for forum_id, name in ForumPerson.objects.filter(forum_id__in=forum_ids).values_list(
            "forum_id", "full_name"
        )
    }
    names: dict[int, set[str]] = defaultdict(set)
    for _pk, forum_id, name in due:
        key = " ".join(name.split()).casefold()
        if key and (forum_id, key) not in kept:
            names[forum_id].add(name)
    if not names:
        return set()
    patterns = {forum_id: _name_pattern(n) for forum_id, n in names.items()}
    changed: set[int] = set()

    def scrub(objs: Iterable[Any], forum_of: str, meeting_of: str, fields: Sequence[str]) -> None:
        dirty = []
        for obj in objs:
            pattern = patterns[getattr(obj, forum_of)]
            new = {f: pattern.sub(ERASED_NAME, getattr(obj, f)) for f in fields}
            if any(new[f] != getattr(obj, f) for f in fields):
                for f, text in new.items():
                    setattr(obj, f, text)
                dirty.append(obj)
                changed.add(getattr(obj, meeting_of))
        if dirty:
            type(dirty[0])._default_manager.bulk_update(dirty, fields, batch_size=BATCH)

    scrub(
        Meeting.objects.filter(forum_id__in=patterns).only("forum", "minutes", "notice", "place"),
        "forum_id",
        "pk",
        ("minutes", "notice", "place"),
    )
    scrub(
        AgendaItem.objects.filter(meeting__forum_id__in=patterns)
        .exclude(title="", reason="", notes="")
        .annotate(forum_pk=F("meeting__forum_id"))
        .only("meeting", "title", "reason", "notes"),
        "forum_pk",
        "meeting_id",
        ("title", "reason", "notes"),
    )
    scrub(
        Action.objects.filter(forum_id__in=patterns)
        .exclude(description="")
        .only("forum", "meeting", "description"),
        "forum_id",
        "meeting_id",
        ("description",),
    )
    return changed


def _audit(rows: Sequence[tuple[str, int, dict[str, Any]]]) -> None:
    """One ERASE row per object, by the system. Forum records are forum-local: no ``person_id``."""
    audit_record_objects(actor=None, action=AuditEvent.Action.ERASE, rows=rows, purpose=PURPOSE)
