"""Referral pages. Thin: each view asks a selector for what the user may see, hands writes to
a service, and logs every look at a person in the same transaction as the read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record, audit_record_looks, criterion_of
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.core.forms import add_service_errors
from sporskifte.referrals import selectors, services
from sporskifte.referrals.forms import (
    AnswerForm,
    AttemptForm,
    CaseForm,
    ImportForm,
    NoteForm,
    OfferForm,
    ProgrammeForm,
    StepForm,
)
from sporskifte.referrals.imports import case_import_suspects
from sporskifte.referrals.models import Offer, Referral
from sporskifte.referrals.paging import Keyset

# Each list's order: total (ends in the id) and served by an index (models.py).
NEWEST_FIRST = Keyset("-id")  # overview (police_district, -id); closed bucket (partner, -id)
CASE_ORDER = Keyset("id")  # (case, id)
DUE_FIRST = Keyset("due_at", "id")  # open buckets: (partner, due_at, id, ...)


def _police_only(request: AuthenticatedHttpRequest) -> int:
    district = selectors.police_district_of(request.user)
    if district is None:
        raise Http404
    return district


# Police ---------------------------------------------------------------------------------------


def _add_police_status(offers: list[Any]) -> None:
    for o in offers:
        o.police_status = selectors.police_status(o.referral) if hasattr(o, "referral") else ""


@login_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    _police_only(request)
    offers = selectors.offers_for_user(request.user)
    answer = request.GET.get("svar", "")
    if answer in Offer.Answer.values:
        offers = offers.filter(answer=answer)
    programme = request.GET.get("program", "")
    if programme.isdigit():
        offers = offers.filter(programme_id=int(programme))
    query = request.GET.get("q", "").strip()
    if query:
        # Exact: a substring search scans the whole district (see benchmarks/README.md).
        offers = offers.filter(journal_number=query)
    with transaction.atomic():
        pager = NEWEST_FIRST.page(offers, request.GET)
        audit_record_looks(
            actor=request.user,
            object_type=AuditEvent.ObjectType.OFFER,
            items=((o.pk, o.person_id) for o in pager.rows),
            purpose=AuditEvent.Purpose.POLICE_OVERVIEW,
            criterion=criterion_of(request.GET),
        )
    _add_police_status(pager.rows)
    return render(
        request,
        "referrals/overview.html",
        {
            "offers": pager.rows,
            "pager": pager,
            "answers": Offer.Answer.choices,
            "programmes": selectors.programmes_for_user(request.user),
            "filters": {"svar": answer, "program": programme, "q": query},
        },
    )


@login_required
def offer_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    district = _police_only(request)
    programmes = selectors.programmes_for_user(request.user)
    form = OfferForm(request.POST or None, programmes=programmes, police_district_id=district)
    if request.method == "POST" and form.is_valid() and form.person is not None:
        d = form.cleaned_data
        try:
            offer = services.offer_register(
                actor=request.user,
                programme=d["programme"],
                person=form.person,
                offence=d["offence"],
                offence_date=d["offence_date"],
                journal_number=d["journal_number"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The offer is registered. Record the answer below."))
            return redirect("referrals:offer_detail", pk=offer.pk)
    return render(request, "referrals/offer_new.html", {"form": form})


def _offer_context(request: HttpRequest, offer: Offer, form: AnswerForm | None = None) -> dict:
    referral = getattr(offer, "referral", None)
    return {
        "offer": offer,
        "person": offer.person,
        "referral": referral,
        "police_status": selectors.police_status(referral) if referral else "",
        "consents": offer.consents.select_related("text", "taken_by", "withdrawn_by"),
        "consent_text": services.consent_text_current(offer.programme),
        "form": form or AnswerForm(programme=offer.programme),
        "may_answer": referral is None and offer.person_id is not None,
    }


@login_required
def offer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        offer = selectors.offer_for_user(request.user, pk)
        audit_record(
            actor=request.user,
            action="view",
            object_type=AuditEvent.ObjectType.OFFER,
            object_id=offer.pk,
            person_id=offer.person_id,
            purpose=AuditEvent.Purpose.OFFER_PAGE,
        )
    return render(request, "referrals/offer_detail.html", _offer_context(request, offer))


@login_required
@require_POST
def offer_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_for_user(request.user, pk)
    form = AnswerForm(request.POST, programme=offer.programme)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.offer_answer(
                actor=request.user,
                offer=offer,
                answer=d["answer"],
                prevention_conversation=d.get("prevention_conversation") or None,
                consent_method=d.get("consent_method") or None,
                consent_text=services.consent_text_current(offer.programme),
                consent_given_at=d.get("consent_given_at"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The answer is recorded."))
            return redirect("referrals:offer_detail", pk=offer.pk)
    return render(
        request, "referrals/offer_detail.html", _offer_context(request, offer, form), status=400
    )


@login_required
@require_POST
def offer_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_for_user(request.user, pk)
    try:
        services.consent_withdraw(actor=request.user, offer=offer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The consent is withdrawn. Sharing has stopped."))
    return redirect("referrals:offer_detail", pk=offer.pk)


@login_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _police_only(request)
    cases = selectors.cases_for_user(request.user).annotate(
        suspects=Count("offers"),
        answered=Count("offers", filter=~Q(offers__answer=Offer.Answer.NOT_ASKED)),
        referred=Count("offers__referral"),
    )
    return render(request, "referrals/case_list.html", {"cases": cases[:200]})


@login_required
def case_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _police_only(request)
    form = CaseForm(request.POST or None, programmes=selectors.programmes_for_user(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("referrals:case_detail", pk=case.pk)
    return render(request, "referrals/case_new.html", {"form": form})


def _case_context(request: AuthenticatedHttpRequest, case: Any, **extra: Any) -> dict[str, Any]:
    with transaction.atomic():
        pager = CASE_ORDER.page(
            selectors.offers_for_user(request.user).filter(case=case), request.GET
        )
        audit_record_looks(
            actor=request.user,
            object_type=AuditEvent.ObjectType.OFFER,
            items=((o.pk, o.person_id) for o in pager.rows),
            purpose=AuditEvent.Purpose.CASE_PAGE,
            criterion={"case": case.journal_number, **criterion_of(request.GET)},
        )
    _add_police_status(pager.rows)
    counts = case.offers.aggregate(
        total=Count("id"),
        asked=Count("id", filter=~Q(answer=Offer.Answer.NOT_ASKED)),
        yes=Count("id", filter=Q(answer=Offer.Answer.YES)),
    )
    return {
        "case": case,
        "offers": pager.rows,
        "pager": pager,
        "counts": counts,
        "import_form": ImportForm(),
        **extra,
    }


@login_required
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    return render(request, "referrals/case_detail.html", _case_context(request, case))


@login_required
@require_POST
def case_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        result = case_import_suspects(
            actor=request.user, case=case, data=form.cleaned_data["file"].read()
        )
        if result.ok:
            messages.success(request, _("%(n)d suspects imported.") % {"n": result.created})
            return redirect("referrals:case_detail", pk=case.pk)
        context = _case_context(request, case, import_errors=result.errors)
        context["import_form"] = form
        return render(request, "referrals/case_detail.html", context, status=400)
    context = _case_context(request, case)
    context["import_form"] = form
    return render(request, "referrals/case_detail.html", context, status=400)


# Partner --------------------------------------------------------------------------------------

BUCKETS = {
    "new": _("New"),
    "due_soon": _("Due soon"),
    "overdue": _("Overdue"),
    "in_progress": _("In progress"),
    "closed": _("Closed"),
}


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    if selectors.partner_of(request.user) is None:
        raise Http404
    now = timezone.now()
    filters = {key: selectors.inbox_bucket_q(key, now) for key in selectors.INBOX_BUCKETS}
    bucket = request.GET.get("vis", "overdue")
    if bucket not in filters:
        bucket = "overdue"
    referrals = selectors.referrals_for_user(request.user)
    counts = referrals.aggregate(**{k: Count("id", filter=q) for k, q in filters.items()})
    ordering = NEWEST_FIRST if bucket == "closed" else DUE_FIRST
    with transaction.atomic():
        pager = ordering.page(referrals.filter(filters[bucket]), request.GET)
        audit_record_looks(
            actor=request.user,
            object_type=AuditEvent.ObjectType.REFERRAL,
            items=((r.pk, r.offer.person_id) for r in pager.rows),
            purpose=AuditEvent.Purpose.PARTNER_INBOX,
            legal_basis=services.CONSENT,
            criterion={"bucket": bucket, **criterion_of(request.GET)},
        )
    tabs = [(key, label, counts[key]) for key, label in BUCKETS.items()]
    return render(
        request,
        "referrals/inbox.html",
        {
            "referrals": pager.rows,
            "bucket": bucket,
            "tabs": tabs,
            "pager": pager,
            "now": now,
        },
    )


def _referral_context(
    request: AuthenticatedHttpRequest, referral: Referral, **forms: Any
) -> dict[str, Any]:
    return {
        "referral": referral,
        "offer": referral.offer,
        "person": referral.offer.person
        if selectors.partner_may_see_contact_details(referral)
        else None,
        "attempts": referral.attempts.select_related("recorded_by"),
        "steps": referral.steps.select_related("recorded_by"),
        "notes": selectors.notes_for_user(request.user, referral),
        "attempt_form": forms.get("attempt_form") or AttemptForm(),
        "step_form": forms.get("step_form") or StepForm(programme=referral.programme),
        "note_form": forms.get("note_form") or NoteForm(),
        "bucket": selectors.inbox_bucket(referral),
        "is_open": referral.withdrawn_at is None and referral.status != Referral.Status.CLOSED,
    }


@login_required
def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        referral = selectors.referral_for_partner(request.user, pk)
        audit_record(
            actor=request.user,
            action="view",
            object_type=AuditEvent.ObjectType.REFERRAL,
            object_id=referral.pk,
            person_id=referral.offer.person_id,
            purpose=AuditEvent.Purpose.REFERRAL_PAGE,
            legal_basis=services.CONSENT,
        )
    return render(request, "referrals/referral_detail.html", _referral_context(request, referral))


def _partner_post(
    request: AuthenticatedHttpRequest, pk: int, form_name: str, form: Any, action: Any
) -> HttpResponse:
    """Shared shape of the partner's three forms: validate, call the service, re-render."""
    referral = selectors.referral_for_partner(request.user, pk)
    if form.is_valid():
        try:
            action(referral, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("referrals:referral_detail", pk=referral.pk)
    context = _referral_context(request, referral, **{form_name: form})
    return render(request, "referrals/referral_detail.html", context, status=400)


@login_required
@require_POST
def referral_attempt(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _partner_post(
        request,
        pk,
        "attempt_form",
        AttemptForm(request.POST),
        lambda r, d: services.referral_record_attempt(actor=request.user, referral=r, **d),
    )


@login_required
@require_POST
def referral_step(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_for_partner(request.user, pk)
    return _partner_post(
        request,
        pk,
        "step_form",
        StepForm(request.POST, programme=referral.programme),
        lambda r, d: services.referral_record_step(actor=request.user, referral=r, **d),
    )


@login_required
@require_POST
def referral_note(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _partner_post(
        request,
        pk,
        "note_form",
        NoteForm(request.POST),
        lambda r, d: services.counselling_note_add(actor=request.user, referral=r, **d),
    )


@login_required
@require_POST
def referral_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_for_partner(request.user, pk)
    try:
        services.consent_withdraw(actor=request.user, offer=referral.offer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The consent is withdrawn. The contact details are removed."))
    return redirect("referrals:referral_detail", pk=referral.pk)


# Programme administration ----------------------------------------------------------------------


def _admin_only(request: AuthenticatedHttpRequest) -> None:
    if not selectors.is_district_admin(request.user):
        raise Http404


@login_required
def programme_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _admin_only(request)
    programmes = (
        selectors.programmes_for_user(request.user)
        .select_related("fixed_partner")
        .annotate(offer_count=Count("offers", distinct=True))
    )
    return render(request, "referrals/programme_list.html", {"programmes": programmes})


def _programme_form_view(request: AuthenticatedHttpRequest, programme: Any = None) -> HttpResponse:
    current = services.consent_text_current(programme) if programme else None
    initial = {"consent_text": current.text} if current else {}
    form = ProgrammeForm(request.POST or None, instance=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        consent_text, offences = d.pop("consent_text"), list(d.pop("offences"))
        try:
            if programme is None:
                programme = services.programme_create(
                    actor=request.user, consent_text=consent_text, offences=offences, **d
                )
            else:
                services.programme_update(
                    actor=request.user,
                    programme=programme,
                    consent_text=consent_text,
                    offences=offences,
                    **d,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("referrals:programme_list")
    versions = programme.consent_texts.all() if programme else []
    return render(
        request,
        "referrals/programme_form.html",
        {"form": form, "programme": programme, "versions": versions},
    )


@login_required
def programme_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _admin_only(request)
    return _programme_form_view(request)


@login_required
def programme_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_for_admin(request.user, pk)
    return _programme_form_view(request, programme)
