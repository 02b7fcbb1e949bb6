"""Cooperation fora: who takes part, the persons they discuss, their meetings and actions.

A forum person is a record of the forum, deliberately NOT linked to ``people.Person`` or to any
referral, offer or case: what a forum receives under retsplejeloven § 115 stays in the forum and
may not be used for investigation, so there is no key to join it with police case data, and
erasing a forum's records never touches the referral programme (or the other way round). The same
human being discussed in two fora is two records; information moves between fora only by an
explicit escalation (see ``Escalation``).

A forum's records of a person are deleted ``Forum.retention_days`` after the forum last dealt with
them (``retention.py``); what is left for the counts names no one (see ``AgendaItem`` and
``Action``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sporskifte.fora.frame import (
    RETENTION_MAX_DAYS,
    RETENTION_MIN_DAYS,
    RULES,
    TWO_YEARS,
    ForumKind,
    KindRule,
    LegalBasis,
)


class Forum(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=ForumKind.choices)
    # Every forum lies in one police district; a municipal forum also names its municipality.
    police_district = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        "organisations.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation", related_name="+", verbose_name=_("member organisations")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_test_data = models.BooleanField(default=False)
    # The forum's deletion deadline for what it holds about a person, counted from when it last
    # dealt with them (``retention.py``). New fora start from their kind's default
    # (``frame.RULES``); the model's default only serves rows made without the services.
    retention_days = models.PositiveIntegerField(
        _("retention of information about persons (days)"),
        default=TWO_YEARS,
        validators=[MinValueValidator(RETENTION_MIN_DAYS), MaxValueValidator(RETENTION_MAX_DAYS)],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("forum")
        verbose_name_plural = _("fora")

    def __str__(self) -> str:
        return self.name

    @property
    def rule(self) -> KindRule:
        return RULES[self.kind]

    @property
    def default_basis(self) -> str:
        return self.rule.bases[0]

    @property
    def scope_label(self) -> str:
        return str(self.municipality or self.police_district)


class ForumMember(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_memberships"
    )
    # The member organisation the user speaks for (their own, or the district above their unit).
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    # Leaving keeps the row: it still says who brought what while they were a member.
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "user"],
                condition=Q(left_at__isnull=True),
                name="forum_member_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.forum}"


class ForumPerson(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="persons")
    full_name = models.CharField(_("full name"), max_length=200)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # PSP and the visitation group: the target-group signs (frame.PspSign values).
    psp_signs = models.JSONField(_("target-group signs"), default=list, blank=True)
    # KSP: release from prison.
    release_date = models.DateField(_("release date"), null=True, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    # Ungesamråd.
    charge = models.TextField(_("charge"), blank=True)
    custodial_in_view = models.BooleanField(_("a custodial sentence is in view"), default=False)
    referred_to_ykn = models.BooleanField(
        _("the police referred the case to Ungdomskriminalitetsnævnet"), default=False
    )
    ykn_exception = models.CharField(_("exception"), max_length=32, blank=True)
    recommendation = models.TextField(_("recommendation to the court"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_test_data = models.BooleanField(default=False)

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("forum person")
        verbose_name_plural = _("forum persons")

    def __str__(self) -> str:
        return self.full_name


class ForumConsent(models.Model):
    """Consent as a record: what was agreed, how, when, by whom it was given and taken."""

    class Method(models.TextChoices):
        SIGNED = "signed", _("Signed")
        ORAL = "oral", _("Orally, to the member")
        DIGITAL = "digital", _("Digitally")

    person = models.ForeignKey(ForumPerson, on_delete=models.CASCADE, related_name="consents")
    text = models.TextField(_("what was agreed"))
    method = models.CharField(_("how"), max_length=16, choices=Method.choices)
    given_by = models.CharField(_("given by"), max_length=200)
    given_at = models.DateTimeField(_("given at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.given_by} · {self.given_at:%Y-%m-%d}"


class Share(models.Model):
    """One item of information a member brought to the forum about a person."""

    person = models.ForeignKey(ForumPerson, on_delete=models.CASCADE, related_name="shares")
    legal_basis = models.CharField(_("legal basis"), max_length=16, choices=LegalBasis.choices)
    other_basis = models.CharField(_("statutory basis"), max_length=200, blank=True)
    consent = models.ForeignKey(
        ForumConsent, null=True, blank=True, on_delete=models.PROTECT, related_name="shares"
    )
    brought_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    brought_by_label = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("why it is shared"), max_length=500)
    information = models.TextField(_("information"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.person} · {self.created_at:%Y-%m-%d}"


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    notice = models.TextField(_("notice"), blank=True)
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["forum", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.forum} · {self.starts_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PLANNED


class AgendaItem(models.Model):
    """A person or a theme on a meeting's agenda, with its own minutes (``notes``).

    When a person is erased, one of their items per quarter at held meetings stays behind with no
    person and no text: it keeps "persons discussed" in ``counts.py`` as it was, and says nothing
    about anyone. The check constraint lets a person item lose its person only in that shape.
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        THEME = "theme", _("Theme")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    person = models.ForeignKey(
        ForumPerson, null=True, blank=True, on_delete=models.CASCADE, related_name="agenda_items"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    reason = models.CharField(_("why on the agenda"), max_length=500, blank=True)
    notes = models.TextField(_("minutes of the item"), blank=True)
    position = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="person") & Q(person__isnull=False))
                | (
                    Q(kind="person")
                    & Q(person__isnull=True)
                    & Q(title="")
                    & Q(reason="")
                    & Q(notes="")
                )
                | (Q(kind="theme") & Q(person__isnull=True) & ~Q(title="")),
                name="agenda_item_person_or_theme",
            )
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.PERSON:
            return str(self.person) if self.person else gettext("(erased)")
        return self.title


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(ForumMember, on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]


class Action(models.Model):
    """What the forum agreed: one owner organisation, one deadline.

    When the person it is about is erased the action stays for the counts, without the person and
    without its description (which may name them): owner, deadline, status and dates only.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    person = models.ForeignKey(
        ForumPerson, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["forum", "status", "deadline"])]

    def __str__(self) -> str:
        return self.description


class Escalation(models.Model):
    """A PSP person lifted from a local group to the district's visitation group.

    ``to_person`` is a new record in the visitation group holding only what may travel:
    name, birth date, target-group signs, the reason, and the agreed actions' status
    (``carried_actions``). The local shares, minutes and consents stay behind.
    """

    from_person = models.ForeignKey(
        ForumPerson, null=True, on_delete=models.SET_NULL, related_name="escalations_out"
    )
    from_forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="+")
    to_person = models.OneToOneField(
        ForumPerson, on_delete=models.CASCADE, related_name="escalated_in"
    )
    reason = models.TextField(_("why the local group cannot lift it"))
    legal_basis = models.CharField(max_length=16, choices=LegalBasis.choices)
    carried_actions = models.JSONField(default=list)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)


class CalendarFeed(models.Model):
    """A member's secret calendar address. Only a digest is kept; the address is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
