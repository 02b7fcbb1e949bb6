"""Bandeexit: helping a gang member who wants out, run by the municipality, the police and the
prison and probation service together in the district's exit unit.

A case starts with a visitation that tests motivation and suitability, scored against the
district's own checklist (its criteria and weights are data); an admitted candidate signs an
agreement (its text versioned) listing the support elements, each with an owner; the case ends
completed or broken off. For a candidate in custody the prison and probation service owns the
case until release, when a handover task reaches the local coordinators. A protected new
address is seen by the case's coordinators only, every look audited, and is never exported.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sporskifte.organisations.models import Organisation
from sporskifte.people.models import Person


class ExitUnit(models.Model):
    district = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="exit_unit",
        limit_choices_to={"kind": Organisation.Kind.POLICE_DISTRICT},
    )
    name = models.CharField(_("name"), max_length=200)

    def __str__(self) -> str:
        return self.name


class ExitCoordinator(models.Model):
    """A coordinator of the unit, from the municipality, the police or the prison and probation
    service (the organisation of their membership says which)."""

    unit = models.ForeignKey(ExitUnit, on_delete=models.CASCADE, related_name="coordinators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exit_coordinations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="exit_coordinator_once")
        ]


class Criterion(models.Model):
    """One item of the district's screening model (which gang members to approach)."""

    unit = models.ForeignKey(ExitUnit, on_delete=models.CASCADE, related_name="criteria")
    text = models.CharField(_("criterion"), max_length=300)
    weight = models.PositiveSmallIntegerField(_("weight"))
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["pk"]


class AgreementText(models.Model):
    unit = models.ForeignKey(ExitUnit, on_delete=models.CASCADE, related_name="agreement_texts")
    version = models.PositiveIntegerField()
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "version"], name="exit_agreement_version")
        ]


class ExitCase(models.Model):
    class Source(models.TextChoices):
        POLICE = "police", _("Police")
        MUNICIPALITY = "municipality", _("Municipality")
        PRISON_PROBATION = "prison_probation", _("Prison and probation service")
        SELF = "self", _("The candidate themself")

    class State(models.TextChoices):
        VISITATION = "visitation", _("Visitation")
        ADMITTED = "admitted", _("Admitted")
        REJECTED = "rejected", _("Rejected")
        ACTIVE = "active", _("Active (agreement signed)")
        COMPLETED = "completed", _("Completed")
        BROKEN_OFF = "broken_off", _("Broken off")

    class Owner(models.TextChoices):
        PRISON_PROBATION = "prison_probation", _("Prison and probation service (in custody)")
        LOCAL = "local", _("The local exit unit")

    class EndReason(models.TextChoices):
        WITHDREW = "withdrew", _("The candidate withdrew")
        NEW_CRIME = "new_crime", _("New crime")
        MOVED = "moved", _("Moved away")
        NO_CONTACT = "no_contact", _("No contact")
        OTHER = "other", _("Other")

    unit = models.ForeignKey(ExitUnit, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    referred_by = models.CharField(_("referred by"), max_length=20, choices=Source.choices)
    in_custody = models.BooleanField(_("in custody"))
    release_date = models.DateField(_("release date"), null=True, blank=True)
    owner = models.CharField(max_length=20, choices=Owner.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.VISITATION)
    visitation_started_on = models.DateField()
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.CharField(max_length=500, blank=True)
    agreement_text = models.ForeignKey(
        AgreementText, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-visitation_started_on", "-pk"]
        indexes = [models.Index(fields=["unit", "state"])]


class Score(models.Model):
    case = models.ForeignKey(ExitCase, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField()
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scored_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "criterion"], name="exit_score_once")
        ]


class SupportElement(models.Model):
    class Kind(models.TextChoices):
        HOUSING = "housing", _("Housing")
        MONEY = "money", _("Money and debt")
        TREATMENT = "treatment", _("Treatment")
        MENTOR = "mentor", _("Mentor")
        FAMILY = "family", _("Family")
        EDUCATION_WORK = "education_work", _("Education or work")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    case = models.ForeignKey(ExitCase, on_delete=models.CASCADE, related_name="elements")
    kind = models.CharField(_("support"), max_length=16, choices=Kind.choices)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="exit_element_once")]


class Milestone(models.Model):
    case = models.ForeignKey(ExitCase, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]


class ProtectedAddress(models.Model):
    case = models.OneToOneField(ExitCase, on_delete=models.CASCADE, related_name="address")
    address = models.CharField(max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()


class Handover(models.Model):
    """On the release date the case passes from the prison and probation service to the local
    coordinators; this is their task until one of them takes it."""

    case = models.OneToOneField(ExitCase, on_delete=models.CASCADE, related_name="handover")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
