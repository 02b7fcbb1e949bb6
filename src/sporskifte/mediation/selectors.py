"""Reads of mediation cases, always scoped to the acting user. Missing and forbidden both 404.

The rules (lov om konfliktråd § 5 and the issue's need-to-know):
- the coordinator (MEDIATION_COORDINATOR of the district's mediation service) sees the
  district's cases, parties, consents, meetings, agreements and letters; never a note;
- a mediator (MEDIATOR) sees only the cases assigned to them, and their own notes on them;
- the police of the district see a case's state, whether the meeting took place and whether an
  agreement was made and kept; the agreement's text only when every party said yes to it going
  into the case file; never parties' details nor notes (``police_view_for_user``);
- a proposer from another organisation sees only that the proposal was received.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from sporskifte.accounts.access import membership_of, police_district_of
from sporskifte.core.access import get_or_404
from sporskifte.mediation.models import (
    CLOSED_STATES,
    Agreement,
    Consent,
    CustodyHolder,
    Letter,
    MediationCase,
    MediatorNote,
    Meeting,
    Party,
    State,
    Term,
)
from sporskifte.mediation.roles import (
    coordinator_district_of,
    mediator_district_of,
    prosecutor_district_of,
)

if TYPE_CHECKING:
    from sporskifte.accounts.models import User


def cases_for_user(user: User) -> QuerySet[MediationCase]:
    """Cases the user works on: the coordinator's district, or the mediator's own."""
    district = coordinator_district_of(user)
    if district is not None:
        return MediationCase.objects.filter(district_id=district)
    district = mediator_district_of(user)
    if district is not None:
        return MediationCase.objects.filter(district_id=district, mediator=user)
    return MediationCase.objects.none()


def case_for_user(user: User, pk: object) -> MediationCase:
    return get_or_404(
        cases_for_user(user)
        .select_related("offence", "area", "mediator", "district", "proposer_organisation")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("person").prefetch_related(
                    "custody_holders", "supporters", "consents"
                ),
            )
        ),
        pk,
    )


def parties_for_user(user: User, case: MediationCase) -> list[Party]:
    if case not in cases_for_user(user):
        raise Http404
    return list(case.parties.all())


def custody_holders_for_user(user: User) -> QuerySet[CustodyHolder]:
    return CustodyHolder.objects.filter(party__case__in=cases_for_user(user))


def meetings_for_user(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(case__in=cases_for_user(user)).select_related("case")


def meeting_for_user(user: User, pk: object) -> Meeting:
    return get_or_404(meetings_for_user(user), pk)


def terms_for_user(user: User) -> QuerySet[Term]:
    return Term.objects.filter(agreement__case__in=cases_for_user(user)).select_related(
        "agreement__case"
    )


def term_for_user(user: User, pk: object) -> Term:
    return get_or_404(terms_for_user(user), pk)


def notes_for_user(user: User) -> QuerySet[MediatorNote]:
    """§ 5: only the author, and only while the case is theirs; the coordinator sees none."""
    if mediator_district_of(user) is None:
        return MediatorNote.objects.none()
    return MediatorNote.objects.filter(author=user, case__mediator=user)


def letters_for_user(user: User) -> QuerySet[Letter]:
    return (
        Letter.objects.filter(case__in=cases_for_user(user))
        .defer("pdf")
        .select_related("party__person")
    )


def letter_pdf_for_user(user: User, pk: object) -> Letter:
    return get_or_404(
        Letter.objects.filter(case__in=cases_for_user(user)).select_related("case", "party"), pk
    )


def consents_for_user(user: User) -> QuerySet[Consent]:
    return Consent.objects.filter(party__case__in=cases_for_user(user))


# The police ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoliceView:
    """What the police learn about a case, and nothing else."""

    pk: int
    journal_number: str
    reference: str
    state: str
    state_label: str
    meeting_held: bool
    agreement_made: bool
    agreement_kept: bool | None
    agreement_text: str | None  # only under every party's yes to the case file


def _police_cases(user: User) -> QuerySet[MediationCase]:
    district = police_district_of(user)
    if district is None:
        return MediationCase.objects.none()
    return MediationCase.objects.filter(district_id=district)


def police_views_for_user(user: User) -> QuerySet[MediationCase]:
    """The district's cases with only what the police may learn, in one query."""
    no_yes = Party.objects.filter(case=OuterRef("pk"), file_yes_at__isnull=True)
    return (
        _police_cases(user)
        .only("pk", "journal_number", "state", "country", "proposed_at")
        .annotate(
            meeting_held=Exists(Meeting.objects.filter(case=OuterRef("pk"), status="held")),
            agreement_made=Exists(Agreement.objects.filter(case=OuterRef("pk"))),
            open_terms=Count("agreement__terms", filter=Q(agreement__terms__status="open")),
            broken_terms=Count("agreement__terms", filter=Q(agreement__terms__status="not_kept")),
            all_said_yes=~Exists(no_yes),
        )
        .order_by("-proposed_at", "-pk")
    )


