"""Socialsøg pages. Thin: selectors decide what a user may see (404 otherwise), services do
every write, and every look at a child's or an adult's data is logged with the read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import (
    audit_record,
    audit_record_about,
    audit_record_looks,
    criterion_of,
)
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.core.forms import add_service_errors
from sporskifte.insights.charts import suppressed_bars
from sporskifte.organisations.models import Organisation
from sporskifte.screening import exports, forms, selectors, services, subjects
from sporskifte.screening import figures as figures_mod
from sporskifte.screening.access import (
    child_services_municipality_of,
    rule_admin_district_of,
    screening_district_of,
)
from sporskifte.screening.models import Hit, Notification
from sporskifte.screening.pdf import notification_pdf as render_pdf

GET_POST = require_http_methods(["GET", "POST"])
PAGE = 50
Types, Purposes = AuditEvent.ObjectType, AuditEvent.Purpose


def _district(request: AuthenticatedHttpRequest) -> Organisation:
    district = screening_district_of(request.user)
    if district is None:
        raise Http404
    return Organisation.objects.get(pk=district)


def _look(
    request: AuthenticatedHttpRequest,
    object_type: str,
    pk: int,
    purpose: str,
    person_ids: list[int],
) -> None:
    """A look at one hit or notification, naming the child and the adult it is about."""
    audit_record_about(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type=object_type,
        object_id=pk,
        person_ids=person_ids,
        purpose=purpose,
        legal_basis=services.LEGAL_BASIS,
    )


def _look_at_hit(request: AuthenticatedHttpRequest, hit: Hit, purpose: str) -> None:
    people = subjects.hit_person_ids([hit])[hit.pk]
    _look(request, Types.SCREENING_HIT, hit.pk, purpose, people)


def _look_at_notification(request: AuthenticatedHttpRequest, n: Notification, purpose: str) -> None:
    people = subjects.notification_person_ids([n])[n.pk]
    _look(request, Types.NOTIFICATION, n.pk, purpose, people)


def _list_items(people: dict[int, list[int]]) -> list[tuple[int, int | None]]:
    """One item per person shown: a hit's child and adult are two items of its row."""
    return [(pk, person) for pk, persons in people.items() for person in persons]


@login_required
@GET_POST
def hit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    district = _district(request)
    if request.method == "POST":
        run = services.screening_run(
            actor=request.user, district=district, mode=request.POST.get("mode", "incremental")
        )
        messages.success(
            request,
            _("Screening done: %(new)d new hits, %(reopened)d re-opened.")
            % {"new": run.hits_new, "reopened": run.hits_reopened},
        )
        return redirect("screening:hit_list")
    state = request.GET.get("state", Hit.State.NEW)
    if state not in Hit.State.values:
        state = Hit.State.NEW
    qs = selectors.hits_for_user(request.user)
    counts = qs.aggregate(**{s: Count("id", filter=Q(state=s)) for s in Hit.State.values})
    with transaction.atomic():
        hits = list(qs.filter(state=state)[:PAGE])
        audit_record_looks(
            actor=request.user,
            object_type=Types.SCREENING_HIT,
            items=_list_items(subjects.hit_person_ids(hits)),
            purpose=Purposes.SCREENING_HIT_LIST,
            legal_basis=services.LEGAL_BASIS,
            criterion=criterion_of(request.GET),
        )
    overdue = selectors.overdue_acknowledgements(selectors.notifications_for_user(request.user))
    context = {
        "hits": hits,
        "state": state,
        "states": [(s, label, counts[s]) for s, label in Hit.State.choices],
        "last_run": selectors.runs_for_user(request.user).first(),
        "overdue": overdue.count(),
    }
    return render(request, "screening/hit_list.html", context)


@login_required
@GET_POST
def hit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hit = selectors.hit_for_user(request.user, pk)
    dismiss = forms.DismissForm(request.POST if "dismiss" in request.POST else None)
    draft = forms.DraftForm(request.POST if "draft" in request.POST else None)
    if request.method == "POST":
        try:
            if "dismiss" in request.POST and dismiss.is_valid():
                services.hit_dismiss(
                    actor=request.user, hit=hit, reason=dismiss.cleaned_data["reason"]
                )
                messages.success(request, _("The hit is dismissed."))
                return redirect("screening:hit_list")
            if "draft" in request.POST and draft.is_valid():
                n = services.notification_draft(
                    actor=request.user, hit=hit, urgent=draft.cleaned_data["urgent"]
                )
                messages.success(request, _("Draft made. A second person must approve it."))
                return redirect("screening:notification_detail", pk=n.pk)
        except ValidationError as exc:
            add_service_errors(dismiss if "dismiss" in request.POST else draft, exc)
    with transaction.atomic():
        _look_at_hit(request, hit, Purposes.SCREENING_HIT_PAGE)
    context = {
        "hit": hit,
        "incidents": hit.incidents.order_by("occurred_at"),
        "dismiss": dismiss,
        "draft": draft,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "screening/hit_detail.html", context, status=status)


