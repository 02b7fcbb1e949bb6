"""Mediation pages. Thin: a selector decides what the user may see (404 otherwise), a service
does every write, and every look at a party is logged with the read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise as StrPromise  # lazy translated text
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sporskifte.accounts.access import police_district_of
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record, audit_record_looks
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.core.forms import add_service_errors
from sporskifte.mediation import forms, selectors, services
from sporskifte.mediation.models import MediationCase, Party, State
from sporskifte.mediation.roles import (
    coordinator_district_of,
    mediator_district_of,
    national_country_of,
    prosecutor_district_of,
)
from sporskifte.mediation.rules import missing_for_mediation
from sporskifte.organisations.models import Organisation

GET_POST = require_http_methods(["GET", "POST"])


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if coordinator_district_of(user) is not None:
        return redirect("mediation:queue")
    if mediator_district_of(user) is not None:
        return redirect("mediation:my_cases")
    if police_district_of(user) is not None:
        return redirect("mediation:police_list")
    if prosecutor_district_of(user) is not None:
        return redirect("mediation:prosecutor_list")
    return redirect("mediation:proposals_sent")


@login_required
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if national_country_of(request.user) is not None:
        return redirect("mediation:national")  # the secretariat's start page (site.views)
    buckets = selectors.queue_for_user(request.user)
    return render(request, "mediation/queue.html", {"buckets": buckets})


@login_required
def my_cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    cases = list(selectors.mediator_cases_for_user(request.user)[:200])
    return render(request, "mediation/my_cases.html", {"cases": cases})


# Proposals ------------------------------------------------------------------------------------


def _proposal_district(request: AuthenticatedHttpRequest) -> tuple[Organisation, bool]:
    """The police propose to their own district; others choose the konfliktråd's district."""
    district = police_district_of(request.user) or coordinator_district_of(request.user)
    if district is not None:
        return Organisation.objects.get(pk=district), police_district_of(request.user) is not None
    if mediator_district_of(request.user) is not None:
        raise Http404
    slug = request.GET.get("kreds") or request.POST.get("kreds")
    found = Organisation.objects.filter(slug=slug, kind=Organisation.Kind.POLICE_DISTRICT).first()
    if found is None:
        raise Http404
    return found, False


@login_required
@GET_POST
def proposal_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (
        not request.GET.get("kreds")
        and not request.POST.get("kreds")
        and (
            police_district_of(request.user) is None
            and coordinator_district_of(request.user) is None
        )
    ):
        districts = Organisation.objects.filter(
            kind=Organisation.Kind.POLICE_DISTRICT,
            pk__in=Organisation.objects.filter(kind=Organisation.Kind.MEDIATION_SERVICE).values(
                "parent"
            ),
        )
        return render(request, "mediation/proposal_district.html", {"districts": districts})
    district, police = _proposal_district(request)
    form = forms.ProposalForm(request.POST or None, district=district, police=police)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.proposal_create(
                actor=request.user,
                district=district,
                offence=d["offence"],
                offence_date=d["offence_date"],
                journal_number=d.get("journal_number", ""),
                summary=d["summary"],
                source=d.get("source", ""),
                area=d.get("area"),
                neighbour_dispute=d.get("neighbour_dispute", False),
                parties=[
                    services.PartyInput(role=r, person=p, organisation_name=o)
                    for r, p, o in form.parties
                ],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The proposal is received by the konfliktråd."))
            if coordinator_district_of(request.user) is not None:
                return redirect("mediation:case_detail", pk=case.pk)
            return redirect("mediation:home")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "district": district}
    return render(request, "mediation/proposal_form.html", context, status=status)


@login_required
def proposals_sent(request: AuthenticatedHttpRequest) -> HttpResponse:
    cases = list(selectors.proposals_received_for_user(request.user)[:200])
    return render(request, "mediation/proposals_sent.html", {"cases": cases})


# The police ------------------------------------------------------------------------------------


@login_required
def police_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if police_district_of(request.user) is None:
        raise Http404
    views = [
        selectors.police_view_of(c) for c in selectors.police_views_for_user(request.user)[:200]
    ]
    return render(request, "mediation/police_list.html", {"views": views})


@login_required
def police_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    view = selectors.police_view_for_user(request.user, pk)
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            object_type=AuditEvent.ObjectType.MEDIATION_CASE,
            object_id=view.pk,
            purpose=AuditEvent.Purpose.MEDIATION_CASE_PAGE,
        )
    return render(request, "mediation/police_detail.html", {"view": view})


