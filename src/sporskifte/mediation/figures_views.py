"""The figures page and its CSV export: the coordinator's district, one year at a time."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.mediation.figures import district_figures, figures_csv_rows
from sporskifte.mediation.models import EndReason, OffenceCategory, Source
from sporskifte.mediation.roles import coordinator_district_of


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
    }
    return render(request, "mediation/figures.html", context)


@login_required
def figures_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    district, year = _scope(request)
    f = district_figures(district, year)
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            object_type=AuditEvent.ObjectType.INSIGHTS,
            object_id=f"mediation-{district}-{year}",
            purpose=AuditEvent.Purpose.FIGURES_EXPORTED,
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="konfliktraad-{year}.csv"'
    writer = csv.writer(response)
    writer.writerow(["section", "key", "value"])
    writer.writerows(figures_csv_rows(f))
    return response
