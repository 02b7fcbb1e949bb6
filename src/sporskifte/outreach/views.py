"""Outreach pages: the public ones (warnings, the "Bestil en betjent" form) need no log-in and
show nothing of anyone; the prevention unit's pages are scoped by the selectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sporskifte.accounts.models import User
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record, audit_record_looks
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.core.forms import add_service_errors
from sporskifte.organisations.models import Organisation
from sporskifte.outreach import selectors, services, throttle
from sporskifte.outreach.forms import (
    AssignForm,
    CloseForm,
    ProposeTimeForm,
    VisitRequestForm,
    WarningForm,
    WithdrawForm,
    year_choices,
)
from sporskifte.outreach.models import PublicWarning, VisitRequest

GET_POST = require_http_methods(["GET", "POST"])


# Public pages ------------------------------------------------------------------------------


def public_index(request: HttpRequest) -> HttpResponse:
    districts = selectors.published_districts().order_by("name")
    return render(request, "outreach/public_index.html", {"districts": districts})


def public_warnings(request: HttpRequest, slug: str) -> HttpResponse:
    district = get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.POLICE_DISTRICT)
    return render(
        request,
        "outreach/public_warnings.html",
        {"district": district, "warnings": selectors.public_warnings(district)},
    )


@GET_POST
def visit_request_new(request: HttpRequest) -> HttpResponse:
    form = VisitRequestForm(request.POST or None)
    if request.method == "POST":
        if not throttle.allow_submission(request):
            form.add_error(
                None,
                _("Too many requests have been sent from here. Try again in an hour."),
            )
            return render(request, "outreach/visit_request_form.html", {"form": form}, status=429)
        if form.is_robot():
            # Told nothing: a robot that learns the field gave it away tries without it.
            return redirect("outreach:visit_request_thanks")
        if form.is_valid():
            data = {
                k: v for k, v in form.cleaned_data.items() if k not in ("website", "municipality")
            }
            confirm_url = request.build_absolute_uri(
                reverse("outreach:visit_request_confirm", args=["TOKEN"])
            ).replace("TOKEN", "{token}")
            try:
                services.visit_request_submit(
                    municipality=form.cleaned_data["municipality"],
                    confirm_url=confirm_url,
                    language=translation.get_language() or "da",
                    **data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("outreach:visit_request_thanks")
    return render(request, "outreach/visit_request_form.html", {"form": form})


def visit_request_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/visit_request_thanks.html")


@GET_POST
def visit_request_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; the POST confirms. A mail scanner that opens every link therefore
    confirms nothing on its own."""
    if request.method == "POST":
        done = services.visit_request_confirm(
            token=token,
            unit_link=request.build_absolute_uri(reverse("outreach:visit_request_list")),
        )
        return render(request, "outreach/visit_request_confirmed.html", {"done": done})
    return render(request, "outreach/visit_request_confirm.html")


# The prevention unit's pages ---------------------------------------------------------------


def _unit_district(request: AuthenticatedHttpRequest) -> int:
    district = selectors.prevention_unit_district_of(request.user)
    if district is None:
        raise Http404
    return district


@login_required
def warning_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _unit_district(request)
    warnings = selectors.warnings_for_user(request.user).order_by("-created_at")[:200]
    return render(request, "outreach/warning_list.html", {"warnings": warnings})


def _warning_values(form: WarningForm) -> dict[str, object]:
    return {
        k: form.cleaned_data[k] for k in ("title", "body", "area", "starts_on", "ends_on", "links")
    }


@login_required
@GET_POST
def warning_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    district = _unit_district(request)
    form = WarningForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            warning = services.warning_create(
                actor=request.user,
                district=Organisation.objects.get(pk=district),
                **_warning_values(form),  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The warning is saved as a draft. Publish it when it is ready.")
            )
            return redirect("outreach:warning_detail", warning.pk)
    return render(request, "outreach/warning_form.html", {"form": form, "warning": None})


@login_required
@GET_POST
def warning_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    warning = selectors.warning_for_user(request.user, pk)
    initial = {
        "title": warning.title,
        "body": warning.body,
        "area": warning.area,
        "starts_on": warning.starts_on,
        "ends_on": warning.ends_on,
        "links": "\n".join(warning.links),
    }
    form = WarningForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and warning.state != PublicWarning.State.WITHDRAWN
        and form.is_valid()
    ):
        try:
            services.warning_change(actor=request.user, warning=warning, **_warning_values(form))  # type: ignore[arg-type]
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The changes are saved. Publish them to show them to the public.")
            )
            return redirect("outreach:warning_detail", warning.pk)
    return render(
        request,
        "outreach/warning_form.html",
        {
            "form": form,
            "warning": warning,
            "versions": warning.versions.select_related("published_by"),
            "withdraw_form": WithdrawForm(),
        },
    )


@login_required
@require_POST
def warning_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    warning = selectors.warning_for_user(request.user, pk)
    try:
        version = services.warning_publish(actor=request.user, warning=warning)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Version %(n)d is published.") % {"n": version.number})
    return redirect("outreach:warning_detail", warning.pk)


