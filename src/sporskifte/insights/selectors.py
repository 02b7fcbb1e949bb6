"""Reads for the figures: who may see which programmes' figures, and the funnel as aggregates.

Scope (default deny; forbidden looks like missing)
    police of a district   → their district's programmes, full figures;
    partner staff          → only the referrals routed to their organisation, full figures;
    council members        → the residents of their municipality in the programmes of the police
                             district the municipality belongs to, suppressed figures only;
    the public             → one active programme, suppressed figures only (``public_scope``);
    anyone else            → nothing.

The funnel is a cohort: the offers *registered* (``Offer.created_at``) in the period, followed
through every later step whenever it happened. ``created_at`` is always set and never changes;
``offered_at`` is empty until the person has been asked, so a period on it would drop the offers
still waiting. Each step counts the offers that reached *at least* that step (a referral with
further sessions recorded has had its first conversation, even if that step was not logged), so
each step is a subset of the one before.

Every figure is read from the rollup the referrals app keeps as offers and steps change
(``insights.rollup``), in a few queries over a few thousand rows whatever the period. The
computation over the raw rows below stays: it serves one case (tens of offers, on an index),
a period that does not start at midnight, and is the property test's oracle. Durations are
whole days, rounded up ("reached within N days"), on both paths.

The raw computation comes from a fixed number of queries whatever the amount of data: one
conditional aggregate for the funnel, which on PostgreSQL also gives the median and 90th percentile
(``percentile_disc``, the nearest-rank method); SQLite has no percentile function, so there one
more query numbers the durations in order (ROW_NUMBER) and keeps the two ranks wanted (one sort
serves both). One GROUP BY month for the trend.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    DateTimeField,
    F,
    FilteredRelation,
    FloatField,
    Func,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from sporskifte.accounts.access import membership_of, partner_of, police_district_of
from sporskifte.accounts.models import Role
from sporskifte.insights import rollup
from sporskifte.organisations.models import Organisation
from sporskifte.referrals.models import Offer, Programme
from sporskifte.referrals.rollup import AGE_BANDS
from sporskifte.referrals.selectors import routed_to

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

    from sporskifte.accounts.models import User

STEPS = ("offered", "yes", "referred", "contact", "first_conversation", "further_sessions")
PARTNER_STEPS = STEPS[2:]  # a partner sees only what was routed to it


# Scope -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InsightScope:
    kind: str  # police | partner | council | public
    programmes: QuerySet[Programme]
    suppressed: bool
    partner: int | None = None
    municipality: int | None = None

    def restrict(self, filters: Filters) -> Filters:
        """The scope's own limits win over anything the user asked for."""
        forced: dict[str, Any] = {}
        if self.partner is not None:
            forced["partner"] = self.partner
        if self.municipality is not None:
            forced["municipality"] = self.municipality
        return dataclasses.replace(filters, **forced)

    @property
    def first_step(self) -> str:
        return "referred" if self.kind == "partner" else "offered"


def insight_audience(user: User) -> str | None:
    """Whom the figures page answers this user as ("police", "partner", "council"), or None:
    ``insight_scope`` without building its querysets (the menu asks this on every page)."""
    if police_district_of(user) is not None:
        return "police"
    if partner_of(user) is not None:
        return "partner"
    m = membership_of(user)
    if (
        m is not None
        and m.role == Role.COUNCIL_MEMBER
        and m.organisation.kind == Organisation.Kind.MUNICIPALITY
        and m.organisation.municipality_id is not None
    ):
        return "council"
    return None


def insight_scope(user: User) -> InsightScope | None:
    audience = insight_audience(user)
    if audience == "police":
        district = police_district_of(user)
        return InsightScope("police", Programme.objects.filter(police_district_id=district), False)
    if audience == "partner" and (partner := partner_of(user)) is not None:
        programmes = Programme.objects.filter(routed_to(partner) | Q(fixed_partner_id=partner))
        return InsightScope("partner", programmes, False, partner=partner)
    if audience == "council":
        municipality = membership_of(user).organisation.municipality_id  # type: ignore[union-attr]
        # Only the programmes of the district the municipality belongs to: listing a programme
        # because a resident appears in it would itself tell that someone does.
        programmes = Programme.objects.filter(police_district__municipalities=municipality)
        return InsightScope("council", programmes, True, municipality=municipality)
    return None


