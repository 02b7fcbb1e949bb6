"""School contact points: the school's pages (a one-time link, no log-in) and the police's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sporskifte.accounts.models import User
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record, audit_record_looks
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.core.forms import add_service_errors
from sporskifte.outreach import schools, selectors, throttle
from sporskifte.outreach.forms import (
    ContactPointForm,
    HandleForm,
    SchoolConcernForm,
    SchoolLinkForm,
)
from sporskifte.outreach.services import LEGAL_BASIS

GET_POST = require_http_methods(["GET", "POST"])


def _placeholder_url(request: HttpRequest, name: str) -> str:
    return request.build_absolute_uri(reverse(name, args=["TOKEN"])).replace("TOKEN", "{token}")


@GET_POST
def link_request(request: HttpRequest) -> HttpResponse:
    form = SchoolLinkForm(request.POST or None)
    if request.method == "POST":
        if not throttle.allow_submission(request):
            form.add_error(
                None, _("Too many requests have been sent from here. Try again in an hour.")
            )
            return render(request, "outreach/school_link_request.html", {"form": form}, status=429)
        if form.is_valid():
            schools.school_link_send(
                email=form.cleaned_data["email"],
                report_url=_placeholder_url(request, "outreach:school_report"),
                language=translation.get_language() or "da",
            )
            return render(request, "outreach/school_link_sent.html")
    return render(request, "outreach/school_link_request.html", {"form": form})


@GET_POST
def report(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.school_link_valid(token)
    if link is None:
        return render(request, "outreach/school_link_invalid.html", status=404)
    form = SchoolConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _concern, receipt = schools.school_concern_report(
                token=token,
                unit_link=request.build_absolute_uri(reverse("outreach:school_concern_list")),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("outreach:school_receipt", receipt)
    return render(
        request, "outreach/school_report.html", {"form": form, "school": link.contact_point}
    )


def receipt(request: HttpRequest, token: str) -> HttpResponse:
    concern = selectors.school_concern_by_receipt(token)
    if concern is None:
        raise Http404
    return render(request, "outreach/school_receipt.html", {"concern": concern})


# The police's pages ------------------------------------------------------------------------


def _officer_choices(district_id: int) -> list[tuple[int, str]]:
    return [
        (m.user_id, m.user.get_full_name() or m.user.username)
        for m in selectors.officers_of_district(district_id)
    ]


@login_required
@GET_POST
def contact_points(request: AuthenticatedHttpRequest) -> HttpResponse:
    district = selectors.prevention_unit_district_of(request.user)
    if district is None:
        raise Http404
    form = ContactPointForm(
        request.POST or None, district_id=district, officers=_officer_choices(district)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["police_contact"] = User.objects.get(pk=data["police_contact"])
        try:
            schools.contact_point_create(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The school contact point is added."))
            return redirect("outreach:contact_points")
    points = selectors.contact_points_for_user(request.user)
    return render(request, "outreach/contact_points.html", {"points": points, "form": form})


@login_required
def concern_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.works_on_outreach(request.user):
        raise Http404
    with transaction.atomic():
        concerns = list(selectors.school_concerns_for_user(request.user)[:200])
        audit_record_looks(
            actor=request.user,
            object_type=AuditEvent.ObjectType.SCHOOL_CONCERN,
            items=((c.pk, None) for c in concerns),
            purpose=AuditEvent.Purpose.SCHOOL_CONCERN_LIST,
            legal_basis=LEGAL_BASIS,
        )
    return render(
        request,
        "outreach/school_concern_list.html",
        {"concerns": concerns, "today": timezone.localdate()},
    )


@login_required
@GET_POST
def concern_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    concern = selectors.school_concern_for_user(request.user, pk)
    form = HandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            schools.school_concern_handle(
                actor=request.user, concern=concern, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The report is marked as handled; the school can see when.")
            )
            return redirect("outreach:school_concern_list")
    else:
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            object_type=AuditEvent.ObjectType.SCHOOL_CONCERN,
            object_id=concern.pk,
            purpose=AuditEvent.Purpose.SCHOOL_CONCERN_PAGE,
            legal_basis=LEGAL_BASIS,
        )
    return render(
        request,
        "outreach/school_concern_detail.html",
        {"concern": concern, "form": form, "today": timezone.localdate()},
    )
