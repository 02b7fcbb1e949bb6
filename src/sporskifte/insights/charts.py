"""Geometry for the server-rendered SVG charts. Coordinates are strings already, so the Danish
locale's decimal comma never reaches an SVG attribute; colours live in insights.css.

Each chart is drawn twice: ``WIDE`` (640 units, never shown wider than 640 px, nor narrower
than the wide layout allows) and ``NARROW`` (320 units, for phones); the stylesheet shows one.
An SVG scales its text with its width, so the text sizes in insights.css (13-14 units) stay at
least 12 px at every screen width only because neither drawing is shrunk much below its own
width. Labels that do not fit are wrapped here, and the month labels keep room at both ends.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from sporskifte.insights.report import STEP_LABELS, Report, StepRow
from sporskifte.insights.suppression import Shown, is_hidden

WIDE, NARROW = 640, 320
WIDTH = WIDE
CHAR = 8.0  # a generous average width of a 14-unit character, for wrapping and spacing
LINE = 18
BAR = 22


def bar_max(width: int) -> float:
    return width - 80  # room for the value after the longest bar


def _f(x: float) -> str:
    return f"{x:.1f}"


@dataclass(frozen=True)
class Bar:
    label: str
    lines: list[tuple[str, str]]  # (dy, text) of the wrapped label
    value: str
    label_y: str
    bar_y: str
    width: str
    text_x: str
    text_y: str
    css: str


@dataclass(frozen=True)
class FunnelChart:
    width: str
    height: str
    bars: list[Bar]


def funnel_chart(report: Report, width: int = WIDE) -> FunnelChart:
    # The prevention conversation first, as in the story of [S0].
    rows: list[tuple[StepRow, str]] = [(r, "bar-prevention") for r in report.prevention]
    rows += [(r, "bar-step") for r in report.steps]
    top = max([int(r.count) for r, _ in rows if not is_hidden(r.count)] or [0])
    longest = bar_max(width)
    bars, y = [], 0.0
    for row, css in rows:
        wrapped = textwrap.wrap(row.label, int(width / CHAR)) or [""]
        length = 0.0 if is_hidden(row.count) or not top else longest * int(row.count) / top
        label_top = y + 14
        bar_y = label_top + (len(wrapped) - 1) * LINE + 6
        bars.append(
            Bar(
                label=row.label,
                lines=[(str(0 if i == 0 else LINE), text) for i, text in enumerate(wrapped)],
                value=str(row.count),
                label_y=_f(label_top),
                bar_y=_f(bar_y),
                width=_f(length),
                text_x=_f(length + 8),
                text_y=_f(bar_y + 16),
                css=css,
            )
        )
        y = bar_y + BAR + 10
    return FunnelChart(width=str(width), height=_f(y + 4), bars=bars)


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    segments: list[str]  # polyline point lists, broken where a value is withheld
    points: list[tuple[str, str]]

    @property
    def dots(self) -> SafeString:
        """The points' circles, written here: a circle a month and series, in two charts, were
        450 template variables of the figures page. Coordinates are ``_f``'s numbers."""
        return mark_safe(  # noqa: S308 (numbers only)
            "".join(
                f'<circle cx="{x}" cy="{y}" r="3" fill="#1f5ca8"></circle>' for x, y in self.points
            )
        )


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


def month_label(month: dt.date) -> str:
    """ "maj 26": Danish and Swedish write month abbreviations in lower case; English does not."""
    lower = (get_language() or "da").split("-")[0] in ("da", "sv", "nb", "nn")
    return date_format(month, "b y" if lower else "M y")


def trend_chart(report: Report, width: int = WIDE) -> TrendChart:
    # Half a month label of room at the right, so the last one is not cut off.
    left, right, top_pad, bottom = 56, width - 32, 12, 200
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
    label_room = 6 * CHAR + 12  # "sep 26" and a gap
    fits = max(1, int((right - left) / label_room) + 1)
    every = max(1, -(-len(months) // fits))
    last = len(months) - 1
    x_ticks = [
        Tick(month_label(m), x=xy(i, 0)[0], y=str(bottom + 20))
        for i, m in enumerate(months)
        if (last - i) % every == 0  # counted from the last month, which is always labelled
    ]
    y_ticks = [Tick(str(v), y=xy(0, v)[1]) for v in sorted({0, top // 2, top})]
    return TrendChart(
        width=str(width),
        height=str(bottom + 32),
        series=series,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        left=str(left),
        right=str(right),
        bottom=str(bottom),
    )


def suppressed_bar_chart(rows: list[tuple[str, Shown]], width: int = WIDE) -> FunnelChart:
    """Bars of protected counts (the figures of mediation, screening): a suppressed value ("<5"
    or the withheld dash) gets no bar, only its marker, so the chart shows no more than the
    table beside it."""
    top = max([int(v) for _label, v in rows if not is_hidden(v)] or [0])
    bars, y = [], 0.0
    for label, value in rows:
        wrapped = textwrap.wrap(label, int(width / CHAR)) or [""]
        length = 0.0 if is_hidden(value) or not top else bar_max(width) * int(value) / top
        label_top = y + 14
        bar_y = label_top + (len(wrapped) - 1) * LINE + 6
        bars.append(
            Bar(
                label=label,
                lines=[(str(0 if i == 0 else LINE), text) for i, text in enumerate(wrapped)],
                value=str(value),
                label_y=_f(label_top),
                bar_y=_f(bar_y),
                width=_f(length),
                text_x=_f(length + 8),
                text_y=_f(bar_y + 16),
                css="bar-step",
            )
        )
        y = bar_y + BAR + 10
    return FunnelChart(width=str(width), height=_f(y + 4), bars=bars)


def suppressed_bars(rows: list[tuple[str, Shown]]) -> dict[str, FunnelChart]:
    """A wide drawing and a narrow one for a 390 px phone; the stylesheet shows one. For
    ``insights/_bar_chart.html``."""
    return {"wide": suppressed_bar_chart(rows, WIDE), "narrow": suppressed_bar_chart(rows, NARROW)}
