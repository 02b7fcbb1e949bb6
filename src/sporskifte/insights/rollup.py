"""The figures read from the rollup that the referrals app keeps (``referrals.rollup``).

A period is read at the coarsest level that fits it: unfiltered figures from the programme-day
rows; filtered ones as whole years, then whole months, then the days at either end. So a figure
reads at most a few thousand rows whatever the period. Durations come from the rows' whole days
to first contact (a histogram), the percentiles by the nearest-rank method as before.

One case is not in the rollup (``Filters.case``): its tens of offers are read from the raw rows
on ``Offer(case, id)``. The referrals whose contact deadline has not passed yet ("due" moves
with the clock) are counted when asked, from ``OpenDeadline``: a few days' referrals, one
narrow row each. The filtered trend reads month rows without the days to contact (level 4).

Every count comes with the sum of its offers' record keys, so protected figures (council
members, the public, the police beyond their feedback level) are rounded by the same cell keys
as when they were counted from the raw rows (``insights.protection``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, F, Func, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone

from sporskifte.referrals.models import FunnelRollup, OpenDeadline, Programme, Referral
from sporskifte.referrals.rollup import (
    AGE_BANDS,
    COUNTS,
    DAY,
    DAY_DIMS,
    KEYS,
    MONTH_DIMS,
    MONTH_TREND,
    NO_CONTACT,
    YEAR_DIMS,
)

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.expressions import CombinedExpression
    from django.db.models.sql.compiler import SQLCompiler

    # insights.selectors imports this module: the filters' type only, for the checker.
    from sporskifte.insights.selectors import Filters

Span = tuple[int, dt.date | None, dt.date | None]  # level, first start, after the last


def local_date(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else timezone.localtime(moment).date()


def day_aligned(moment: dt.datetime | None) -> bool:
    return moment is None or timezone.localtime(moment).time() == dt.time.min


def dimensions(filters: Filters) -> dict[str, object]:
    asked = {
        "municipality": filters.municipality,
        "offence": filters.offence,
        "age_band": filters.age_band or None,
        "sex": filters.sex or None,
        "partner": filters.partner,
    }
    return {k: v for k, v in asked.items() if v is not None}


def _month_up(d: dt.date) -> dt.date:
    return d if d.day == 1 else (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _year_up(d: dt.date) -> dt.date:
    return d if (d.month, d.day) == (1, 1) else dt.date(d.year + 1, 1, 1)


def _lt(a: dt.date | None, b: dt.date | None) -> bool:
    """a < b where None is minus infinity for a and plus infinity for b."""
    return a is None or b is None or a < b


def spans(start: dt.date | None, end: dt.date | None, *, finest_only: bool, coarsest: int) -> list:
    """[start, end) as level spans: days at the ends, then months, then years in the middle."""
    if finest_only:
        return [(DAY, start, end)]
    out: list[Span] = []
    levels = [lvl for lvl in (DAY_DIMS, MONTH_DIMS, YEAR_DIMS) if lvl <= coarsest]
    ups = {DAY_DIMS: _month_up, MONTH_DIMS: _year_up}
    downs = {
        DAY_DIMS: lambda d: d.replace(day=1),
        MONTH_DIMS: lambda d: d.replace(month=1, day=1),
    }
    lo, hi = start, end
    for level in levels:
        if level == levels[-1] or not _lt(lo, hi):
            if _lt(lo, hi):
                out.append((level, lo, hi))
            break
        inner_lo = ups[level](lo) if lo is not None else None
        inner_hi = downs[level](hi) if hi is not None else None
        if not _lt(inner_lo, inner_hi):
            out.append((level, lo, hi))
            break
        if lo is not None and inner_lo is not None and lo < inner_lo:
            out.append((level, lo, inner_lo))
        if hi is not None and inner_hi is not None and inner_hi < hi:
            out.append((level, inner_hi, hi))
        lo, hi = inner_lo, inner_hi
    return out


def _where(
    programme_ids: list[int], filters: Filters, coarsest: int, *, months: int = MONTH_DIMS
) -> Q:
    """The rows of the period's spans; ``months`` is the level read for whole months."""
    dims = dimensions(filters)
    where = Q(pk__in=[])  # an empty period reads nothing
    for level, lo, hi in spans(
        local_date(filters.period.start),
        local_date(filters.period.end),
        finest_only=not dims,
        coarsest=coarsest,
    ):
        # The programmes in every branch: each is then one range of the key's index
        # (level, programme, start), on SQLite (its OR optimisation) as on PostgreSQL.
        q = Q(level=months if level == MONTH_DIMS else level, programme_id__in=programme_ids)
        if lo is not None:
            q &= Q(start__gte=lo)
        if hi is not None:
            q &= Q(start__lt=hi)
        where |= q
    return where & Q(**dims)


