"""Exit-programme pages for the unit's coordinators. The protected address has a page of its
own, so every look at it is one audited request and no other page ever carries it."""

from __future__ import annotations

import csv
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record, audit_record_looks
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.core.forms import add_service_errors
from sporskifte.exit import figures as exit_figures
from sporskifte.exit import selectors, services
from sporskifte.exit.forms import (
    AddressForm,
    CaseForm,
    DecisionForm,
    ElementForm,
    EndForm,
    MilestoneForm,
    ScoreForm,
    SignForm,
)
from sporskifte.exit.models import Criterion, ExitCase, ExitUnit, Milestone
from sporskifte.organisations.models import Organisation
from sporskifte.people.models import Person
from sporskifte.people.services import person_build

GET_POST = require_http_methods(["GET", "POST"])


def _unit(request: AuthenticatedHttpRequest) -> ExitUnit:
    unit = selectors.exit_units_for_user(request.user).first()
    if unit is None:
        raise Http404
    return unit


@login_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    unit = _unit(request)
    with transaction.atomic():
        cases = list(selectors.exit_cases_for_user(request.user)[:300])
        audit_record_looks(
            actor=request.user,
            object_type=AuditEvent.ObjectType.EXIT_CASE,
            items=((c.pk, c.person_id) for c in cases),
            purpose=AuditEvent.Purpose.EXIT_CASE_LIST,
            legal_basis=services.LEGAL_BASIS,
        )
    return render(
        request,
        "exit/case_list.html",
        {"unit": unit, "cases": cases, "handovers": selectors.handovers_due(request.user)},
    )


@login_required
@GET_POST
def case_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    unit = _unit(request)
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = person_build(
                police_district_id=unit.district_id,
                full_name=data["full_name"],
                id_kind=Person.IdKind.CPR,
                id_number=data["id_number"],
            )
            case = services.exit_case_open(
                actor=request.user,
                unit=unit,
                person=person,
                referred_by=data["referred_by"],
                in_custody=data["in_custody"],
                release_date=data["release_date"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The visitation has started."))
            return redirect("exit:case_detail", case.pk)
    return render(request, "exit/case_new.html", {"form": form})


def _owners(case: ExitCase) -> QuerySet[Organisation]:
    district = case.unit.district_id
    return Organisation.objects.filter(
        Q(pk=district)
        | Q(parent_id=district)
        | Q(municipality__police_district_id=district)
        | Q(kind=Organisation.Kind.PRISON_PROBATION)
    ).order_by("name")


@login_required
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        case = selectors.exit_case_for_user(request.user, pk)
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            object_type=AuditEvent.ObjectType.EXIT_CASE,
            object_id=case.pk,
            person_id=case.person_id,
            purpose=AuditEvent.Purpose.EXIT_CASE_PAGE,
            legal_basis=services.LEGAL_BASIS,
        )
    criteria = list(Criterion.objects.filter(unit=case.unit, is_active=True))
    met = {s.criterion_id: s.met for s in case.scores.all()}
    score = sum(c.weight for c in criteria if met.get(c.pk))
    return render(
        request,
        "exit/case_detail.html",
        {
            "case": case,
            "may_edit": selectors.may_edit(request.user, case),
            "score": score,
            "score_form": ScoreForm(criteria=criteria, met=met),
            "decision_form": DecisionForm(),
            "sign_form": SignForm(),
            "element_form": ElementForm(owners=_owners(case)),
            "milestone_form": MilestoneForm(),
            "end_form": EndForm(),
            "address_form": AddressForm(),
            "elements": case.elements.select_related("owner"),
            "milestones": case.milestones.all(),
            "has_address": hasattr(case, "address"),
        },
    )


# Each action: its form and the service it calls with the form's cleaned data.
ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., object]]] = {
    "decide": (DecisionForm, services.exit_case_decide),
    "sign": (SignForm, services.exit_agreement_sign),
    "element": (ElementForm, services.support_element_set),
    "milestone": (MilestoneForm, services.milestone_add),
    "end": (EndForm, services.exit_case_end),
    "address": (AddressForm, services.protected_address_set),
}


def _act(request: AuthenticatedHttpRequest, case: ExitCase, what: str) -> None:
    """Validate, call the service, say what went wrong in Danish; an error changes nothing."""
    if what == "score":
        criteria = list(Criterion.objects.filter(unit=case.unit, is_active=True))
        score_form = ScoreForm(request.POST, criteria=criteria, met={})
        score_form.is_valid()
        total = services.exit_case_score(actor=request.user, case=case, met=score_form.met())
        messages.success(request, _("Score saved: %(n)d.") % {"n": total})
        return
    if what not in ACTIONS:
        raise Http404
    form_class, service = ACTIONS[what]
    form = (
        ElementForm(request.POST, owners=_owners(case))
        if form_class is ElementForm
        else form_class(request.POST)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return
    service(actor=request.user, case=case, **form.cleaned_data)
    messages.success(request, _("Saved."))


@login_required
@require_POST
def case_action(request: AuthenticatedHttpRequest, pk: int, what: str) -> HttpResponse:
    case = selectors.exit_case_for_user(request.user, pk)
    try:
        _act(request, case, what)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("exit:case_detail", case.pk)


@login_required
@require_POST
def milestone_reach(request: AuthenticatedHttpRequest, pk: int, milestone: int) -> HttpResponse:
    case = selectors.exit_case_for_user(request.user, pk)
    target = get_object_or_404(Milestone, pk=milestone, case=case)
    try:
        services.milestone_reach(actor=request.user, milestone=target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("exit:case_detail", case.pk)


@login_required
def address(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.exit_case_for_user(request.user, pk)
    shown = services.protected_address_read(actor=request.user, case=case)
    return render(request, "exit/address.html", {"case": case, "address": shown})


@login_required
@require_POST
def handover_take(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    handover = get_object_or_404(selectors.handovers_due(request.user), pk=pk)
    try:
        case = services.handover_take(actor=request.user, handover=handover)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("exit:case_list")
    messages.success(request, _("You have taken over the case."))
    return redirect("exit:case_detail", case.pk)


@login_required
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The unit's cases as CSV, for its own follow-up: no identity number, and never the
    protected address."""
    _unit(request)
    cases = list(selectors.exit_cases_for_user(request.user))
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type=AuditEvent.ObjectType.EXIT_CASE,
        purpose=AuditEvent.Purpose.EXIT_CASE_LIST,
        legal_basis=services.LEGAL_BASIS,
        detail={"rows": len(cases)},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="exit-sager.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "id",
            "navn",
            "henvist af",
            "tilstand",
            "visitation start",
            "afgjort",
            "underskrevet",
            "afsluttet",
            "årsag",
        ]
    )
    for c in cases:
        writer.writerow(
            [
                c.pk,
                c.person.full_name,
                c.referred_by,
                c.state,
                c.visitation_started_on,
                c.decided_on or "",
                c.signed_on or "",
                c.ended_on or "",
                c.end_reason,
            ]
        )
    return response


@login_required
def figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    unit = _unit(request)
    return render(
        request, "exit/figures.html", {"unit": unit, "figures": exit_figures.unit_figures(unit)}
    )