@login_required
def run_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _district(request)
    runs = selectors.runs_for_user(request.user).prefetch_related("rule_versions__rule")[:PAGE]
    return render(request, "screening/run_list.html", {"runs": runs})


@login_required
@GET_POST
def rule_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _district(request)
    is_admin = rule_admin_district_of(request.user) is not None
    rule_form = forms.RuleForm(request.POST if "rule" in request.POST else None)
    code_form = forms.CodeForm(request.POST if "code" in request.POST else None)
    if request.method == "POST":
        if not is_admin:
            raise Http404
        try:
            if "rule" in request.POST and rule_form.is_valid():
                rule = None
                if request.POST.get("rule_id"):
                    rule = selectors.rule_for_admin(request.user, request.POST["rule_id"])
                services.rule_save(actor=request.user, rule=rule, **rule_form.cleaned_data)
                messages.success(request, _("The rule is saved as a new version."))
                return redirect("screening:rule_list")
            if "code" in request.POST and code_form.is_valid():
                services.code_save(actor=request.user, **code_form.cleaned_data)
                messages.success(request, _("The code list is updated."))
                return redirect("screening:rule_list")
        except ValidationError as exc:
            add_service_errors(rule_form if "rule" in request.POST else code_form, exc)
    context = {
        "rules": selectors.rules_for_user(request.user),
        "codes": selectors.codes_for_user(request.user),
        "rule_form": rule_form,
        "code_form": code_form,
        "is_admin": is_admin,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "screening/rule_list.html", context, status=status)


