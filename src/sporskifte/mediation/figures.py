"""Figures per district and year, from the name-free ``CaseFigures`` rows (which outlive the
cases) and the unlinkable satisfaction answers. Shown and exported only after the insights app's
small-cell suppression (primary and complementary): a coordinator's figures may be passed on."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sporskifte.insights.suppression import WITHHELD, Shown, suppress_list, suppress_nested
from sporskifte.mediation.models import (
    CLOSED_STATES,
    CaseFigures,
    EndReason,
    Meeting,
    OffenceCategory,
    SatisfactionAnswer,
    Source,
)
from sporskifte.mediation.services import QUESTIONS

AGE_BANDS = ("0-11", "12-14", "15-17", "18-24", "25+", "")
THRESHOLD = 5


@dataclass
class Figures:
    year: int
    headline: dict[str, Shown]
    by_source: dict[str, Shown]
    by_category: dict[str, Shown]
    by_age: dict[str, Shown]
    drop_out: dict[str, Shown]
    satisfaction: dict[str, Shown]
    answers: Shown
    median_days: float | None
    p90_days: float | None
    year_open: bool  # ``year_is_open``: the page says why so much is withheld
    year_over: bool  # and whether it is the year or its running cases
    labels: dict[str, str] = field(default_factory=dict)


def last_closed_year() -> int:
    return timezone.localdate().year - 1


def year_is_open(year: int, district_ids: Sequence[int]) -> bool:
    """Counts that only grow are published for settled years only: the year is over and every
    case proposed in it has ended (an agreement made in December may be kept or broken in the
    spring, and the year's later steps and end reasons move until then). Each look at a year
    still moving is protected on its own, but a reader who lines up two or three looks knows
    each count is at least what it was before, and a count hidden in one look is pinned by
    those shown around it in the others (the complement moves as the counts grow). The
    district's page, its exports and the national figures all ask this."""
    return (
        year > last_closed_year()
        or CaseFigures.objects.filter(district_id__in=district_ids, year=year, case__isnull=False)
        .exclude(case__state__in=CLOSED_STATES)
        .exists()
    )


def days_p90(values: list[int]) -> float | None:
    if len(values) < THRESHOLD:
        return None  # a percentile of fewer than five cases tells about individuals
    return float(statistics.quantiles(values, n=10, method="inclusive")[-1])


def days_median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if len(values) >= THRESHOLD else None


def _grouped(qs, column: str, keys: tuple[str, ...]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    found = dict(qs.values_list(column).annotate(n=Count("pk")).order_by())
    return {k: found.get(k, 0) for k in keys}


def protected_satisfaction(counts: dict[str, int]) -> tuple[Shown, dict[str, Shown]]:
    """The number of answers and the yeses per question, as the step before and the step after:
    the noes (answers minus yeses) are a group too and must not be 1 to 4."""
    shown = suppress_nested(
        [[("answers", counts["answers"]), (q, counts[q])] for q in QUESTIONS],
        threshold=THRESHOLD,
    )
    return shown["answers"], {q: shown[q] for q in QUESTIONS}


def district_figures(district_id: int, year: int) -> Figures:
    """Eight queries whatever the number of cases; three for a year still open."""
    open_year = year_is_open(year, [district_id])
    rows = CaseFigures.objects.filter(district_id=district_id, year=year)
    totals = rows.aggregate(
        proposals=Count("pk"),
        screened=Count("pk", filter=Q(suitable__isnull=False)),
        suitable=Count("pk", filter=Q(suitable=True)),
        both_consented=Count("pk", filter=Q(both_consented=True)),
        meetings_held=Count("pk", filter=Q(meeting_held=True)),
        agreements_made=Count("pk", filter=Q(agreement_made=True)),
        agreements_kept=Count("pk", filter=Q(agreement_kept=True)),
    )
    # Steps that are subsets of the step before are protected as a funnel: the difference
    # (cases found unsuitable, agreements not kept) is a group too. A consent can be withdrawn
    # after the meeting, so "both consented" stands alone.
    chains = [
        [(k, totals[k]) for k in ("proposals", "screened", "suitable")],
        [("both_consented", totals["both_consented"])],
        [(k, totals[k]) for k in ("meetings_held", "agreements_made", "agreements_kept")],
    ]
    if open_year:
        # Over a year still open the later steps are a funnel in time too: screened 6 with
        # suitable <5 in one look, and 5 unsuitable in an earlier one, leave one suitable case.
        # The first step of each chain alone cannot be pinned (a hidden count is bounded by
        # looks before and after it, each 0 or at least 5); the rest waits for the year's end.
        chains = [chain[:1] for chain in chains]
    shown = suppress_nested(chains, threshold=THRESHOLD)
    headline = {k: shown.get(k, WITHHELD) for k in totals}
    days = sorted(
        d
        for d in rows.filter(days_to_meeting__isnull=False).values_list(
            "days_to_meeting", flat=True
        )
        if d is not None
    )

    def protected_list(
        qs: QuerySet[CaseFigures], column: str, keys: tuple[str, ...]
    ) -> dict[str, Shown]:
        if open_year:
            return dict.fromkeys(keys, WITHHELD)  # see ``year_is_open``
        return suppress_list(_grouped(qs, column, keys), threshold=THRESHOLD)[0]

    by_source = protected_list(rows, "source", tuple(Source.values))
    by_category = protected_list(rows, "category", tuple(OffenceCategory.values))
    by_age = protected_list(rows, "age_band", AGE_BANDS)
    drop_out = protected_list(rows.exclude(end_reason=""), "end_reason", tuple(EndReason.values))
    if not open_year:
        counts = SatisfactionAnswer.objects.filter(district_id=district_id, year=year).aggregate(
            answers=Count("pk"), **{q: Count("pk", filter=Q(**{q: True})) for q in QUESTIONS}
        )
        answered_shown, satisfaction = protected_satisfaction(counts)
    else:
        # A year still open changes with each answer: a look before and one after a party used
        # its link would tell what that party answered. Shown once the year is over (an answer
        # counts in the year it is given, ``services._answers_create``).
        answered_shown, satisfaction = WITHHELD, dict.fromkeys(QUESTIONS, WITHHELD)
    return Figures(
        year=year,
        headline=headline,
        by_source=by_source,
        by_category=by_category,
        by_age=by_age,
        drop_out=drop_out,
        satisfaction=satisfaction,
        answers=answered_shown,
        median_days=days_median(days),
        p90_days=days_p90(days),
        year_open=open_year,
        year_over=year <= last_closed_year(),
    )


def figures_csv_rows(f: Figures) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for section, values in (
        ("headline", f.headline),
        ("source", f.by_source),
        ("offence_category", f.by_category),
        ("age_band", f.by_age),
        ("drop_out", f.drop_out),
        ("satisfaction_yes", f.satisfaction),
    ):
        rows.extend((section, key or "unknown", str(v)) for key, v in values.items())
    rows.append(("satisfaction", "answers", str(f.answers)))
    rows.append(
        ("days_to_meeting", "median", "" if f.median_days is None else f"{f.median_days:.1f}")
    )
    rows.append(("days_to_meeting", "p90", "" if f.p90_days is None else f"{f.p90_days:.1f}"))
    return rows


def figures_xlsx(header: list[str], rows: Sequence[Sequence[str]], title: str) -> bytes:
    """The CSV's rows as a workbook: one sheet, numbers as numbers, markers as text."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    sheet.append(header)
    for row in rows:
        *labels, value = row
        number: int | float | str = value
        if value.isdigit():
            number = int(value)
        elif value.replace(".", "", 1).isdigit():
            number = float(value)
        sheet.append([*labels, number])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def council_feed_meetings_held(
    district_id: int, municipality_id: int, start: dt.date, end: dt.date
) -> int:
    """For the councils' self-fed indicators (``settings.COUNCIL_FEEDS``): konfliktråd meetings
    held from ``start`` to before ``end`` in cases of the municipality. A count, no names; the
    councils app protects small counts before it shows one."""
    return (
        Meeting.objects.filter(
            case__district_id=district_id,
            case__area_id=municipality_id,
            status=Meeting.Status.HELD,
            starts_at__date__gte=start,
            starts_at__date__lt=end,
        )
        .values("case")
        .distinct()
        .count()
    )
