"""Referral to victim support (Offerrådgivning).

Victim support is free, anonymous and confidential. The police tell every victim about it; only
with the victim's consent do their contact details, language and the crime's category go to the
district's victim-support unit — never the police narrative. Without consent nothing about the
victim is stored: an ``Information`` row is a count (district, category, month, consent or not)
and nothing else. The unit's own conversations are not recorded, except as monthly counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sporskifte.organisations.models import Organisation


class CrimeCategory(models.TextChoices):
    VIOLENCE = "violence", _("Violence")
    DOMESTIC = "domestic", _("Violence in a close relationship")
    SEXUAL = "sexual", _("Sexual crime")
    ROBBERY = "robbery", _("Robbery")
    BURGLARY = "burglary", _("Burglary")
    THEFT = "theft", _("Theft")
    FRAUD = "fraud", _("Fraud")
    THREATS = "threats", _("Threats and harassment")
    TRAFFIC = "traffic", _("Traffic accident")
    OTHER = "other", _("Other")


class Information(models.Model):
    """That a victim was told about victim support: a count, nothing about the victim."""

    district = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("crime category"), max_length=16, choices=CrimeCategory.choices)
    informed_on = models.DateField()
    consented = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["district", "informed_on"])]


class VictimReferral(models.Model):
    """The contact details a consenting victim let the police pass on, and the unit's progress.
    The contact details are erased when the referral has been closed for a while."""

    class State(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contact made")
        DECLINED = "declined", _("Declined by the victim")
        UNREACHABLE = "unreachable", _("Could not be reached")
        CLOSED = "closed", _("Closed")

    class Contact(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message")

    information = models.OneToOneField(
        Information, on_delete=models.PROTECT, related_name="referral"
    )
    unit = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="victim_referrals",
        limit_choices_to={"kind": Organisation.Kind.VICTIM_SUPPORT},
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    preferred_contact = models.CharField(
        _("preferred contact"), max_length=8, choices=Contact.choices
    )
    # The consent as the officer read it to the victim: its version and its words, kept as given.
    consent_version = models.CharField(max_length=16)
    consent_text = models.TextField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.NEW)
    referred_at = models.DateTimeField()
    contacted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["referred_at"]
        indexes = [models.Index(fields=["unit", "state", "referred_at"])]


class MonthlyCount(models.Model):
    """The unit's own work, as counts only (its conversations are anonymous)."""

    class Channel(models.TextChoices):
        PHONE_LINE = "phone_line", _("Victim line 116 006")
        WALK_IN = "walk_in", _("Walk-in")
        REFERRAL = "referral", _("Referral from the police")

    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text=_("The first day of the month."))
    category = models.CharField(max_length=16, choices=CrimeCategory.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    conversations = models.PositiveIntegerField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "category", "channel"], name="victim_count_unique"
            ),
            models.CheckConstraint(condition=models.Q(month__day=1), name="victim_count_month"),
        ]
