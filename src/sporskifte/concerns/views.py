"""Worry-case pages. Thin: a selector decides what the user may see (404 otherwise), a service
does every write, and every look at a young person's data is logged with the read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record, audit_record_looks, criterion_of
from sporskifte.concerns import selectors, services
from sporskifte.concerns.forms import (
    ConcernCaseForm,
    ConversationForm,
    CustodyHolderForm,
    LetterForm,
)
from sporskifte.concerns.letters import POLICE_PHONE
from sporskifte.concerns.models import ConcernCase
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.core.forms import add_service_errors
from sporskifte.people.country import country_of

PAGE = 50
GET_POST = require_http_methods(["GET", "POST"])


def _police_district(request: AuthenticatedHttpRequest) -> int:
    district = selectors.police_district_of(request.user)
    if district is None:
        raise Http404
    return district


def _page(request: HttpRequest) -> int:
    try:
        return max(0, int(request.GET.get("side", "1")) - 1)
    except ValueError:
        return 0


@login_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _police_district(request)
    page = _page(request)
    with transaction.atomic():
        rows = list(selectors.case_list_for_user(request.user)[page * PAGE : (page + 1) * PAGE + 1])
        cases, has_next = rows[:PAGE], len(rows) > PAGE
        audit_record_looks(
            actor=request.user,
            object_type=AuditEvent.ObjectType.CONCERN_CASE,
            items=((c.pk, c.person_id) for c in cases),
            purpose=AuditEvent.Purpose.WORRY_CASE_LIST,
            legal_basis=services.LEGAL_BASIS,
            criterion=criterion_of(request.GET),
        )
    return render(
        request,
        "concerns/case_list.html",
        {"cases": cases, "page": page + 1, "has_next": has_next},
    )


@login_required
@GET_POST
def case_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    district = _police_district(request)
    form = ConcernCaseForm(
        request.POST or None, police_district_id=district, country=country_of(request.user)
    )
    if request.method == "POST" and form.is_valid() and form.person is not None:
        try:
            case = services.concern_case_create(
                actor=request.user,
                person=form.person,
                concern_date=form.cleaned_data["concern_date"],
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The worry case is opened. Add the parents below."))
            return redirect("concerns:case_detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "concerns/case_new.html", {"form": form}, status=status)


@login_required
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        case = selectors.concern_case_for_user(request.user, pk)
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            object_type=AuditEvent.ObjectType.CONCERN_CASE,
            object_id=case.pk,
            person_id=case.person_id,
            purpose=AuditEvent.Purpose.WORRY_CASE_PAGE,
            legal_basis=services.LEGAL_BASIS,
        )
    user = request.user
    context = {
        "case": case,
        "person": case.person,
        "holders": list(selectors.custody_holders_for_user(user).filter(case=case)),
        "conversations": list(selectors.conversations_for_user(user).filter(case=case)),
        "letters": list(selectors.letters_for_user(user).filter(case=case)),
    }
    return render(request, "concerns/case_detail.html", context)


def _case_form_page(
    request: HttpRequest,
    case: ConcernCase,
    form: Any,
    template: str,
    save: Any,
    done: str,
    **extra: Any,
) -> HttpResponse:
    """Validate, call the service, go back to the case; or show the errors and change nothing."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("concerns:case_detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"case": case, "form": form, **extra}, status=status)


@login_required
@GET_POST
def custody_holder_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.concern_case_for_user(request.user, pk)
    return _case_form_page(
        request,
        case,
        CustodyHolderForm(request.POST or None),
        "concerns/custody_holder_form.html",
        lambda d: services.custody_holder_add(actor=request.user, case=case, **d),
        _("The custody holder is added."),
    )


def _holders(request: AuthenticatedHttpRequest, case: ConcernCase) -> Any:
    return selectors.custody_holders_for_user(request.user).filter(case=case)


@login_required
@GET_POST
def conversation_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.concern_case_for_user(request.user, pk)
    user = request.user
    initial = {"police_participants": user.get_full_name() or user.username}
    form = ConversationForm(request.POST or None, holders=_holders(request, case), initial=initial)

    def save(d: dict[str, Any]) -> None:
        d = dict(d)
        holders = list(d.pop("custody_holders"))
        services.conversation_record(actor=user, case=case, custody_holders=holders, **d)

    return _case_form_page(
        request,
        case,
        form,
        "concerns/conversation_form.html",
        save,
        _("The worry conversation is recorded."),
    )


@login_required
@GET_POST
def conversation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        conversation = selectors.conversation_for_user(request.user, pk)
        case = conversation.case
        if request.method == "GET":
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.VIEW,
                object_type=AuditEvent.ObjectType.CONCERN_CONVERSATION,
                object_id=conversation.pk,
                person_id=case.person_id,
                purpose=AuditEvent.Purpose.WORRY_CONVERSATION_PAGE,
                legal_basis=services.LEGAL_BASIS,
            )
    form = ConversationForm(
        request.POST or None,
        holders=_holders(request, case),
        initial=ConversationForm.initial_from(conversation),
    )

    def save(d: dict[str, Any]) -> None:
        d = dict(d)
        holders = list(d.pop("custody_holders"))
        services.conversation_update(
            actor=request.user, conversation=conversation, custody_holders=holders, **d
        )

    return _case_form_page(
        request,
        case,
        form,
        "concerns/conversation_form.html",
        save,
        _("The worry conversation is saved."),
        conversation=conversation,
    )


@login_required
@GET_POST
def letter_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.concern_case_for_user(request.user, pk)
    user = request.user
    holders = _holders(request, case)
    initial = {
        "contact_name": user.get_full_name() or user.username,
        "contact_phone": POLICE_PHONE.get(country_of(user), POLICE_PHONE["DK"]),
        "recipients": [h.pk for h in holders if h.has_address][:2],
    }
    form = LetterForm(request.POST or None, holders=holders, initial=initial)

    def save(d: dict[str, Any]) -> None:
        d = dict(d)
        recipients = list(d.pop("recipients"))
        services.letter_generate(actor=user, case=case, recipients=recipients, **d)

    return _case_form_page(
        request,
        case,
        form,
        "concerns/letter_form.html",
        save,
        _(
            "The worry letter is stored with the case. Its PDF is being prepared: download it "
            "here to print and send."
        ),
    )


@login_required
def letter_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_pdf_for_user(request.user, pk)
    if not letter.rendered:
        messages.info(request, _("The letter is being prepared. Try again in a moment."))
        return redirect("concerns:case_detail", pk=letter.case_id)
    pdf = services.letter_download(actor=request.user, letter=letter)
    response = HttpResponse(pdf, content_type="application/pdf")
    # A neutral file name: the child's name does not belong in download folders and browser lists.
    response["Content-Disposition"] = f'attachment; filename="bekymringsbrev-{letter.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def letter_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The letter's PDF cell on the case page, asked for again by htmx until the PDF is made."""
    letter = selectors.letter_for_user(request.user, pk)
    return render(request, "concerns/_letter_pdf.html", {"l": letter})
