"""The extract and its data dictionary as files: CSV, and XLSX with the dictionary as a sheet."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from sporskifte.research import catalogue
from sporskifte.research.models import ResearchProject
from sporskifte.research.services import Extract

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def pseudonym_rule() -> str:
    return _(
        "One pseudonym per person, stable within this project and different in every other "
        "project: a keyed hash (HMAC-SHA256) of the project and the person's internal id, with a "
        "key that never leaves the police district's server, so it cannot be traced back. "
        "'P-' pseudonyms stand for a person; when the person's data has been erased at the end "
        "of retention the link to the person is gone, and the offer gets its own 'O-' pseudonym "
        "(so an erased person's offers no longer share one, and a person's pseudonym changes "
        "from 'P-' to 'O-' between a download before and one after the erasure). One row per "
        "offer, sorted by pseudonym."
    )


def dictionary_rows(project: ResearchProject) -> list[dict[str, str]]:
    coarsening = project.get_date_coarsening_display()
    rows = [
        {
            "column": catalogue.PSEUDONYM,
            "label": _("Pseudonym"),
            "description": pseudonym_rule(),
            "format": _("'P-' or 'O-' followed by 20 hexadecimal digits"),
            "coarsening": "",
        }
    ]
    for column in catalogue.ordered(project.approved_fields):
        rows.append(
            {
                "column": column.key,
                "label": str(column.label),
                "description": str(column.description),
                "format": str(column.value_format),
                "coarsening": str(coarsening) if column.coarsened else "",
            }
        )
    return rows


DICTIONARY_HEADER = ("column", "label", "description", "format", "coarsening")


def _csv(header: list[str] | tuple[str, ...], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def extract_csv(extract: Extract) -> bytes:
    return _csv(extract.columns, extract.rows)


def dictionary_csv(project: ResearchProject) -> bytes:
    rows = dictionary_rows(project)
    return _csv(DICTIONARY_HEADER, [[r[k] for k in DICTIONARY_HEADER] for r in rows])


def extract_xlsx(extract: Extract) -> bytes:
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet("extract")
    data.append(extract.columns)
    for row in extract.rows:
        data.append([_cell(v) for v in row])
    sheet = workbook.create_sheet("data_dictionary")
    sheet.append(DICTIONARY_HEADER)
    for r in dictionary_rows(extract.project):
        sheet.append([_cell(r[k]) for k in DICTIONARY_HEADER])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
