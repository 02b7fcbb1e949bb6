"""Kredsråd, lokalråd and SSP-samråd, their meetings, the yearly samarbejdsplan and its indicators.

Councils discuss aggregates and plans, never named persons (retsplejeloven §§ 111-113 give the
kredsråd general questions of police work, crime trends and the cooperation plan). So nothing here
points at ``people``, ``referrals`` or a forum's persons, and the only people this app names are
its members. ``tests/test_no_personal_data.py`` inspects every field of every model below and
fails when a relation or a free-text field is added without a decision about it.

Public pages show a plan only once it is published, and a published version is frozen: changing
it means a new version, which goes through the kredsråd again. That publication is the review of
every text a plan holds; internal notes, minutes, comments and year-end input are never public.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# Retsplejeloven § 112 and bekendtgørelse nr. 1426 af 13/12/2006 § 3: the police director calls
# the kredsråd at least four times a year. [S2] part 1 §2: every lokalråd meets four times a
# year; [S3]: the SSP-samråd six times.
MINIMUM_MEETINGS = {"kredsraad": 4, "lokalraad": 4, "ssp_samraad": 6}
# Community members often sit for two years (DOMAIN.md); their end is flagged two months ahead.
TERM_WARNING_DAYS = 61


class Council(models.Model):
    class Kind(models.TextChoices):
        KREDSRAAD = "kredsraad", _("District council (kredsråd)")
        LOKALRAAD = "lokalraad", _("Local council (lokalråd)")
        SSP_SAMRAAD = "ssp_samraad", _("SSP council (SSP-samråd)")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    police_district = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("police district"),
    )
    # A lokalråd serves one municipality; the kredsråd and the SSP-samråd the whole district.
    municipality = models.ForeignKey(
        "organisations.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="lokalraad", municipality__isnull=False)
                | (~Q(kind="lokalraad") & Q(municipality__isnull=True)),
                name="council_lokalraad_has_municipality",
            ),
            models.UniqueConstraint(
                fields=["police_district"],
                condition=Q(kind="kredsraad"),
                name="council_one_kredsraad_per_district",
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(kind="lokalraad"),
                name="council_one_lokalraad_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def minimum_meetings(self) -> int:
        return MINIMUM_MEETINGS[self.kind]


class CouncilMember(models.Model):
    """A seat: a user of Sporskifte or a named official or community member without an account."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        MEMBER = "member", _("Member")
        SECRETARY = "secretary", _("Secretary")

    class Standing(models.TextChoices):
        # Mayors, the police director, municipal heads, police staff: named in the public plan.
        PUBLIC_OFFICIAL = "public_official", _("Public official")
        # Residents, associations, businesses: never named on a public page.
        COMMUNITY = "community", _("Community member")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_seats",
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    standing = models.CharField(
        _("standing"), max_length=16, choices=Standing.choices, default=Standing.PUBLIC_OFFICIAL
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    substitute_for = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="substitutes",
        verbose_name=_("substitute for"),
    )

    class Meta:
        ordering = ["role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="council_member_term_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_current(self, on: dt.date) -> bool:
        return self.term_start <= on and (self.term_end is None or self.term_end >= on)

    def term_ending_soon(self, on: dt.date) -> bool:
        return (
            self.standing == self.Standing.COMMUNITY
            and self.term_end is not None
            and on <= self.term_end <= on + dt.timedelta(days=TERM_WARNING_DAYS)
        )


class CouncilMeeting(models.Model):
    """A meeting of a council. Its own small model rather than the fora's: a forum's meeting
    carries agenda items about persons, and a council's never may."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place"), max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # Minutes are approved at the council's next meeting ([S2] part 1; bekendtgørelsen § 3).
    minutes_approved_at = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="approved_minutes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["council", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.council} · {self.starts_at:%Y-%m-%d}"


class AgendaItem(models.Model):
    """A theme or a plan on the agenda. There is no person kind, on purpose."""

    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="agenda")
    title = models.CharField(_("title"), max_length=200)
    plan = models.ForeignKey(
        "Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class CouncilAction(models.Model):
    """What a meeting agreed: an owner organisation and a deadline; open ones carry over."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.description


class Plan(models.Model):
    """One version of a council's plan for a year: the district's samarbejdsplan (kredsråd) or a
    lokalråd's local plan."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ON_AGENDA = "on_agenda", _("On the district council's agenda")
        DISCUSSED = "discussed", _("Discussed by the district council")
        APPROVED = "approved", _("Approved by police and municipality")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveIntegerField(_("year"))
    version = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    foreword = models.TextField(_("foreword"), blank=True)
    place_and_date = models.CharField(_("place and date"), max_length=200, blank=True)
    internal_note = models.TextField(_("internal note (never published)"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year", "version"], name="plan_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year}, v{self.version})"

    @property
    def is_district_plan(self) -> bool:
        return self.council.kind == Council.Kind.KREDSRAAD

    @property
    def editable(self) -> bool:
        return self.state == self.State.DRAFT


class PlanApproval(models.Model):
    """A local plan is approved by the police and by the municipality ([S2] part 1 §2)."""

    class Party(models.TextChoices):
        POLICE = "police", _("Police")
        MUNICIPALITY = "municipality", _("Municipality")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="approvals")
    party = models.CharField(_("party"), max_length=16, choices=Party.choices)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "party"], name="plan_approval_once_per_party")
        ]


class PlanSection(models.Model):
    """A numbered section of a part ("DEL 1", "DEL 2"), as in [S2]'s table of contents."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    part = models.PositiveSmallIntegerField(_("part"))
    number = models.CharField(_("number"), max_length=16)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["part", "position", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class FocusArea(models.Model):
    """A prioritised area (indsatsområde): national (the kredsråd's) or local (a municipality's).

    A focus area may run several years; the next year's plan carries it over as a new row that
    points back at the one it continues (``continues``), so each year's version stays as
    published."""

    class Scope(models.TextChoices):
        NATIONAL = "national", _("District-wide")
        LOCAL = "local", _("Local")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="focus_areas")
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    internal_note = models.TextField(_("internal note (never published)"), blank=True)
    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    municipalities = models.ManyToManyField(
        "organisations.Municipality", related_name="+", verbose_name=_("municipalities covered")
    )
    first_year = models.PositiveIntegerField(_("first year"))
    last_year = models.PositiveIntegerField(_("last year"))
    continues = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="continued_by"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["scope", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="focus_area_years_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, related_name="activities")
    description = models.CharField(_("activity"), max_length=500)
    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    # Area-based activities point at the forebyggelsesområder they serve (§4.1 of [S2]).
    areas: models.ManyToManyField[PreventionArea, Any] = models.ManyToManyField(
        "PreventionArea", blank=True, related_name="activities"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class Indicator(models.Model):
    class Direction(models.TextChoices):
        UP = "up", _("Higher is better")
        DOWN = "down", _("Lower is better")

    class Feed(models.TextChoices):
        MANUAL = "", _("Entered by hand or imported")
        # Sporskifte's own figures (``figures.py``).
        REFERRAL_UPTAKE = "referral_uptake", _("Referral uptake (Sporskifte)")
        MEDIATION_MEETINGS = "mediation_meetings", _("Konfliktråd meetings held (Sporskifte)")
        NOTIFICATIONS_SENT = "notifications_sent", _("Notifications sent (Sporskifte)")

    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, related_name="indicators")
    definition = models.CharField(_("definition"), max_length=300)
    source = models.CharField(_("source"), max_length=200)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    feed = models.CharField(_("fed by"), max_length=32, choices=Feed.choices, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.definition


class IndicatorStatus(models.Model):
    class Rag(models.TextChoices):
        RED = "red", _("Red")
        AMBER = "amber", _("Amber")
        GREEN = "green", _("Green")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="statuses")
    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    # Empty when a figure from Sporskifte was withheld to protect a small group.
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True, blank=True)
    rag = models.CharField(_("status"), max_length=8, choices=Rag.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality", "year", "quarter"],
                name="indicator_status_once_per_quarter",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="indicator_status_quarter_1_4"
            ),
        ]