# The case page ---------------------------------------------------------------------------------


def _action_forms(case: MediationCase, request: AuthenticatedHttpRequest) -> dict[str, Any]:
    choices = services.mediator_choices(case) if services.is_coordinator(request.user, case) else []
    booked = [m for m in case.meetings.all() if m.status == "booked"]
    assign = forms.AssignForm(prefix="assign")
    assign.fields["mediator"].choices = [  # type: ignore[attr-defined]
        (c.user.pk, f"{c.user.get_full_name() or c.user.username} ({c.open_cases})")
        for c in choices
        if not c.refusal
    ]
    return {
        "screen_form": forms.ScreenForm(prefix="screen"),
        "consent_form": forms.ConsentForm(prefix="consent", case=case),
        "holder_form": forms.HolderForm(prefix="holder", case=case),
        "supporter_form": forms.SupporterForm(prefix="supporter", case=case),
        "confession_form": forms.ConfessionForm(prefix="confession", case=case),
        "swedish_form": forms.SwedishForm(
            prefix="swedish",
            initial={
                "police_report_number": case.police_report_number,
                "investigation_closed": case.investigation_closed,
                "ful_name": case.ful_name,
                "ful_consulted_at": case.ful_consulted_at,
                "ful_answer": case.ful_answer,
                "special_reasons": case.special_reasons,
            },
        ),
        "assign_form": assign,
        "premeeting_form": forms.PreMeetingForm(prefix="premeeting", case=case),
        "meeting_form": forms.MeetingForm(prefix="meeting"),
        "hold_form": forms.HoldForm(
            prefix="hold",
            case=case,
            initial={"meeting": next((m.pk for m in booked), None)},
        ),
        "agreement_form": forms.AgreementForm(prefix="agreement"),
        "fileyes_form": forms.FileYesForm(prefix="fileyes", case=case),
        "withdraw_form": forms.WithdrawForm(prefix="withdraw", case=case),
        "end_form": forms.EndForm(prefix="end"),
        "note_form": forms.NoteForm(prefix="note"),
        "letter_form": forms.LetterForm(prefix="letter", case=case),
        "satisfaction_form": forms.SatisfactionForm(prefix="satisfaction"),
        "mediator_choices": choices,
    }


