import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sporskifte.jobs.models import ScheduleSlot, SentNotice

# A notice's once-only marker outlives any retry an administrator would still make.
MARKER_DAYS = 90


class Command(BaseCommand):
    help = (
        "Delete finished jobs older than SPORSKIFTE_JOBS_KEEP_DAYS. Failed jobs are kept until "
        "they are retried, so their arguments are never lost."
    )

    def handle(self, *args: object, **options: object) -> None:
        now = timezone.now()
        jobs, _ = (
            DBTaskResult.objects.successful()
            .filter(finished_at__lt=now - dt.timedelta(days=settings.JOBS_KEEP_DAYS))
            .delete()
        )
        markers, _ = SentNotice.objects.filter(
            sent_at__lt=now - dt.timedelta(days=MARKER_DAYS)
        ).delete()
        slots, _ = ScheduleSlot.objects.filter(
            slot__lt=now - dt.timedelta(days=MARKER_DAYS)
        ).delete()
        self.stdout.write(f"{jobs} finished jobs, {markers} notice markers, {slots} slots deleted")
