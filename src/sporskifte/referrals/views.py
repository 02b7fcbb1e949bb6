"""Referral pages. Thin: each view asks a selector for what the user may see, hands writes to
a service, and logs every look at a person in the same transaction as the read."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from sporskifte.accounts.access import partner_of
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record, audit_record_looks, criterion_of
from sporskifte.core.access import get_or_404
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.core.confirm import confirm_page, is_confirmed
from sporskifte.core.db import join_in_written_order
from sporskifte.core.forms import add_service_errors
from sporskifte.people.country import country_of
from sporskifte.referrals import selectors, services
from sporskifte.referrals.forms import (
    AnswerForm,
    AttemptForm,
    CaseForm,
    ConsultationForm,
    ContactCorrectionForm,
    DetentionForm,
    FollowUpForm,
    ImportForm,
    NoteForm,
    OfferForm,
    ProgrammeForm,
    RelativeForm,
    StepForm,
    SuspectForm,
)
from sporskifte.referrals.import_jobs import suspect_import_enqueue, suspect_import_failed
from sporskifte.referrals.imports import template_csv
from sporskifte.referrals.models import Offer, Referral
from sporskifte.referrals.paging import Keyset
from sporskifte.referrals.selectors import consent_text_current

# Each list's order: total (ends in the id) and served by an index (models.py).
NEWEST_FIRST = Keyset("-id")  # overview (police_district, -id); closed bucket (partner, -id)
CASE_ORDER = Keyset("id")  # (case, id)
DUE_FIRST = Keyset("due_at", "id")  # open buckets: (partner, due_at, id, ...)

# What a row of the overview and of the inbox shows and audits (templatetags/referral_rows.py,
# police_status, the page key), read as plain ``values()`` rows: a model instance (three per
# row with the joins) costs more to build than the row costs to write out.
OVERVIEW_ROW = (
    "id",
    "person_id",
    "person__full_name",
    "journal_number",
    "offence__name",
    "programme__name",
    "answer",
    "referral__id",
    "referral__withdrawn_at",
    "referral__last_step",
    "referral__contact_made_at",
    "referral__partner__name",
    "referral__programme__feedback_level",
)
INBOX_ROW = (
    "id",
    "status",
    "created_at",
    "due_at",
    "contact_made_at",
    "last_step",
    "withdrawn_at",
    "long_follow_up",
    "next_contact_on",
    "offer__erased_at",
    "offer__person_id",
    "offer__person__full_name",
    "programme__name",
)

WITHDRAW_EXPLANATION = gettext_lazy(
    "Sharing stops at once and the contact details are removed from the referral. "
    "This cannot be undone: a new consent needs a new offer."
)


def _police_only(request: AuthenticatedHttpRequest) -> int:
    district = selectors.police_district_of(request.user)
    if district is None:
        raise Http404
    return district


# Police ---------------------------------------------------------------------------------------


def _add_police_status(offers: list[Any]) -> None:
    for o in offers:
        o.police_status = selectors.police_status(o.referral) if hasattr(o, "referral") else ""


def _add_police_status_to_rows(offers: list[dict[str, Any]]) -> None:
    """``_add_police_status`` for ``values(*OVERVIEW_ROW)`` rows."""
    labels = {code: str(label) for code, label in selectors.POLICE_STATUS_LABELS.items()}
    for o in offers:
        if o["referral__id"] is None:
            o["police_status"] = ""
            continue
        code = selectors.police_status_code_of(
            withdrawn_at=o["referral__withdrawn_at"],
            feedback_level=o["referral__programme__feedback_level"],
            last_step=o["referral__last_step"],
            contact_made_at=o["referral__contact_made_at"],
        )
        o["police_status"] = labels[code]


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
    searched_as = ""
    if query:
        searched_as, offers = selectors.offers_search(offers, query)
    with transaction.atomic():
        if query:
            # A search names a person: the criterion is logged, as the looks at what it found.
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.SEARCH,
                object_type=AuditEvent.ObjectType.OFFER,
                purpose=AuditEvent.Purpose.POLICE_OVERVIEW_SEARCH,
                detail={"criterion": searched_as, "query": query},
            )
        if not query:
            join_in_written_order()  # seven tables joined on keys from the district's newest
        pager = NEWEST_FIRST.page(offers.values(*OVERVIEW_ROW), request.GET)
        audit_record_looks(
            actor=request.user,
            object_type=AuditEvent.ObjectType.OFFER,
            items=((o["id"], o["person_id"]) for o in pager.rows),
            purpose=AuditEvent.Purpose.POLICE_OVERVIEW,
            criterion=criterion_of(request.GET),
        )
    _add_police_status_to_rows(pager.rows)
    return render(
        request,
        "referrals/overview.html",
        {
            "offers": pager.rows,
            "pager": pager,
            "answers": Offer.Answer.choices,
            "programmes": selectors.programmes_for_user(request.user),
            "filters": {"svar": answer, "program": programme, "q": query},
            "searched_as": searched_as,
        },
    )


@login_required
def offer_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    district = _police_only(request)
    programmes = selectors.programmes_for_user(request.user)
    form = OfferForm(
        request.POST or None,
        programmes=programmes,
        police_district_id=district,
        country=country_of(request.user),
    )
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
                detention_facility=d.get("detention_facility", ""),
                restrictions=d.get("restrictions", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The offer is registered. Record the answer below."))
            return redirect("referrals:offer_detail", pk=offer.pk)
    return render(request, "referrals/offer_new.html", {"form": form})


def _detained_context(request: AuthenticatedHttpRequest, offer: Offer, **forms: Any) -> dict:
    """[S4]: where the detained person is held, the prosecutor's answer, the relatives."""
    programme = offer.programme
    detained = offer.relative_of_id is None
    return {
        "show_detention": programme.for_detained and detained,
        "detention_form": forms.get("detention_form")
        or DetentionForm(
            initial={
                "detention_facility": offer.detention_facility,
                "restrictions": offer.restrictions,
            }
        ),
        "show_consultation": programme.prosecutor_consultation and detained,
        "consultations": offer.prosecutor_consultations.all(),
        "consultation_form": forms.get("consultation_form") or ConsultationForm(),
        "show_relatives": programme.offers_relatives and detained,
        "relatives": offer.relative_offers.select_related("person"),
        "relative_form": forms.get("relative_form")
        or RelativeForm(
            police_district_id=offer.police_district_id, country=country_of(request.user)
        ),
    }