UNKEYED = "unkeyed"  # rows counted before the key sums were kept (NULL): read the raw rows


def totals(
    programme_ids: list[int],
    filters: Filters,
    prevention_ids: list[int],
) -> tuple[dict[str, int], Counter[int]]:
    """The counts (with ``prevention_offered``), each with its record-key sum (``key_<count>``,
    the cell key of protected figures), and the histogram of whole days to contact. ``unkeyed``
    counts rows without key sums (made before they were kept, until a rebuild)."""
    rows = (
        FunnelRollup.objects.filter(_where(programme_ids, filters, YEAR_DIMS))
        .values("programme_id", "contact_days")
        .annotate(
            **{f"_{k}": Sum(k) for k in (*COUNTS, *KEYS)},
            **{UNKEYED: Count("pk", filter=Q(key_offered__isnull=True))},
        )
        .order_by()
    )
    counts: Counter[str] = Counter()
    histogram: Counter[int] = Counter()
    for found in rows:
        row: dict[str, Any] = dict(found)
        prevention = row["programme_id"] in prevention_ids
        counts[UNKEYED] += row[UNKEYED]
        for k in (*COUNTS, *KEYS):
            n = int(row[f"_{k}"] or 0)  # PostgreSQL sums a bigint as a numeric
            if k in ("prevention_accepted", "key_prevention_accepted"):
                counts[k] += n if prevention else 0
            else:
                counts[k] += n
        if prevention:
            counts["prevention_offered"] += row["_offered"] or 0
            counts["key_prevention_offered"] += int(row["_key_offered"] or 0)
        if row["contact_days"] != NO_CONTACT:
            histogram[row["contact_days"]] += row["_timed"] or 0
    return dict(counts), histogram


def first_day(programme_ids: list[int], filters: Filters) -> dt.date | None:
    """The day of the first offer (by month when filtered): where an open period starts.

    Each programme's first row is found on its own, from the start of its range of the key's
    index (level, programme, start): the first row of the programmes together, ordered by
    start, made the database read and sort every row the filters match (222,000 month rows at
    1,000,000 referrals, 10-16 ms). The spans are disjoint and read in time order, so the first
    one with a row holds the answer."""
    dims = dimensions(filters)
    period = (local_date(filters.period.start), local_date(filters.period.end))
    found = spans(*period, finest_only=not dims, coarsest=MONTH_DIMS)
    for level, lo, hi in sorted(found, key=lambda span: (span[1] is not None, span[1])):
        rows = FunnelRollup.objects.filter(level=level, offered__gt=0, **dims)
        if lo is not None:
            rows = rows.filter(start__gte=lo)
        if hi is not None:
            rows = rows.filter(start__lt=hi)
        firsts = Programme.objects.filter(pk__in=programme_ids).annotate(
            _first=Subquery(
                rows.filter(programme_id=OuterRef("pk")).order_by("start").values("start")[:1]
            )
        )
        first = firsts.aggregate(first=Min("_first"))["first"]
        if first is not None:
            return first
    return None


