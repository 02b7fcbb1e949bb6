"""The unit's figures: visitations, admitted, active, completed, broken off by reason, and the
days a visitation takes. Counts of a handful of gang members identify them, so every count is
protected as the published figures are (small counts hidden, and a total that would give a
hidden count back withheld)."""

from __future__ import annotations

import statistics
from collections.abc import Hashable
from dataclasses import dataclass

from django.db.models import Count

from sporskifte.exit.models import ExitCase, ExitUnit
from sporskifte.insights.suppression import Shown, suppress_table

MIN_FOR_MEDIAN = 5


@dataclass
class UnitFigures:
    states: dict[str, Shown]
    states_total: Shown
    end_reasons: dict[str, Shown]
    end_total: Shown
    median_visitation_days: float | None


def protected_counts(
    by_state: dict[str, int], broken: dict[str, int]
) -> tuple[dict[str, Shown], Shown, dict[str, Shown], Shown]:
    """Both lists protected, keyed by state and reason.

    The reasons' total is the state list's "broken off" cell, and the reasons' markers bound it:
    protected one list at a time, a reader combining them worked hidden counts out
    (``test_attack_figures``). So they are one table: a row per state, the broken-off row split
    by reason (a case broken off without a known reason counts as "other") and the other rows
    in a column of their own. The state list is its row totals, the reasons its broken-off row.
    """
    broken_off, other = ExitCase.State.BROKEN_OFF, ExitCase.EndReason.OTHER
    reason_counts = {r: broken.get(r, 0) for r in ExitCase.EndReason.values}
    reason_counts[other] += sum(n for r, n in broken.items() if r not in reason_counts)
    cells: dict[tuple[Hashable, Hashable], int] = {
        (s, ""): by_state.get(s, 0) for s in ExitCase.State.values if s != broken_off
    }
    cells |= {(broken_off, r): n for r, n in reason_counts.items()}
    table = suppress_table(cells)
    states = {s: table.row_totals[s] for s in ExitCase.State.values}
    reasons = {r: table.cells[(broken_off, r)] for r in ExitCase.EndReason.values}
    return states, table.grand_total, reasons, table.row_totals[broken_off]


def unit_figures(unit: ExitUnit) -> UnitFigures:
    cases = ExitCase.objects.filter(unit=unit)
    by_state = dict(cases.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    broken = dict(
        cases.filter(state=ExitCase.State.BROKEN_OFF)
        .values_list("end_reason")
        .annotate(n=Count("pk"))
        .values_list("end_reason", "n")
    )
    states, states_total, reasons, end_total = protected_counts(by_state, broken)
    labels = dict(ExitCase.State.choices)
    reason_labels = dict(ExitCase.EndReason.choices)
    days = [
        (decided - started).days
        for started, decided in cases.filter(decided_on__isnull=False).values_list(
            "visitation_started_on", "decided_on"
        )
        if decided is not None
    ]
    median = statistics.median(days) if len(days) >= MIN_FOR_MEDIAN else None
    return UnitFigures(
        {str(labels[s]): v for s, v in states.items()},
        states_total,
        {str(reason_labels[r]): v for r, v in reasons.items()},
        end_total,
        median,
    )
