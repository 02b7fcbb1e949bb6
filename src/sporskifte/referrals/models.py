"""A referral programme: police offer voluntary help; with consent, a partner takes over.

Offer → (answer yes + Consent) → Referral → ContactAttempt / OutcomeStep.
What the police may learn back is capped by ``Programme.feedback_level``; counselling notes
never leave the partner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models.functions import Cast, Floor, Random
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


RECORD_KEY_RANGE = 2**20


class Offence(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    law = models.CharField(_("legal provision"), max_length=200, blank=True)
    country = models.CharField(max_length=2)

    class Meta:
        ordering = ["name"]
        verbose_name = _("offence")
        verbose_name_plural = _("offences")

    def __str__(self) -> str:
        return self.name


class Step(models.TextChoices):
    """Outcome steps a partner records. A programme chooses which of them it uses."""

    FIRST_CONVERSATION = "first_conversation", _("First conversation held")
    FURTHER_SESSIONS = "further_sessions", _("Further sessions accepted")
    DECLINED = "declined", _("Declined")
    UNREACHABLE = "unreachable", _("Unreachable")
    CLOSED = "closed", _("Closed")


CLOSING_STEPS = frozenset({Step.DECLINED, Step.UNREACHABLE, Step.CLOSED})


class Programme(models.Model):
    class Destination(models.TextChoices):
        HOME_CENTRE = "home_centre", _("The substance-abuse centre of the person's municipality")
        FIXED_PARTNER = "fixed_partner", _("One fixed partner")

    class Feedback(models.IntegerChoices):
        NOTHING = 0, _("Nothing beyond 'referred'")
        CONTACT_MADE = 1, _("Whether contact was made")
        OUTCOME = 2, _("The outcome step")

    police_district = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    offences = models.ManyToManyField(Offence, verbose_name=_("offences"), blank=True)
    destination = models.CharField(
        _("where an accepted offer goes"), max_length=20, choices=Destination.choices
    )
    fixed_partner = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fixed_programmes",
        verbose_name=_("fixed partner"),
    )
    feedback_level = models.PositiveSmallIntegerField(
        _("the most the police may learn back"),
        choices=Feedback.choices,
        default=Feedback.CONTACT_MADE,
    )
    contact_deadline_days = models.PositiveSmallIntegerField(
        _("partner's contact deadline (days)"), default=5
    )
    outcome_steps = models.JSONField(_("outcome steps"), default=list)
    has_prevention_conversation = models.BooleanField(
        _("offers a conversation with police prevention staff"), default=False
    )
    retention_days = models.PositiveIntegerField(
        _("retention of personal data (days)"), default=2 * 365
    )
    # [S4] (X-Cons): offered to those detained (häktade), in consultation with the
    # prosecutor, with support for relatives too.
    for_detained = models.BooleanField(
        _("for detained persons: the referral names the detention facility and restrictions"),
        default=False,
    )
    prosecutor_consultation = models.BooleanField(
        _("the offer is made in consultation with the prosecutor"), default=False
    )
    offers_relatives = models.BooleanField(_("relatives can be offered support"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    def step_choices(self) -> list[tuple[str, StrOrPromise]]:
        return [(s.value, s.label) for s in Step if s.value in self.outcome_steps]


class ConsentText(models.Model):
    """An immutable version of a programme's consent text; editing makes a new version."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="consent_texts")
    version = models.PositiveIntegerField()
    text = models.TextField(_("consent text"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["programme", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "version"], name="consent_text_version")
        ]

    def __str__(self) -> str:
        return f"{self.programme} v{self.version}"


class Case(models.Model):
    """A police case (journal number) that may bring many suspects at once."""

    police_district = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    journal_number = models.CharField(_("journal number"), max_length=40)
    title = models.CharField(_("title"), max_length=200, blank=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cases", verbose_name=_("programme")
    )
    offence = models.ForeignKey(
        Offence, on_delete=models.PROTECT, related_name="+", verbose_name=_("offence")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["police_district", "journal_number"], name="case_journal_unique"
            )
        ]

    def __str__(self) -> str:
        return self.journal_number


