"""Forum pages: the list, setting a forum up, members, and the persons a forum discusses.

Thin: each view asks a selector for what the user may see (anything else is a 404), hands
writes to a service, and audits every look at a forum person in the same transaction as the
read. Meetings are in ``meeting_views.py``; the calendar and counts in ``feed_views.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sporskifte.audit.models import AuditEvent
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.core.confirm import confirm_page, is_confirmed
from sporskifte.core.forms import add_service_errors
from sporskifte.fora import exchange, selectors, services
from sporskifte.fora.forms import (
    ConsentForm,
    DetailsForm,
    EscalateForm,
    ForumForm,
    MemberForm,
    PersonShareForm,
    ShareForm,
    section_details,
)
from sporskifte.fora.frame import WARNING, LegalBasis, PspSign, YknException
from sporskifte.fora.models import Action, ForumPerson
from sporskifte.organisations.models import Organisation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# Fora -----------------------------------------------------------------------------------------


@login_required
def forum_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    mine = selectors.forums_for_member(request.user).order_by("name")
    administered = selectors.forums_for_admin(request.user).exclude(pk__in=mine).order_by("name")
    return render(
        request,
        "fora/forum_list.html",
        {
            "mine": mine,
            "administered": administered,
            "is_admin": selectors.admin_district_of(request.user) is not None,
            "sees_counts": selectors.forums_for_council(request.user).exists(),
        },
    )


def _district_of_admin(request: AuthenticatedHttpRequest) -> Organisation:
    district = selectors.admin_district_of(request.user)
    if district is None:
        raise Http404
    return Organisation.objects.get(pk=district)


@login_required
def forum_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    district = _district_of_admin(request)
    form = ForumForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.forum_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The forum is set up. Add its members."))
            return redirect("fora:members", pk=forum.pk)
    return render(request, "fora/forum_form.html", {"form": form})


@login_required
def forum_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    forum = selectors.forum_for_admin(request.user, pk)
    initial = {
        "name": forum.name,
        "organisations": forum.organisations.all(),
        "retention_days": forum.retention_days,
    }
    form = ForumForm(
        request.POST or None, initial=initial, district=forum.police_district, forum=forum
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_update(actor=request.user, forum=forum, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("fora:forum_detail", pk=forum.pk)
    return render(request, "fora/forum_form.html", {"form": form, "forum": forum})


@login_required
def forum_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    forum = selectors.forum_for_user(request.user, pk)
    member = selectors.member_of(request.user, forum)
    context: dict[str, Any] = {
        "forum": forum,
        "member": member,
        "members": selectors.members_of(forum),
        "organisations": forum.organisations.order_by("name"),
        "may_manage": selectors.may_manage_members(request.user, forum),
        "is_admin": selectors.admin_district_of(request.user) == forum.police_district_id,
    }
    if member is not None:
        now = timezone.now()
        meetings = forum.meetings.order_by("-starts_at")
        with transaction.atomic():
            persons = list(forum.persons.order_by("full_name"))
            services.forum_person_looks_record(
                actor=request.user,
                forum=forum,
                persons=persons,
                purpose=AuditEvent.Purpose.FORUM_PAGE,
            )
        context.update(
            persons=persons,
            upcoming=list(meetings.filter(starts_at__gte=now).order_by("starts_at")),
            past=list(meetings.filter(starts_at__lt=now)[:12]),
            overdue=list(selectors.overdue_actions(forum)),
            warning=WARNING,
        )
    return render(request, "fora/forum_detail.html", context)


@login_required
def forum_members(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    forum = selectors.forum_for_user(request.user, pk)
    if not selectors.may_manage_members(request.user, forum):
        raise Http404
    form = MemberForm(request.POST or None, forum=forum)
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_member_add(actor=request.user, forum=forum, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The member is added."))
            return redirect("fora:members", pk=forum.pk)
    return render(
        request,
        "fora/members.html",
        {"forum": forum, "form": form, "members": selectors.members_of(forum)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def forum_member_remove(request: AuthenticatedHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    forum = selectors.forum_for_user(request.user, pk)
    if not selectors.may_manage_members(request.user, forum):
        raise Http404
    member = get_object_or_404(selectors.members_of(forum), pk=member_pk)
    services.forum_member_remove(actor=request.user, member=member)
    messages.success(request, _("The member has left the forum."))
    return redirect("fora:members", pk=forum.pk)


# Persons --------------------------------------------------------------------------------------


@login_required
def person_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    forum = selectors.forum_for_member(request.user, pk)
    form = PersonShareForm(request.POST or None, forum=forum)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            person = services.forum_person_share(
                actor=request.user,
                forum=forum,
                full_name=d["full_name"],
                birth_date=d["birth_date"],
                legal_basis=d["legal_basis"],
                other_basis=d["other_basis"],
                reason=d["reason"],
                information=d["information"],
                new_consent=form.new_consent(),
                details=section_details(form, forum),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Shared with the forum."))
            return redirect("fora:person_detail", pk=person.pk)
    return render(
        request,
        "fora/person_new.html",
        {"forum": forum, "form": form, "warning": WARNING},
        status=400 if form.errors else 200,
    )


def labelled(actions: list[dict[str, str]]) -> list[dict[str, StrOrPromise]]:
    return [{**a, "status": Action.Status(a["status"]).label} for a in actions]


def _person_context(request: HttpRequest, person: ForumPerson, **forms: Any) -> dict[str, Any]:
    targets = exchange.escalation_targets(person)
    escalated_in = exchange.escalation_of(person)
    return {
        "forum": person.forum,
        "person": person,
        "warning": WARNING,
        "signs": [PspSign(s).label for s in person.psp_signs],
        "ykn_exception": YknException(person.ykn_exception).label if person.ykn_exception else "",
        "escalated_in": escalated_in,
        "carried": labelled(escalated_in.carried_actions) if escalated_in else [],
        "shares": person.shares.select_related("organisation", "consent"),
        "consents": person.consents.all(),
        "actions": person.actions.select_related("owner", "meeting"),
        "agenda_items": person.agenda_items.select_related("meeting").order_by(
            "-meeting__starts_at"
        ),
        "escalations_out": person.escalations_out.select_related("to_person__forum"),
        "may_escalate": targets.exists(),
        "share_form": forms.get("share_form") or ShareForm(person=person),
        "details_form": forms.get("details_form")
        or (DetailsForm(person=person) if person.forum.rule.section else None),
        "consent_form": forms.get("consent_form") or ConsentForm(),
    }


@login_required
def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        person = selectors.forum_person_for_user(request.user, pk)
        services.forum_person_looks_record(
            actor=request.user,
            forum=person.forum,
            persons=[person],
            purpose=AuditEvent.Purpose.FORUM_PERSON_PAGE,
        )
    return render(request, "fora/person_detail.html", _person_context(request, person))


def _person_post(
    request: AuthenticatedHttpRequest, pk: int, form_name: str, make: Any, act: Any
) -> HttpResponse:
    person = selectors.forum_person_for_user(request.user, pk)
    form = make(person)
    if form.is_valid():
        try:
            act(person, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("fora:person_detail", pk=person.pk)
    with transaction.atomic():
        services.forum_person_looks_record(
            actor=request.user,
            forum=person.forum,
            persons=[person],
            purpose=AuditEvent.Purpose.FORUM_PERSON_PAGE,
        )
    context = _person_context(request, person, **{form_name: form})
    return render(request, "fora/person_detail.html", context, status=400)


@login_required
@require_POST
def person_share(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def act(person: ForumPerson, form: ShareForm) -> None:
        d = form.cleaned_data
        services.share_add(
            actor=request.user,
            person=person,
            legal_basis=d["legal_basis"],
            other_basis=d["other_basis"],
            consent=d["consent"],
            new_consent=form.new_consent(),
            reason=d["reason"],
            information=d["information"],
        )

    return _person_post(request, pk, "share_form", lambda p: ShareForm(request.POST, person=p), act)


@login_required
@require_POST
def person_details(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def act(person: ForumPerson, form: DetailsForm) -> None:
        d = form.cleaned_data
        services.forum_person_update(
            actor=request.user,
            person=person,
            legal_basis=d["legal_basis"],
            reason=d["reason"],
            consent=d["consent"],
            details=section_details(form, person.forum),
        )

    return _person_post(
        request, pk, "details_form", lambda p: DetailsForm(request.POST, person=p), act
    )


@login_required
@require_POST
def consent_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def act(person: ForumPerson, form: ConsentForm) -> None:
        services.consent_record(actor=request.user, person=person, **form.cleaned_data)

    return _person_post(request, pk, "consent_form", lambda p: ConsentForm(request.POST), act)


@login_required
@require_POST
def consent_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_for_user(request.user, pk)
    if not is_confirmed(request):
        return confirm_page(
            request,
            question=_("Record that the consent is withdrawn?"),
            explanation=_("Nothing more is shared on this consent. This cannot be undone."),
            button=_("Withdraw the consent"),
            back_url=reverse("fora:person_detail", args=[consent.person_id]),
        )
    try:
        services.consent_withdraw(actor=request.user, consent=consent)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The consent is withdrawn. Nothing more is shared on it."))
    return redirect("fora:person_detail", pk=consent.person_id)


@login_required
def person_escalate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = selectors.forum_person_for_user(request.user, pk)
    targets = exchange.escalation_targets(person)
    target = targets.first()  # the visitation groups share a kind, so one rule and its basis
    if target is None:
        raise Http404
    form = EscalateForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            exchange.forum_person_escalate(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The person is escalated to the visitation group."))
            return redirect("fora:person_detail", pk=person.pk)
    with transaction.atomic():
        services.forum_person_looks_record(
            actor=request.user,
            forum=person.forum,
            persons=[person],
            purpose=AuditEvent.Purpose.ESCALATION_PAGE,
        )
    return render(
        request,
        "fora/person_escalate.html",
        {
            "person": person,
            "forum": person.forum,
            "form": form,
            "warning": WARNING,
            "carried": labelled(exchange.carried_actions(person)),
            "basis": LegalBasis(target.rule.bases[0]).label,
        },
        status=400 if form.errors else 200,
    )


@login_required
def person_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = selectors.forum_person_for_user(request.user, pk)
    text = exchange.forum_person_export(actor=request.user, person=person)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    # No name in the file name: it ends up in download lists and file indexes.
    response["Content-Disposition"] = f'attachment; filename="forumsperson-{person.pk}.txt"'
    response["Cache-Control"] = "no-store"
    return response
