"""Konfliktråd (Denmark) and medling vid brott (Sweden): from proposal to kept agreement.

Legal frame, checked against the acts in force (2026):
- Lov nr. 467 af 12/06/2009 om konfliktråd i anledning af en strafbar handling: one konfliktråd
  per police district (§ 1); both parties consent (§ 2, stk. 1), the custody holder too for a
  party under 18 (§ 2, stk. 2); the offender has substantially confessed (§ 2, stk. 3); it ends
  when the mediator decides or a party withdraws consent (§ 3, stk. 3); it does not replace
  punishment (§ 4); the mediator's duty of confidentiality (§ 5, straffeloven § 152).
- Lag (2002:445) om medling med anledning av brott: voluntary for both; the crime reported to
  the police and admitted (5 §, as amended by SFS 2014:625); under 12 only for "synnerliga skäl"
  (5 § andra stycket); "skyndsamt", and the förundersökningsledare consulted when medling happens
  before the preliminary investigation is closed (6 §).

The service's mediation organisation (``Organisation.Kind.MEDIATION_SERVICE``) hangs under the
police district it serves (``parent``): § 1 makes the police director establish the konfliktråd.

Figures outlive the case: each case has a name-free ``CaseFigures`` row kept in step by the
services; erasing the case at the end of retention leaves that row (its link set to NULL), so a
past year's figures stand.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Two years after the case closed. Why: a court may weigh participation when it sentences
# (DOMAIN §6), and trials and appeals often run a year or more after the meeting; payment terms
# in agreements typically run up to a year; a complaint about the mediation must be answerable.
# Beyond that the police case file (which holds the agreement if the parties said yes) is the
# record; the konfliktråd's own copy has no further purpose. Each district may set its own.
DEFAULT_RETENTION_DAYS = 730
# What a district may choose. At least a year: payment terms run up to a year and the case must
# answer a complaint about the mediation. At most five years: past that the police case file
# (which holds the agreement under the parties' yes) is the record, and longer keeping of data on
# offences has no purpose the konfliktråd can name (databeskyttelsesloven § 8).
MIN_RETENTION_DAYS = 365
MAX_RETENTION_DAYS = 5 * 365
ADULT_AGE = 18
SE_MIN_AGE = 12  # 2002:445 5 § andra stycket: under 12 only for synnerliga skäl


class State(models.TextChoices):
    PROPOSED = "proposed", _("New proposal")
    UNSUITABLE = "unsuitable", _("Judged unsuitable")
    SUITABLE = "suitable", _("Judged suitable")
    CONTACTING = "contacting", _("Contacting the parties")
    AWAITING_CONSENT = "awaiting_consent", _("Waiting for consent")
    READY = "ready", _("Ready for a mediator")
    ASSIGNED = "assigned", _("Mediator assigned")
    MEETING_BOOKED = "meeting_booked", _("Meeting booked")
    MEETING_HELD = "meeting_held", _("Meeting held")
    AGREEMENT = "agreement", _("Agreement: terms running")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn by a party")
    ENDED = "ended", _("Ended by the mediator")


CLOSED_STATES = frozenset({State.UNSUITABLE, State.COMPLETED, State.WITHDRAWN, State.ENDED})


class Source(models.TextChoices):
    POLICE = "police", _("Police")
    PARTY = "party", _("A party")
    PARENT = "parent", _("Parent")
    SOCIAL_SERVICES = "social_services", _("Social services")
    SCHOOL = "school", _("School")
    DEFENCE = "defence", _("Defence counsel")
    PROSECUTION = "prosecution", _("Prosecution")
    PRISON_PROBATION = "prison_probation", _("Prison and probation service")
    OTHER = "other", _("Other")


class OffenceCategory(models.TextChoices):
    VIOLENCE = "violence", _("Violence")
    ROBBERY = "robbery", _("Robbery")
    BURGLARY = "burglary", _("Burglary and theft")
    VANDALISM = "vandalism", _("Vandalism")
    THREATS = "threats", _("Threats")
    NEIGHBOUR = "neighbour", _("Neighbour dispute")
    OTHER = "other", _("Other")


class EndReason(models.TextChoices):
    OFFENDER_WITHDREW = "offender_withdrew", _("The offender withdrew")
    VICTIM_WITHDREW = "victim_withdrew", _("The victim withdrew")
    NO_CONSENT = "no_consent", _("Consent not given")
    NOT_REACHED = "not_reached", _("A party could not be reached")
    MEDIATOR_ENDED = "mediator_ended", _("The mediator ended the mediation")
    NO_CONFESSION = "no_confession", _("No confession")
    OTHER = "other", _("Other")


class Settings(models.Model):
    """A district's own choices for its konfliktråd / medling."""

    district = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    retention_days = models.PositiveIntegerField(
        _("days a closed case is kept"), default=DEFAULT_RETENTION_DAYS
    )

    class Meta:
        verbose_name = _("mediation settings")
        verbose_name_plural = _("mediation settings")