def programmes_for_insights(user: User) -> QuerySet[Programme]:
    scope = insight_scope(user)
    return scope.programmes if scope else Programme.objects.none()


def public_scope(programme: Programme) -> InsightScope:
    return InsightScope("public", Programme.objects.filter(pk=programme.pk), True)


def public_programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(is_active=True)


# Filters ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """[start, end) in aware datetimes; None is open."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None
    kind: str = ""  # "" (all time) | year | quarter | month | range

    @classmethod
    def between(cls, first: dt.date, after_last: dt.date, kind: str) -> Period:
        tz = timezone.get_current_timezone()
        return cls(
            dt.datetime.combine(first, dt.time.min, tzinfo=tz),
            dt.datetime.combine(after_last, dt.time.min, tzinfo=tz),
            kind,
        )

    def months(self, first_seen: dt.datetime | None) -> list[dt.date]:
        """The first day of each month of the period (open: from the first offer to now)."""
        now = timezone.localtime()
        start = timezone.localtime(self.start) if self.start else first_seen
        if start is None:
            return []
        start = timezone.localtime(start)
        end = timezone.localtime(self.end) - dt.timedelta(microseconds=1) if self.end else now
        out, y, m = [], start.year, start.month
        while (y, m) <= (end.year, end.month):
            out.append(dt.date(y, m, 1))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


@dataclass(frozen=True)
class Filters:
    period: Period = Period()
    police_district: int | None = None
    municipality: int | None = None
    offence: int | None = None
    age_band: str = ""
    sex: str = ""
    case: int | None = None
    partner: int | None = None  # set by the scope, never by the user


def offers_in(programme_ids: list[int], filters: Filters) -> QuerySet[Offer]:
    # Offers to relatives ([S4]) are support of their own, not steps of this funnel.
    qs = Offer.objects.filter(programme_id__in=programme_ids, relative_of__isnull=True)
    p = filters.period
    if p.start is not None:
        qs = qs.filter(created_at__gte=p.start)
    if p.end is not None:
        qs = qs.filter(created_at__lt=p.end)
    exact = {
        "police_district_id": filters.police_district,
        "home_municipality_id": filters.municipality,
        "offence_id": filters.offence,
        "case_id": filters.case,
        "referral__partner_id": filters.partner,
        "sex": filters.sex or None,
    }
    qs = qs.filter(**{k: v for k, v in exact.items() if v is not None})
    if filters.age_band:
        lo, hi = AGE_BANDS[filters.age_band]
        qs = qs.annotate(_age=rollup.age_at_offer()).filter(_age__gte=lo, _age__lte=hi)
    return qs.order_by()


# The funnel ------------------------------------------------------------------------------------


class Seconds(Func):
    """``end - start`` in seconds, computed by the database itself on both backends."""

    output_field = FloatField()
    arity = 2

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Sequence[Any]]:
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::float",
            arg_joiner=" - ",
            **extra,
        )


class PercentileDisc(Aggregate):
    """PostgreSQL's ordered-set aggregate: the first value whose cumulative share reaches the
    fraction, i.e. the nearest-rank percentile; NULLs (no contact yet) are left out."""

    function = "percentile_disc"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


PERCENTILES = {0.5: "_median", 0.9: "_p90"}


def _seconds() -> Seconds:
    """Referral to first contact; NULL while there is no contact."""
    return Seconds(F("_r__contact_made_at"), F("_r__created_at"))


