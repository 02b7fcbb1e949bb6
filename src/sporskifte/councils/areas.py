"""The forebyggelsesområder register: one row per housing area and year, loaded from a CSV, and
the areas that meet the criteria in force that year (almenboligloven § 61 b, with § 61 a, stk. 3
for the housing area; the thresholds are rows of ``AreaThresholds``, dated, because the law
changes them). The "crime criterion" [S2] §4.1 speaks of is criterion 2: convicted residents
at least twice the national average.

An import is all or nothing: one bad row and nothing is stored, with each error's row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.councils import selectors
from sporskifte.councils.models import AreaThresholds, PreventionArea
from sporskifte.organisations.models import Municipality

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

COLUMNS = (
    "kommunekode",
    "omraade",
    "aar",
    "beboere",
    "ikke_vestlige_pct",
    "uden_arbejde_pct",
    "doemte_gange_landsgns",
    "grundskole_pct",
    "indkomst_pct",
    "anmeldelser",
)
DECIMALS = {
    "ikke_vestlige_pct": "non_western_pct",
    "uden_arbejde_pct": "no_work_pct",
    "doemte_gange_landsgns": "convicted_ratio",
    "grundskole_pct": "basic_education_pct",
    "indkomst_pct": "income_pct",
}


@transaction.atomic
def areas_import(*, actor: User, data: str) -> int:
    district_id = selectors.managed_district_of(actor)
    if district_id is None:
        raise PermissionDenied
    reader = csv.DictReader(io.StringIO(data), delimiter=";")
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(_("Columns missing: %(columns)s") % {"columns": ", ".join(missing)})
    municipalities = {
        m.code: m for m in Municipality.objects.filter(police_district_id=district_id)
    }
    errors: list[str] = []
    rows: list[PreventionArea] = []
    for number, raw in enumerate(reader, start=2):

        def bad(column: str, message: str, number: int = number) -> None:
            errors.append(
                _("Row %(row)d, column %(column)s: %(message)s")
                % {"row": number, "column": column, "message": message}
            )

        code = (raw["kommunekode"] or "").strip().zfill(4)
        municipality = municipalities.get(code)
        if municipality is None:
            bad(
                "kommunekode",
                _("%(code)s is not a municipality of your police district.") % {"code": code},
            )
        fields: dict[str, object] = {}
        for column, name in (("aar", "year"), ("beboere", "residents")):
            try:
                fields[name] = int(raw[column])
                if fields[name] < 0:  # type: ignore[operator]
                    raise ValueError
            except (TypeError, ValueError):
                bad(column, _("not a whole number"))
        for column, name in DECIMALS.items():
            try:
                fields[name] = Decimal((raw[column] or "").replace(",", "."))
            except InvalidOperation:
                bad(column, _("not a number"))
        crimes = (raw["anmeldelser"] or "").strip()
        if crimes and not crimes.isdigit():
            bad("anmeldelser", _("not a whole number"))
        name = (raw["omraade"] or "").strip()
        if not name:
            bad("omraade", _("the area's name is missing"))
        if municipality is not None and len(errors) == 0:
            rows.append(
                PreventionArea(
                    municipality=municipality,
                    name=name,
                    reported_crimes=int(crimes) if crimes else None,
                    **fields,
                )
            )
    if errors:
        raise ValidationError(errors)
    for row in rows:
        PreventionArea.objects.update_or_create(
            municipality=row.municipality,
            name=row.name,
            year=row.year,
            defaults={
                f: getattr(row, f) for f in ("residents", "reported_crimes", *DECIMALS.values())
            },
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type="prevention_areas",
        purpose="prevention_areas_imported",
        detail={"rows": len(rows)},
    )
    return len(rows)


def thresholds_for(year: int) -> AreaThresholds:
    """The criteria in force when the year's list is published (1 December, § 61 a, stk. 5)."""
    found = AreaThresholds.objects.filter(valid_from__lte=dt.date(year, 12, 1)).first()
    if found is None:
        raise ValidationError(_("No criteria are recorded for %(year)d.") % {"year": year})
    return found


@dataclass
class Assessment:
    area: PreventionArea
    criteria_met: list[int]
    listed: bool
    crime_criterion: bool


def assess(area: PreventionArea, t: AreaThresholds) -> Assessment:
    met = [
        n
        for n, ok in (
            (1, area.no_work_pct > t.max_no_work_pct),
            (2, area.convicted_ratio >= t.min_convicted_ratio),
            (3, area.basic_education_pct > t.max_basic_education_pct),
            (4, area.income_pct < t.max_income_pct),
        )
        if ok
    ]
    listed = (
        area.residents >= t.min_residents
        and area.non_western_pct > t.min_non_western_pct
        and len(met) >= t.min_criteria
    )
    return Assessment(area, met, listed, listed and 2 in met)


def assessments(district_id: int, year: int) -> list[Assessment]:
    t = thresholds_for(year)
    areas = PreventionArea.objects.filter(
        municipality__police_district_id=district_id, year=year
    ).select_related("municipality")
    return [assess(a, t) for a in areas]


def list_changes(district_id: int, year: int) -> tuple[list[str], list[str]]:
    """The areas that enter and that leave the list from the year before."""
    now = {
        (a.area.municipality_id, a.area.name) for a in assessments(district_id, year) if a.listed
    }
    try:
        before_list = assessments(district_id, year - 1)
    except ValidationError:
        before_list = []
    before = {(a.area.municipality_id, a.area.name) for a in before_list if a.listed}
    return sorted(n for _m, n in now - before), sorted(n for _m, n in before - now)