def _case_page(
    request: AuthenticatedHttpRequest,
    case: MediationCase,
    bound: dict[str, Any] | None = None,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    user = request.user
    with transaction.atomic():
        parties = selectors.parties_for_user(user, case)
        audit_record_looks(
            actor=user,
            object_type=AuditEvent.ObjectType.MEDIATION_PARTY,
            items=((p.pk, p.person_id) for p in parties),
            purpose=AuditEvent.Purpose.MEDIATION_CASE_PAGE,
            legal_basis=services.legal_basis(case),
        )
    agreement = getattr(case, "agreement", None)
    context = {
        "case": case,
        "parties": parties,
        "is_coordinator": services.is_coordinator(user, case),
        "is_mediator": services.is_case_mediator(user, case),
        "missing": missing_for_mediation(case) if not case.is_closed else [],
        "meetings": list(
            selectors.meetings_for_user(user).filter(case=case).prefetch_related("attendees")
        ),
        "agreement": agreement,
        "terms": list(agreement.terms.all()) if agreement else [],
        "notes": list(selectors.notes_for_user(user).filter(case=case)),
        "letters": list(selectors.letters_for_user(user).filter(case=case)),
        "pre_meetings": list(case.pre_meetings.select_related("party__person")),
        "State": State,
        **_action_forms(case, request),
        **(bound or {}),
        **(extra or {}),
    }
    return render(request, "mediation/case_detail.html", context, status=status)


@login_required
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    return _case_page(request, case)


def _party(d: dict[str, Any]) -> Party:
    party: Party = d["party"]
    return party


# The message is translated when it is shown, in the user's language (lazy: the table is built
# once, at import, before any request has a language).
Action = tuple[
    Callable[..., djforms.Form], Callable[[Any, MediationCase, dict[str, Any]], Any], StrPromise
]


def _terms(d: dict[str, Any]) -> list[services.TermInput]:
    return [
        services.TermInput(
            kind=d[f"term{i}_kind"],
            description=d[f"term{i}_description"],
            due_on=d[f"term{i}_due_on"],
            amount=d[f"term{i}_amount"],
        )
        for i in range(forms.AgreementForm.TERMS)
        if d.get(f"term{i}_kind")
    ]


def _with_case(cls: Any) -> Callable[..., djforms.Form]:
    return lambda data, case, prefix: cls(data, prefix=prefix, case=case)


def _plain(cls: Any) -> Callable[..., djforms.Form]:
    return lambda data, case, prefix: cls(data, prefix=prefix)


ACTIONS: dict[str, Action] = {
    "screen": (
        _plain(forms.ScreenForm),
        lambda u, c, d: services.case_screen(
            actor=u, case=c, suitable=d["suitable"] == "yes", note=d["note"]
        ),
        gettext_lazy("The screening is recorded."),
    ),
    "contact": (
        _plain(forms.EmptyForm),
        lambda u, c, d: services.case_contact(actor=u, case=c),
        gettext_lazy("The parties are being contacted."),
    ),
    "ask_consent": (
        _plain(forms.EmptyForm),
        lambda u, c, d: services.case_ask_consent(actor=u, case=c),
        gettext_lazy("Waiting for the parties' consent."),
    ),
    "mark_ready": (
        _plain(forms.EmptyForm),
        lambda u, c, d: services.case_mark_ready(actor=u, case=c),
        gettext_lazy("The case is ready for a mediator."),
    ),
    "consent": (
        _with_case(forms.ConsentForm),
        lambda u, c, d: services.consent_record(
            actor=u, party=_party(d), method=d["method"], custody_holder=d.get("custody_holder")
        ),
        gettext_lazy("The consent is recorded."),
    ),
    "holder": (
        _with_case(forms.HolderForm),
        lambda u, c, d: services.custody_holder_add(
            actor=u, party=_party(d), full_name=d["full_name"], phone=d["phone"]
        ),
        gettext_lazy("The custody holder is added."),
    ),
    "supporter": (
        _with_case(forms.SupporterForm),
        lambda u, c, d: services.supporter_add(actor=u, party=_party(d), full_name=d["full_name"]),
        gettext_lazy("The supporter is added."),
    ),
    "confession": (
        _with_case(forms.ConfessionForm),
        lambda u, c, d: services.confession_record(actor=u, party=_party(d)),
        gettext_lazy("The confession is recorded."),
    ),
    "swedish": (
        _plain(forms.SwedishForm),
        lambda u, c, d: services.swedish_conditions_record(actor=u, case=c, **d),
        gettext_lazy("The conditions for medling are recorded."),
    ),
    "assign": (
        lambda data, case, prefix: _assign_form(data, case, prefix),
        lambda u, c, d: services.mediator_assign(actor=u, case=c, mediator=d["mediator_user"]),
        gettext_lazy("The mediator is assigned."),
    ),
    "premeeting": (
        _with_case(forms.PreMeetingForm),
        lambda u, c, d: services.pre_meeting_record(actor=u, party=_party(d), held_on=d["held_on"]),
        gettext_lazy("The pre-meeting is recorded."),
    ),
    "meeting": (
        _plain(forms.MeetingForm),
        lambda u, c, d: services.meeting_book(actor=u, case=c, **d),
        gettext_lazy("The meeting is booked."),
    ),
    "hold": (
        _with_case(forms.HoldForm),
        lambda u, c, d: services.meeting_hold(
            actor=u,
            meeting=d["meeting"],
            attendees=list(d["attendees"]),
            others_present=d["others_present"],
        ),
        gettext_lazy("The meeting is recorded as held."),
    ),
    "agreement": (
        _plain(forms.AgreementForm),
        lambda u, c, d: services.agreement_record(actor=u, case=c, text=d["text"], terms=_terms(d)),
        gettext_lazy("The agreement is recorded."),
    ),
    "no_agreement": (
        _plain(forms.EmptyForm),
        lambda u, c, d: services.no_agreement_record(actor=u, case=c),
        gettext_lazy("The case is completed without an agreement."),
    ),
    "term": (
        _plain(forms.TermMarkForm),
        lambda u, c, d: _term_mark(u, c, d),
        gettext_lazy("The term is marked."),
    ),
    "fileyes": (
        _with_case(forms.FileYesForm),
        lambda u, c, d: services.file_yes_record(actor=u, party=_party(d)),
        gettext_lazy("The yes to the case file is recorded."),
    ),
    "withdraw": (
        _with_case(forms.WithdrawForm),
        lambda u, c, d: services.case_withdraw(actor=u, party=_party(d), note=d["note"]),
        gettext_lazy("The case is withdrawn. The mediator and the coordinator are told."),
    ),
    "end": (
        _plain(forms.EndForm),
        lambda u, c, d: services.case_end(actor=u, case=c, note=d["note"]),
        gettext_lazy("The mediation is ended."),
    ),
    "note": (
        _plain(forms.NoteForm),
        lambda u, c, d: services.note_write(actor=u, case=c, text=d["text"]),
        gettext_lazy("The note is saved."),
    ),
    "letter": (
        _with_case(forms.LetterForm),
        lambda u, c, d: services.letter_generate(actor=u, party=_party(d), kind=d["kind"]),
        gettext_lazy("The letter is made and stored with the case."),
    ),
    "satisfaction": (
        _plain(forms.SatisfactionForm),
        lambda u, c, d: services.satisfaction_paper(
            actor=u, case=c, answers={k: v == "yes" for k, v in d.items()}
        ),
        gettext_lazy("The answers are saved."),
    ),
}


def _assign_form(data: Any, case: MediationCase, prefix: str) -> djforms.Form:
    form = forms.AssignForm(data, prefix=prefix)
    choices = services.mediator_choices(case)
    form.fields["mediator"].choices = [(c.user.pk, c.user.username) for c in choices]  # type: ignore[attr-defined]
    form.users = {c.user.pk: c.user for c in choices}  # type: ignore[attr-defined]
    return form


def _term_mark(user: Any, case: MediationCase, d: dict[str, Any]) -> None:
    term = selectors.term_for_user(user, d["term"])
    if term.agreement.case_id != case.pk:
        raise Http404
    services.term_mark(actor=user, term=term, kept=d["kept"] == "yes")


@login_required
@require_POST
def case_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    make_form, call, done = ACTIONS[action]
    form = make_form(request.POST, case, action)
    if form.is_valid():
        data = dict(form.cleaned_data)
        if action == "assign":
            data["mediator_user"] = form.users[data["mediator"]]  # type: ignore[attr-defined]
        try:
            call(request.user, case, data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, str(done))
            return redirect("mediation:case_detail", pk=case.pk)
    case = selectors.case_for_user(request.user, pk)
    return _case_page(
        request, case, bound={f"{action}_form": form, "failed_form": form}, status=400
    )


@login_required
@require_POST
def satisfaction_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    try:
        token = services.satisfaction_link_create(actor=request.user, case=case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("mediation:case_detail", pk=case.pk)
    url = request.build_absolute_uri(reverse("mediation:satisfaction_answer", args=[token]))
    return _case_page(request, case, extra={"satisfaction_url": url})


@login_required
@require_POST
def meeting_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_user(request.user, pk)
    try:
        services.meeting_cancel(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The meeting is cancelled."))
    return redirect("mediation:case_detail", pk=meeting.case_id)


@login_required
def letter_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_pdf_for_user(request.user, pk)
    pdf = services.letter_download(actor=request.user, letter=letter)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="konfliktraad-brev-{letter.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# The one-time satisfaction link (no log-in) --------------------------------------------------


@GET_POST
def satisfaction_answer(request: HttpRequest, token: str) -> HttpResponse:
    link = services.satisfaction_link_valid(token)
    if link is None:
        return render(request, "mediation/satisfaction_done.html", {"used": True}, status=404)
    form = forms.SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.satisfaction_by_link(token=token, answers=form.answers())
        except ValidationError:
            return render(request, "mediation/satisfaction_done.html", {"used": True}, status=404)
        return render(request, "mediation/satisfaction_done.html", {"used": False})
    status = 400 if request.method == "POST" else 200
    return render(request, "mediation/satisfaction_form.html", {"form": form}, status=status)


# The prosecutor (Sweden) ----------------------------------------------------------------------

PROSECUTOR_LIMIT = 200


@login_required
def prosecutor_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Whether the offender took part, per case of the region; the list is logged as a look."""
    if prosecutor_district_of(request.user) is None:
        raise Http404
    with transaction.atomic():  # the rows read and their look logged in one transaction
        cases = list(selectors.prosecutor_cases_for_user(request.user)[:PROSECUTOR_LIMIT])
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            object_type=AuditEvent.ObjectType.MEDIATION_CASE,
            object_id="list",
            purpose=AuditEvent.Purpose.MEDIATION_PROSECUTOR_LIST,
            legal_basis="medlingslagen",
            detail={"cases": [c.pk for c in cases]},
        )
    rows = [(c, selectors.took_part(c)) for c in cases]
    return render(
        request, "mediation/prosecutor_list.html", {"rows": rows, "TookPart": selectors.TookPart}
    )
