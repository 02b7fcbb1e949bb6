"""Bar charts of the district's figures, drawn with insights' SVG geometry (``Bar``,
``FunnelChart``, the same wide and narrow drawings and stylesheet, no script and no inline
style under the strict CSP). A suppressed value ("<5" or the withheld dash) gets no bar, only
its marker, so the chart shows no more than the table beside it."""

from __future__ import annotations

import textwrap

from sporskifte.insights.charts import BAR, CHAR, LINE, NARROW, WIDE, Bar, FunnelChart, bar_max
from sporskifte.insights.suppression import Shown, is_hidden


def _f(x: float) -> str:
    return f"{x:.1f}"  # never the locale's decimal comma inside an SVG attribute


def bar_chart(rows: list[tuple[str, Shown]], width: int = WIDE) -> FunnelChart:
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


def both(rows: list[tuple[str, Shown]]) -> dict[str, FunnelChart]:
    """A wide drawing and a narrow one for a 390 px phone; the stylesheet shows one."""
    return {"wide": bar_chart(rows, WIDE), "narrow": bar_chart(rows, NARROW)}
