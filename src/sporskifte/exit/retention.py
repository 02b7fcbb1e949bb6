"""The end of an exit case: two years after it ended (completed, broken off, or rejected at the
visitation) the case, its checklist, support, milestones, protected address and the candidate's
own person row are deleted, in one transaction with their ERASE audit rows. Two years lets the
unit answer a candidate who comes back; ``EXIT_RETENTION_DAYS`` changes it. Nothing of the case
is kept: the unit's figures count the cases it still holds."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.exit.models import ExitCase
from sporskifte.people.models import Person

DEFAULT_RETENTION_DAYS = 730


def retention_days() -> int:
    return int(getattr(settings, "EXIT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


@transaction.atomic
def exit_cases_erase_expired(*, today: dt.date | None = None) -> int:
    cutoff = (today or timezone.localdate()) - dt.timedelta(days=retention_days())
    due = list(
        ExitCase.objects.filter(
            Q(ended_on__lte=cutoff) | Q(state=ExitCase.State.REJECTED, decided_on__lte=cutoff)
        ).values_list("pk", "person_id", "unit__district_id")
    )
    for pk, _person, district in due:
        audit_record(
            actor=None,
            action=AuditEvent.Action.ERASE,
            object_type=AuditEvent.ObjectType.EXIT_CASE,
            object_id=pk,
            purpose=AuditEvent.Purpose.EXIT_CASE_RETENTION_ENDED,
            legal_basis="samtykke",
            responsible=[district],
        )
    # The case's rows go with it (CASCADE); the person row is the exit register's own.
    ExitCase.objects.filter(pk__in=[pk for pk, _p, _d in due]).delete()
    Person.objects.filter(
        pk__in=[person for _pk, person, _d in due], register=Person.Register.EXIT
    ).delete()
    return len(due)