def _ranked(offers: QuerySet[Offer], ranks: list[int]) -> list[tuple[int, float]]:
    """(rank, seconds) for the given ranks of the durations in ascending order: one sort serves
    every percentile. The durations are computed once in a derived table around the ORM's own
    SQL (the ORM would repeat the expression in the window's ORDER BY: 40 % slower)."""
    inner = (
        offers.filter(_r__contact_made_at__isnull=False)  # type: ignore[misc]
        .annotate(_s=_seconds())
        .values_list("_s", flat=True)
    )
    sql, params = inner.query.sql_with_params()
    marks = ", ".join(["%s"] * len(ranks))
    # Only the ORM's compiled SQL and placeholders are joined in; every value is a parameter.
    query = (
        'SELECT "_rank", "_s" FROM (SELECT "_s", ROW_NUMBER() OVER (ORDER BY "_s") AS "_rank"'  # noqa: S608
        f' FROM ({sql}) AS "durations") AS "ranked" WHERE "_rank" IN ({marks})'
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, *ranks])
        return cursor.fetchall()


@dataclass(frozen=True)
class TimeToContact:
    timed: int  # referrals with a contact time
    median: dt.timedelta | None
    p90: dt.timedelta | None
    due: int  # referrals contacted or past their deadline: the base of the share
    within: int  # contacted by the deadline


@dataclass(frozen=True)
class Funnel:
    counts: dict[str, int]
    steps: tuple[str, ...]
    prevention: tuple[int, int] | None  # (offered in programmes that have it, accepted)
    time_to_contact: TimeToContact
    first_seen: dt.datetime | None
    # Referrals whose contact deadline is still ahead: referred, uncontacted, and the steps
    # they reached so far ("so far" figures leave them out of the base).
    not_yet_due: dict[str, int] = dataclasses.field(default_factory=dict)
    # Record-key sums per count (every name of the aggregate), when asked for with ``keys``.
    keys: dict[str, int] = dataclasses.field(default_factory=dict)


KEY = "key_"  # the prefix of a key sum among the aggregates


R = "_r"  # the offer's referral, joined by ``with_referral``


def with_referral(
    offers: QuerySet[Offer], programme_ids: list[int], filters: Filters
) -> QuerySet[Offer]:
    """Join each offer's referral as ``_r``, with two conditions in the ON clause that always
    hold (a referral belongs to its offer's programme and is made after the offer was
    registered) so that the database can use the referral's (programme, created_at) index
    instead of reading every referral: 2-3 times faster on PostgreSQL with a million rows."""
    condition = Q(referral__programme_id__in=programme_ids)
    if filters.period.start is not None:
        condition &= Q(referral__created_at__gte=filters.period.start)
    return offers.annotate(_r=FilteredRelation("referral", condition=condition))


def _reached(*fields: str) -> Q:
    q = Q()
    for name in fields:
        q |= Q(**{f"{R}__{name}__isnull": False})
    return q


def nearest_rank(p: float, n: int) -> int:
    """0-based offset of the p-th percentile by the nearest-rank method (the median of an even
    number is the lower middle)."""
    return max(1, math.ceil(p * n)) - 1


