"""Figures pages: thin; the scope decides what a user may see, ``build_report`` what is shown."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.core.replica import reads_from_replica
from sporskifte.insights import charts, exports
from sporskifte.insights.exports import notes
from sporskifte.insights.forms import FilterForm
from sporskifte.insights.published import (
    CSRF_STAND_IN,
    NEXT_STAND_IN,
    anonymous_page,
    public_figures,
)
from sporskifte.insights.report import Report, build_report
from sporskifte.insights.selectors import (
    InsightScope,
    insight_scope,
    public_programmes,
)

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.as_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.as_xlsx,
    ),
}


def scoped_report(
    request: HttpRequest, scope: InsightScope | None, *, period_only: bool = False
) -> tuple[FilterForm, Report | None]:
    """The filter form and, when it is valid, the report. A programme outside the scope is a
    404, as if it did not exist."""
    if scope is None:
        raise Http404
    programmes = list(scope.programmes.order_by("name", "pk"))
    asked = request.GET.get("programme", "")
    if asked and not any(str(p.pk) == asked for p in programmes):
        raise Http404
    form = FilterForm(request.GET, scope=scope, programmes=programmes, period_only=period_only)
    if not form.is_valid():
        return form, None
    chosen = programmes if period_only else form.chosen_programmes(programmes)
    return form, build_report(scope, chosen, form.filters())


def _context(form: FilterForm, report: Report | None, request: HttpRequest) -> dict:
    query = request.GET.copy()
    query.pop("format", None)
    return {
        "form": form,
        "report": report,
        "notes": notes(report) if report else [],
        "with_base": bool(report and report.steps and report.base_step != report.steps[0].key),
        "base_label": exports.base_label(report) if report else "",
        "funnel_chart": charts.funnel_chart(report) if report else None,
        "funnel_chart_narrow": charts.funnel_chart(report, charts.NARROW) if report else None,
        "trend_chart": charts.trend_chart(report) if report and report.trend else None,
        "trend_chart_narrow": charts.trend_chart(report, charts.NARROW)
        if report and report.trend
        else None,
        "query": query.urlencode(),
    }


@login_required
@reads_from_replica
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, figures = scoped_report(request, insight_scope(request.user))
    return render(request, "insights/report.html", _context(form, figures, request))


@login_required
@reads_from_replica
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("Choose the format: csv or xlsx."))
    form, figures = scoped_report(request, insight_scope(request.user))
    if figures is None:
        return HttpResponseBadRequest(
            _("The filters are not valid: %(errors)s") % {"errors": form.errors.as_text()}
        )
    content_type, write = FORMATS[fmt]
    with transaction.atomic():
        body = write(figures)
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            object_type=AuditEvent.ObjectType.INSIGHTS,
            object_id="funnel",
            purpose=AuditEvent.Purpose.FIGURES_EXPORTED,
            detail={
                "format": fmt,
                "filters": {k: v for k, v in request.GET.items() if k != "format"},
                "programmes": figures.programmes,
                "suppressed": figures.suppressed,
            },
        )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="sporskifte-tal.{fmt}"'
    return response


def public_index(request: HttpRequest) -> HttpResponse:
    """No login: the programmes whose figures are published, linked from the log-in page and
    every page's footer."""
    programmes = public_programmes().order_by("name")
    return render(request, "insights/public_index.html", {"programmes": programmes})


def public(request: HttpRequest, pk: int) -> HttpResponse:
    """No login: one active programme's figures, protected, computed and rendered once a day
    (``published``). An anonymous request reads neither the database nor the shared cache
    once this worker holds the day's figures: no session, no audit row (nobody's data)."""

    def body(form: FilterForm, figures: Report | None) -> str:
        context = _context(form, figures, request)
        return render_to_string("insights/includes/public_body.html", context)

    published = public_figures(pk, request.GET, body)
    if published.programme is None:
        raise Http404
    context = {"programme": published.programme, "report": published.report, "body": published.body}
    if _has_session(request):  # their name, menu or a message: rendered for them
        return render(request, "insights/public.html", context)
    stand_ins = {"csrf_token": CSRF_STAND_IN, "language_next": NEXT_STAND_IN}
    page = anonymous_page(
        pk,
        request.GET,
        lambda: render_to_string("insights/public.html", context | stand_ins, request),
    )
    page = page.replace(CSRF_STAND_IN, get_token(request))
    return HttpResponse(page.replace(NEXT_STAND_IN, escape(request.get_full_path())))


def _has_session(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies
