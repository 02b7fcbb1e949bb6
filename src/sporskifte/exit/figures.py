"""The unit's figures: visitations, admitted, active, completed, broken off by reason, and the
days a visitation takes. Counts of a handful of gang members identify them, so every count is
protected as the published figures are (small counts hidden, and a total that would give a
hidden count back withheld)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.db.models import Count

from sporskifte.exit.models import ExitCase, ExitUnit
from sporskifte.insights.suppression import Shown, suppress_list

MIN_FOR_MEDIAN = 5


@dataclass
class UnitFigures:
    states: dict[str, Shown]
    states_total: Shown
    end_reasons: dict[str, Shown]
    end_total: Shown
    median_visitation_days: float | None


def unit_figures(unit: ExitUnit) -> UnitFigures:
    cases = ExitCase.objects.filter(unit=unit)
    by_state = dict(cases.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    labels = dict(ExitCase.State.choices)
    states, states_total = suppress_list(
        {str(labels[s]): by_state.get(s, 0) for s in ExitCase.State.values}
    )
    broken = dict(
        cases.filter(state=ExitCase.State.BROKEN_OFF)
        .values_list("end_reason")
        .annotate(n=Count("pk"))
        .values_list("end_reason", "n")
    )
    reason_labels = dict(ExitCase.EndReason.choices)
    reasons, end_total = suppress_list(
        {str(reason_labels[r]): broken.get(r, 0) for r in ExitCase.EndReason.values}
    )
    days = [
        (decided - started).days
        for started, decided in cases.filter(decided_on__isnull=False).values_list(
            "visitation_started_on", "decided_on"
        )
        if decided is not None
    ]
    median = statistics.median(days) if len(days) >= MIN_FOR_MEDIAN else None
    return UnitFigures(states, states_total, reasons, end_total, median)
