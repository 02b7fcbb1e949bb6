"""Writing the audit trail. Call these inside the same ``transaction.atomic`` block as the
action they record, so an action without its row (or a row without its action) cannot exist."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sporskifte.audit.models import AuditEvent
from sporskifte.core.access import membership_of

if TYPE_CHECKING:
    from sporskifte.accounts.models import User


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


def audit_record_looks(
    *,
    actor: User,
    object_type: str,
    items: Iterable[tuple[object, int | None]],
    purpose: str,
    legal_basis: str = "",
) -> None:
    """One row per person shown on a list page, written in a single INSERT."""
    base = _actor_fields(actor)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            **base,
            action=AuditEvent.Action.VIEW,
            object_type=object_type,
            object_id=str(obj_id),
            person_id=person_id,
            purpose=purpose[:200],
            legal_basis=legal_basis,
        )
        for obj_id, person_id in items
        if person_id is not None
    )
