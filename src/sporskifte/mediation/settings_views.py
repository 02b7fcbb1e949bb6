"""The district's settings page: how long closed cases are kept, and the consent text's
versions. For the district's coordinator only (404 for everyone else)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.core.forms import add_service_errors
from sporskifte.mediation import forms, services
from sporskifte.mediation.models import ConsentText
from sporskifte.mediation.roles import coordinator_district_of


def _district(request: AuthenticatedHttpRequest) -> int:
    district = coordinator_district_of(request.user)
    if district is None:
        raise Http404
    return district


def _page(
    request: AuthenticatedHttpRequest, district: int, status: int = 200, **bound: Any
) -> HttpResponse:
    current = services.district_settings(district)
    latest = services.consent_text_current(district)
    versions = (
        ConsentText.objects.filter(district_id=district)
        .select_related("created_by")
        .annotate(given=Count("consents"))
        .order_by("-version")
    )
    context = {
        "retention_form": forms.RetentionForm(
            prefix="retention", initial={"retention_days": current.retention_days}
        ),
        "consent_form": forms.ConsentTextForm(
            prefix="consent", initial={"text": latest.text if latest else ""}
        ),
        "versions": list(versions),
        **bound,
    }
    return render(request, "mediation/settings.html", context, status=status)


@login_required
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _page(request, _district(request))


@login_required
@require_POST
def retention_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    district = _district(request)
    form = forms.RetentionForm(request.POST, prefix="retention")
    if form.is_valid():
        try:
            services.retention_set(
                actor=request.user,
                district_id=district,
                retention_days=form.cleaned_data["retention_days"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The retention period is saved."))
            return redirect("mediation:settings")
    return _page(request, district, status=400, retention_form=form)


@login_required
@require_POST
def consent_text_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    district = _district(request)
    form = forms.ConsentTextForm(request.POST, prefix="consent")
    if form.is_valid():
        try:
            version = services.consent_text_publish(
                actor=request.user, district_id=district, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Version %(version)d of the consent text is published.")
                % {"version": version.version},
            )
            return redirect("mediation:settings")
    return _page(request, district, status=400, consent_form=form)
