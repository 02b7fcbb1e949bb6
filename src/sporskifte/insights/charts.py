"""Geometry for the server-rendered SVG charts. Coordinates are strings already, so the Danish
locale's decimal comma never reaches an SVG attribute; colours live in insights.css."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format

from sporskifte.insights.report import STEP_LABELS, Report, StepRow
from sporskifte.insights.suppression import is_hidden

WIDTH = 640
BAR_MAX = 440
ROW = 46


def _f(x: float) -> str:
    return f"{x:.1f}"


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    label_y: str
    bar_y: str
    width: str
    text_x: str
    text_y: str
    css: str


@dataclass(frozen=True)
class FunnelChart:
    height: str
    bars: list[Bar]


def funnel_chart(report: Report) -> FunnelChart:
    rows: list[tuple[StepRow, str]] = [(r, "bar-step") for r in report.steps]
    rows += [(r, "bar-prevention") for r in report.prevention]
    top = max([int(r.count) for r, _ in rows if not is_hidden(r.count)] or [0])
    bars = []
    for i, (row, css) in enumerate(rows):
        y = i * ROW
        width = 0.0 if is_hidden(row.count) or not top else BAR_MAX * int(row.count) / top
        bars.append(
            Bar(
                label=row.label,
                value=str(row.count),
                label_y=_f(y + 14),
                bar_y=_f(y + 20),
                width=_f(width),
                text_x=_f(width + 8),
                text_y=_f(y + 36),
                css=css,
            )
        )
    return FunnelChart(height=str(len(rows) * ROW + 4), bars=bars)


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    segments: list[str]  # polyline point lists, broken where a value is withheld
    points: list[tuple[str, str]]


@dataclass(frozen=True)
class Tick:
    label: str
    x: str = "0"
    y: str = "0"


@dataclass(frozen=True)
class TrendChart:
    width: str
    height: str
    series: list[Series]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    left: str
    right: str
    bottom: str


def _nice_top(value: int) -> int:
    step = 1
    while step * 10 < value:
        step *= 10
    for m in (1, 2, 5, 10):
        if value <= m * step:
            return max(m * step, 1)
    return value


def trend_chart(report: Report) -> TrendChart:
    left, right, top_pad, bottom = 48, WIDTH - 12, 12, 200
    months = [row.month for row in report.trend]
    values = [
        int(v)
        for row in report.trend
        for k in report.trend_series
        if not is_hidden(v := row.values.get(k, 0))
    ]
    top = _nice_top(max(values or [0]))
    step_x = (right - left) / max(len(months) - 1, 1)

    def xy(i: int, v: int) -> tuple[str, str]:
        return _f(left + i * step_x), _f(bottom - (bottom - top_pad) * v / top)

    series = []
    for key in report.trend_series:
        segments: list[str] = []
        current: list[str] = []
        points: list[tuple[str, str]] = []
        for i, row in enumerate(report.trend):
            v = row.values.get(key, 0)
            if is_hidden(v):
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            x, y = xy(i, int(v))
            current.append(f"{x},{y}")
            points.append((x, y))
        if current:
            segments.append(" ".join(current))
        series.append(Series(key, str(STEP_LABELS[key]), segments, points))
    every = max(1, -(-len(months) // 12))
    x_ticks = [
        Tick(date_format(m, "M y"), x=xy(i, 0)[0], y=str(bottom + 16))
        for i, m in enumerate(months)
        if i % every == 0
    ]
    y_ticks = [Tick(str(v), y=xy(0, v)[1]) for v in sorted({0, top // 2, top})]
    return TrendChart(
        width=str(WIDTH),
        height=str(bottom + 28),
        series=series,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        left=str(left),
        right=str(right),
        bottom=str(bottom),
    )
