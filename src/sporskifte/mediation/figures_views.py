"""The figures page and its CSV export: the coordinator's district, one year at a time."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.insights.charts import suppressed_bars
from sporskifte.insights.suppression import TOTAL, WITHHELD, Shown, SuppressedTable
from sporskifte.mediation.figures import (
    Figures,
    district_figures,
    figures_csv_rows,
    last_closed_year,
)
from sporskifte.mediation.figures import figures_xlsx as as_xlsx
from sporskifte.mediation.models import EndReason, OffenceCategory, Source
from sporskifte.mediation.national import National, national_figures
from sporskifte.mediation.roles import coordinator_district_of, national_country_of


def _scope(request: AuthenticatedHttpRequest) -> tuple[int, int]:
    district = coordinator_district_of(request.user)
    if district is None:
        raise Http404
    try:
        year = int(request.GET.get("aar", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    return district, max(2000, min(year, 2100))


@login_required
def figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    district, year = _scope(request)
    f = district_figures(district, year)
    context = {
        "f": f,
        "year": year,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "source_labels": dict(Source.choices),
        "category_labels": dict(OffenceCategory.choices),
        "reason_labels": dict(EndReason.choices),
        "charts": _charts(f),
    }
    return render(request, "mediation/figures.html", context)


def _charts(f: Figures) -> dict[str, Any]:
    sources, categories = dict(Source.choices), dict(OffenceCategory.choices)
    reasons = dict(EndReason.choices)
    return {
        "source": suppressed_bars([(str(sources[k]), v) for k, v in f.by_source.items()]),
        "category": suppressed_bars([(str(categories[k]), v) for k, v in f.by_category.items()]),
        "age": suppressed_bars([(k or _("Not known"), v) for k, v in f.by_age.items()]),
        "drop_out": suppressed_bars([(str(reasons[k]), v) for k, v in f.drop_out.items()]),
    }


def _export_audit(request: AuthenticatedHttpRequest, what: str, year: int, kind: str) -> None:
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            object_type=AuditEvent.ObjectType.INSIGHTS,
            object_id=f"mediation-{what}-{year}",
            purpose=AuditEvent.Purpose.FIGURES_EXPORTED,
            detail={"format": kind},
        )


@login_required
def figures_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    district, year = _scope(request)
    f = district_figures(district, year)
    _export_audit(request, str(district), year, "csv")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="konfliktraad-{year}.csv"'
    writer = csv.writer(response)
    writer.writerow(["section", "key", "value"])
    writer.writerows(figures_csv_rows(f))
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def figures_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    district, year = _scope(request)
    f = district_figures(district, year)
    _export_audit(request, str(district), year, "xlsx")
    response = HttpResponse(
        as_xlsx(["section", "key", "value"], figures_csv_rows(f), f"Konfliktraad {year}"),
        content_type=XLSX,
    )
    response["Content-Disposition"] = f'attachment; filename="konfliktraad-{year}.xlsx"'
    return response


# The central secretariat ----------------------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    """A suppressed table laid out for the template: districts down, keys across."""

    key: str
    title: str
    cols: list[str]
    rows: list[tuple[str, list[Shown], Shown]]
    totals: list[Shown]
    grand: Shown
    has_total: bool = True  # a column of row totals (not for measures that do not add up)


def _grid(key: str, title: str, t: SuppressedTable, names: dict[Any, str], labels: dict) -> Grid:
    return Grid(
        key=key,
        title=title,
        cols=[str(labels.get(c, c)) or _("Not known") for c in t.cols],
        rows=[(names[r], [t.cells[(r, c)] for c in t.cols], t.row_totals[r]) for r in t.rows],
        totals=[t.col_totals[c] for c in t.cols],
        grand=t.grand_total,
    )


def _national_scope(request: AuthenticatedHttpRequest) -> tuple[str, int]:
    """The country and a finished year. The secretariat sees no case, so its figures must not
    move while it watches: counts of a year still open grow, and two looks a week apart, each
    protected on its own, tell what happened in between. The figures of a year are national
    statistics once the year is over."""
    country = national_country_of(request.user)
    if country is None:
        raise Http404
    last = last_closed_year()
    try:
        year = int(request.GET.get("aar", last))
    except ValueError:
        year = last
    return country, max(2000, min(year, last))


def _national_grids(n: National) -> tuple[Grid, list[Grid]]:
    names = {d.pk: d.name for d in n.districts}
    grids = [
        _grid("source", _("Proposals by source"), n.proposals, names, dict(Source.choices)),
        _grid(
            "category",
            _("Proposals by kind of offence"),
            n.by_category,
            names,
            dict(OffenceCategory.choices),
        ),
        _grid("age", _("Proposals by the youngest offender's age"), n.by_age, names, {}),
        _grid("drop_out", _("Why cases ended early"), n.drop_out, names, dict(EndReason.choices)),
    ]
    questions = {
        "got_what_wanted": _("Got what they wanted"),
        "fair": _("Found it fair"),
        "successful": _("Called it successful"),
        "good_service": _("Good public service"),
    }
    yes_no = {"yes": _("Yes"), "no": _("No")}
    grids += [
        _grid(f"satisfaction-{q}", title, n.satisfaction[q], names, yes_no)
        for q, title in questions.items()
    ]
    measure_labels = {
        "screened": _("Screened"),
        "suitable": _("Judged suitable"),
        "both_consented": _("Both parties consented"),
        "meetings_held": _("Meetings held"),
        "agreements_made": _("Agreements made"),
        "agreements_kept": _("Agreements kept"),
    }
    measures = Grid(
        key="headline",
        title=_("Cases by district"),
        cols=[_("Proposals"), *(str(label) for label in measure_labels.values())],
        rows=[
            (
                d.name,
                [
                    n.proposals.row_totals[d.pk],
                    *(n.measures[m][0][d.pk] for m in measure_labels),
                ],
                "",
            )
            for d in n.districts
        ],
        totals=[n.proposals.grand_total, *(n.measures[m][1] for m in measure_labels)],
        grand="",
    )

    def shown(value: float | None) -> Shown:
        return WITHHELD if value is None else f"{value:.1f}"

    grids.append(
        Grid(
            key="days",
            title=_("Days from proposal to meeting"),
            cols=[_("Median"), _("90th percentile")],
            rows=[(d.name, [shown(v) for v in n.days[d.pk]], "") for d in n.districts],
            totals=[shown(v) for v in n.days[TOTAL]],
            grand="",
            has_total=False,
        )
    )
    return measures, grids


@login_required
def national(request: AuthenticatedHttpRequest) -> HttpResponse:
    country, year = _national_scope(request)
    n = national_figures(country, year)
    context: dict[str, Any] = {
        "year": year,
        "years": range(last_closed_year(), last_closed_year() - 5, -1),
        "settled": n is not None,
    }
    if n is not None:
        context["headline"], context["grids"] = _national_grids(n)
    return render(request, "mediation/national.html", context)


NATIONAL_HEADER = ["table", "district", "column", "value"]


def _national_rows(country: str, year: int) -> list[tuple[str, str, str, str]]:
    """Every cell the page shows, markers as shown: the export is the page, not the data."""
    n = national_figures(country, year)
    if n is None:
        raise Http404  # the page offers no download until the year is settled
    headline, grids = _national_grids(n)
    everyone = str(_("All districts"))
    rows = []
    for g in [headline, *grids]:
        for name, cells, total in g.rows:
            rows += [(g.key, name, col, str(v)) for col, v in zip(g.cols, cells, strict=True)]
            if total != "":
                rows.append((g.key, name, str(_("Total")), str(total)))
        rows += [(g.key, everyone, col, str(v)) for col, v in zip(g.cols, g.totals, strict=True)]
        if g.grand != "":
            rows.append((g.key, everyone, str(_("Total")), str(g.grand)))
    return rows


@login_required
def national_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    country, year = _national_scope(request)
    rows = _national_rows(country, year)
    _export_audit(request, f"national-{country}", year, "csv")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="konfliktraad-landet-{year}.csv"'
    writer = csv.writer(response)
    writer.writerow(NATIONAL_HEADER)
    writer.writerows(rows)
    return response


@login_required
def national_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    country, year = _national_scope(request)
    rows = _national_rows(country, year)
    _export_audit(request, f"national-{country}", year, "xlsx")
    response = HttpResponse(
        as_xlsx(NATIONAL_HEADER, rows, f"Konfliktraad landet {year}"), content_type=XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="konfliktraad-landet-{year}.xlsx"'
    return response