def police_view_of(case: MediationCase) -> PoliceView:
    kept = None
    if case.agreement_made and not case.open_terms:  # type: ignore[attr-defined]
        kept = not case.broken_terms  # type: ignore[attr-defined]
    text = None
    if case.agreement_made and case.all_said_yes:  # type: ignore[attr-defined]
        text = Agreement.objects.filter(case=case).values_list("text", flat=True).first()
    return PoliceView(
        pk=case.pk,
        journal_number=case.journal_number,
        reference=case.reference,
        state=case.state,
        state_label=str(State(case.state).label),
        meeting_held=case.meeting_held,  # type: ignore[attr-defined]
        agreement_made=case.agreement_made,  # type: ignore[attr-defined]
        agreement_kept=kept,
        agreement_text=text,
    )


def police_view_for_user(user: User, pk: object) -> PoliceView:
    return police_view_of(get_or_404(police_views_for_user(user), pk))


# The prosecutor (Sweden) ---------------------------------------------------------------------


class TookPart:
    YES = "yes"
    NO = "no"
    NOT_YET = "not_yet"


def prosecutor_cases_for_user(user: User) -> QuerySet[MediationCase]:
    """The medling cases of the prosecutor's police region with only whether the offender took
    part (a meeting was held with an offender there), the state, and the agreement's text only
    when every party said yes to it going into the case file. No party, no note, no place."""
    district = prosecutor_district_of(user)
    if district is None:
        return MediationCase.objects.none()
    offender_attended = Meeting.objects.filter(
        case=OuterRef("pk"), status=Meeting.Status.HELD, attendees__role=Party.Role.OFFENDER
    )
    no_yes = Party.objects.filter(case=OuterRef("pk"), file_yes_at__isnull=True)
    text = Agreement.objects.filter(case=OuterRef("pk")).values("text")[:1]
    return (
        MediationCase.objects.filter(district_id=district, country="SE")
        .only("pk", "journal_number", "police_report_number", "state", "country", "proposed_at")
        .annotate(
            offender_attended=Exists(offender_attended),
            # The text leaves the database only under every party's yes.
            agreement_text=Case(When(~Exists(no_yes), then=Subquery(text)), default=Value(None)),
        )
        .order_by("-proposed_at", "-pk")
    )


def took_part(case: MediationCase) -> str:
    if case.offender_attended:  # type: ignore[attr-defined]
        return TookPart.YES
    return TookPart.NO if case.state in CLOSED_STATES else TookPart.NOT_YET


# Proposers from other organisations ------------------------------------------------------------


def proposals_received_for_user(user: User) -> QuerySet[MediationCase]:
    """A proposer's organisation learns that its proposal arrived: reference and date only."""
    m = membership_of(user)
    if m is None or police_district_of(user) is not None or coordinator_district_of(user):
        return MediationCase.objects.none()
    if mediator_district_of(user) is not None:
        return MediationCase.objects.none()
    return (
        MediationCase.objects.filter(proposer_organisation_id=m.organisation_id)
        .only("pk", "proposed_at", "country")
        .order_by("-proposed_at")
    )


# The coordinator's work queue -------------------------------------------------------------------

QUEUE_LIMIT = 50


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One line of the queue, as plain values: no model instances, so a page of 400 rows costs
    the rows' tuples and nothing per row beyond them (benchmarks/mediation.py)."""

    url: str  # the case page
    reference: str
    hint: str  # the journal number
    what: str  # offence and municipality, or the term
    # Days waited, until due or overdue, as text: the template's number formatting per cell
    # cost more than the rest of the row.
    waited: str
    starts_at: dt.datetime | None = None  # a meeting's
    place: str = ""


