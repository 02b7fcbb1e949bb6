"""The screening figures as CSV and XLSX: exactly the page's tables, with the page's "<5" and
withheld markers, never a row about a person (the same approach as insights.exports)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from sporskifte.insights.exports import SHEET_MAX, Cell, Table
from sporskifte.insights.suppression import WITHHELD
from sporskifte.screening.figures import Figures, quarter_label


def _missing(value: object) -> Cell:
    return WITHHELD if value is None else value if isinstance(value, int | str) else str(value)


def tables(f: Figures) -> list[Table]:
    count = _("Count")
    t = f.age_sex["table"]
    sexes = f.age_sex["sexes"]
    weeks: list[list[Cell]] = [[w.isoformat(), n] for w, n in f.weeks]
    quarter = quarter_label(f.quarter) if f.quarter else WITHHELD
    return [
        Table(
            _("Hits per week"),
            _("Hits per week"),
            [_("Week of"), _("Hits")],
            [*weeks, [_("Total"), f.weeks_total]],
        ),
        Table(
            _("Key figures"),
            _("Key figures"),
            [_("Figure"), _("Value")],
            [
                [_("Notifications sent in"), quarter],
                [
                    _("Share of hits that became notifications") + " (%)",
                    _missing(f.share_to_notification),
                ],
                [_("Median days from last incident to notification"), _missing(f.median_days)],
                [_("Share acknowledged in time") + " (%)", _missing(f.acknowledged_in_time)],
                [_("Share with feedback") + " (%)", _missing(f.with_feedback)],
                [_("Adults with more than one hit (repeat households)"), f.repeat_households],
            ],
        ),
        Table(
            _("Notifications by municipality"),
            _("By municipality"),
            [_("Municipality"), count],
            [[name, n] for name, n in f.municipalities],
        ),
        Table(
            _("Notifications by reason"),
            _("By reason"),
            [_("Reason"), count],
            [[name, n] for name, n in f.reasons],
        ),
        Table(
            _("Notifications by age and sex"),
            _("By age and sex"),
            [_("Age"), *[label for _s, label in sexes], _("Total")],
            [
                [band, *[t.at(band, s) for s, _l in sexes], t.row_totals[band]]
                for band in f.age_sex["bands"]
            ],
        ),
    ]


def _safe(value: Cell) -> Cell:
    # A text cell beginning with = + - @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def as_csv(f: Figures) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")  # Danish spreadsheets expect ;
    for i, table in enumerate(tables(f)):
        if i:
            writer.writerow([])
        writer.writerow([_safe(table.title)])
        writer.writerow([_safe(c) for c in table.header])
        for row in table.rows:
            writer.writerow([_safe(c) for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel then reads UTF-8


def as_xlsx(f: Figures) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in tables(f):
        sheet = book.create_sheet(table.sheet[:SHEET_MAX])
        sheet.append([_safe(table.title)])
        sheet.append([_safe(c) for c in table.header])
        for row in table.rows:
            sheet.append([c if isinstance(c, int | float) else str(_safe(c)) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
