"""A case's suspect list imported in the background (issue 14: a large import is a job).

The upload is stored as a ``SuspectImport`` and its job queued in the same transaction, so
neither exists without the other. The job runs ``case_import_suspects`` unchanged: all or
nothing, every error with its row and column. It is idempotent: the outcome is written in the
import's own transaction, under a lock on the row, and a job that finds an outcome does nothing,
so a job run twice (a retry, a worker lost after committing) imports once. A job that crashes
rolls back with the import and keeps the file, and the system administrator can retry it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from sporskifte.core.errors import NotAllowed
from sporskifte.referrals.imports import case_import_suspects
from sporskifte.referrals.models import Case, SuspectImport

if TYPE_CHECKING:
    from sporskifte.accounts.models import User


@transaction.atomic
def suspect_import_enqueue(*, actor: User, case: Case, data: bytes, language: str) -> SuspectImport:
    """Keep the file and queue its import; the caller has checked that ``actor`` sees ``case``."""
    upload = SuspectImport.objects.create(case=case, actor=actor, data=data, language=language)
    upload.task_id = str(import_suspects.enqueue(import_id=upload.pk).id)
    upload.save(update_fields=["task_id"])
    return upload


def suspect_import_failed(upload: SuspectImport) -> bool:
    """The job stopped with an error and waits for the system administrator's retry."""
    return DBTaskResult.objects.filter(pk=upload.task_id, status=TaskResultStatus.FAILED).exists()


@task()
def import_suspects(*, import_id: int) -> str:
    upload = SuspectImport.objects.filter(pk=import_id).first()
    if upload is None or upload.finished:
        return "nothing to do"  # deleted after retention, or done by an earlier run
    # Committed on its own, so the page shows the import running while it runs.
    SuspectImport.objects.filter(pk=import_id, status=SuspectImport.Status.QUEUED).update(
        status=SuspectImport.Status.RUNNING
    )
    with transaction.atomic():
        upload = (
            SuspectImport.objects.select_for_update()
            .select_related("case__police_district", "case__programme", "case__offence", "actor")
            .get(pk=import_id)
        )
        if upload.finished:
            return "nothing to do"
        with translation.override(upload.language):
            try:
                result = case_import_suspects(
                    actor=upload.actor, case=upload.case, data=bytes(upload.data)
                )
            except NotAllowed:  # the uploader has since left the district
                errors = [{"row": 0, "column": "", "message": _("You may not import here.")}]
            else:
                errors = [
                    {"row": e.row, "column": e.column, "message": e.message} for e in result.errors
                ]
        upload.created = 0 if errors else result.created
        upload.errors = errors
        upload.status = SuspectImport.Status.REJECTED if errors else SuspectImport.Status.IMPORTED
        upload.data = b""
        upload.finished_at = timezone.now()
        upload.save(update_fields=["created", "errors", "status", "data", "finished_at"])
    return f"{upload.status}: {upload.created} imported, {len(errors)} errors"


def suspect_imports_forget(*, now: dt.datetime | None = None) -> int:
    """Delete uploads older than the retention, finished or not (a file nobody retried)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.SUSPECT_IMPORT_RETENTION_DAYS)
    deleted, _counts = SuspectImport.objects.filter(queued_at__lt=cutoff).delete()
    return deleted
