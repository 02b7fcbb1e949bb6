"""Socialsøg: the district's incident records screened for children at risk, and the
notifications (underretninger / orosanmälningar) that reach the child's municipality.

Identity numbers live on these rows, not in ``people``: the screening register has its own
purpose (purpose limitation, databeskyttelsesloven § 8) and its own retention, so erasing it is
a real deletion that touches no referral. The codes searched are the district's configuration
(``DistrictCode``, ``RuleVersion``), never code: they are not public.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

District = "organisations.Organisation"


class DistrictCode(models.Model):
    """The district's list of incident and offence codes (reference data, editable)."""

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Incident code")
        OFFENCE = "offence", _("Offence code")

    police_district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=16)
    label = models.CharField(_("label"), max_length=200)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["police_district", "kind", "code"], name="screening_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class ReasonCategory(models.TextChoices):
    """Statistics Denmark's reason categories for notifications (the fixed list)."""

    VIOLENCE = "violence", _("Violence or abuse in the family")
    SUBSTANCE = "substance", _("Parents' substance abuse")
    PARENT_MENTAL = "parent_mental", _("Parents' mental health")
    DOMESTIC_CONFLICT = "domestic_conflict", _("Conflicts in the home")
    CRIME = "crime", _("The child's own crime")
    NEGLECT = "neglect", _("Neglect")
    SUICIDE = "suicide", _("Suicide threat or self-harm")
    OTHER = "other", _("Other")


class Rule(models.Model):
    police_district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["police_district", "name"], name="screening_rule_name")
        ]

    def __str__(self) -> str:
        return self.name