class Offer(models.Model):
    """One person's encounter with the programme: asked or still to be asked."""

    class Answer(models.TextChoices):
        NOT_ASKED = "not_asked", _("Not yet asked")
        YES = "yes", _("Yes")
        NO = "no", _("No")
        THINKING = "thinking", _("Wants to think it over")

    class Prevention(models.TextChoices):
        NOT_ASKED = "not_asked", _("Not offered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="offers")
    # Null once the person is erased at the end of retention; the counts below survive.
    person = models.ForeignKey(
        "people.Person", null=True, on_delete=models.SET_NULL, related_name="offers"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="offers"
    )
    police_district = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    police_unit = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    journal_number = models.CharField(_("journal number"), max_length=40, blank=True)
    offence = models.ForeignKey(
        Offence, on_delete=models.PROTECT, related_name="+", verbose_name=_("offence")
    )
    offence_date = models.DateField(_("date of the offence"))
    answer = models.CharField(
        _("answer"), max_length=12, choices=Answer.choices, default=Answer.NOT_ASKED
    )
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    prevention_conversation = models.CharField(
        _("conversation with prevention staff"),
        max_length=12,
        choices=Prevention.choices,
        default=Prevention.NOT_ASKED,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # For a programme for detained persons: where the person is held and what the prosecutor's
    # restrictions allow (visits, letters, phone), so the partner knows how to reach them.
    detention_facility = models.CharField(_("detention facility"), max_length=200, blank=True)
    restrictions = models.TextField(_("restrictions"), blank=True)
    # An offer of support to a relative of a detained person: its own person and its own
    # consent, linked to the detained person's offer.
    relative_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="relative_offers",
        verbose_name=_("relative of"),
    )
    relation = models.CharField(_("relation to the detained person"), max_length=100, blank=True)
    # Coarse, non-identifying facts for evaluation; kept after erasure.
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    home_municipality = models.ForeignKey(
        "organisations.Municipality", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    # The cell-key method's record key (docs/figures-protection.md): random, fixed for life, never
    # shown. A published count's noise follows from the sum of its offers' keys, so the same
    # group of offers always gets the same noise however it is asked for. The database draws it
    # (no Python default), so rows inserted outside the ORM (bulk loads) get one as well.
    record_key = models.PositiveIntegerField(
        db_default=Cast(Floor(Random() * RECORD_KEY_RANGE), models.IntegerField()),
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["police_district", "-id"]),
            models.Index(fields=["police_district", "journal_number"]),
            models.Index(fields=["case", "id"]),
            # The funnel's range (programme, period) with the two answers it counts, so its
            # scan of a programme-year needs no table lookups for them (benchmarks/funnel.py).
            models.Index(
                fields=["programme", "created_at", "answer", "prevention_conversation"],
                name="offer_funnel_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.journal_number} · {self.get_answer_display()}"


class Consent(models.Model):
    class Method(models.TextChoices):
        SIGNED = "signed", _("Signed")
        ORAL = "oral", _("Orally to the officer")
        DIGITAL = "digital", _("Digitally")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="consents")
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents")
    method = models.CharField(_("how consent was given"), max_length=10, choices=Method.choices)
    given_at = models.DateTimeField(_("given"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_via = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            # At most one consent in force per offer.
            models.UniqueConstraint(
                fields=["offer"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_offer",
            )
        ]

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class Referral(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")

    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="referral")
    # Denormalised from the offer so the inbox and the overview filter on one table.
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="referrals")
    police_district = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="referrals_received"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("referred"))
    due_at = models.DateTimeField(_("contact due"))
    # Milestones, copied from the step history so the funnel is one query.
    contact_made_at = models.DateTimeField(null=True, blank=True)
    first_conversation_at = models.DateTimeField(null=True, blank=True)
    further_sessions_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.CharField(max_length=20, choices=Step.choices, blank=True)
    last_step_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Contact that goes on through a prison term ([S4]): the referral waits for its next
    # contact instead of sitting "in progress" or overdue for years.
    long_follow_up = models.BooleanField(_("long follow-up"), default=False)
    next_contact_on = models.DateField(_("next contact"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The partner inbox (selectors.inbox_bucket_q). On SQLite its open buckets are
            # counted from this index alone (it covers every column they test) and paged in
            # (due_at, id) order, testing status and contact on the index entries.
            models.Index(
                fields=["partner", "due_at", "id", "status", "contact_made_at", "long_follow_up"],
                name="referral_partner_due_idx",
            ),
            # The same counts and pages on PostgreSQL: the partner's open referrals only, in due
            # order (most referrals are closed), every column the counts test included. SQLite
            # cannot use it, because Django binds the status values as parameters; PostgreSQL
            # sees them. The condition must stay "finished" of selectors.inbox_bucket_q.
            models.Index(
                fields=["partner", "due_at", "id", "contact_made_at", "long_follow_up", "status"],
                condition=~models.Q(status__in=["closed", "withdrawn"]),
                name="referral_partner_open_idx",
            ),
            # The closed tab's count (selectors.inbox_counts): two ranges of this index.
            models.Index(fields=["partner", "status"], name="referral_partner_status_idx"),
            # Which programmes refer to a partner (selectors.routed_to), one probe each.
            models.Index(fields=["partner", "programme"], name="referral_partner_programme_idx"),
            models.Index(fields=["partner", "-id"]),
            models.Index(fields=["police_district", "-id"]),
            models.Index(fields=["programme", "created_at"]),
            # The figures' referrals still before their contact deadline (insights.rollup):
            # a few days' worth, read from the raw rows because "due" moves with the clock.
            # PostgreSQL joins them to the filtered offers by hash from due_at alone; SQLite,
            # given only that, read every referral of the programme instead (68 ms for a
            # programme-year at 1,000,000 referrals) and needs the programme first. Given only
            # the pair, PostgreSQL chose a slower plan (35 against 22 ms): both are kept.
            models.Index(fields=["due_at"], name="referral_due_idx"),
            models.Index(fields=["programme", "due_at"], name="referral_programme_due_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} → {self.partner}"


class ContactAttempt(models.Model):
    class Method(models.TextChoices):
        PHONE = "phone", _("Phone call")
        SMS = "sms", _("Text message")
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("E-mail")
        MEETING = "meeting", _("In person")
        VISIT = "visit", _("Visit in detention or prison")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField(_("when"))
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    reached = models.BooleanField(_("reached the person"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A correction is a new row naming the one it replaces; the original stays, so the history
    # shows what was first recorded. Only rows nobody corrected count (``effective``).
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="correction"
    )
    reason = models.CharField(_("why it was corrected"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class OutcomeStep(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A correction is a new row naming the one it replaces; the original stays, so the history
    # shows what was first recorded. Only rows nobody corrected count (``effective``).
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="correction"
    )
    reason = models.CharField(_("why it was corrected"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class ProsecutorConsultation(models.Model):
    """[S4]: the offer to a detained person is made in consultation with the prosecutor.
    Who was consulted, when, and the answer."""

    class Answer(models.TextChoices):
        AGREED = "agreed", _("Agreed")
        OBJECTED = "objected", _("Objected")

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="prosecutor_consultations"
    )
    prosecutor = models.CharField(_("prosecutor"), max_length=200)
    consulted_at = models.DateTimeField(_("consulted"))
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-consulted_at", "-id"]


class CounsellingNote(models.Model):
    """What the person tells a counsellor. Stays with the partner: no police path reads it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class ReminderSent(models.Model):
    """A reminder e-mail sent (or being sent) to an organisation on a day: a re-run of the
    nightly job, or a second scheduler, finds the row and sends nothing twice."""

    class Kind(models.TextChoices):
        OVERDUE = "overdue", _("Referrals past the contact deadline")
        STALE = "stale", _("Referrals never contacted, escalated to the district")
        NO_RECIPIENT = "no_recipient", _("A partner nobody can be reminded at")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    day = models.DateField()
    count = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "day"], name="reminder_once_a_day"
            )
        ]


# The change feeds ----------------------------------------------------------------------------


class FeedCounter(models.Model):
    """The last change number of one organisation's feed. Writers take this row's lock to number
    their changes, so numbers become visible in order (see referrals/changes.py)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    last_seq = models.PositiveBigIntegerField(default=0)


class Change(models.Model):
    """One change a system reading a feed should learn of: the partner's referrals, or the
    police district's offers. Ids only, no personal data, so it outlives an erasure."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")
        ERASED = "erased", _("Personal data erased")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    seq = models.PositiveBigIntegerField()
    object_type = models.CharField(max_length=10)  # "referral" (partner) or "offer" (police)
    object_id = models.BigIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "seq"], name="change_seq_per_feed")
        ]


class FunnelRollup(models.Model):
    """Counts for the figures, kept up to date by ``referrals.rollup`` in the same transaction
    as every change to an offer or its referral, so a figure reads a few rows whatever the
    period. Not personal data: it survives erasure, and nothing points at an offer.

    One row per level, programme, period start, the filter dimensions and the whole days from
    referral to first contact (-1: none yet); the counts are the offers of that cohort that
    reached each step. Levels: 0 programme and day (no dimensions: the unfiltered figures),
    1 day, 2 month and 3 year with every dimension (a filtered period is read as whole years,
    then whole months, then days), and 4 month with every dimension but the days to contact
    (always -1: the filtered trend, which shows no durations). "None" is 0 or "" in a
    dimension: the row is a key, and NULLs are never equal in a unique constraint.
    """

    level = models.PositiveSmallIntegerField()
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    start = models.DateField()
    municipality = models.IntegerField(default=0)
    offence = models.IntegerField(default=0)
    age_band = models.CharField(max_length=8, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    partner = models.IntegerField(default=0)
    contact_days = models.IntegerField(default=-1)
    offered = models.IntegerField(default=0)
    yes = models.IntegerField(default=0)
    referred = models.IntegerField(default=0)
    contact = models.IntegerField(default=0)
    first_conversation = models.IntegerField(default=0)
    further_sessions = models.IntegerField(default=0)
    prevention_accepted = models.IntegerField(default=0)
    timed = models.IntegerField(default=0)
    within = models.IntegerField(default=0)
    # The sums of the record keys of the offers each count counts (the cell keys of protected
    # figures, insights.protection). NULL: counted before the sums were kept; the figures read
    # such rows from the raw rows until ``rebuild_funnel_rollup`` has run.
    key_offered = models.BigIntegerField(null=True)
    key_yes = models.BigIntegerField(null=True)
    key_referred = models.BigIntegerField(null=True)
    key_contact = models.BigIntegerField(null=True)
    key_first_conversation = models.BigIntegerField(null=True)
    key_further_sessions = models.BigIntegerField(null=True)
    key_prevention_accepted = models.BigIntegerField(null=True)
    key_timed = models.BigIntegerField(null=True)
    key_within = models.BigIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "level",
                    "programme",
                    "start",
                    "municipality",
                    "offence",
                    "age_band",
                    "sex",
                    "partner",
                    "contact_days",
                ],
                name="funnel_rollup_key",
            )
        ]
        indexes = [
            # A filter on the home municipality (a council member's figures), age or sex reads
            # only its own rows: on the key's index it read every row of the programmes' level
            # (222,000 month rows for a police district's trend at 1,000,000 referrals: 10 ms
            # against 3.6 for a municipality, 17 against 9 for women aged 18-24). Counts are not
            # indexed, so the upserts that change them stay HOT updates and leave these alone.
            models.Index(
                fields=["level", "programme", "municipality", "start"],
                name="funnel_rollup_municipality_idx",
            ),
            models.Index(
                fields=["level", "programme", "age_band", "sex", "start"],
                name="funnel_rollup_person_idx",
            ),
            # Every partner's figures are filtered on it (12 -> 3 ms for a centre's trend on
            # PostgreSQL); an offence alone read 65,000 month rows a programme (15 -> 8 ms).
            models.Index(
                fields=["level", "programme", "partner", "start"],
                name="funnel_rollup_partner_idx",
            ),
            models.Index(
                fields=["level", "programme", "offence", "start"],
                name="funnel_rollup_offence_idx",
            ),
        ]


class OpenDeadline(models.Model):
    """A referral whose contact deadline is still ahead, with its offer's cohort as the rollup
    counts it, kept by ``referrals.rollup`` in the same transaction as the referral's steps.

    "Due" moves with the clock, so these referrals are counted at the moment of asking. Read
    with their offers they cost a police district's figures 15 ms at 1,000,000 referrals (one
    index lookup into the offers for each of 10,000 referrals); this row holds what the
    figures filter and count them by, so they are read alone. Rows past their deadline are
    never read; ``prune_open_deadlines`` deletes them every night. Not personal data: the
    same coarse facts as the rollup's, and it goes with the referral.
    """

    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField()
    day = models.DateField()  # the day the offer was registered (Danish time): its cohort
    municipality = models.IntegerField(default=0)
    offence = models.IntegerField(default=0)
    age_band = models.CharField(max_length=8, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    partner = models.IntegerField(default=0)
    contacted = models.BooleanField(default=False)
    first_conversation = models.BooleanField(default=False)
    further_sessions = models.BooleanField(default=False)
    record_key = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["programme", "due_at"], name="open_deadline_due_idx")]


class SuspectImport(models.Model):
    """An uploaded suspect list waiting for, or done by, the background import.

    The file is kept here, not on disk, so it commits with its job and survives a crash; it is
    emptied once the import has an outcome (nothing to retry then) and the whole row goes after
    ``settings.SUSPECT_IMPORT_RETENTION_DAYS``. The outcome is what the upload page shows."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        IMPORTED = "imported", _("Imported")
        REJECTED = "rejected", _("Rejected")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="imports")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The raw bytes: the importer itself tells UTF-8 from Windows-1252, as it did in the request.
    data = models.BinaryField()
    # The uploader's language, so the errors the worker writes read as the page would have.
    language = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)  # its job, to tell the page it failed
    created = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    queued_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.IMPORTED, self.Status.REJECTED)