class ConsentText(models.Model):
    """An immutable version of a district's consent text; a change makes a new version."""

    district = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField()
    text = models.TextField(_("consent text"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["district", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "version"], name="mediation_consent_version"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class MediatorProfile(models.Model):
    """A civilian mediator: the areas they take cases in and their employer (never a party's)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mediator_profile"
    )
    areas = models.ManyToManyField("organisations.Municipality", blank=True, related_name="+")
    employer = models.CharField(_("employer"), max_length=200, blank=True)

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class DeclaredRelation(models.Model):
    """Someone the mediator knows: a case with them as a party is not the mediator's
    (neutrality, lov om konfliktråd § 1; forvaltningsloven § 3 on disqualification)."""

    mediator = models.ForeignKey(
        MediatorProfile, on_delete=models.CASCADE, related_name="relations"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    id_number = models.CharField(_("identity number"), max_length=12, blank=True)


class MediationCase(models.Model):
    district = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    country = models.CharField(max_length=2)
    area = models.ForeignKey(
        "organisations.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    journal_number = models.CharField(_("journal number"), max_length=40, blank=True)
    offence = models.ForeignKey(
        "referrals.Offence", on_delete=models.PROTECT, related_name="+", verbose_name=_("offence")
    )
    offence_date = models.DateField(_("date of the offence"))
    summary = models.TextField(_("what happened"), blank=True)
    category = models.CharField(
        _("kind of offence"),
        max_length=12,
        choices=OffenceCategory.choices,
        default=OffenceCategory.OTHER,
    )
    source = models.CharField(_("proposed by"), max_length=20, choices=Source.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposer_organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposer_name = models.CharField(_("proposer"), max_length=200, blank=True)
    proposed_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PROPOSED)
    state_changed_at = models.DateTimeField()
    screening_note = models.TextField(_("reason for the screening decision"), blank=True)
    # Sweden: 2002:445 5 § (reported to the police) and 6 § (consultation before the
    # preliminary investigation is closed).
    police_report_number = models.CharField(_("police report number"), max_length=40, blank=True)
    investigation_closed = models.BooleanField(
        _("the preliminary investigation is closed"), default=False
    )
    ful_name = models.CharField(_("förundersökningsledare consulted"), max_length=200, blank=True)
    ful_consulted_at = models.DateTimeField(_("consulted"), null=True, blank=True)
    ful_answer = models.TextField(_("the förundersökningsledare's answer"), blank=True)
    special_reasons = models.TextField(_("synnerliga skäl (offender under 12)"), blank=True)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.CharField(_("reason"), max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.TextField(_("note"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        indexes = [
            models.Index(fields=["district", "state", "state_changed_at"]),
            models.Index(fields=["mediator", "state"]),
            models.Index(fields=["closed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.journal_number or self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED_STATES

    @property
    def reference(self) -> str:
        return self.reference_of(self.country, self.pk)

    @staticmethod
    def reference_of(country: str, pk: int) -> str:
        return f"{'Medling' if country == 'SE' else 'Konfliktråd'} {pk}"


class Party(models.Model):
    class Role(models.TextChoices):
        OFFENDER = "offender", _("Offender")
        VICTIM = "victim", _("Victim")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    # The offender's confession (DK § 2, stk. 3) or admission (SE 5 §).
    admitted_at = models.DateTimeField(_("confessed"), null=True, blank=True)
    admitted_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The party's yes to the agreement going into the police case file.
    file_yes_at = models.DateTimeField(null=True, blank=True)
    withdrew_at = models.DateTimeField(null=True, blank=True)
    contacted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) ^ ~models.Q(organisation_name=""),
                name="mediation_party_person_or_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.person.full_name if self.person is not None else self.organisation_name

    @property
    def age_at_offence(self) -> int | None:
        if self.person is None:
            return None
        return self.person.age_on(self.case.offence_date)

    def age_today(self, today: dt.date) -> int | None:
        return None if self.person is None else self.person.age_on(today)


class CustodyHolder(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="custody_holders")
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.full_name


class Supporter(models.Model):
    """Someone who comes along (lov om konfliktråd § 1, 2. pkt.): by name only."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="supporters")
    full_name = models.CharField(_("full name"), max_length=200)

    class Meta:
        ordering = ["id"]


class Consent(models.Model):
    class Method(models.TextChoices):
        SIGNED = "signed", _("Signed")
        ORAL = "oral", _("Orally")
        DIGITAL = "digital", _("Digitally")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="consents")
    # Set when the consent is the custody holder's (§ 2, stk. 2) rather than the party's own.
    custody_holder = models.ForeignKey(
        CustodyHolder, null=True, blank=True, on_delete=models.CASCADE, related_name="consents"
    )
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents")
    method = models.CharField(_("how consent was given"), max_length=10, choices=Method.choices)
    given_at = models.DateTimeField(_("given"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["given_at"]


class PreMeeting(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="pre_meetings")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="pre_meetings")
    held_on = models.DateField(_("date"))

    class Meta:
        ordering = ["held_on", "id"]


class Meeting(models.Model):
    class Kind(models.TextChoices):
        MEDIATION = "mediation", _("Mediation meeting")
        CONFERENCE = "conference", _("Conference")

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    place = models.CharField(_("neutral place"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    attendees = models.ManyToManyField(Party, blank=True, related_name="+")
    others_present = models.CharField(_("others present"), max_length=300, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"])]


class MediatorNote(models.Model):
    """The mediator's own notes: seen by their author alone (§ 5), not by the coordinator."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class Agreement(models.Model):
    case = models.OneToOneField(MediationCase, on_delete=models.CASCADE, related_name="agreement")
    text = models.TextField(_("the agreement"))
    made_on = models.DateField(_("made on"))


class Term(models.Model):
    class Kind(models.TextChoices):
        APOLOGY = "apology", _("Apology")
        PAYMENT = "payment", _("Payment")
        WORK = "work", _("Work")
        BEHAVIOUR = "behaviour", _("Behaviour")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Kept")
        NOT_KEPT = "not_kept", _("Not kept")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="terms")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("what"), max_length=300)
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]


class TermReminder(models.Model):
    """A reminder about a term, recorded before its e-mail is queued: one per term and kind,
    so a re-run of the day's job (or a second scheduler) queues nothing."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the due date")
        AFTER = "after", _("After the due date")

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "kind"], name="mediation_term_reminder_once")
        ]


class Letter(models.Model):
    """Kept in the database like the worry letters (see concerns/models.py): erased with the
    case."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation letter")
        CONFIRMATION = "confirmation", _("Confirmation of the agreement")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="letters")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    language = models.CharField(max_length=2)
    pdf = models.BinaryField(editable=False)
    pdf_size = models.PositiveIntegerField(editable=False)
    pdf_sha256 = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class CaseFigures(models.Model):
    """The case as counted: name-free facts kept by the services, left when the case is erased."""

    case = models.OneToOneField(
        MediationCase, null=True, on_delete=models.SET_NULL, related_name="figures"
    )
    district = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=20, choices=Source.choices)
    category = models.CharField(max_length=12, choices=OffenceCategory.choices)
    age_band = models.CharField(max_length=8, blank=True)  # the youngest offender's
    suitable = models.BooleanField(null=True)
    both_consented = models.BooleanField(default=False)
    meeting_held = models.BooleanField(default=False)
    agreement_made = models.BooleanField(default=False)
    agreement_kept = models.BooleanField(null=True)
    days_to_meeting = models.PositiveIntegerField(null=True)
    end_reason = models.CharField(max_length=20, blank=True)

    class Meta:
        indexes = [models.Index(fields=["district", "year"])]


class SatisfactionLink(models.Model):
    """A one-time link for a party's answers. Only the digest is kept, and the link names the
    case, never the party; the answers it produced carry no link back (see below)."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used = models.BooleanField(default=False)

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class SatisfactionAnswer(models.Model):
    """The four questions of the Danish evaluation. No foreign key to the party, the case or the
    link, and no time finer than the year: an answer cannot be traced to who gave it."""

    class Channel(models.TextChoices):
        PAPER = "paper", _("On paper")
        LINK = "link", _("Through the link")

    district = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=12, choices=OffenceCategory.choices)
    channel = models.CharField(max_length=5, choices=Channel.choices)
    got_what_wanted = models.BooleanField()
    fair = models.BooleanField()
    successful = models.BooleanField()
    good_service = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["district", "year"])]
