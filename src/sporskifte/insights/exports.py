"""The report's aggregate tables as CSV and XLSX. Only what the page shows: no person, and in a
suppressed report the same markers as on the page."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook

from sporskifte.insights.audiences import POLICE_MIN_BASE
from sporskifte.insights.report import STEP_LABELS, Report
from sporskifte.insights.suppression import WITHHELD

Cell = int | str | Decimal
SHEET_MAX = 31  # Excel's limit on a sheet name


@dataclass(frozen=True)
class Table:
    title: str
    sheet: str  # a short name of its own that fits SHEET_MAX, not the title cut off
    header: list[str]
    rows: list[list[Cell]]


def notes(report: Report) -> list[str]:
    out = [
        _("Percentages are rounded to whole numbers (halves up); days to one decimal."),
        _(
            "Offers are counted by the date they were registered; each step counts those who "
            "reached at least that step."
        ),
    ]
    if report.suppressed:
        out.append(
            _(
                "Published figures are rounded to a multiple of %(t)s, up or down, the same way "
                "each time for the same group; a count that rounds to 0 (0 to 4) is shown as "
                "<%(t)s. Figures therefore need not add up exactly."
            )
            % {"t": report.threshold}
        )
    if report.withheld:
        out.append(
            _(
                "Steps beyond what the programme lets the police learn are withheld (%(dash)s) "
                "when the figures are narrowed by more than programme and calendar period, or "
                "when fewer than %(n)s people reached the last step shown exactly."
            )
            % {"dash": WITHHELD, "n": POLICE_MIN_BASE}
        )
    return out


def _blank(value: object) -> Cell:
    if value is None:
        return ""
    return value if isinstance(value, int | str | Decimal) else str(value)


def base_label(report: Report) -> str:
    if report.base_step == "referred":
        # xgettext:no-python-format
        return _("% of those referred")
    # xgettext:no-python-format
    return _("% of those who said yes")


def tables(report: Report) -> list[Table]:
    header = [_("Step"), _("Count"), _("% of the step before"), _("% of the start")]
    with_base = report.base_step != report.steps[0].key if report.steps else False
    funnel_rows: list[list[Cell]] = [
        [
            r.label,
            r.count,
            _blank(r.rate_previous),
            _blank(r.rate_start),
            *([_blank(r.rate_base)] if with_base else []),
        ]
        for r in report.steps
    ]
    out: list[Table] = []
    if report.prevention:  # first, as in the story of [S0]
        rows: list[list[Cell]] = [
            [r.label, r.count, _blank(r.rate_previous), _blank(r.rate_start)]
            for r in report.prevention
        ]
        out.append(
            Table(
                _("Conversation with police prevention staff"),
                _("Prevention talks"),
                header,
                rows,
            )
        )
    out.append(
        Table(
            _("Funnel"),
            _("Funnel"),
            [*header, *([base_label(report)] if with_base else [])],
            funnel_rows,
        )
    )
    out.append(
        Table(
            _("Time from referral to first contact"),
            _("Time to first contact"),
            [_("Measure"), _("Value")],
            [
                [_("Referrals with a contact time"), report.timed],
                [_("Median (days)"), _blank(report.median_days)],
                [_("90th percentile (days)"), _blank(report.p90_days)],
                [_("Contacted within the deadline (%)"), _blank(report.within_percent)],
            ],
        )
    )
    out.append(
        Table(
            _("Month by month"),
            _("Month by month"),
            [_("Month"), *[str(STEP_LABELS[k]) for k in report.trend_series]],
            [
                [date_format(row.month, "Y-m"), *[row.values[k] for k in report.trend_series]]
                for row in report.trend
            ],
        )
    )
    return out


def _safe(value: Cell) -> Cell:
    # A text cell beginning with = + - @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _text(value: Cell) -> Cell:
    """CSV: numbers written as the sentences write them (a decimal comma in Danish)."""
    return number_format(value) if isinstance(value, Decimal) else _safe(value)


def _number(value: Cell) -> int | float | str:
    """XLSX: durations as numbers a spreadsheet can sum, not text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value if isinstance(value, int) else str(_safe(value))


def _preamble(report: Report) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        [_("Programmes"), ", ".join(report.programmes)],
        [_("Period"), report.period_label],
    ]
    for line in [*notes(report), *report.sentences]:
        rows.append([line])
    return rows


def as_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")  # Danish spreadsheets expect ;
    for row in _preamble(report):
        writer.writerow([_safe(c) for c in row])
    for table in tables(report):
        writer.writerow([])
        writer.writerow([_safe(table.title)])
        writer.writerow([_safe(c) for c in table.header])
        for row in table.rows:
            writer.writerow([_text(c) for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel then reads UTF-8


def _sheet_title(name: str, used: list[str]) -> str:
    base = "".join(c for c in name if c not in "[]:*?/\\")[:SHEET_MAX]
    return base if base not in used else base[: SHEET_MAX - 3] + f" {len(used)}"


def as_xlsx(report: Report) -> bytes:
    book = Workbook()
    about = book.active
    about.title = _sheet_title(_("About"), [])
    for row in _preamble(report):
        about.append([_safe(c) for c in row])
    for table in tables(report):
        sheet = book.create_sheet(_sheet_title(table.sheet, book.sheetnames))
        sheet.append([_safe(table.title)])
        sheet.append([_safe(c) for c in table.header])
        for row in table.rows:
            sheet.append([_number(c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
