"""Reads, always scoped to the acting user. These are the only way views, the API and exports
reach programmes, cases, offers and referrals.

The rules (need to know per organisation, GDPR art. 5(1)(c) and 25; help never flows back to
the police as evidence):
- Police (officer, investigator, district administrator) see their own district's programmes,
  cases, offers and referrals, and of a referral only what the programme's feedback level allows
  (``police_status``); never counselling notes, never contact-attempt details.
- Partner staff see referrals routed to their organisation. The person's contact details only
  while consent is in force.
- Everyone else (another district, another municipality, researchers, council members, system
  administrators) sees no person.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sporskifte.accounts.access import membership_of, partner_of, police_district_of
from sporskifte.accounts.models import Role
from sporskifte.core.access import get_or_404
from sporskifte.core.identity import parse_identity
from sporskifte.organisations.models import Organisation
from sporskifte.referrals.models import (
    Case,
    ConsentText,
    CounsellingNote,
    Offer,
    Programme,
    ProsecutorConsultation,
    Referral,
    Step,
    SuspectImport,
)

if TYPE_CHECKING:
    from sporskifte.accounts.models import User


def is_district_admin(user: User) -> bool:
    m = membership_of(user)
    return bool(m and m.role == Role.DISTRICT_ADMIN and m.organisation.police_district_id)


# Programmes -----------------------------------------------------------------------------------


def programmes_for_user(user: User) -> QuerySet[Programme]:
    district = police_district_of(user)
    if district is None:
        return Programme.objects.none()
    return Programme.objects.filter(police_district_id=district)


def routed_to(partner: int) -> Q:
    """A programme that has referred someone to the partner. Asked per programme on
    ``referral_partner_programme_idx``: the partner's referrals read to collect their
    programmes were 34,000 heap rows (20 ms) at a busy centre with 1,000,000 referrals."""
    return Q(Exists(Referral.objects.filter(partner_id=partner, programme_id=OuterRef("pk"))))


def programmes_served_by(user: User) -> QuerySet[Programme]:
    """The programmes a partner receives from, so its systems can read their rules (steps,
    deadline, feedback level): one naming it as the fixed partner, one that refers to the home
    municipality's centre when it is a municipality's centre in that district, and any that
    has referred someone to it."""
    partner = partner_of(user)
    membership = membership_of(user)
    if partner is None or membership is None:
        return Programme.objects.none()
    org = membership.organisation
    served = Q(destination=Programme.Destination.FIXED_PARTNER, fixed_partner_id=partner)
    served |= routed_to(partner)
    if org.kind == Organisation.Kind.SUBSTANCE_ABUSE_CENTRE and org.municipality_id:
        served |= Q(
            destination=Programme.Destination.HOME_CENTRE,
            police_district__municipalities=org.municipality_id,
        )
    return Programme.objects.filter(served)


def programme_for_user(user: User, pk: object) -> Programme:
    return get_or_404(programmes_for_user(user), pk)


def programme_for_admin(user: User, pk: object) -> Programme:
    if not is_district_admin(user):
        return get_or_404(Programme.objects.none(), pk)
    return programme_for_user(user, pk)


# Cases and offers -----------------------------------------------------------------------------


def cases_for_user(user: User) -> QuerySet[Case]:
    district = police_district_of(user)
    if district is None:
        return Case.objects.none()
    return Case.objects.filter(police_district_id=district).select_related("programme", "offence")


def case_for_user(user: User, pk: object) -> Case:
    return get_or_404(cases_for_user(user), pk)


def suspect_imports_for_user(user: User, case: Case) -> QuerySet[SuspectImport]:
    """An upload's progress and errors are its uploader's: they name the file's people."""
    return SuspectImport.objects.filter(case=case, actor=user).defer("data")


def offers_for_user(user: User) -> QuerySet[Offer]:
    district = police_district_of(user)
    if district is None:
        return Offer.objects.none()
    return Offer.objects.filter(police_district_id=district).select_related(
        "person", "programme", "offence", "referral", "referral__partner", "referral__programme"
    )


def offer_for_user(user: User, pk: object) -> Offer:
    return get_or_404(offers_for_user(user), pk)


def _identity_numbers(query: str) -> list[str]:
    """The stored forms a typed identity number may have: CPR digits, or a personnummer's
    twelve digits (typed with ten, a dash or a plus)."""
    numbers = []
    for kind in ("cpr", "personnummer"):
        try:
            numbers.append(parse_identity(kind, query).number)
        except ValidationError:
            continue
    return numbers


