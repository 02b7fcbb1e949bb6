"""Counts per forum and quarter for the councils: persons discussed at held meetings and actions
done by their deadline. Counts only, never a person; small numbers are suppressed as in every
published figure (docs/figures-protection.md, ``sporskifte.insights.suppression``).

Each forum's row is suppressed on its own, with its own total and no total across fora: council
members see different sets of fora (their municipality's and the district's), and a forum must
show the same figures in every view, or two views together could give a hidden count away. For
the same reason "actions due" is not published next to "done on time": the difference would be
a small group of its own.

The counts outlive the persons: ``retention.py`` leaves, for each erased person, one agenda item
per quarter with held meetings (no person, no text) and their actions without person or
description, so an erasure changes no quarter's figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sporskifte.fora.models import Action, AgendaItem, Forum, Meeting
from sporskifte.insights.suppression import Shown, suppress_table

MEASURES = {
    "persons": _("Persons discussed"),
    "on_time": _("Actions done on time"),
}


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    def __str__(self) -> str:
        return f"{self.year} K{self.quarter}"

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)
        )

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)


def last_quarters(n: int = 4, today: dt.date | None = None) -> list[Quarter]:
    q = Quarter.of(today or timezone.localdate())
    quarters = [q]
    for _i in range(n - 1):
        quarters.append(quarters[-1].previous())
    return quarters[::-1]


def quarter_counts(
    forums: Iterable[Forum], quarters: list[Quarter]
) -> dict[tuple[int, Quarter, str], int]:
    """(forum id, quarter, measure) → count, for every forum, quarter and measure (zeros too)."""
    ids = [f.pk for f in forums]
    first = quarters[0].start
    cells = {(f, q, m): 0 for f in ids for q in quarters for m in MEASURES}
    persons = (
        AgendaItem.objects.filter(
            kind=AgendaItem.Kind.PERSON,
            meeting__status=Meeting.Status.HELD,
            meeting__forum_id__in=ids,
            meeting__starts_at__date__gte=first,
        )
        .annotate(y=ExtractYear("meeting__starts_at"), q=ExtractQuarter("meeting__starts_at"))
        .values("meeting__forum_id", "y", "q")
        # Persons still held, each once, plus erased persons: one left-over item each.
        .annotate(n=Count("person", distinct=True) + Count("id", filter=Q(person__isnull=True)))
    )
    for p in persons:
        key = (p["meeting__forum_id"], Quarter(p["y"], p["q"]), "persons")
        if key in cells:
            cells[key] = p["n"]
    actions = (
        Action.objects.filter(forum_id__in=ids, deadline__gte=first)
        .exclude(status=Action.Status.DROPPED)
        .annotate(y=ExtractYear("deadline"), q=ExtractQuarter("deadline"))
        .values("forum_id", "y", "q")
        .annotate(
            on_time=Count(
                "id", filter=Q(status=Action.Status.DONE, closed_at__date__lte=F("deadline"))
            ),
        )
    )
    for a in actions:
        key = (a["forum_id"], Quarter(a["y"], a["q"]), "on_time")
        if key in cells:
            cells[key] = a["on_time"]
    return cells


@dataclass(frozen=True)
class Row:
    forum: Forum
    cells: list[Shown]
    total: Shown


@dataclass(frozen=True)
class MeasureTable:
    label: str
    rows: list[Row]


def tables(
    forums: list[Forum], quarters: list[Quarter], cells: dict[tuple[int, Quarter, str], int]
) -> list[MeasureTable]:
    out = []
    for measure, label in MEASURES.items():
        rows = []
        for f in forums:
            t = suppress_table({(f.pk, q): cells[(f.pk, q, measure)] for q in quarters})
            rows.append(Row(f, [t.cells[(f.pk, q)] for q in quarters], t.row_totals[f.pk]))
        out.append(MeasureTable(str(label), rows))
    return out
