"""What the API keeps of its own: the Idempotency-Key of each creating write, for a day."""

from __future__ import annotations

from django.db import models


class IdempotencyKey(models.Model):
    """A creating write done with an ``Idempotency-Key``: a retry with the same key and the same
    body gets the same answer and writes nothing. The answer itself is not stored (it holds
    personal data); the created object is, and is shown again through its access function."""

    token = models.ForeignKey("accounts.ApiToken", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # The method, the path and a digest of the body: the same key with another request is an error.
    request_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotency_key_per_token")
        ]


class ThrottleCount(models.Model):
    """Requests per token and throttle window, written by ``api.throttling`` in SQL: one row per
    token and window, counted up by one statement, so every worker and host counts against the
    same limit. A key's older windows are deleted when its next window begins."""

    key = models.CharField(max_length=100)
    window_start = models.BigIntegerField()  # seconds since the epoch
    hits = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="throttle_count_window")
        ]
