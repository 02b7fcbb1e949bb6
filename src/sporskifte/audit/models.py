"""The audit trail: every look at or change of a person's data, written in the same transaction.

``person_id`` is a plain integer, not a foreign key: when a person is erased at the end of
retention the trail must survive (it has its own six-month retention) without pointing at
anything, and without blocking the deletion.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        SEARCH = "search", _("Searched")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        EXPORT = "export", _("Exported")
        WITHDRAW = "withdraw", _("Consent withdrawn")
        DISCLOSE = "disclose", _("Disclosed")
        ERASE = "erase", _("Erased")
        LOGIN = "login", _("Logged in")
        CONFIGURE = "configure", _("Configured")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text so the row still says who it was after the account is gone.
    actor_label = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # Why: the purpose in the user's words or the system's ("partner inbox", "consent withdrawn").
    purpose = models.CharField(max_length=200)
    legal_basis = models.CharField(max_length=100, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"