def monthly(
    programme_ids: list[int],
    filters: Filters,
    *,
    keys: bool = False,
) -> dict[dt.date, dict[str, int]] | None:
    """Counts per month; with ``keys`` the offers' key sum (``key_offered``) as well, or None
    when a row has no key sum yet (read the raw rows)."""
    series = ("offered", "yes", "first_conversation", *(("key_offered",) if keys else ()))
    # Summed by month in the database: unfiltered figures come from day rows, and an all-time
    # trend sent 1,100 of them to be added up here.
    rows = (
        FunnelRollup.objects.filter(_where(programme_ids, filters, MONTH_DIMS, months=MONTH_TREND))
        .values(month=MonthStart("start"))
        .annotate(
            **{f"_{k}": Sum(k) for k in series},  # named apart: a filter below names a column
            **({UNKEYED: Count("pk", filter=Q(key_offered__isnull=True))} if keys else {}),
        )
        .order_by("month")
    )
    out: dict[dt.date, dict[str, int]] = {}
    for found in rows:
        row: dict[str, Any] = dict(found)
        if keys and row[UNKEYED]:
            return None
        month = {k: int(row[f"_{k}"] or 0) for k in series}
        if month["offered"]:
            out[row["month"]] = month
    return out


def not_yet_due(
    programme_ids: list[int],
    filters: Filters,
    now: dt.datetime,
    *,
    keys: bool = False,
) -> dict[str, int]:
    """The referrals whose contact deadline is still ahead (due moves with the clock): how
    many, how many not contacted, and the steps reached so far; with ``keys`` the record-key
    sum of the uncontacted (``key_uncontacted``).

    Read from ``OpenDeadline``, one row a referral with the filters' dimensions: ``programme_ids``
    already narrowed to the district, and the period whole days, as for ``totals``."""
    rows = OpenDeadline.objects.filter(programme_id__in=programme_ids, due_at__gte=now)
    p = filters.period
    if p.start is not None:
        rows = rows.filter(day__gte=local_date(p.start))
    if p.end is not None:
        rows = rows.filter(day__lt=local_date(p.end))
    uncontacted = Q(contacted=False)
    agg = rows.filter(**dimensions(filters)).aggregate(
        referred=Count("pk"),
        uncontacted=Count("pk", filter=uncontacted),
        first_conversation=Count("pk", filter=Q(first_conversation=True)),
        further_sessions=Count("pk", filter=Q(further_sessions=True)),
        **({"key_uncontacted": Sum("record_key", filter=uncontacted)} if keys else {}),
    )
    return {k: int(v or 0) for k, v in agg.items()}


def not_yet_due_raw(
    programme_ids: list[int],
    filters: Filters,
    now: dt.datetime,
    *,
    keys: bool = False,
) -> dict[str, int]:
    """``not_yet_due`` from the referrals and their offers: for one case (tens of offers on
    the case's index) or a period that does not start at midnight, and as the tests' oracle.

    The offers are joined only for what only they hold (their filters, the record keys): a
    partner's figures without filters read its referrals alone."""
    qs = Referral.objects.filter(programme_id__in=programme_ids, due_at__gte=now)
    p = filters.period
    # The offer's filters. Not the case's: its index and tens of offers are the best start.
    asked = {
        lookup: value
        for lookup, value in (
            ("created_at__gte", p.start),
            ("created_at__lt", p.end),
            ("police_district_id", filters.police_district),
            ("home_municipality_id", filters.municipality),
            ("offence_id", filters.offence),
            ("sex", filters.sex or None),
        )
        if value is not None
    }
    prefix = "offer__"
    if connection.vendor == "sqlite" and asked:
        # SQLite would start from the offers on the filter's index (a municipality's every
        # offer, or the period's on (programme, created_at)) and join their referrals; with
        # statistics it did so for a municipality (39 ms at 1,000,000 referrals). A unary +
        # keeps it on ``referral_programme_due_idx`` (a few days of referrals); PostgreSQL's
        # statistics choose that by themselves.
        prefix = "_o_"
        columns = {lookup.split("__")[0] for lookup in asked}
        qs = qs.annotate(**{prefix + c: NoIndex(F(f"offer__{c}")) for c in columns})
    exact = {"offer__case_id": filters.case, "partner_id": filters.partner}
    qs = qs.filter(
        **{prefix + lookup: value for lookup, value in asked.items()},
        **{k: v for k, v in exact.items() if v is not None},
    )
    if filters.age_band:
        lo, hi = AGE_BANDS[filters.age_band]
        qs = qs.annotate(_age=age_at_offer("offer__")).filter(_age__gte=lo, _age__lte=hi)
    reached_first = Q(first_conversation_at__isnull=False) | Q(further_sessions_at__isnull=False)
    uncontacted = Q(contact_made_at__isnull=True)
    agg = qs.order_by().aggregate(
        referred=Count("pk"),
        uncontacted=Count("pk", filter=uncontacted),
        first_conversation=Count("pk", filter=reached_first),
        further_sessions=Count("pk", filter=Q(further_sessions_at__isnull=False)),
        # The cell key of "due" is that of "referred" less these (insights.protection).
        **({"key_uncontacted": Sum("offer__record_key", filter=uncontacted)} if keys else {}),
    )
    return {k: int(v or 0) for k, v in agg.items()}


