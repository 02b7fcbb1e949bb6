"""The police director's yearly report to the kredsråd (retsplejeloven § 112; bekendtgørelse nr.
1426 af 13/12/2006), generated from the plan: each focus area's activities and, per indicator,
the latest quarter's status in each municipality it covers. Aggregates only."""

from __future__ import annotations

from dataclasses import dataclass, field

from sporskifte.councils.models import FocusArea, Indicator, IndicatorStatus, Plan


@dataclass
class IndicatorLine:
    indicator: Indicator
    latest: list[IndicatorStatus] = field(default_factory=list)


@dataclass
class AreaReport:
    area: FocusArea
    activities: list[str]
    indicators: list[IndicatorLine]


@dataclass
class YearlyReport:
    plan: Plan
    areas: list[AreaReport]


def yearly_report(plan: Plan) -> YearlyReport:
    statuses: dict[int, dict[int, IndicatorStatus]] = {}
    for s in (
        IndicatorStatus.objects.filter(indicator__focus_area__plan=plan, year=plan.year)
        .select_related("municipality")
        .order_by("quarter")
    ):
        statuses.setdefault(s.indicator_id, {})[s.municipality_id] = s  # the last quarter wins
    out = []
    for area in plan.focus_areas.prefetch_related("activities", "indicators"):
        out.append(
            AreaReport(
                area,
                [a.description for a in area.activities.all()],
                [
                    IndicatorLine(
                        i,
                        sorted(statuses.get(i.pk, {}).values(), key=lambda s: s.municipality.name),
                    )
                    for i in area.indicators.all()
                ],
            )
        )
    return YearlyReport(plan, out)
