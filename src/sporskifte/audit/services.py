"""Writing the audit trail. Call these inside the same ``transaction.atomic`` block as the
action they record, so an action without its row (or a row without its action) cannot exist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.core.access import membership_of

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

# Six months: the trail must outlive a typical complaint, and no longer (settings may change it).
DEFAULT_RETENTION_DAYS = 183


def _actor_fields(actor: User | None) -> dict[str, Any]:
    if actor is None:
        return {"actor": None, "actor_label": "system", "organisation": None}
    membership = membership_of(actor)
    org = membership.organisation if membership else None
    label = actor.get_full_name() or actor.username
    return {"actor": actor, "actor_label": label[:200], "organisation": org}


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
) -> AuditEvent:
    return AuditEvent.objects.create(
        **_actor_fields(actor),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        person_id=person_id,
        purpose=purpose[:200],
        legal_basis=legal_basis,
        detail=detail or {},
    )


def audit_record_objects(
    *,
    actor: User | None,
    action: str,
    rows: Iterable[tuple[str, object, dict[str, Any]]],
    purpose: str,
    legal_basis: str = "",
) -> None:
    """One row per (object type, object id, detail) naming no person of the people app, e.g. the
    fora's forum-local persons; written with bulk INSERTs, the actor settled once."""
    base = _actor_fields(actor)
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                **base,
                action=action,
                object_type=object_type,
                object_id=str(object_id),
                purpose=purpose[:200],
                legal_basis=legal_basis,
                detail=detail,
            )
            for object_type, object_id, detail in rows
        ),
        batch_size=1000,
    )


def audit_record_many(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    items: Iterable[tuple[object, int | None]],
    purpose: str,
    legal_basis: str = "",
) -> None:
    """One row per (object id, person id) pair, written with bulk INSERTs."""
    base = _actor_fields(actor)
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                **base,
                action=action,
                object_type=object_type,
                object_id=str(obj_id),
                person_id=person_id,
                purpose=purpose[:200],
                legal_basis=legal_basis,
            )
            for obj_id, person_id in items
            if person_id is not None
        ),
        batch_size=1000,
    )


def audit_record_looks(
    *,
    actor: User,
    object_type: str,
    items: Iterable[tuple[object, int | None]],
    purpose: str,
    legal_basis: str = "",
) -> None:
    """One row per person shown on a list page."""
    audit_record_many(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        object_type=object_type,
        items=items,
        purpose=purpose,
        legal_basis=legal_basis,
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
    base = _actor_fields(actor)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            **base,
            action=action,
            object_type=object_type,
            object_id=str(person_id),
            person_id=person_id,
            purpose=purpose[:200],
            detail=detail or {},
        )
        for person_id in person_ids
    )


def _retention_days() -> int:
    return int(getattr(settings, "AUDIT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


@transaction.atomic
def audit_purge(*, now: dt.datetime | None = None) -> int:
    """Delete events past the trail's own retention (six months); returns how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=_retention_days())
    deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    audit_record(
        actor=None,
        action=AuditEvent.Action.ERASE,
        object_type="audit_event",
        purpose="Audit log retention",
        detail={"deleted": deleted, "before": cutoff.isoformat()},
    )
    return deleted
