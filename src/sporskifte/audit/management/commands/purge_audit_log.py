from django.core.management.base import BaseCommand

from sporskifte.audit.services import audit_purge


class Command(BaseCommand):
    help = "Delete audit events older than the retention period (AUDIT_RETENTION_DAYS, 183 days)."

    def handle(self, *args: object, **options: object) -> None:
        deleted = audit_purge()
        self.stdout.write(self.style.SUCCESS(f"{deleted} audit events deleted."))
