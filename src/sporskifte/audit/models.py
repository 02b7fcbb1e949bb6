"""The audit trail: every look at or change of a person's data, written in the same transaction.

``person_id`` is a plain integer, not a foreign key: when a person is erased at the end of
retention the trail must survive (it has its own six-month retention) without pointing at
anything, and without blocking the deletion.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sporskifte.audit.vocabulary import LEGAL_BASES, ObjectType, Purpose


class AuditEvent(models.Model):
    ObjectType = ObjectType
    Purpose = Purpose

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
    object_type = models.CharField(max_length=50, choices=ObjectType.choices)
    object_id = models.CharField(max_length=50, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # Why, from a fixed vocabulary; names and numbers that say more go in ``detail``.
    purpose = models.CharField(max_length=200, choices=Purpose.choices)
    legal_basis = models.CharField(max_length=100, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # The request that wrote the row (X-Request-ID, core.requestlog): joins the row to the web
    # servers' log lines for the same request. Empty for the nightly jobs.
    request_id = models.CharField(max_length=64, blank=True, default="")
    # Every organisation responsible for what was touched (the actor's, and e.g. the district that
    # approved a research project): each of their administrators reads the row.
    responsible = models.ManyToManyField("organisations.Organisation", related_name="+", blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"

    def legal_basis_display(self) -> str:
        return str(LEGAL_BASES.get(self.legal_basis, self.legal_basis))


class AuditEventItem(models.Model):
    """One object shown by a list view whose single event records the whole page.

    A child table rather than an array column: the same schema, queries and index on SQLite
    and PostgreSQL, written with one bulk INSERT, and "every look at person X" stays one indexed
    lookup (``person_id``) however the look happened.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="items")
    object_id = models.BigIntegerField()
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("audit event item")
        verbose_name_plural = _("audit event items")

    def __str__(self) -> str:
        return f"{self.event_id}: {self.object_id}"


class RefusedLook(models.Model):
    """A request for an object outside the user's scope (answered 404). Cheaper than an audit
    event: no person, no purpose; kept as long as the trail, read as bursts per user."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=50)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-at"])]
        verbose_name = _("refused look")
        verbose_name_plural = _("refused looks")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.object_type} {self.object_id}"
