"""Writing the audit trail. Call these inside the same ``transaction.atomic`` block as the
action they record, so an action without its row (or a row without its action) cannot exist."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

from sporskifte.audit.models import AuditEvent, AuditEventItem, RefusedLook
from sporskifte.audit.vocabulary import ObjectType, Purpose
from sporskifte.core.requestlog import current_request_id

if TYPE_CHECKING:
    from sporskifte.accounts.models import User
    from sporskifte.organisations.models import Organisation

Responsible = AuditEvent.responsible.through


def _actor_fields(actor: User | None) -> dict[str, Any]:
    """Who, and the request it happened in (every row-writing function starts here)."""
    request_id = current_request_id()
    if actor is None:
        return {
            "actor": None,
            "actor_label": "system",
            "organisation": None,
            "request_id": request_id,
        }
    membership = actor.acting_membership()
    org = membership.organisation if membership else None
    label = actor.get_full_name() or actor.username
    return {
        "actor": actor,
        "actor_label": label[:200],
        "organisation": org,
        "request_id": request_id,
    }


def _vocabulary(object_type: str, purpose: str) -> tuple[str, str]:
    """Only the vocabulary's values are written: a free text raises here, in the test suite."""
    return ObjectType(object_type).value, Purpose(purpose).value


def _responsible(events: list[AuditEvent], extra: Iterable[Organisation | int | None] = ()) -> None:
    """The actor's organisation and any others responsible, for each event, in one INSERT."""
    extra_ids = {o if isinstance(o, int) else o.pk for o in extra if o is not None}
    Responsible.objects.bulk_create(
        Responsible(auditevent_id=event.pk, organisation_id=org)
        for event in events
        for org in extra_ids | ({event.organisation_id} if event.organisation_id else set())
    )


def audit_record(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: object = "",
    person_id: int | None = None,
    purpose: str,
    legal_basis: str = "",
    detail: dict[str, Any] | None = None,
    responsible: Iterable[Organisation | int | None] = (),
) -> AuditEvent:
    """One row. ``responsible`` names organisations besides the actor's that answer for what
    was touched (the district that approved a research project, the partner a referral went to);
    their administrators read the row too."""
    object_type, purpose = _vocabulary(object_type, purpose)
    event = AuditEvent(
        **_actor_fields(actor),
        at=timezone.now(),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        person_id=person_id,
        purpose=purpose,
        legal_basis=legal_basis,
        detail=detail or {},
    )
    if not _insert_in_one(event, responsible):
        event.save(force_insert=True)
        _responsible([event], responsible)
    return event


def audit_record_about(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: int,
    person_ids: Sequence[int],
    purpose: str,
    legal_basis: str = "",
    detail: dict[str, Any] | None = None,
    responsible: Iterable[Organisation | int | None] = (),
) -> AuditEvent:
    """One row about one object that concerns several people (a screening hit names a child and
    an adult): the first person is the row's ``person_id``, the others its items, written in
    the same transaction, so each person's look-up finds the row."""
    first: int | None = person_ids[0] if person_ids else None
    others = person_ids[1:]
    event = audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_id=first,
        purpose=purpose,
        legal_basis=legal_basis,
        detail=detail,
        responsible=responsible,
    )
    AuditEventItem.objects.bulk_create(
        AuditEventItem(event=event, object_id=object_id, person_id=p) for p in others
    )
    return event


def audit_record_objects(
    *,
    actor: User | None,
    action: str,
    rows: Iterable[tuple[str, object, dict[str, Any]]],
    purpose: str,
    legal_basis: str = "",
) -> None:
    """One row per (object type, object id, detail) naming no person of the people app, e.g. the
    forum records erased at the end of retention; written with bulk INSERTs."""
    base = _actor_fields(actor)
    events = AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                **base,
                action=action,
                object_type=ObjectType(object_type).value,
                object_id=str(object_id),
                purpose=Purpose(purpose).value,
                legal_basis=legal_basis,
                detail=detail,
            )
            for object_type, object_id, detail in rows
        ),
        batch_size=1000,
    )
    _responsible(events)


def audit_record_many(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    items: Iterable[tuple[object, int | None]],
    purpose: str,
    legal_basis: str = "",
) -> None:
    """One row per (object id, person id) pair, written with bulk INSERTs: for changes that
    each stand on their own (an import's new offers, an erasure), not for looks at a list."""
    object_type, purpose = _vocabulary(object_type, purpose)
    base = _actor_fields(actor)
    events = AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                **base,
                action=action,
                object_type=object_type,
                object_id=str(obj_id),
                person_id=person_id,
                purpose=purpose,
                legal_basis=legal_basis,
            )
            for obj_id, person_id in items
            if person_id is not None
        ),
        batch_size=1000,
    )
    _responsible(events)


def criterion_of(params: Mapping[str, str]) -> dict[str, str]:
    """The search criterion of a list view as its query string gave it (filters, ordering,
    page), bounded: a hostile URL must not make the audit row large. Identity numbers are never
    in a URL (they are posted), so none end up here."""
    return {str(k)[:50]: str(v)[:200] for k, v in list(params.items())[:20]}


def _storable(criterion: dict[str, Any]) -> dict[str, Any]:
    """A NUL character (``%00`` in a query string) becomes U+FFFD: PostgreSQL cannot store it
    in JSON, and the look must be logged all the same, whichever view built the criterion."""

    def clean(value: Any) -> Any:
        return value.replace("\x00", "\ufffd") if isinstance(value, str) else value

    return {clean(str(k)): clean(v) for k, v in criterion.items()}


