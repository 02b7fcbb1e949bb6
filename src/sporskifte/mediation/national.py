"""National figures for the central secretariat: the districts' figures side by side, with the
national total, from the name-free ``CaseFigures`` rows and the satisfaction answers.

Each breakdown is one table, districts by key, with the districts' totals and the national
totals, suppressed as a whole (``insights.suppression.suppress_table``): a district's hidden
cell cannot be worked out from the national total minus the other districts, nor from its own
row. Tables that share a margin (a district's proposals are the row total of the source, the
offence-category and the age-band tables; its answers that of each satisfaction question) hide
the same margins: a total hidden in one is hidden in all, until nothing changes.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from sporskifte.insights.suppression import (
    TOTAL,
    Shown,
    SuppressedTable,
    is_hidden,
    suppress_nested,
    suppress_table,
)
from sporskifte.mediation.figures import (
    AGE_BANDS,
    THRESHOLD,
    days_median,
    days_p90,
    year_is_open,
)
from sporskifte.mediation.models import (
    CaseFigures,
    EndReason,
    OffenceCategory,
    SatisfactionAnswer,
    Source,
)
from sporskifte.mediation.services import QUESTIONS
from sporskifte.organisations.models import Organisation

MEASURES = (
    "screened",
    "suitable",
    "both_consented",
    "meetings_held",
    "agreements_made",
    "agreements_kept",
)
_MEASURE_FILTERS = {
    "screened": Q(suitable__isnull=False),
    "suitable": Q(suitable=True),
    "both_consented": Q(both_consented=True),
    "meetings_held": Q(meeting_held=True),
    "agreements_made": Q(agreement_made=True),
    "agreements_kept": Q(agreement_kept=True),
}


@dataclass(frozen=True)
class National:
    year: int
    districts: list[Organisation]
    proposals: SuppressedTable  # by source
    by_category: SuppressedTable
    by_age: SuppressedTable
    drop_out: SuppressedTable
    measures: dict[str, tuple[dict[int, Shown], Shown]]  # measure → (per district, national)
    satisfaction: dict[str, SuppressedTable]  # question → districts by yes/no
    # Days from proposal to meeting, (median, 90th percentile) per district and for TOTAL; None
    # below five meetings, as on the district's page.
    days: dict[Hashable, tuple[float | None, float | None]]


def _cells(
    qs: QuerySet, column: str, districts: list[int], keys: tuple[str, ...]
) -> dict[tuple[Hashable, Hashable], int]:
    found = {
        (d, k): n
        for d, k, n in qs.values_list("district_id", column).annotate(n=Count("pk")).order_by()
    }
    return {(d, k): found.get((d, k), 0) for d in districts for k in keys}


def _linked(
    tables: Mapping[str, Mapping[tuple[Hashable, Hashable], int]],
) -> dict[str, SuppressedTable]:
    """Suppress tables that share their row totals and grand total, hiding in every table a
    margin hidden in any of them, until the hidden margins no longer grow."""
    hide: set[Hashable] = set()
    while True:
        out = {
            name: suppress_table(cells, threshold=THRESHOLD, also_hide=[(r, TOTAL) for r in hide])
            for name, cells in tables.items()
        }
        hidden = {r for t in out.values() for r in t.rows if is_hidden(t.row_totals[r])}
        if any(is_hidden(t.grand_total) for t in out.values()):
            hidden.add(TOTAL)
        if hidden <= hide:
            return out
        hide |= hidden


# Steps that are subsets of the step before: their difference (cases found unsuitable, agreements
# not kept) is a group too, in each district and nationally. A consent can be withdrawn after
# the meeting, so "both consented" stands alone, as on the district's own page.
CHAINS = (("screened", "suitable"), ("both_consented",), MEASURES[3:])


def _protected_measures(
    counts: Mapping[int, Mapping[str, int]],
) -> dict[str, tuple[dict[int, Shown], Shown]]:
    """Each measure is a list of districts with its national total, and each district's and
    the nation's measures are a funnel: a count hidden by one rule is hidden for the other,
    until neither hides more. Without the funnel, screened minus suitable gave a district's one
    unsuitable case; without the list, the national total minus the other districts gave it."""
    ids = list(counts)
    sources: dict[Hashable, Mapping[str, int]] = dict(counts.items())
    sources[TOTAL] = {m: sum(counts[d][m] for d in ids) for m in MEASURES}
    forced: dict[Hashable, set[str]] = {d: set() for d in sources}
    while True:
        funnels = {
            d: suppress_nested(
                [[(m, sources[d][m]) for m in chain] for chain in CHAINS],
                threshold=THRESHOLD,
                also_hide=forced[d],
            )
            for d in forced
        }
        tables = {
            m: suppress_table(
                {(d, "n"): counts[d][m] for d in ids},
                threshold=THRESHOLD,
                also_hide=[
                    (TOTAL if d == TOTAL else d, TOTAL if d == TOTAL else "n")
                    for d in forced
                    if is_hidden(funnels[d][m])
                ],
            )
            for m in MEASURES
        }
        hidden = {
            d: {
                m
                for m in MEASURES
                if is_hidden(tables[m].grand_total if d == TOTAL else tables[m].cells[(d, "n")])
            }
            for d in forced
        }
        if all(hidden[d] <= forced[d] for d in forced):
            return {
                m: ({d: tables[m].cells[(d, "n")] for d in ids}, tables[m].grand_total)
                for m in MEASURES
            }
        forced = {d: forced[d] | hidden[d] for d in forced}


def _districts(country: str) -> QuerySet[Organisation]:
    """The country's police districts with a mediation service."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.POLICE_DISTRICT,
        country=country,
        pk__in=Organisation.objects.filter(kind=Organisation.Kind.MEDIATION_SERVICE).values(
            "parent"
        ),
    )