def funnel_raw(
    programme_ids: list[int],
    filters: Filters,
    *,
    prevention_ids: list[int] | None = None,
    now: dt.datetime | None = None,
    keys: bool = False,
) -> Funnel:
    """The funnel for these programmes; ``prevention_ids`` are those with a conversation with
    police prevention staff (looked up when not given)."""
    now = now or timezone.now()
    if prevention_ids is None:
        prevention_ids = list(
            Programme.objects.filter(
                pk__in=programme_ids, has_prevention_conversation=True
            ).values_list("pk", flat=True)
        )
    yes = Q(answer=Offer.Answer.YES)
    referred = Q(_r__isnull=False)  # the services make a referral only on a yes
    offers = with_referral(offers_in(programme_ids, filters), programme_ids, filters)
    # Each count with its condition; with ``keys`` also the sum of the offers' record keys
    # under the same condition, the cell key of protected figures (insights.protection).
    counted: dict[str, Q | None] = {
        "offered": None,
        "yes": yes,
        "referred": referred,
        "contact": referred
        & _reached("contact_made_at", "first_conversation_at", "further_sessions_at"),
        "first_conversation": referred & _reached("first_conversation_at", "further_sessions_at"),
        "further_sessions": referred & _reached("further_sessions_at"),
        "prevention_offered": Q(programme_id__in=prevention_ids),
        "prevention_accepted": Q(
            programme_id__in=prevention_ids, prevention_conversation=Offer.Prevention.ACCEPTED
        ),
        "timed": referred & Q(_r__contact_made_at__isnull=False),
        "due": referred & (Q(_r__contact_made_at__isnull=False) | Q(_r__due_at__lt=now)),
        "within": referred & Q(_r__contact_made_at__lte=F("_r__due_at")),
    }
    agg = offers.aggregate(
        **{name: Count("pk", filter=q) for name, q in counted.items()},
        **{
            KEY + name: Coalesce(Sum("record_key", filter=q), 0)
            for name, q in (counted.items() if keys else ())
        },
        first_seen=Min("created_at", output_field=DateTimeField()),
        **(
            {q: PercentileDisc(_seconds(), fraction=p) for p, q in PERCENTILES.items()}
            if connection.vendor == "postgresql"
            else {}
        ),
    )
    timed = agg["timed"]
    picked = {p: agg[q] for p, q in PERCENTILES.items() if q in agg}
    if timed and not picked:
        # Two percentiles may share a rank (one or a few durations): each gets the value.
        ranks = {p: nearest_rank(p, timed) + 1 for p in PERCENTILES}
        values = dict(_ranked(offers, sorted(set(ranks.values()))))
        picked = {p: values[rank] for p, rank in ranks.items()}

    def percentile(p: float) -> dt.timedelta | None:
        value = picked.get(p)
        return None if value is None else dt.timedelta(seconds=max(0.0, value))

    return Funnel(
        counts={k: agg[k] for k in STEPS},
        keys={k[len(KEY) :]: agg[k] for k in agg if k.startswith(KEY)},
        steps=STEPS,
        prevention=(agg["prevention_offered"], agg["prevention_accepted"])
        if prevention_ids
        else None,
        time_to_contact=TimeToContact(
            timed=timed,
            median=percentile(0.5),
            p90=percentile(0.9),
            due=agg["due"],
            within=agg["within"],
        ),
        first_seen=agg["first_seen"],
    )


TREND_SERIES = ("offered", "yes", "first_conversation")


class UtcHour(Func):
    """The UTC hour of a SQLite timestamp as text, computed natively. Django's TruncMonth
    calls a Python function per row on SQLite; an hour never straddles two Danish months
    (the offset is whole hours), so hours are summed into months in Python instead."""

    function = "strftime"
    output_field = CharField()

    def __init__(self, expression: str) -> None:
        super().__init__(Value("%Y-%m-%d %H"), expression)


def _month_of(bucket: object) -> dt.date:
    if isinstance(bucket, str):
        bucket = dt.datetime.strptime(bucket, "%Y-%m-%d %H").replace(tzinfo=dt.UTC)
    assert isinstance(bucket, dt.datetime)
    return timezone.localtime(bucket).date().replace(day=1)


def trend_raw(programme_ids: list[int], filters: Filters) -> dict[dt.date, dict[str, int]]:
    """Monthly counts by the month an offer was registered (in Danish time), one GROUP BY; with
    the key sum of the offers (``key_offered``) for protected figures."""
    yes = Q(answer=Offer.Answer.YES)
    bucket = UtcHour("created_at") if connection.vendor == "sqlite" else TruncMonth("created_at")
    rows = (
        with_referral(offers_in(programme_ids, filters), programme_ids, filters)
        .annotate(_bucket=bucket)
        .values("_bucket")
        .annotate(
            offered=Count("pk"),
            yes=Count("pk", filter=yes),
            first_conversation=Count(
                "pk",
                filter=Q(_r__isnull=False)
                & _reached("first_conversation_at", "further_sessions_at"),
            ),
            **{KEY + "offered": Sum("record_key")},  # the cell key of a protected month
        )
        .order_by("_bucket")
    )
    series = (*TREND_SERIES, KEY + "offered")
    out: dict[dt.date, dict[str, int]] = {}
    for row in rows:
        counts: dict[str, Any] = dict(row)
        month = out.setdefault(_month_of(counts["_bucket"]), dict.fromkeys(series, 0))
        for key in series:
            month[key] += counts[key] or 0
    return out


# From the rollup ---------------------------------------------------------------------------------


