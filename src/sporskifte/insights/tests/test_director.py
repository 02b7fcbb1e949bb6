"""What a director reads: exports that keep the page's numbers, sheet names that fit, and charts
whose text stays readable and whole on a phone and a desktop."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from sporskifte.insights import charts, exports
from sporskifte.insights.report import TrendRow, build_report
from sporskifte.insights.selectors import Filters, insight_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(personas, world):
    world.funnel_people(yes=3, first=2, further=1, no=1)
    built = build_report(insight_scope(personas.officer_a), [world.programme], Filters())
    return dataclasses.replace(built, median_days=Decimal("1.5"), p90_days=Decimal("4"))


def _csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_csv_durations_have_a_decimal_comma_like_the_danish_sentence(report):
    with translation.override("da"):
        rows = _csv_rows(exports.as_csv(report))
    assert ["Median (dage)", "1,5"] in rows
    assert ["90. percentil (dage)", "4"] in rows


def test_xlsx_durations_are_numbers_not_text(report):
    book = load_workbook(io.BytesIO(exports.as_xlsx(report)))
    cells = {row[0]: row[1] for row in book["Time to first contact"].iter_rows(values_only=True)}
    assert cells["Median (days)"] == 1.5
    assert cells["90th percentile (days)"] == 4
    assert isinstance(cells["Referrals with a contact time"], int)


@pytest.mark.parametrize("language", ["da", "sv", "en"])
def test_sheet_names_fit_excel_and_are_their_own_short_names(report, language):
    with translation.override(language):
        book = load_workbook(io.BytesIO(exports.as_xlsx(report)))
        wanted = [t.sheet for t in exports.tables(report)]
    assert book.sheetnames[1:] == wanted  # nothing cut off or numbered
    assert all(len(name) <= exports.SHEET_MAX for name in book.sheetnames)


def test_the_funnel_table_shows_the_sentences_base(report):
    funnel = next(t for t in exports.tables(report) if t.sheet == "Funnel")
    assert funnel.header[-1] == "% of those who said yes"
    assert funnel.rows[-2][-1] == 67  # first conversation: 2 of the 3 who said yes


def test_prevention_comes_first_in_the_exports_and_the_chart(report):
    assert exports.tables(report)[0].sheet == "Prevention talks"
    assert charts.funnel_chart(report).bars[0].css == "bar-prevention"


def _months(report, n: int):
    first = dt.date(2025, 1, 1)
    months = [dt.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
              for i in range(n)]  # fmt: skip
    rows = [TrendRow(m, {k: 10 for k in report.trend_series}) for m in months]
    return dataclasses.replace(report, trend=rows)


@pytest.mark.parametrize("language", ["da", "sv"])
def test_month_labels_are_lower_case_in_danish_and_swedish(report, language):
    with translation.override(language):
        chart = charts.trend_chart(_months(report, 5))
    assert [t.label for t in chart.x_ticks][-1] == "maj 25"


@pytest.mark.parametrize("width", [charts.WIDE, charts.NARROW])
@pytest.mark.parametrize("n", [1, 7, 12, 13, 24, 37])
def test_month_labels_fit_the_drawing_and_the_last_month_is_labelled(report, width, n):
    with translation.override("da"):
        chart = charts.trend_chart(_months(report, n), width)
    last = float(chart.x_ticks[-1].x)
    half = len("sep 25") * charts.CHAR / 2
    assert last + half <= width
    assert float(chart.x_ticks[0].x) - half >= 0
    assert chart.x_ticks[-1].label == _label_of_month(n)
    gaps = [float(b.x) - float(a.x) for a, b in zip(chart.x_ticks, chart.x_ticks[1:])]
    assert all(gap >= 2 * half for gap in gaps)  # labels never overlap


def _label_of_month(n: int) -> str:
    month = dt.date(2025 + (n - 1) // 12, (n - 1) % 12 + 1, 1)
    with translation.override("da"):
        return charts.month_label(month)


@pytest.mark.parametrize("width", [charts.WIDE, charts.NARROW])
def test_funnel_labels_are_wrapped_to_fit_the_drawing(report, width):
    with translation.override("da"):
        chart = charts.funnel_chart(report, width)
    for bar in chart.bars:
        for _dy, line in bar.lines:
            assert len(line) * charts.CHAR <= width
        assert float(bar.text_x) + 6 * charts.CHAR <= width  # the count after the bar fits