def national_figures(country: str, year: int) -> National | None:
    """Eight queries whatever the number of cases or districts; None while the year is not
    settled in every district (``figures.year_is_open``), for the page and its downloads alike."""
    districts = list(_districts(country).order_by("name"))
    ids = [d.pk for d in districts]
    if year_is_open(year, ids):
        return None
    rows = CaseFigures.objects.filter(district_id__in=ids, year=year)
    shared = _linked(
        {
            "source": _cells(rows, "source", ids, tuple(Source.values)),
            "category": _cells(rows, "category", ids, tuple(OffenceCategory.values)),
            "age": _cells(rows, "age_band", ids, AGE_BANDS),
        }
    )
    drop_out = suppress_table(
        _cells(rows.exclude(end_reason=""), "end_reason", ids, tuple(EndReason.values)),
        threshold=THRESHOLD,
    )
    per_district = {
        d: counts
        for d, *counts in rows.values("district_id")
        .annotate(**{m: Count("pk", filter=f) for m, f in _MEASURE_FILTERS.items()})
        .order_by()
        .values_list("district_id", *MEASURES)
    }
    measures = _protected_measures(
        {d: dict(zip(MEASURES, per_district.get(d, [0] * len(MEASURES)), strict=True)) for d in ids}
    )
    waited: dict[Hashable, list[int]] = {d: [] for d in [*ids, TOTAL]}
    for d, n in rows.filter(days_to_meeting__isnull=False).values_list(
        "district_id", "days_to_meeting"
    ):
        if n is not None:  # filtered out above; the column itself may hold none
            waited[d].append(n)
            waited[TOTAL].append(n)
    days = {d: (days_median(v), days_p90(v)) for d, v in waited.items()}
    answers = SatisfactionAnswer.objects.filter(district_id__in=ids, year=year)
    found = {
        d: values
        for d, *values in answers.values("district_id")
        .annotate(n=Count("pk"), **{q: Count("pk", filter=Q(**{q: True})) for q in QUESTIONS})
        .order_by()
        .values_list("district_id", "n", *QUESTIONS)
    }
    satisfaction = _linked(
        {
            q: {
                cell: value
                for d in ids
                for cell, value in (
                    ((d, "yes"), found.get(d, [0] * 5)[1 + i]),
                    ((d, "no"), found.get(d, [0] * 5)[0] - found.get(d, [0] * 5)[1 + i]),
                )
            }
            for i, q in enumerate(QUESTIONS)
        }
    )
    return National(
        year=year,
        districts=districts,
        proposals=shared["source"],
        by_category=shared["category"],
        by_age=shared["age"],
        drop_out=drop_out,
        measures=measures,
        satisfaction=satisfaction,
        days=days,
    )