def from_rollup(filters: Filters) -> bool:
    p = filters.period
    return filters.case is None and rollup.day_aligned(p.start) and rollup.day_aligned(p.end)


def whole_days(duration: dt.timedelta | None) -> dt.timedelta | None:
    if duration is None:
        return None
    return dt.timedelta(days=math.ceil(max(0.0, duration.total_seconds()) / 86400))


def _percentile(histogram: dict[int, int], timed: int, p: float) -> dt.timedelta | None:
    if not timed:
        return None
    rank = nearest_rank(p, timed)
    seen = 0
    for days in sorted(histogram):
        seen += histogram[days]
        if seen > rank:
            return dt.timedelta(days=days)
    return None


def funnel(
    programme_ids: list[int],
    filters: Filters,
    *,
    prevention_ids: list[int] | None = None,
    now: dt.datetime | None = None,
    keys: bool = False,
) -> Funnel:
    """The funnel (see the module docstring): from the rollup, or the raw rows for a case.

    With ``keys`` every count carries the record-key sum of its offers (protected figures):
    the rollup keeps them too, except in rows counted before it did (then the raw rows)."""
    now = now or timezone.now()
    if prevention_ids is None:
        prevention_ids = list(
            Programme.objects.filter(
                pk__in=programme_ids, has_prevention_conversation=True
            ).values_list("pk", flat=True)
        )
    counts: dict[str, int] = {}
    if from_rollup(filters):
        ids = rollup.district_programmes(programme_ids, filters.police_district)
        fresh = rollup.not_yet_due(ids, filters, now, keys=keys)
        counts, histogram = rollup.totals(ids, filters, prevention_ids)
    else:
        fresh = rollup.not_yet_due_raw(programme_ids, filters, now, keys=keys)
    key_uncontacted = fresh.pop("key_uncontacted", 0)
    if not from_rollup(filters) or (keys and counts.get(rollup.UNKEYED)):
        raw = funnel_raw(programme_ids, filters, prevention_ids=prevention_ids, now=now, keys=keys)
        ttc = dataclasses.replace(
            raw.time_to_contact,
            median=whole_days(raw.time_to_contact.median),
            p90=whole_days(raw.time_to_contact.p90),
        )
        return dataclasses.replace(raw, time_to_contact=ttc, not_yet_due=fresh)
    # Where an open period starts (the trend's first month); a bounded period has its own.
    open_start = filters.period.start is None and counts.get("offered")
    first = rollup.first_day(ids, filters) if open_start else None
    timed = counts.get("timed", 0)
    tz = timezone.get_current_timezone()
    key_sums: dict[str, int] = {}
    if keys:
        key_sums = {
            name: counts.get(KEY + name, 0)
            for name in (*STEPS, "prevention_offered", "prevention_accepted", "timed", "within")
        }
        # "due": the referrals whose deadline has passed or who were reached, as counted below.
        key_sums["due"] = key_sums["referred"] - key_uncontacted
    return Funnel(
        counts={k: counts.get(k, 0) for k in STEPS},
        keys=key_sums,
        steps=STEPS,
        prevention=(counts.get("prevention_offered", 0), counts.get("prevention_accepted", 0))
        if prevention_ids
        else None,
        time_to_contact=TimeToContact(
            timed=timed,
            median=_percentile(histogram, timed, 0.5),
            p90=_percentile(histogram, timed, 0.9),
            due=counts.get("referred", 0) - fresh["uncontacted"],
            within=counts.get("within", 0),
        ),
        first_seen=dt.datetime.combine(first, dt.time.min, tzinfo=tz) if first else None,
        not_yet_due=fresh,
    )


def trend(
    programme_ids: list[int], filters: Filters, *, keys: bool = False
) -> dict[dt.date, dict[str, int]]:
    """Monthly counts by the month an offer was registered (in Danish time); with ``keys`` the
    offers' key sum too (``key_offered``; see ``funnel``)."""
    if from_rollup(filters):
        ids = rollup.district_programmes(programme_ids, filters.police_district)
        months = rollup.monthly(ids, filters, keys=keys)
        if months is not None:
            return months
    return trend_raw(programme_ids, filters)
