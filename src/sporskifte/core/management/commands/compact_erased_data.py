import time

from django.core.management.base import BaseCommand

from sporskifte.core.compaction import erased_data_compact


class Command(BaseCommand):
    help = (
        "Rewrite the tables the erasure jobs delete from, so erased rows leave the database "
        "files (VACUUM FULL on PostgreSQL, a WAL checkpoint on SQLite). Run after the erasure jobs."
    )

    def handle(self, *args: object, **options: object) -> None:
        started = time.monotonic()
        done = erased_data_compact()
        self.stdout.write(f"{len(done)} steps in {time.monotonic() - started:.1f} s")
