"""Research projects: a district approves a pseudonymised extract of its programmes for named
researchers, for a limited time. The column catalogue lives in ``research.catalogue``."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STATUS_LABELS = {
    "draft": _("Awaiting approval"),
    "not_started": _("Approved, not started"),
    "active": _("Active"),
    "ended": _("Ended"),
}


def new_salt() -> str:
    return secrets.token_hex(16)


class ResearchProject(models.Model):
    class Coarsening(models.TextChoices):
        DAY = "day", _("Day")
        WEEK = "week", _("ISO week")
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")

    police_district = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="research_projects",
        limit_choices_to={"kind": "police_district"},
    )
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    programmes = models.ManyToManyField(
        "referrals.Programme", verbose_name=_("programmes"), related_name="research_projects"
    )
    period_from = models.DateField(_("offers from"))
    period_to = models.DateField(_("offers to"))
    approved_fields = models.JSONField(_("approved fields"), default=list)
    date_coarsening = models.CharField(
        _("date coarsening"), max_length=8, choices=Coarsening.choices, default=Coarsening.MONTH
    )
    # Why the project needs finer detail than months and age bands (``catalogue.finer_detail``);
    # required when it asks for any.
    finer_detail_reason = models.TextField(_("why finer detail is needed"), blank=True)
    researchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("researchers"), related_name="research_projects"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # Part of every pseudonym's HMAC input, never shown: a recreated project with a reused id
    # still gets pseudonyms unrelated to the old one's.
    pseudonym_salt = models.CharField(max_length=32, default=new_salt, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-ends_on", "-id"]
        verbose_name = _("research project")
        verbose_name_plural = _("research projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_from__lte=models.F("period_to")),
                name="research_period_order",
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="research_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def status(self, today: dt.date | None = None) -> str:
        today = today or timezone.localdate()
        if not self.is_approved:
            return "draft"
        if today < self.starts_on:
            return "not_started"
        if today > self.ends_on:
            return "ended"
        return "active"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status()])
