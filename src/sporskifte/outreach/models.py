"""What the district's prevention unit says to the public and the visits the public asks for.

Nothing here is about a suspect or a victim: a warning is addressed to everyone, and a visit
request holds only the contact details its sender gave to be contacted. Those are erased when
the request has been closed for the retention period; the topic, municipality and dates stay
for the figures.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sporskifte.organisations.models import Municipality, Organisation


class PublicWarning(models.Model):
    """A warning (a fake web shop, a scam, a local wave of burglaries). What the public reads is
    the newest published version; editing a published warning publishes a new version, and a
    withdrawn one stays in the feed as withdrawn, so readers of the feed learn it is over."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    district = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="public_warnings"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    # The text being edited; the public sees the newest PublicWarningVersion instead.
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("text"), max_length=4000)
    area = models.CharField(_("area"), max_length=200, blank=True)
    starts_on = models.DateField(_("shown from"))
    ends_on = models.DateField(_("shown until"), null=True, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("public warning")
        verbose_name_plural = _("public warnings")
        indexes = [models.Index(fields=["district", "state", "starts_on"])]

    def __str__(self) -> str:
        return self.title


class PublicWarningVersion(models.Model):
    """What was published, as it was published: the feed and the public page read only these."""

    warning = models.ForeignKey(PublicWarning, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=160)
    body = models.TextField(max_length=4000)
    area = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    links = models.JSONField(default=list, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["warning", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["warning", "number"], name="warning_version_unique")
        ]


class VisitRequest(models.Model):
    """ "Bestil en betjent": a school, an association, a workplace or a citizen asks for an
    officer to come and talk. It reaches the prevention unit only once its sender has confirmed
    the e-mail address (a link sent to it), which keeps forms filled in by robots out."""

    class Topic(models.TextChoices):
        TRAFFIC = "traffic", _("Traffic and speeding")
        DRUGS = "drugs", _("Drugs")
        ONLINE = "online", _("Online safety")
        NIGHTLIFE = "nightlife", _("Night-life")
        OTHER = "other", _("Other")

    class RequesterKind(models.TextChoices):
        SCHOOL = "school", _("School")
        ASSOCIATION = "association", _("Association or club")
        WORKPLACE = "workplace", _("Workplace")
        CITIZEN = "citizen", _("Citizen")

    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for the e-mail confirmation")
        NEW = "new", _("New")
        ASSIGNED = "assigned", _("Officer assigned")
        TIME_PROPOSED = "time_proposed", _("Time proposed")
        DONE = "done", _("Visit held")
        DECLINED = "declined", _("Declined")

    OPEN_STATES = (State.NEW, State.ASSIGNED, State.TIME_PROPOSED)
    CLOSED_STATES = (State.DONE, State.DECLINED)

    district = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="visit_requests"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="visit_requests"
    )
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    requester_kind = models.CharField(
        _("who is asking"), max_length=16, choices=RequesterKind.choices
    )
    organisation_name = models.CharField(_("school, association or workplace"), max_length=200)
    place = models.CharField(_("address of the visit"), max_length=200)
    wished_from = models.DateField(_("earliest date"))
    wished_to = models.DateField(_("latest date"))
    message = models.TextField(_("what the visit should be about"), max_length=2000, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("e-mail"))
    contact_phone = models.CharField(_("phone"), max_length=32, blank=True)
    # The sender's language when they filled in the form: the e-mails to them use it.
    language = models.CharField(max_length=8, default="da")
    state = models.CharField(max_length=16, choices=State.choices, default=State.UNCONFIRMED)
    # Only the SHA-256 of the link's token is kept: a copy of the table confirms nothing.
    confirm_token_hash = models.CharField(max_length=64, unique=True)
    submitted_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_requests",
    )
    proposed_time = models.DateTimeField(null=True, blank=True)
    proposal_note = models.CharField(max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_reason = models.CharField(max_length=500, blank=True)
    # Set when the contact details have been erased at the end of retention.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("visit request")
        verbose_name_plural = _("visit requests")
        indexes = [
            models.Index(fields=["district", "state", "submitted_at"]),
            models.Index(fields=["state", "closed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wished_to__gte=models.F("wished_from")),
                name="visit_request_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} · {self.municipality}"


class SchoolContactPoint(models.Model):
    """A school's named contact and the police's contact for it ([S2] § 4.4: simple contact
    points between schools and the police about drug sales near schools). The school contact
    has no account: they ask for a one-time link by e-mail each time they report."""

    district = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="school_contact_points"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="school_contact_points"
    )
    school = models.CharField(_("school"), max_length=200)
    contact_name = models.CharField(_("school contact"), max_length=200)
    contact_email = models.EmailField(_("school contact's e-mail"))
    police_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="school_contact_points",
        verbose_name=_("police contact"),
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["municipality__name", "school"]
        verbose_name = _("school contact point")
        verbose_name_plural = _("school contact points")
        constraints = [
            models.UniqueConstraint(
                fields=["contact_email"],
                condition=models.Q(is_active=True),
                name="school_contact_email_unique_active",
            )
        ]

    def __str__(self) -> str:
        return self.school


class SchoolLink(models.Model):
    """A one-time link to the report form, e-mailed to a school contact. Only its hash is kept;
    it works once and for a day."""

    contact_point = models.ForeignKey(
        SchoolContactPoint, on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class SchoolConcern(models.Model):
    """A school's report of drug sales near the school: a task for the local police with a
    deadline. The school sees when it was received and when it was handled, not what the police
    did about it."""

    contact_point = models.ForeignKey(
        SchoolContactPoint, on_delete=models.PROTECT, related_name="concerns"
    )
    place = models.CharField(_("where"), max_length=200)
    observed = models.CharField(_("when"), max_length=200)
    description = models.TextField(_("what was seen"), max_length=3000)
    received_at = models.DateTimeField()
    respond_by = models.DateField()
    # The school's receipt page: a long, random address kept as a hash, read-only.
    receipt_token_hash = models.CharField(max_length=64, unique=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    police_note = models.TextField(_("police note (not shown to the school)"), blank=True)

    class Meta:
        ordering = ["handled_at", "respond_by"]
        verbose_name = _("school concern")
        verbose_name_plural = _("school concerns")
        indexes = [models.Index(fields=["handled_at", "respond_by"])]
