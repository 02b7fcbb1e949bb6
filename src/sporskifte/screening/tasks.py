"""The background import of an uploaded incident or household file.

The job takes the upload's id (plain data, see jobs.tasks), claims the row once, streams the
stored bytes through the same all-or-nothing importer the management command uses, and keeps the
outcome on the row while the bytes are deleted. Progress is written on a connection of its own:
the import's transaction holds its rows until the end, and the page polling the upload must see
the figure before that. SQLite allows one writer at a time, so there the page shows the import
as running without a figure until it ends.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection, connections
from django.utils import timezone
from django_tasks import task

from sporskifte.screening.imports import households_import_file, incidents_import_file
from sporskifte.screening.models import ImportUpload


@contextmanager
def _progress_writer(upload: ImportUpload, stream: io.BytesIO) -> Iterator[Callable[[int], None]]:
    if connection.vendor == "sqlite":
        yield lambda rows: None
        return
    own = connections.create_connection("default")
    table = own.ops.quote_name(ImportUpload._meta.db_table)
    try:

        def progress(rows: int) -> None:
            with own.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET rows_done = %s, bytes_read = %s WHERE id = %s",  # noqa: S608
                    [rows, stream.tell(), upload.pk],
                )

        yield progress
    finally:
        own.close()


@task()
def import_upload(upload_id: int) -> str:
    """Import one upload. Run twice (a retried or re-queued job), it imports once: only a
    waiting upload is claimed, and the claim is one conditional UPDATE."""
    claimed = ImportUpload.objects.filter(pk=upload_id, status=ImportUpload.Status.QUEUED).update(
        status=ImportUpload.Status.RUNNING
    )
    if not claimed:
        return "already claimed"
    upload = ImportUpload.objects.get(pk=upload_id)
    district = upload.police_district
    actor = upload.uploaded_by
    stream = io.BytesIO(bytes(upload.content or b""))
    load = (
        incidents_import_file
        if upload.kind == ImportUpload.Kind.INCIDENTS
        else households_import_file
    )
    with _progress_writer(upload, stream) as progress:
        result = load(
            district=district, stream=stream, name=upload.name, progress=progress, actor=actor
        )
    ImportUpload.objects.filter(pk=upload_id).update(
        status=ImportUpload.Status.DONE if result.ok else ImportUpload.Status.FAILED,
        content=None,
        rows_done=result.rows,
        bytes_read=upload.size,
        created=result.created,
        skipped=result.skipped,
        errors=[{"row": e.row, "column": e.column, "message": e.message} for e in result.errors],
        finished_at=timezone.now(),
    )
    return f"{result.created} created, {result.skipped} skipped, {len(result.errors)} errors"