def audit_record_looks(
    *,
    actor: User,
    object_type: str,
    items: Iterable[tuple[object, int | None]],
    purpose: str,
    legal_basis: str = "",
    criterion: dict[str, Any] | None = None,
) -> AuditEvent | None:
    """One row for a list page, whatever its length: the event names the search criterion (the
    filters, the page) and its items name every object and person shown, so each person's looks
    are still found by ``person_id``. Nothing is written when the page showed no one.

    Written on every list page, so in as few statements as the database allows: on PostgreSQL
    one (the event, its responsible organisation and its items through data-modifying CTEs, the
    items as two arrays), elsewhere three (event, responsible, items)."""
    rows = [(int(str(obj_id)), person_id) for obj_id, person_id in items]
    if not rows:
        return None
    object_type, purpose = _vocabulary(object_type, purpose)
    event = AuditEvent(
        **_actor_fields(actor),
        at=timezone.now(),
        action=AuditEvent.Action.VIEW,
        object_type=object_type,
        purpose=purpose,
        legal_basis=legal_basis,
        detail={"criterion": _storable(criterion or {}), "shown": len(rows)},
    )
    if not _insert_in_one(event, (), rows):
        event.save(force_insert=True)
        _responsible([event])
        AuditEventItem.objects.bulk_create(
            AuditEventItem(event=event, object_id=obj_id, person_id=person_id)
            for obj_id, person_id in rows
        )
    return event


def _insert_in_one(
    event: AuditEvent,
    responsible: Iterable[Organisation | int | None],
    items: Sequence[tuple[int, int | None]] = (),
) -> bool:
    """On PostgreSQL, write the event, its responsible organisations (the actor's and
    ``responsible``) and its items in one statement, and give ``event`` its id; elsewhere
    write nothing and return False (SQLite has no INSERT inside a WITH)."""
    db = router.db_for_write(AuditEvent)
    if connections[db].vendor != "postgresql":
        return False
    organisations = {o if isinstance(o, int) else o.pk for o in responsible if o is not None}
    if event.organisation_id:
        organisations.add(event.organisation_id)
    with connections[db].cursor() as cursor:
        cursor.execute(
            _EVENT_SQL,
            [
                event.at,
                event.actor_id,
                event.actor_label,
                event.organisation_id,
                event.action,
                event.object_type,
                event.object_id,
                event.person_id,
                event.purpose,
                event.legal_basis,
                json.dumps(event.detail),
                event.request_id,
                sorted(organisations),
                [obj_id for obj_id, _ in items],
                [person_id for _, person_id in items],
            ],
        )
        (event.pk,) = cursor.fetchone()
    event._state.adding, event._state.db = False, db
    return True


# The one statement of ``_insert_in_one`` (the tables are Django's default names of AuditEvent,
# its ``responsible`` and AuditEventItem; empty arrays insert no rows).
_EVENT_SQL = (
    'WITH event AS (INSERT INTO "audit_auditevent" ("at", "actor_id", "actor_label", '
    '"organisation_id", "action", "object_type", "object_id", "person_id", "purpose", '
    '"legal_basis", "detail", "request_id") '
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s) RETURNING id), "
    'responsible AS (INSERT INTO "audit_auditevent_responsible" ("auditevent_id", '
    '"organisation_id") SELECT event.id, org FROM event, unnest(%s::bigint[]) AS org), '
    'shown AS (INSERT INTO "audit_auditeventitem" ("event_id", "object_id", "person_id") '
    "SELECT event.id, looked.object_id, looked.person_id FROM event, "
    "unnest(%s::bigint[], %s::bigint[]) AS looked(object_id, person_id)) "
    "SELECT id FROM event"
)


def audit_record_person_rows(
    *,
    actor: User,
    action: str,
    object_type: str,
    person_ids: Iterable[int],
    purpose: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """One row per person for an action about several people at once (a log search, an extract)."""
    object_type, purpose = _vocabulary(object_type, purpose)
    base = _actor_fields(actor)
    events = AuditEvent.objects.bulk_create(
        AuditEvent(
            **base,
            action=action,
            object_type=object_type,
            object_id=str(person_id),
            person_id=person_id,
            purpose=purpose,
            detail=detail or {},
        )
        for person_id in person_ids
    )
    _responsible(events)


def _retention_days() -> int:
    # Six months unless set: the trail must outlive a typical complaint, and no longer.
    return settings.AUDIT_RETENTION_DAYS


@transaction.atomic
def audit_purge(*, now: dt.datetime | None = None) -> int:
    """Delete events past the trail's own retention (six months); returns how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=_retention_days())
    # The count of events, not of their items and responsible organisations deleted with them.
    _, by_model = AuditEvent.objects.filter(at__lt=cutoff).delete()
    deleted = by_model.get(AuditEvent._meta.label, 0)
    audit_record(
        actor=None,
        action=AuditEvent.Action.ERASE,
        object_type=ObjectType.AUDIT_LOG,
        purpose=Purpose.AUDIT_RETENTION,
        detail={"deleted": deleted, "before": cutoff.isoformat()},
    )
    return deleted


def refused_look_record(*, actor: User | None, object_type: str, object_id: str) -> None:
    """One small row per refused look by a signed-in user; anonymous requests never get this
    far (log-in or a token comes first)."""
    if actor is None or not actor.is_authenticated:
        return
    fields = _actor_fields(actor)
    RefusedLook.objects.create(
        actor=actor,
        organisation=fields["organisation"],
        object_type=object_type[:100],
        object_id=object_id[:50],
    )