def offers_search(offers: QuerySet[Offer], query: str) -> tuple[str, QuerySet[Offer]]:
    """The officer's search over offers already scoped to the user: an identity number, a
    journal number, or words of a name. Returns what the query was taken as and the matches.

    Identity and journal numbers are exact (indexed); a name matches when every word is part
    of the person's name, which reads the district's offers (benchmarks/README.md).
    """
    query = " ".join(query.split())
    if numbers := _identity_numbers(query):
        return "identity_number", offers.filter(person__id_number__in=numbers)
    if any(ch.isdigit() for ch in query):
        return "journal_number", offers.filter(journal_number=query)
    for word in query.split():
        offers = offers.filter(person__full_name__icontains=word)
    return "name", offers


# Referrals ------------------------------------------------------------------------------------


def referrals_for_user(user: User) -> QuerySet[Referral]:
    base = Referral.objects.select_related(
        "offer", "offer__person", "offer__offence", "programme", "partner"
    )
    district = police_district_of(user)
    if district is not None:
        return base.filter(police_district_id=district)
    partner = partner_of(user)
    if partner is not None:
        return base.filter(partner_id=partner)
    return Referral.objects.none()


def referral_for_user(user: User, pk: object) -> Referral:
    return get_or_404(referrals_for_user(user), pk)


def referral_for_partner(user: User, pk: object, *, joined: bool = True) -> Referral:
    """For partner-only actions (attempts, steps, notes): police get a 404 like anyone else.

    ``joined=False`` reads the referral's own columns only, for a write whose service reads it
    again under a lock: the offer, person, offence, programme and partner would be read and
    built for nothing."""
    partner = partner_of(user)
    qs = referrals_for_user(user).filter(partner_id=partner) if partner else Referral.objects.none()
    return get_or_404(qs if joined else qs.select_related(None), pk)


def partner_may_see_contact_details(referral: Referral) -> bool:
    """Consent withdrawn means the partner loses the contact details in the same request."""
    return partner_may_see_contact_details_of(
        withdrawn_at=referral.withdrawn_at, person_id=referral.offer.person_id
    )


def partner_may_see_contact_details_of(
    *, withdrawn_at: dt.datetime | None, person_id: int | None
) -> bool:
    """``partner_may_see_contact_details`` from the two columns it reads (a list's plain rows)."""
    return withdrawn_at is None and person_id is not None


def notes_for_user(user: User, referral: Referral) -> QuerySet[CounsellingNote]:
    """Counselling notes: the receiving partner only. Help never flows back as evidence."""
    if partner_of(user) != referral.partner_id:
        return CounsellingNote.objects.none()
    return referral.notes.select_related("author")


POLICE_STATUS_LABELS = {
    "withdrawn": _("Consent withdrawn"),
    "referred": _("Referred"),
    "not_in_contact": _("Not yet in contact"),
    "contact_made": _("Contact made"),
    **{step.value: step.label for step in Step},
}


def police_status_code(referral: Referral) -> str:
    """The most the police may learn of a referral, as the programme's feedback level sets it.

    A stable code for systems (the API); ``police_status`` gives the words for people.
    """
    return police_status_code_of(
        withdrawn_at=referral.withdrawn_at,
        feedback_level=referral.programme.feedback_level,
        last_step=referral.last_step,
        contact_made_at=referral.contact_made_at,
    )


def police_status_code_of(
    *,
    withdrawn_at: dt.datetime | None,
    feedback_level: int,
    last_step: str,
    contact_made_at: dt.datetime | None,
) -> str:
    """``police_status_code`` from the four columns it reads (a list's plain rows)."""
    if withdrawn_at:
        return "withdrawn"
    if feedback_level >= Programme.Feedback.OUTCOME and last_step:
        return last_step
    if feedback_level >= Programme.Feedback.CONTACT_MADE:
        return "contact_made" if contact_made_at else "not_in_contact"
    return "referred"


def police_status(referral: Referral) -> str:
    return str(POLICE_STATUS_LABELS[police_status_code(referral)])


INBOX_BUCKETS = ("new", "due_soon", "overdue", "in_progress", "follow_up", "closed")
DUE_SOON = dt.timedelta(days=2)


def inbox_bucket_q(bucket: str, now: dt.datetime) -> Q:
    """The partner inbox's buckets as database filters: every referral is in exactly one.

    The web inbox and the API both page through these; ``inbox_bucket`` says the same for one
    referral in Python, and a test checks the two agree on every kind of referral. A referral on
    long follow-up (contact through a prison term) waits in its own bucket for its next contact.
    """
    finished = Q(status__in=[Referral.Status.CLOSED, Referral.Status.WITHDRAWN])
    following = ~finished & Q(long_follow_up=True)
    active = ~finished & Q(long_follow_up=False)
    waiting = active & Q(contact_made_at__isnull=True)
    soon = now + DUE_SOON
    buckets = {
        "closed": finished,
        "follow_up": following,
        "overdue": waiting & Q(due_at__lt=now),
        "due_soon": waiting & Q(due_at__gte=now, due_at__lt=soon),
        "new": waiting & Q(due_at__gte=soon, status=Referral.Status.NEW),
        "in_progress": active
        & (
            Q(contact_made_at__isnull=False)
            | (Q(due_at__gte=soon) & ~Q(status=Referral.Status.NEW))
        ),
    }
    return buckets[bucket]