class YearEndInput(models.Model):
    """A lokalråd chair's input to next year's district plan, tied to its draft."""

    draft = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="year_end_inputs")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("input"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "council"], name="year_end_input_once")
        ]


class AreaThresholds(models.Model):
    """The forebyggelsesområde criteria in force from a date (almenboligloven § 61 b, with the
    housing-area definition of § 61 a, stk. 3). Data, not code: the law changes them."""

    valid_from = models.DateField(_("valid from"), unique=True)
    min_residents = models.PositiveIntegerField(default=1000)
    min_non_western_pct = models.DecimalField(max_digits=5, decimal_places=2, default=30)
    max_no_work_pct = models.DecimalField(max_digits=5, decimal_places=2, default=30)
    min_convicted_ratio = models.DecimalField(max_digits=5, decimal_places=2, default=2)
    max_basic_education_pct = models.DecimalField(max_digits=5, decimal_places=2, default=60)
    max_income_pct = models.DecimalField(max_digits=5, decimal_places=2, default=65)
    min_criteria = models.PositiveSmallIntegerField(default=2)
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["-valid_from"]


class PreventionArea(models.Model):
    """One housing area's figures for one year, as the ministry publishes them (aggregates)."""

    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("area"), max_length=200)
    year = models.PositiveIntegerField(_("year"))
    residents = models.PositiveIntegerField(_("residents"))
    non_western_pct = models.DecimalField(max_digits=5, decimal_places=2)
    no_work_pct = models.DecimalField(max_digits=5, decimal_places=2)
    convicted_ratio = models.DecimalField(max_digits=5, decimal_places=2)
    basic_education_pct = models.DecimalField(max_digits=5, decimal_places=2)
    income_pct = models.DecimalField(max_digits=5, decimal_places=2)
    reported_crimes = models.PositiveIntegerField(_("reported crimes"), null=True, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name", "year"], name="prevention_area_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"