class RuleVersion(models.Model):
    """A rule as it stood: a hit names the version that fired, so a later change of codes or
    threshold never rewrites why an earlier notification was sent."""

    class Relation(models.TextChoices):
        LIVES_WITH_CHILD = "lives_with_child", _("The adult lives with a child under 18")

    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    incident_codes = models.JSONField(_("incident codes"), default=list)
    offence_codes = models.JSONField(_("offence codes"), default=list)
    window_days = models.PositiveIntegerField(_("window (days)"), default=365)
    threshold = models.PositiveIntegerField(_("incidents at least"), default=2)
    relation = models.CharField(
        max_length=20, choices=Relation.choices, default=Relation.LIVES_WITH_CHILD
    )
    roles = models.JSONField(_("roles of the adult"), default=list)
    child_min_age = models.PositiveSmallIntegerField(_("child at least (years)"), default=0)
    child_max_age = models.PositiveSmallIntegerField(_("child at most (years)"), default=17)
    adult_min_age = models.PositiveSmallIntegerField(_("adult at least (years)"), default=18)
    reason_category = models.CharField(
        _("reason category"), max_length=20, choices=ReasonCategory.choices
    )
    facts_template = models.TextField(_("facts template"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rule", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "number"], name="screening_rule_version")
        ]

    def __str__(self) -> str:
        return f"{self.rule.name} v{self.number}"


class PersonRole(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    VICTIM = "victim", _("Victim")
    INVOLVED = "involved", _("Involved")
    REPORTER = "reporter", _("Reporter")


class Incident(models.Model):
    """One version of a police incident record (journal number + version, as the police's own
    systems number them). A new version is a new row; only the newest counts in a run."""

    police_district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    journal_number = models.CharField(_("journal number"), max_length=32)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(default=True)
    incident_code = models.CharField(_("incident code"), max_length=16)
    offence_code = models.CharField(_("offence code"), max_length=16, blank=True)
    occurred_at = models.DateTimeField(_("time"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "organisations.Municipality", null=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["police_district", "journal_number", "version"],
                name="screening_incident_version",
            )
        ]
        # The full run counts the current incidents in its window from this index alone, and
        # retention finds the old ones.
        indexes = [
            models.Index(
                fields=["police_district", "occurred_at", "is_current"], name="screening_inc_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.journal_number} v{self.version}"


class IncidentPerson(models.Model):
    """A person in an incident. District, time and codes are copied from the incident (which is
    immutable per version) so the weekly run reads one table with one index, not a join."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    id_number = models.CharField(_("identity number"), max_length=12)
    name = models.CharField(_("name"), max_length=200, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=PersonRole.choices)
    police_district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    is_current = models.BooleanField(default=True)
    occurred_at = models.DateTimeField()
    incident_code = models.CharField(max_length=16)
    offence_code = models.CharField(max_length=16, blank=True)

    class Meta:
        indexes = [
            # The run's search reads only this index (covering): each code of a rule is one
            # range over the window, and every column the search filters on or returns follows,
            # so the database never visits the table's rows for the million that do not match.
            models.Index(
                fields=[
                    "police_district",
                    "incident_code",
                    "occurred_at",
                    "is_current",
                    "role",
                    "birth_date",
                    "id_number",
                    "incident_id",
                ],
                name="screening_ip_rule",
            ),
            models.Index(fields=["id_number"], name="screening_ip_number"),
        ]


class HouseholdLink(models.Model):
    """A child (under 18) living with an adult at an address, for a period."""

    class Source(models.TextChoices):
        INCIDENT = "incident", _("Same address in an incident")
        FILE = "file", _("Household file")

    police_district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    child_id_number = models.CharField(max_length=12)
    child_name = models.CharField(max_length=200, blank=True)
    child_birth_date = models.DateField()
    child_sex = models.CharField(max_length=1, default="U")
    adult_id_number = models.CharField(max_length=12)
    address = models.CharField(max_length=200, blank=True)
    # The child's municipality: where a notification about the child goes, wherever the
    # incident happened (barnets lov: the municipality where the child lives acts).
    municipality = models.ForeignKey(
        "organisations.Municipality", null=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FILE)

    class Meta:
        indexes = [models.Index(fields=["adult_id_number"], name="screening_hh_adult")]


class ScreeningRun(models.Model):
    class Mode(models.TextChoices):
        FULL = "full", _("Full")
        INCREMENTAL = "incremental", _("New incidents only")

    police_district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    mode = models.CharField(max_length=12, choices=Mode.choices)
    rule_versions = models.ManyToManyField(RuleVersion, related_name="+")
    incidents_scanned = models.PositiveIntegerField(default=0)
    hits_new = models.PositiveIntegerField(default=0)
    hits_reopened = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    # The highest incident id seen: the next incremental run starts after it.
    last_incident_id = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]


class Hit(models.Model):
    class State(models.TextChoices):
        NEW = "new", _("New")
        DISMISSED = "dismissed", _("Dismissed")
        DRAFTED = "drafted", _("Notification drafted")

    police_district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    # No index of its own: the pair constraint (rule, adult, child) begins with the rule, so it
    # serves every lookup by rule, and a second index would only slow each run's inserts.
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="hits", db_index=False)
    rule_version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(ScreeningRun, on_delete=models.PROTECT, related_name="hits")
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    adult_id_number = models.CharField(max_length=12)
    child_id_number = models.CharField(max_length=12)
    child_name = models.CharField(max_length=200, blank=True)
    child_birth_date = models.DateField()
    child_sex = models.CharField(max_length=1, default="U")
    child_address = models.CharField(max_length=200, blank=True)
    child_municipality = models.ForeignKey(
        "organisations.Municipality", null=True, on_delete=models.PROTECT, related_name="+"
    )
    incidents = models.ManyToManyField(Incident, related_name="hits")
    last_incident_id = models.BigIntegerField()
    last_incident_at = models.DateTimeField()
    # The newest incident a person had looked at; a newer one re-opens the hit.
    reviewed_incident_id = models.BigIntegerField(null=True)
    dismiss_reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-last_incident_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "adult_id_number", "child_id_number"], name="screening_hit_pair"
            )
        ]


class Notification(models.Model):
    class Kind(models.TextChoices):
        SCREENING = "screening", _("From a screening hit")
        # Rigsadvokatmeddelelsen: the police notify the social authorities when a child under
        # 15 is detained or questioned; no rule is involved.
        CHILD_UNDER_15 = "child_under_15", _("Child under 15 detained or questioned")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        SENT = "sent", _("Sent")

    class Channel(models.TextChoices):
        SPORSKIFTE = "sporskifte", _("In Sporskifte")
        SECURE_MAIL = "secure_mail", _("Secure e-mail")
        DIGITAL_POST = "digital_post", _("Digital Post (e-Boks or mit.dk)")

    police_district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # A hit re-opened by a new incident may lead to a second notification.
    hit = models.ForeignKey(
        Hit, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    child_id_number = models.CharField(_("identity number"), max_length=12)
    child_name = models.CharField(_("name"), max_length=200, blank=True)
    child_birth_date = models.DateField(_("birth date"))
    child_sex = models.CharField(max_length=1, default="U")
    child_address = models.CharField(_("address"), max_length=200)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    reason_category = models.CharField(max_length=20, choices=ReasonCategory.choices)
    facts = models.TextField(_("facts"))
    last_incident_at = models.DateTimeField(null=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    on_call_called_at = models.DateTimeField(_("call to the social on-call service"), null=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True)
    sent_at = models.DateTimeField(null=True)
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)
    # The municipality's clocks, set when the notification is sent (see clocks.py).
    acknowledge_due_on = models.DateField(null=True)
    acknowledged_at = models.DateTimeField(null=True)
    assessment_due_at = models.DateTimeField(null=True)
    assessed_at = models.DateTimeField(null=True)
    acute_action = models.BooleanField(null=True)
    decision_due_on = models.DateField(null=True)  # Sweden: förhandsbedömning within 14 days
    feedback_at = models.DateTimeField(null=True)
    investigation_started = models.BooleanField(null=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-drafted_at", "-id"]
        indexes = [models.Index(fields=["municipality", "state"], name="screening_notif_inbox")]


class ImportUpload(models.Model):
    """A file waiting for (or done with) its background import.

    The bytes are kept only until the job has read them; the row then holds the outcome (rows
    imported, or every error with its row and column) for the page that polls it."""

    class Kind(models.TextChoices):
        INCIDENTS = "incidents", _("Incident records")
        HOUSEHOLDS = "households", _("Household file")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Nothing was imported")

    police_district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=200)
    content = models.BinaryField(null=True)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    bytes_read = models.PositiveBigIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.bytes_read * 100 // self.size) if self.size else 0


class OverdueReminder(models.Model):
    """The daily reminder to a sending district about unacknowledged notifications: recorded
    before it is queued, so a re-run of the day's job (or a second scheduler) queues nothing."""

    police_district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField()
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["police_district", "day"], name="screening_overdue_reminder_once_a_day"
            )
        ]
