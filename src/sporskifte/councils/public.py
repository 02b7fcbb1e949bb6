"""The public pages of a district's cooperation plans (no log-in): what a published plan shows.

Only published versions, only the fields that the kredsråd discussed and the police director
published; internal notes are never read here, and of the members only public officials."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from sporskifte.councils import selectors
from sporskifte.councils.models import Plan
from sporskifte.organisations.models import Organisation


def plan_content(plan: Plan) -> dict[str, Any]:
    kredsraad = plan.council
    areas = plan.focus_areas.only("scope", "title", "description", "owner__name", "plan_id")
    sections = list(plan.sections.only("part", "number", "title", "body"))
    return {
        "plan": {
            "title": plan.title,
            "year": plan.year,
            "foreword": plan.foreword,
            "place_and_date": plan.place_and_date,
            "district": kredsraad.police_district.name,
        },
        "parts": sorted({s.part for s in sections}),
        "sections": sections,
        "national": [a for a in areas.prefetch_related("municipalities") if a.scope == "national"],
        "local": _local_by_municipality(plan),
        "members": list(selectors.public_members(kredsraad)),
    }


def _local_by_municipality(plan: Plan) -> list[tuple[str, list[str]]]:
    by: dict[str, list[str]] = {}
    for area in plan.focus_areas.filter(scope="local").prefetch_related("municipalities"):
        for m in area.municipalities.all():
            by.setdefault(m.name, []).append(area.title)
    return sorted(by.items())


def _district(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.POLICE_DISTRICT)


def _published(district: Organisation, year: int | None) -> tuple[Plan, list[int]]:
    published = list(selectors.published_plans(district).select_related("council__police_district"))
    if not published:
        raise Http404
    plan = published[0] if year is None else next((p for p in published if p.year == year), None)
    if plan is None:
        raise Http404
    return plan, [p.year for p in published]


@require_GET
def plan_page(request: HttpRequest, district: str, year: int | None = None) -> HttpResponse:
    d = _district(district)
    plan, years = _published(d, year)
    return render(
        request,
        "councils/public_plan.html",
        {**plan_content(plan), "years": years, "slug": d.slug, "year": plan.year},
    )


@require_GET
def plan_pdf_view(request: HttpRequest, district: str, year: int) -> HttpResponse:
    from sporskifte.councils.pdf import plan_pdf

    plan, _years = _published(_district(district), year)
    response = HttpResponse(plan_pdf(plan_content(plan)).pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="samarbejdsplan-{plan.year}.pdf"'
    return response