@login_required
@require_POST
def warning_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    warning = selectors.warning_for_user(request.user, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.warning_withdraw(
                actor=request.user, warning=warning, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The warning is withdrawn. The feed says so."))
    else:
        messages.error(request, _("Say why the warning is withdrawn; the feed shows it."))
    return redirect("outreach:warning_detail", warning.pk)


@login_required
def visit_request_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.works_on_outreach(request.user):
        raise Http404
    state = request.GET.get("tilstand", "open")
    rows = selectors.visit_requests_for_user(request.user)
    if state == "open":
        rows = rows.filter(state__in=VisitRequest.OPEN_STATES)
    else:
        state = "closed"
        rows = rows.filter(state__in=VisitRequest.CLOSED_STATES)
    with transaction.atomic():
        shown = list(rows.order_by("confirmed_at")[:200])
        audit_record_looks(
            actor=request.user,
            object_type=AuditEvent.ObjectType.VISIT_REQUEST,
            items=((r.pk, None) for r in shown),
            purpose=AuditEvent.Purpose.VISIT_REQUEST_LIST,
            legal_basis=services.LEGAL_BASIS,
            criterion={"tilstand": state},
        )
    return render(
        request,
        "outreach/visit_request_list.html",
        {
            "requests": shown,
            "state": state,
            "is_unit": selectors.prevention_unit_district_of(request.user) is not None,
        },
    )


def _officer_choices(request: VisitRequest) -> list[tuple[int, str]]:
    return [
        (m.user_id, m.user.get_full_name() or m.user.username)
        for m in selectors.officers_of_district(request.district_id)
    ]


@login_required
def visit_request_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        visit = selectors.visit_request_for_user(request.user, pk)
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            object_type=AuditEvent.ObjectType.VISIT_REQUEST,
            object_id=visit.pk,
            purpose=AuditEvent.Purpose.VISIT_REQUEST_PAGE,
            legal_basis=services.LEGAL_BASIS,
        )
    return _detail(request, visit)


def _detail(
    request: AuthenticatedHttpRequest,
    visit: VisitRequest,
    *,
    assign_form: forms.Form | None = None,
    propose_form: forms.Form | None = None,
    close_form: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    may_triage = selectors.may_triage(request.user, visit)
    return render(
        request,
        "outreach/visit_request_detail.html",
        {
            "visit": visit,
            "is_open": visit.state in VisitRequest.OPEN_STATES,
            "may_triage": may_triage,
            "assign_form": assign_form
            or AssignForm(
                officers=_officer_choices(visit), initial={"officer": visit.assigned_to_id}
            ),
            "propose_form": propose_form or ProposeTimeForm(),
            "close_form": close_form or CloseForm(),
        },
        status=status,
    )


def _step(
    request: AuthenticatedHttpRequest,
    visit: VisitRequest,
    form: forms.Form,
    slot: str,
    call: Callable[[dict[str, Any]], object],
    done: str,
    then: HttpResponse,
) -> HttpResponse:
    """One triage step: the form, then the service; a refusal is shown on the request's page
    under the form it came from (``slot``), with status 400, and changes nothing."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return then
    return _detail(request, visit, status=400, **{slot: form})


@login_required
@require_POST
def visit_request_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_request_for_user(request.user, pk)
    if not selectors.may_triage(request.user, visit):
        raise Http404
    return _step(
        request,
        visit,
        AssignForm(request.POST, officers=_officer_choices(visit)),
        "assign_form",
        lambda d: services.visit_request_assign(
            actor=request.user, request=visit, officer=User.objects.get(pk=d["officer"])
        ),
        _("The officer is assigned."),
        redirect("outreach:visit_request_detail", visit.pk),
    )


@login_required
@require_POST
def visit_request_propose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_request_for_user(request.user, pk)
    return _step(
        request,
        visit,
        ProposeTimeForm(request.POST),
        "propose_form",
        lambda d: services.visit_request_propose_time(
            actor=request.user, request=visit, when=d["when"], note=d["note"]
        ),
        _("The time is proposed; the sender gets an e-mail."),
        redirect("outreach:visit_request_detail", visit.pk),
    )


@login_required
@require_POST
def visit_request_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_request_for_user(request.user, pk)
    return _step(
        request,
        visit,
        CloseForm(request.POST),
        "close_form",
        lambda d: services.visit_request_close(
            actor=request.user, request=visit, held=d["held"], reason=d["reason"]
        ),
        _("The request is closed."),
        redirect("outreach:visit_request_list"),
    )


@login_required
def visit_request_figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    _unit_district(request)
    years = year_choices(timezone.localdate())
    try:
        year = int(request.GET.get("aar", years[0]))
    except ValueError:
        year = years[0]
    if year not in years:
        year = years[0]
    rows = selectors.visit_request_counts(request.user, year)
    topics = dict(VisitRequest.Topic.choices)
    for row in rows:
        row["topic_label"] = topics.get(str(row["topic"]), row["topic"])
    return render(
        request,
        "outreach/visit_request_figures.html",
        {"rows": rows, "year": year, "years": years},
    )