@dataclass
class Bucket:
    key: str
    rows: list[QueueRow]
    count: int


BUCKET_STATES = (
    ("new", State.PROPOSED),
    ("screened", State.SUITABLE),
    ("contacting", State.CONTACTING),
    ("consent", State.AWAITING_CONSENT),
    ("ready", State.READY),
)
DUE_SOON_DAYS = 14


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _what(offence: str, area: str | None) -> str:
    return f"{offence} · {area}" if area else offence


def _case_rows(qs: QuerySet[MediationCase], now: dt.datetime, url: str) -> list[QueueRow]:
    return [
        QueueRow(f"{url}{pk}/", MediationCase.reference_of(country, pk), journal,
                 _what(offence, area), str((now - changed).days))
        for pk, country, journal, offence, area, changed in qs.values_list(
            "pk", "country", "journal_number", "offence__name", "area__name", "state_changed_at"
        )
    ]  # fmt: skip


def _term_rows(qs: QuerySet[Term], today: dt.date, sign: int, url: str) -> list[QueueRow]:
    kinds = {k: str(label) for k, label in Term.Kind.choices}
    return [
        QueueRow(f"{url}{pk}/", MediationCase.reference_of(country, pk), "",
                 f"{kinds.get(kind, kind)}: {description}", str(sign * (due_on - today).days))
        for pk, country, kind, description, due_on in qs.values_list(
            "agreement__case_id", "agreement__case__country", "kind", "description", "due_on"
        )
    ]  # fmt: skip


def queue_for_user(user: User, today: dt.date | None = None) -> list[Bucket]:
    """The coordinator's district in buckets, oldest first, each row with how long it has
    waited. A fixed number of queries (one per bucket and one count), whatever the size."""
    district = coordinator_district_of(user)
    if district is None:
        raise Http404
    today = today or timezone.localdate()
    now = timezone.now()
    # One reverse for the page instead of one per row: "/maegling/0/" less its "0/".
    url = reverse("mediation:case_detail", args=[0]).removesuffix("0/")
    base = MediationCase.objects.filter(district_id=district)
    counts = dict(
        base.filter(state__in=[s for _k, s in BUCKET_STATES])
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    buckets = [
        Bucket(
            key,
            _case_rows(
                base.filter(state=state).order_by("state_changed_at", "pk")[:QUEUE_LIMIT], now, url
            ),
            counts.get(state, 0),
        )
        for key, state in BUCKET_STATES
    ]
    week_end = today + dt.timedelta(days=7 - today.weekday())
    meetings = [
        QueueRow(
            f"{url}{pk}/",
            MediationCase.reference_of(country, pk),
            "",
            offence,
            "",
            starts_at,
            place,
        )
        for pk, country, offence, starts_at, place in Meeting.objects.filter(
            case__district_id=district,
            status=Meeting.Status.BOOKED,
            # A range on the stored timestamp, not a date function of it: the index is used.
            starts_at__gte=_midnight(today - dt.timedelta(days=today.weekday())),
            starts_at__lt=_midnight(week_end),
        )
        .order_by("starts_at")
        .values_list("case_id", "case__country", "case__offence__name", "starts_at", "place")[
            :QUEUE_LIMIT
        ]
    ]
    buckets.append(Bucket("meetings", meetings, len(meetings)))
    open_terms = Term.objects.filter(agreement__case__district_id=district, status=Term.Status.OPEN)
    soon = _term_rows(
        open_terms.filter(
            due_on__gte=today, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
        ).order_by("due_on", "pk")[:QUEUE_LIMIT],
        today,
        1,
        url,
    )
    overdue = _term_rows(
        open_terms.filter(due_on__lt=today).order_by("due_on", "pk")[:QUEUE_LIMIT], today, -1, url
    )
    buckets.append(Bucket("due", soon, len(soon)))
    buckets.append(Bucket("overdue", overdue, len(overdue)))
    return buckets


def mediator_cases_for_user(user: User) -> QuerySet[MediationCase]:
    if mediator_district_of(user) is None:
        raise Http404
    return (
        cases_for_user(user)
        .exclude(state__in=CLOSED_STATES)
        .select_related("offence", "area")
        .order_by("state_changed_at", "pk")
    )