def _offer_context(
    request: AuthenticatedHttpRequest,
    offer: Offer,
    form: AnswerForm | None = None,
    contact_form: ContactCorrectionForm | None = None,
    **forms: Any,
) -> dict:
    referral = getattr(offer, "referral", None)
    person = offer.person
    initial = (
        {"home_municipality": person.home_municipality_id, "phone": person.phone} if person else {}
    )
    return {
        "contact_form": contact_form
        or ContactCorrectionForm(initial=initial, country=country_of(request.user)),
        "detail_changes": person.detail_changes.all()[:20] if person else [],
        **_detained_context(request, offer, **forms),
        "offer": offer,
        "person": offer.person,
        "referral": referral,
        "police_status": selectors.police_status(referral) if referral else "",
        "consents": offer.consents.select_related("text", "taken_by", "withdrawn_by"),
        "consent_text": consent_text_current(offer.programme),
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
                consent_text=consent_text_current(offer.programme),
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
def offer_correct_contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_for_user(request.user, pk)
    form = ContactCorrectionForm(request.POST, country=country_of(request.user))
    if form.is_valid():
        try:
            services.offer_correct_contact(
                actor=request.user,
                offer=offer,
                home_municipality=form.cleaned_data["home_municipality"],
                phone=form.cleaned_data["phone"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contact details are corrected."))
            return redirect("referrals:offer_detail", pk=offer.pk)
    context = _offer_context(request, offer, contact_form=form)
    return render(request, "referrals/offer_detail.html", context, status=400)


@login_required
@require_POST
def offer_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_for_user(request.user, pk)
    if not is_confirmed(request):
        return confirm_page(
            request,
            question=_("Record that the person withdraws the consent?"),
            explanation=str(WITHDRAW_EXPLANATION),
            button=_("Record withdrawal of consent"),
            back_url=reverse("referrals:offer_detail", args=[offer.pk]),
        )
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
    form = CaseForm(
        request.POST or None,
        programmes=selectors.programmes_for_user(request.user),
        country=country_of(request.user),
    )
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
        "suspect_form": SuspectForm(
            police_district_id=case.police_district_id, country=country_of(request.user)
        ),
        **extra,
    }


@login_required
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    return render(request, "referrals/case_detail.html", _case_context(request, case))


@login_required
@require_POST
def case_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The file is kept and imported by a background job; the browser follows its progress."""
    case = selectors.case_for_user(request.user, pk)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = suspect_import_enqueue(
            actor=request.user,
            case=case,
            data=form.cleaned_data["file"].read(),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        return redirect("referrals:case_import_status", pk=case.pk, upload=upload.pk)
    context = _case_context(request, case)
    context["import_form"] = form
    return render(request, "referrals/case_detail.html", context, status=400)


@login_required
def case_import_status(request: AuthenticatedHttpRequest, pk: int, upload: int) -> HttpResponse:
    """While the job runs: a page that asks again every second (htmx). Then what the upload
    answered when it ran in the request: the case with a message, or the errors (status 400)."""
    case = selectors.case_for_user(request.user, pk)
    found = get_or_404(selectors.suspect_imports_for_user(request.user, case), upload)
    if not found.finished:
        template = "referrals/_import_progress.html" if request.htmx else None
        context = {"case": case, "upload": found, "failed": suspect_import_failed(found)}
        return render(request, template or "referrals/case_import_status.html", context)
    if request.htmx:  # the poll ends in a full page: the case, or the errors with the form
        return HttpResponseClientRedirect(request.get_full_path())
    if found.status == found.Status.IMPORTED:
        messages.success(request, _("%(n)d suspects imported.") % {"n": found.created})
        return redirect("referrals:case_detail", pk=case.pk)
    context = _case_context(request, case, import_errors=found.errors)
    return render(request, "referrals/case_detail.html", context, status=400)


@login_required
def case_import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    _police_only(request)
    response = HttpResponse(template_csv(country_of(request.user)), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="suspects.csv"'
    return response


@login_required
@require_POST
def case_add_suspect(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A suspect found after the case was opened (or the batch was imported), one at a time."""
    case = selectors.case_for_user(request.user, pk)
    form = SuspectForm(
        request.POST,
        police_district_id=case.police_district_id,
        country=country_of(request.user),
    )
    if form.is_valid() and form.person is not None:
        try:
            offer = services.offer_register(
                actor=request.user,
                programme=case.programme,
                person=form.person,
                offence=case.offence,
                offence_date=form.cleaned_data["offence_date"],
                case=case,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The suspect is added to the case."))
            return redirect("referrals:offer_detail", pk=offer.pk)
    context = _case_context(request, case, suspect_form=form)
    return render(request, "referrals/case_detail.html", context, status=400)


def _offer_post(
    request: AuthenticatedHttpRequest, pk: int, form_name: str, make_form: Any, action: Any
) -> HttpResponse:
    """Shared shape of the detained-person forms on the offer page."""
    offer = selectors.offer_for_user(request.user, pk)
    form = make_form(offer)
    if form.is_valid():
        try:
            action(offer, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("referrals:offer_detail", pk=offer.pk)
    context = _offer_context(request, offer, **{form_name: form})
    return render(request, "referrals/offer_detail.html", context, status=400)


@login_required
@require_POST
def offer_detention(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _offer_post(
        request,
        pk,
        "detention_form",
        lambda offer: DetentionForm(request.POST),
        lambda offer, form: services.offer_detention_update(
            actor=request.user, offer=offer, **form.cleaned_data
        ),
    )


@login_required
@require_POST
def offer_consultation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _offer_post(
        request,
        pk,
        "consultation_form",
        lambda offer: ConsultationForm(request.POST),
        lambda offer, form: services.prosecutor_consultation_record(
            actor=request.user, offer=offer, **form.cleaned_data
        ),
    )


@login_required
@require_POST
def offer_relative(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An offer of support to a relative; its answer and consent are recorded on its own page."""
    offer = selectors.offer_for_user(request.user, pk)
    form = RelativeForm(
        request.POST, police_district_id=offer.police_district_id, country=country_of(request.user)
    )
    if form.is_valid() and form.person is not None:
        try:
            relative = services.relative_offer_register(
                actor=request.user,
                offer=offer,
                person=form.person,
                relation=form.cleaned_data["relation"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The offer to the relative is registered."))
            return redirect("referrals:offer_detail", pk=relative.pk)
    context = _offer_context(request, offer, relative_form=form)
    return render(request, "referrals/offer_detail.html", context, status=400)


# Partner --------------------------------------------------------------------------------------

# Lazy: a module-level label translated at import would stay in the first request's language.
BUCKETS = {
    "new": gettext_lazy("New"),
    "due_soon": gettext_lazy("Due soon"),
    "overdue": gettext_lazy("Overdue"),
    "in_progress": gettext_lazy("In progress"),
    "follow_up": gettext_lazy("Long follow-up"),
    "closed": gettext_lazy("Closed"),
}


def _tab_count(key: str, count: int) -> str:
    """A tab's count as shown; the closed tab stops counting past ``CLOSED_COUNT_CAP``."""
    if key == "closed" and count > selectors.CLOSED_COUNT_CAP:
        cap = number_format(selectors.CLOSED_COUNT_CAP, force_grouping=True)
        return _("over %(count)s") % {"count": cap}
    return str(count)


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    if partner_of(request.user) is None:
        raise Http404
    now = timezone.now()
    bucket = request.GET.get("vis", "overdue")
    if bucket not in selectors.INBOX_BUCKETS:
        bucket = "overdue"
    referrals = selectors.referrals_for_user(request.user)
    counts = selectors.inbox_counts(referrals, now)
    ordering = NEWEST_FIRST if bucket == "closed" else DUE_FIRST
    with transaction.atomic():
        pager = ordering.page(
            referrals.filter(selectors.inbox_bucket_q(bucket, now)).values(*INBOX_ROW), request.GET
        )
        audit_record_looks(
            actor=request.user,
            object_type=AuditEvent.ObjectType.REFERRAL,
            items=((r["id"], r["offer__person_id"]) for r in pager.rows),
            purpose=AuditEvent.Purpose.PARTNER_INBOX,
            legal_basis=services.CONSENT,
            criterion={"bucket": bucket, **criterion_of(request.GET)},
        )
    tabs = [
        (key, label, counts[key], _tab_count(key, counts[key])) for key, label in BUCKETS.items()
    ]
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


def _history(referral: Referral) -> list[Any]:
    """Contact attempts and outcome steps as one story, oldest first (an attempt is told apart
    by its ``reached``)."""
    attempts = referral.attempts.select_related("recorded_by")
    steps = referral.steps.select_related("recorded_by")
    return sorted([*attempts, *steps], key=lambda event: (event.at, event.pk))


def _referral_context(
    request: AuthenticatedHttpRequest, referral: Referral, **forms: Any
) -> dict[str, Any]:
    return {
        "referral": referral,
        "offer": referral.offer,
        "person": referral.offer.person
        if selectors.partner_may_see_contact_details(referral)
        else None,
        "history": _history(referral),
        "notes": selectors.notes_for_user(request.user, referral),
        "attempt_form": forms.get("attempt_form") or AttemptForm(),
        "step_form": forms.get("step_form") or StepForm(programme=referral.programme),
        "note_form": forms.get("note_form") or NoteForm(),
        "follow_up_form": forms.get("follow_up_form")
        or FollowUpForm(initial={"next_contact_on": referral.next_contact_on}),
        "bucket": selectors.inbox_bucket(referral),
        "is_erased": referral.offer.erased_at is not None,
        "is_open": referral.withdrawn_at is None
        and referral.offer.erased_at is None
        and referral.status != Referral.Status.CLOSED,
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
def referral_follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _partner_post(
        request,
        pk,
        "follow_up_form",
        FollowUpForm(request.POST),
        lambda r, d: services.referral_follow_up_set(actor=request.user, referral=r, **d),
    )


@login_required
@require_POST
def referral_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_for_partner(request.user, pk)
    if not is_confirmed(request):
        return confirm_page(
            request,
            question=_("Record that the person withdraws the consent?"),
            explanation=str(WITHDRAW_EXPLANATION),
            button=_("Record withdrawal of consent"),
            back_url=reverse("referrals:referral_detail", args=[referral.pk]),
        )
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
    current = consent_text_current(programme) if programme else None
    initial = {"consent_text": current.text} if current else {}
    form = ProgrammeForm(
        request.POST or None,
        instance=programme,
        initial=initial,
        country=country_of(request.user),
    )
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
