"""The people Sporskifte is about. Everything that identifies a person lives on this one row,
so erasing it at the end of retention is a real deletion (a soft delete is not one)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Person(models.Model):
    class Register(models.TextChoices):
        # Purpose limitation: a worry case keeps its own person row (see concerns/models.py),
        # so only the referral register holds one row per identity number.
        REFERRALS = "referrals", _("Referral programmes")
        CONCERNS = "concerns", _("Worry conversations")
        EXIT = "exit", _("Exit programme")
        # A mediation case's parties: their own rows, for the same reason as worry cases.
        MEDIATION = "mediation", _("Victim-offender mediation")
        # Socialsøg's children and adults, made when a look at them is first audited so the
        # data subject's look-up finds screening looks too (screening/subjects.py).
        SCREENING = "screening", _("Screening for children at risk")

    class IdKind(models.TextChoices):
        CPR = "cpr", _("Danish CPR number")
        PERSONNUMMER = "personnummer", _("Swedish personal identity number")
        NONE = "none", _("No identity number")

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        UNKNOWN = "U", _("Not known")

    full_name = models.CharField(_("full name"), max_length=200)
    id_kind = models.CharField(
        _("kind of identity number"), max_length=16, choices=IdKind.choices, default=IdKind.NONE
    )
    id_number = models.CharField(_("identity number"), max_length=12, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    home_municipality = models.ForeignKey(
        "organisations.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("home municipality"),
        related_name="+",
    )
    # The police district that registered the person: the data controller.
    police_district = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    register = models.CharField(
        max_length=10, choices=Register.choices, default=Register.REFERRALS, editable=False
    )
    # Made-up people created by the demo and the tests, never real ones.
    is_test_data = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["police_district", "id_number"])]
        constraints = [
            # One person per identity number in a district's referral register (the district
            # is the data controller): a move updates that row, with its history kept below.
            models.UniqueConstraint(
                fields=["police_district", "id_kind", "id_number"],
                condition=models.Q(register="referrals") & ~models.Q(id_number=""),
                name="person_one_row_per_identity",
            ),
            # Two looks at once must not make two rows for one screened person.
            models.UniqueConstraint(
                fields=["police_district", "id_kind", "id_number"],
                condition=models.Q(register="screening") & ~models.Q(id_number=""),
                name="person_one_screening_row_per_identity",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def id_display(self) -> str:
        n = self.id_number
        if self.id_kind == self.IdKind.CPR and len(n) == 10:
            return f"{n[:6]}-{n[6:]}"
        if self.id_kind == self.IdKind.PERSONNUMMER and len(n) == 12:
            return f"{n[:8]}-{n[8:]}"
        return n

    def age_on(self, day: dt.date) -> int | None:
        if not self.birth_date:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class PersonDetailChange(models.Model):
    """An earlier value of a person's contact details or home municipality.

    A later registration (a batch, a single offer) or an officer's correction updates the person;
    the value it replaced is kept here, so a question like "where did the referral of March go,
    and why" can still be answered. Erased with the person.
    """

    class Field(models.TextChoices):
        PHONE = "phone", _("phone")
        EMAIL = "email", _("e-mail")
        HOME_MUNICIPALITY = "home_municipality", _("home municipality")
        FULL_NAME = "full_name", _("full name")

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("A new registration")
        CORRECTION = "correction", _("Corrected by an officer")
        MERGE = "merge", _("Duplicate rows merged")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="detail_changes")
    field = models.CharField(max_length=20, choices=Field.choices)
    # The municipality as its code and name: the value as it was, readable without a join.
    old_value = models.CharField(max_length=254, blank=True)
    new_value = models.CharField(max_length=254, blank=True)
    source = models.CharField(max_length=12, choices=Source.choices)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("earlier person detail")
        verbose_name_plural = _("earlier person details")