def age_at_offer(prefix: str = "") -> CombinedExpression:
    """The person's age in the year of the offer, as ``referrals.rollup.age_band`` counts it:
    the offer's local year less the birth year."""
    return LocalYear(F(f"{prefix}created_at")) - F(f"{prefix}birth_year")


class LocalYear(ExtractYear):
    """A moment's year in the current time zone.

    On SQLite Django's ``ExtractYear`` calls a Python function for every row: 69 ms for the
    10,000 referrals of a district's last days at 1,000,000, to ask their age. SQLite stores a
    moment as UTC text ("2025-12-31 23:00:00.000000"), and a year only changes at New Year, so
    the local year is the stored year, plus one from the UTC moment that is local midnight on
    1 January (east of Greenwich), or less one before it (west of it): a comparison of text,
    exact to the microsecond (SQLite's own date functions round to the millisecond). The
    offset is this year's New Year's (Danish and Swedish time have been UTC+1 at every New
    Year since 1980). PostgreSQL: Django's ``AT TIME ZONE``."""

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        column, params = compiler.compile(self.lhs)
        zone = timezone.get_current_timezone()
        offset = dt.datetime(timezone.now().year, 1, 1, tzinfo=zone).utcoffset() or dt.timedelta()
        year = f"CAST(substr({column}, 1, 4) AS INTEGER)"
        if not offset:
            return year, tuple(params)
        # The UTC moment of local midnight on 1 January, as the text after the stored year.
        turn = (dt.datetime(2001, 1, 1) - offset).strftime("-%m-%d %H:%M:%S")
        if offset > dt.timedelta():  # east: the last hours of 31 December are next year
            return f"({year} + (substr({column}, 5) >= %s))", (*params, *params, turn)
        # west: the first hours of 1 January are last year
        return f"({year} - (substr({column}, 5) < %s))", (*params, *params, turn)


class MonthStart(TruncMonth):
    """The first day of a date's month. On SQLite Django's ``TruncMonth`` is a Python function
    called for every row; the stored text "2026-03-17" gives "2026-03-01" by itself."""

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        column, params = compiler.compile(self.lhs)
        return f"(substr({column}, 1, 8) || '01')", tuple(params)


class NoIndex(Func):
    """``+column``: the same value, of the column's type, which SQLite's planner does not look
    up in an index."""

    template = "+%(expressions)s"


def district_programmes(programme_ids: list[int], district: int | None) -> list[int]:
    """Offers carry their programme's police district, so that filter picks programmes."""
    if district is None:
        return programme_ids
    return list(
        Programme.objects.filter(pk__in=programme_ids, police_district_id=district).values_list(
            "pk", flat=True
        )
    )