# The closed tab counts this many and then says "over": a centre's closed referrals only grow
# (29,293 at the benchmark's busiest centre, 6.5 ms of PostgreSQL on every inbox view at
# 1,000,000 referrals, most of the page's database time), while the inbox is for the open work,
# whose counts stay exact.
CLOSED_COUNT_CAP = 1000


def inbox_counts(referrals: QuerySet[Referral], now: dt.datetime) -> dict[str, int]:
    """Each bucket's count, as the inbox's tabs show them.

    The open referrals (a few thousand, on an index of their own) are counted in groups of what
    decides a bucket: status, long follow-up, whether contact is made, and whether the contact
    is overdue, due soon or later. ``inbox_bucket_of``, the rule one referral is sorted by,
    then names each group's bucket, so the tabs cannot disagree with the rows. The closed ones
    are counted apart (an index on partner and status, no condition to test), and only up to
    ``CLOSED_COUNT_CAP + 1``, which means "more than the cap". One aggregate
    with a condition per bucket over every referral a centre ever had cost 100-165 ms on
    PostgreSQL at 1,000,000 referrals; the grouped count also compiles in half the time of a
    count with a filter per bucket (2.1 against 3.9 ms of CPU).
    """
    soon = now + DUE_SOON
    overdue, due_soon, later = 0, 1, 2
    # A due time that falls in each of the three ranges, for inbox_bucket_of.
    due_at = {overdue: now - dt.timedelta(microseconds=1), due_soon: now, later: soon}
    groups = (
        referrals.exclude(inbox_bucket_q("closed", now))
        .order_by()
        .values_list("status", "long_follow_up")
        .annotate(
            waiting=IsNull(F("contact_made_at"), True),
            due=models.Case(  # Case alone is a police case here
                When(due_at__lt=now, then=Value(overdue)),
                When(due_at__lt=soon, then=Value(due_soon)),
                default=Value(later),
            ),
            n=Count("id"),
        )
        .values_list("status", "long_follow_up", "waiting", "due", "n")
    )
    counts = dict.fromkeys(INBOX_BUCKETS, 0)
    for status, long_follow_up, waiting, due, n in groups:
        bucket = inbox_bucket_of(
            status=status,
            long_follow_up=long_follow_up,
            contact_made_at=None if waiting else now,
            due_at=due_at[due],
            now=now,
        )
        counts[bucket] += n
    # Unordered: with the model's ordering the first thousand would be sorted out of them all
    # (40 ms at 29,293 closed, against 0.24 ms read straight off the index).
    closed = referrals.filter(inbox_bucket_q("closed", now)).order_by().values("pk")
    counts["closed"] = closed[: CLOSED_COUNT_CAP + 1].count()
    return counts


def inbox_bucket(referral: Referral, now: dt.datetime | None = None) -> str:
    """new / due_soon / overdue / in_progress / follow_up / closed for one referral."""
    return inbox_bucket_of(
        status=referral.status,
        long_follow_up=referral.long_follow_up,
        contact_made_at=referral.contact_made_at,
        due_at=referral.due_at,
        now=now or timezone.now(),
    )


def inbox_bucket_of(
    *,
    status: str,
    long_follow_up: bool,
    contact_made_at: dt.datetime | None,
    due_at: dt.datetime,
    now: dt.datetime,
) -> str:
    """``inbox_bucket`` from the four columns it reads (a list's plain rows)."""
    if status in (Referral.Status.CLOSED, Referral.Status.WITHDRAWN):
        return "closed"
    if long_follow_up:
        return "follow_up"
    if contact_made_at is None:
        if due_at < now:
            return "overdue"
        if due_at < now + DUE_SOON:
            return "due_soon"
        if status == Referral.Status.NEW:
            return "new"
    return "in_progress"


def prosecutor_agreed(offer: Offer) -> bool:
    """The latest consultation with the prosecutor said yes ([S4])."""
    latest = offer.prosecutor_consultations.first()
    return latest is not None and latest.answer == ProsecutorConsultation.Answer.AGREED


def consent_text_current(programme: Programme) -> ConsentText | None:
    return programme.consent_texts.order_by("-version").first()