@login_required
@GET_POST
def import_file(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The file is stored and imported by a background job; the page then follows its progress."""
    district = _district(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        queued = services.import_upload_queue(
            actor=request.user,
            district=district,
            kind=form.cleaned_data["kind"],
            name=upload.name,
            content=b"".join(upload.chunks()),
        )
        return redirect("screening:import_status", pk=queued.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "screening/import.html", {"form": form}, status=status)


@login_required
def import_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The whole page, or (for htmx's polling) only the progress part."""
    _district(request)
    upload = selectors.upload_for_user(request.user, pk)
    template = "screening/_import_progress.html" if request.htmx else "screening/import_status.html"
    return render(request, template, {"upload": upload})


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _district(request)
    qs = selectors.notifications_for_user(request.user)
    overdue_ids = set(selectors.overdue_acknowledgements(qs).values_list("pk", flat=True))
    rows = list(qs[:PAGE])
    with transaction.atomic():
        audit_record_looks(
            actor=request.user,
            object_type=Types.NOTIFICATION,
            items=_list_items(subjects.notification_person_ids(rows)),
            purpose=Purposes.NOTIFICATION_INBOX,
            legal_basis=services.LEGAL_BASIS,
            criterion=criterion_of(request.GET),
        )
    return render(
        request,
        "screening/notification_list.html",
        {"notifications": rows, "overdue_ids": overdue_ids, "police": True},
    )


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    if child_services_municipality_of(request.user) is None:
        raise Http404
    qs = selectors.notifications_for_user(request.user)
    rows = list(qs[:PAGE])
    with transaction.atomic():
        audit_record_looks(
            actor=request.user,
            object_type=Types.NOTIFICATION,
            items=_list_items(subjects.notification_person_ids(rows)),
            purpose=Purposes.NOTIFICATION_INBOX,
            legal_basis=services.LEGAL_BASIS,
            criterion=criterion_of(request.GET),
        )
    return render(
        request,
        "screening/notification_list.html",
        {"notifications": rows, "overdue_ids": set(), "police": False},
    )


def _notification_action(request: AuthenticatedHttpRequest, n: Notification) -> str | None:
    """The POSTed action on a notification page; the message to show, or None."""
    user, action = request.user, request.POST.get("action")
    if action == "approve":
        services.notification_approve(actor=user, notification=n)
        return _("Approved. It can be sent now.")
    if action == "send":
        form = forms.SendForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Check the time of the call."))
        services.notification_send(actor=user, notification=n, **form.cleaned_data)
        return _("Sent to %(municipality)s.") % {"municipality": n.municipality.name}
    if action == "acknowledge":
        services.notification_acknowledge(actor=user, notification=n)
        return _("Receipt acknowledged.")
    if action in ("assess", "feedback"):
        answer = forms.YesNoForm(request.POST)
        if not answer.is_valid():
            raise ValidationError(_("Answer yes or no."))
        if action == "assess":
            services.notification_assess(
                actor=user, notification=n, acute_action=answer.cleaned_data["answer"]
            )
            return _("The 24-hour assessment is recorded.")
        services.notification_feedback(
            actor=user, notification=n, investigation_started=answer.cleaned_data["answer"]
        )
        return _("The feedback to the police is recorded.")
    return None


@login_required
@GET_POST
def notification_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    n = selectors.notification_for_user(request.user, pk)
    error = None
    if request.method == "POST":
        try:
            done = _notification_action(request, n)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if done:
                messages.success(request, done)
            return redirect("screening:notification_detail", pk=n.pk)
    with transaction.atomic():
        _look_at_notification(request, n, Purposes.NOTIFICATION_PAGE)
    police = screening_district_of(request.user) is not None
    context = {
        "n": n,
        "police": police,
        "error": error,
        "can_approve": police and n.state == "draft" and n.drafted_by_id != request.user.pk,
        "send_form": forms.SendForm(),
        "overdue": n.pk
        in set(
            selectors.overdue_acknowledgements(Notification.objects.filter(pk=n.pk)).values_list(
                "pk", flat=True
            )
        ),
    }
    return render(
        request, "screening/notification_detail.html", context, status=400 if error else 200
    )


@login_required
@GET_POST
def notification_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A child under 15 detained or questioned: the police notify the child's municipality
    directly (Rigsadvokatmeddelelsen), drafted here and approved by a second officer."""
    district = _district(request)
    form = forms.DirectNotificationForm(request.POST or None, country=district.country)
    if request.method == "POST" and form.is_valid():
        identity = form.cleaned_data["child_id_number"]
        try:
            n = services.notification_draft_direct(
                actor=request.user,
                child_id_number=identity.number,
                child_name=form.cleaned_data["child_name"],
                child_birth_date=identity.birth_date,
                child_sex=identity.sex,
                child_address=form.cleaned_data["child_address"],
                municipality=form.cleaned_data["municipality"],
                facts=form.cleaned_data["facts"],
                detained_at=form.cleaned_data["detained_at"],
                urgent=form.cleaned_data["urgent"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft made. A second person must approve it."))
            return redirect("screening:notification_detail", pk=n.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "screening/notification_new.html", {"form": form}, status=status)


@login_required
def notification_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    n = selectors.notification_for_user(request.user, pk)
    with transaction.atomic():
        _look_at_notification(request, n, Purposes.NOTIFICATION_PDF)
    response = HttpResponse(render_pdf(n), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="underretning-{n.pk}.pdf"'
    return response


@login_required
def figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    district = _district(request)
    form, f = _figures(request, district)
    held = figures_mod.held_back(district.pk, list(form.quarters.values()))
    return _figures_page(request, form, f, held_back=held)


def _figures(
    request: AuthenticatedHttpRequest, district: Organisation
) -> tuple[forms.QuarterForm, figures_mod.Figures]:
    quarters = figures_mod.published_quarters(district.pk)
    form = forms.QuarterForm(request.GET, quarters=quarters)
    return form, figures_mod.figures_for(district.pk, quarter=form.quarter())


def _figures_page(
    request: AuthenticatedHttpRequest,
    form: forms.QuarterForm,
    f: figures_mod.Figures,
    *,
    held_back: tuple[figures_mod.Quarter, int] | None = None,
) -> HttpResponse:
    context = {
        "held_back": (
            (figures_mod.quarter_label(held_back[0]), held_back[1]) if held_back else None
        ),
        "f": f,
        "form": form,
        "quarter_label": figures_mod.quarter_label(f.quarter) if f.quarter else "",
        "charts": {
            "weeks": suppressed_bars([(w.isoformat(), n) for w, n in f.weeks]),
            "municipalities": suppressed_bars(f.municipalities),
            "reasons": suppressed_bars(f.reasons),
        },
    }
    status = 400 if form.errors else 200
    return render(request, "screening/figures.html", context, status=status)


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", exports.as_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.as_xlsx,
    ),
}


@login_required
def figures_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    """The page's tables, with the page's suppression, as a file; the export is audited."""
    district = _district(request)
    if fmt not in EXPORTS:
        raise Http404
    content_type, write = EXPORTS[fmt]
    form, f = _figures(request, district)
    if form.errors:
        return _figures_page(request, form, f)
    with transaction.atomic():
        body = write(f)
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            object_type=Types.SCREENING_HIT,
            object_id="figures",
            purpose=Purposes.FIGURES_EXPORTED,
            legal_basis=services.LEGAL_BASIS,
            detail={"format": fmt, "quarter": f.quarter.slug if f.quarter else None},
        )
    response = HttpResponse(body, content_type=content_type)
    name = f"socialsoeg-tal-{f.quarter.slug}" if f.quarter else "socialsoeg-tal"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
