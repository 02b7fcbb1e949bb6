"""The published plan and the yearly report as PDFs, laid out like [S2]: a title page, a
table of contents with page numbers, the parts with their sections, the focus areas. Rendered
by WeasyPrint as the worry letters are (``concerns.pdf``), with the same fetcher that refuses
anything but the letter's own stylesheet, so the document can reach nothing outside.

The public version is built from what ``public.plan_content`` returns: no internal notes, no
community members' names."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from sporskifte.concerns.pdf import RenderedLetter, render_html
from sporskifte.councils.report import YearlyReport


def plan_pdf(content: dict[str, Any]) -> RenderedLetter:
    # The plan is a Danish document whatever the reader's language (issue: "in Danish").
    with translation.override("da"):
        return render_html(render_to_string("councils/pdf/plan.html", content))


def report_pdf(report: YearlyReport) -> RenderedLetter:
    with translation.override("da"):
        return render_html(render_to_string("councils/pdf/report.html", {"report": report}))
