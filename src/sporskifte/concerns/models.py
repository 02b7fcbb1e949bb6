"""Worry conversations and letters (bekymringssamtaler og -breve, [S2] §6.3, [S3]).

The young person is a ``people.Person`` row: the same identity validation, the same data
controller (the registering police district) and the same ``person_id`` in the audit trail as
everywhere else. Each worry case gets its own Person row and is never matched against people
registered for other purposes (a referral), so erasing a case never depends on, or touches,
another purpose's data.

The letters' PDFs are kept in the database, not under MEDIA_ROOT: the PDF is written in the same
transaction as its audit row, a rolled-back generation leaves no orphan file with personal data
on disk, and erasing the case row erases the letter with it (one DELETE, no file clean-up that
can fail half-way). A letter is a few tens of kilobytes and a district writes few of them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def retention_days() -> int:
    """Days after the case's last event (CONCERNS_RETENTION_DAYS, two years unless set)."""
    return settings.CONCERNS_RETENTION_DAYS


class ConcernCase(models.Model):
    """Police concern about one young person under 18, owned by a police district."""

    police_district = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="concern_cases"
    )
    concern_date = models.DateField(_("date of the event that gave rise to the concern"))
    summary = models.TextField(_("what gave rise to the concern"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Moved forward by every recorded event (and planned dates); retention runs from here.
    last_event_on = models.DateField()

    class Meta:
        verbose_name = _("worry case")
        verbose_name_plural = _("worry cases")
        indexes = [
            models.Index(fields=["police_district", "-created_at"]),
            models.Index(fields=["last_event_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.concern_date})"

    @property
    def erase_on(self) -> dt.date:
        return self.last_event_on + dt.timedelta(days=retention_days())


class CustodyHolder(models.Model):
    """A parent or other custody holder of the young person; the letter's recipient."""

    class Relation(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        CUSTODY_HOLDER = "custody_holder", _("Other custody holder")
        FOSTER_PARENT = "foster_parent", _("Foster parent")
        OTHER = "other", _("Other adult close to the young person")

    case = models.ForeignKey(ConcernCase, on_delete=models.CASCADE, related_name="custody_holders")
    full_name = models.CharField(_("full name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("custody holder")
        verbose_name_plural = _("custody holders")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_relation_display()})"

    @property
    def has_address(self) -> bool:
        return bool(self.address and self.postal_code and self.city)

    @property
    def address_key(self) -> tuple[str, ...]:
        """The address as compared: case and spacing do not make two addresses different."""
        return tuple(
            " ".join(v.split()).casefold() for v in (self.address, self.postal_code, self.city)
        )


class ConcernCategory(models.TextChoices):
    RISKY_BEHAVIOUR = "risky_behaviour", _("Risky behaviour")
    CRIME = "crime", _("Crime")
    DRUGS = "drugs", _("Alcohol or drugs")
    GANG_CONTACT = "gang_contact", _("Contact with gang or biker-gang members")
    GANG_PLACES = "gang_places", _("Visits to gang-related places")
    WEAPONS = "weapons", _("Weapons")
    ONLINE = "online", _("Online behaviour")
    OTHER = "other", _("Other")


class Conversation(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        COMPLETED = "completed", _("Completed, follow-up done")
        DECLINED = "declined", _("Declined by the family")

    HAS_TAKEN_PLACE = (Status.HELD, Status.COMPLETED)

    case = models.ForeignKey(ConcernCase, on_delete=models.CASCADE, related_name="conversations")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    young_person_present = models.BooleanField(_("the young person took part"), default=True)
    custody_holders = models.ManyToManyField(
        CustodyHolder, blank=True, related_name="conversations", verbose_name=_("custody holders")
    )
    police_participants = models.CharField(_("police officers"), max_length=300)
    other_participants = models.CharField(_("others who took part"), max_length=300, blank=True)
    categories = models.JSONField(_("the concern"), default=list)
    concern = models.TextField(_("the concern in words"))
    agreements = models.TextField(_("what was agreed"), blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    follow_up_by = models.CharField(_("responsible for the follow-up"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("worry conversation")
        verbose_name_plural = _("worry conversations")

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"

    def category_labels(self) -> list[str]:
        return [
            str(ConcernCategory(c).label) for c in self.categories if c in ConcernCategory.values
        ]


class Letter(models.Model):
    """A worry letter to the custody holders: the fields the officer filled and the PDF sent."""

    case = models.ForeignKey(ConcernCase, on_delete=models.CASCADE, related_name="letters")
    recipients = models.ManyToManyField(
        CustodyHolder, related_name="letters", verbose_name=_("recipients")
    )
    observation = models.TextField(_("what we observed"))
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    offer_conversation = models.BooleanField(_("offer a worry conversation"), default=True)
    pdf = models.BinaryField(editable=False)
    pdf_size = models.PositiveIntegerField(editable=False)
    pdf_sha256 = models.CharField(max_length=64, editable=False)
    # What the letter says, as the officer wrote it, for the job that renders the PDF (the PDF
    # is empty until then); erased with the case like the PDF.
    content = models.JSONField(default=dict, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("worry letter")
        verbose_name_plural = _("worry letters")

    def __str__(self) -> str:
        return f"{self.case} · {self.created_at:%Y-%m-%d}"

    @property
    def rendered(self) -> bool:
        return bool(self.pdf_sha256)
