"""Victim-support pages: the officer's form, the unit's inbox and monthly counts, and the
protected figures for both."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sporskifte.accounts.access import membership_of, police_district_of
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record, audit_record_looks
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.core.forms import add_service_errors
from sporskifte.victims import selectors, services
from sporskifte.victims.forms import InformationForm, MonthForm, MoveForm, first_of_month
from sporskifte.victims.models import MonthlyCount, VictimReferral

GET_POST = require_http_methods(["GET", "POST"])


@login_required
@GET_POST
def information_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Offerrådgivningen and its consent text are Danish; Swedish districts have no unit here.
    m = membership_of(request.user)
    if police_district_of(request.user) is None or m is None or m.organisation.country != "DK":
        raise Http404
    form = InformationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            info = services.victim_information_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if info.consented:
                messages.success(request, _("Sent to victim support. They contact the victim."))
            else:
                messages.success(
                    request, _("Recorded that the victim was told about victim support.")
                )
            return redirect("victims:information_new")
    return render(request, "victims/information_form.html", {"form": form})


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    unit = selectors.victim_unit_of(request.user)
    if unit is None:
        raise Http404
    open_only = request.GET.get("vis") != "alle"
    rows = selectors.victim_referrals_for_user(request.user)
    if open_only:
        rows = rows.exclude(state=VictimReferral.State.CLOSED)
    with transaction.atomic():
        referrals = list(rows.order_by("referred_at")[:200])
        audit_record_looks(
            actor=request.user,
            object_type=AuditEvent.ObjectType.VICTIM_REFERRAL,
            items=((r.pk, None) for r in referrals),
            purpose=AuditEvent.Purpose.VICTIM_REFERRAL_LIST,
            legal_basis=services.CONSENT_BASIS,
            criterion={"vis": "open" if open_only else "alle"},
        )
    return render(
        request,
        "victims/inbox.html",
        {"referrals": referrals, "unit": unit, "open_only": open_only},
    )


@login_required
def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        referral = selectors.victim_referral_for_user(request.user, pk)
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            object_type=AuditEvent.ObjectType.VICTIM_REFERRAL,
            object_id=referral.pk,
            purpose=AuditEvent.Purpose.VICTIM_REFERRAL_PAGE,
            legal_basis=services.CONSENT_BASIS,
        )
    allowed = services.allowed_moves(referral)
    moves = [(value, label) for value, label in MoveForm.CHOICES if value in allowed]
    return render(request, "victims/referral_detail.html", {"referral": referral, "moves": moves})


@login_required
@require_POST
def referral_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = selectors.victim_referral_for_user(request.user, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.victim_referral_move(
                actor=request.user, referral=referral, to=form.cleaned_data["to"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
    return redirect("victims:referral_detail", referral.pk)


@login_required
@GET_POST
def month(request: AuthenticatedHttpRequest) -> HttpResponse:
    unit = selectors.victim_unit_of(request.user)
    if unit is None:
        raise Http404
    this_month = first_of_month(timezone.localdate())
    form = MonthForm(request.POST or None, initial={"month": this_month})
    if request.method == "POST" and form.is_valid():
        chosen = first_of_month(form.cleaned_data["month"])
        try:
            total = services.monthly_counts_save(
                actor=request.user, unit=unit, month=chosen, counts=form.counts()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(n)d conversations saved for the month.") % {"n": total})
            return redirect("victims:month")
    elif request.method == "GET":
        form = MonthForm(
            initial={"month": this_month}, initial_counts=selectors.monthly_counts(unit, this_month)
        )
    return render(
        request,
        "victims/month_form.html",
        {"form": form, "channels": MonthlyCount.Channel.choices},
    )


@login_required
def figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    district = selectors.figures_district_of(request.user)
    if district is None:
        raise Http404
    years = list(range(timezone.localdate().year, timezone.localdate().year - 5, -1))
    try:
        year = int(request.GET.get("aar", years[0]))
    except ValueError:
        year = years[0]
    year = year if year in years else years[0]
    return render(
        request,
        "victims/figures.html",
        {
            "rows": selectors.district_figures(
                district, year, for_police=selectors.victim_unit_of(request.user) is None
            ),
            "year": year,
            "years": years,
        },
    )
