"""What the queue needs beside django-tasks-db's own job table (``DBTaskResult``).

- ``SentNotice``: one row per e-mail handed to the mail server, so a job run twice (a retry, a
  worker lost after sending) does not send the same notice to the same person twice.
- ``ScheduleSlot``: one row per periodic job and time slot, inserted in the same transaction as
  the job it enqueues; the unique constraint is what lets two schedulers run without a job being
  queued twice.
- ``WorkerBeat``: each worker's last sign of life. A running job whose worker has stopped
  beating is returned to the queue (django-tasks-db alone would leave it "running" for ever).
"""

from django.db import models


class SentNotice(models.Model):
    key = models.CharField(max_length=200)
    recipient = models.EmailField(max_length=254)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="jobs_notice_once")
        ]


class ScheduleSlot(models.Model):
    job = models.CharField(max_length=100)
    slot = models.DateTimeField()
    task_id = models.CharField(max_length=64)
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="jobs_slot_once")]


class WorkerBeat(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
