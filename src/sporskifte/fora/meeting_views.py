"""Meeting pages: plan, agenda, attendance, minutes, actions.

htmx saves a page load where a meeting is run item by item (agenda, attendance, actions): those
views answer an htmx request with the page section they changed, and anything else with a
redirect, so the page works without JavaScript too. htmx does not swap 4xx answers, so a form
with errors comes back as a 200 section.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sporskifte.audit.models import AuditEvent
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.core.confirm import confirm_page, is_confirmed
from sporskifte.core.forms import add_service_errors
from sporskifte.fora import meetings, selectors, services
from sporskifte.fora.forms import (
    ActionForm,
    AgendaItemForm,
    AttendanceForm,
    MeetingForm,
    MinutesForm,
)
from sporskifte.fora.frame import WARNING
from sporskifte.fora.models import Action, Meeting

SECTIONS = {
    "agenda": "fora/partials/agenda.html",
    "attendance": "fora/partials/attendance.html",
    "actions": "fora/partials/actions.html",
}


def _coordinated_meeting(request: AuthenticatedHttpRequest, pk: int) -> Meeting:
    meeting = selectors.meeting_for_user(request.user, pk)
    if not selectors.is_coordinator(request.user, meeting.forum):
        raise Http404
    return meeting


def _context(request: AuthenticatedHttpRequest, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    """Everything the meeting page shows, with one audit row per person it names."""
    forum = meeting.forum
    member = selectors.member_of(request.user, forum)
    agenda = list(selectors.agenda_of(meeting))
    actions = list(meeting.actions.select_related("owner", "person"))
    followup = list(selectors.followup_actions(meeting))
    shown = {i.person for i in agenda if i.person} | {
        a.person for a in actions + followup if a.person
    }
    services.forum_person_looks_record(
        actor=request.user,
        forum=forum,
        persons=sorted(shown, key=lambda p: p.pk),
        purpose=AuditEvent.Purpose.MEETING_PAGE,
    )
    present = list(meeting.attendance.values_list("member_id", flat=True))
    return {
        "forum": forum,
        "meeting": meeting,
        "member": member,
        "is_coordinator": bool(member and member.is_coordinator),
        "agenda": agenda,
        "actions": actions,
        "followup": followup,
        "warning": WARNING,
        "present_count": len(present),
        "agenda_form": forms.get("agenda_form") or AgendaItemForm(forum=forum),
        "attendance_form": forms.get("attendance_form")
        or AttendanceForm(forum=forum, initial={"present": present}),
        # The saved minutes fill the box: an empty box would be saved over them next time.
        "minutes_form": forms.get("minutes_form")
        or MinutesForm(
            agenda=agenda,
            initial={"minutes": meeting.minutes, "version": meetings.minutes_version(meeting)},
        ),
        "action_form": forms.get("action_form") or ActionForm(meeting=meeting),
        "saved": forms.get("saved", False),
    }


def _answer(
    request: AuthenticatedHttpRequest, meeting: Meeting, section: str, ok: bool, **forms: Any
) -> HttpResponse:
    with transaction.atomic():
        context = _context(request, meeting, saved=ok, **forms)
    if request.htmx:
        return render(request, SECTIONS[section], context)
    if ok:
        return redirect(f"{reverse('fora:meeting_detail', args=[meeting.pk])}#{section}")
    return render(request, "fora/meeting_detail.html", context, status=400)


@login_required
def meeting_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    forum = selectors.forum_for_member(request.user, pk)
    if not selectors.is_coordinator(request.user, forum):
        raise Http404
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meetings.meeting_plan(actor=request.user, forum=forum, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting is planned. Put items on its agenda."))
            return redirect("fora:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "fora/meeting_form.html",
        {"forum": forum, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def meeting_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _coordinated_meeting(request, pk)
    initial = {f: getattr(meeting, f) for f in ("starts_at", "ends_at", "place", "notice")}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meetings.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("fora:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "fora/meeting_form.html",
        {"forum": meeting.forum, "meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        meeting = selectors.meeting_for_user(request.user, pk)
        context = _context(request, meeting)
    return render(request, "fora/meeting_detail.html", context)


def _meeting_step(request: AuthenticatedHttpRequest, pk: int, step: Any, done: str) -> HttpResponse:
    meeting = _coordinated_meeting(request, pk)
    try:
        step(meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("fora:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_notice(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def step(meeting: Meeting) -> None:
        link = request.build_absolute_uri(reverse("fora:meeting_detail", args=[meeting.pk]))
        meetings.meeting_send_notice(actor=request.user, meeting=meeting, link=link)

    return _meeting_step(request, pk, step, _("The notice is sent to the members."))


@login_required
@require_POST
def meeting_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not is_confirmed(request):
        meeting = _coordinated_meeting(request, pk)
        return confirm_page(
            request,
            question=_("Cancel the meeting?"),
            explanation=_("The members see that the meeting is cancelled. It cannot be reopened."),
            button=_("Cancel the meeting"),
            back_url=reverse("fora:meeting_detail", args=[meeting.pk]),
        )
    return _meeting_step(
        request,
        pk,
        lambda m: meetings.meeting_cancel(actor=request.user, meeting=m),
        _("The meeting is cancelled."),
    )


@login_required
@require_POST
def meeting_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not is_confirmed(request):
        meeting = _coordinated_meeting(request, pk)
        return confirm_page(
            request,
            question=_("Record the meeting as held?"),
            explanation=_(
                "The agenda, attendance and minutes become final and can no longer be changed."
            ),
            button=_("Record the meeting as held"),
            back_url=reverse("fora:meeting_detail", args=[meeting.pk]),
        )
    return _meeting_step(
        request,
        pk,
        lambda m: meetings.meeting_close(actor=request.user, meeting=m),
        _("The meeting is recorded as held. Its minutes are final."),
    )


@login_required
@require_POST
def agenda_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_user(request.user, pk)
    form = AgendaItemForm(request.POST, forum=meeting.forum)
    ok = False
    if form.is_valid():
        try:
            meetings.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            ok = True
    return _answer(request, meeting, "agenda", ok, **({} if ok else {"agenda_form": form}))


@login_required
@require_POST
def agenda_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.agenda_item_for_user(request.user, pk)
    try:
        meetings.agenda_item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _answer(request, item.meeting, "agenda", True)


@login_required
@require_POST
def attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _coordinated_meeting(request, pk)
    form = AttendanceForm(request.POST, forum=meeting.forum)
    ok = False
    if form.is_valid():
        try:
            meetings.attendance_set(
                actor=request.user, meeting=meeting, present=form.cleaned_data["present"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            ok = True
    return _answer(request, meeting, "attendance", ok, attendance_form=form)


@login_required
@require_POST
def minutes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _coordinated_meeting(request, pk)
    form = MinutesForm(request.POST, agenda=list(meeting.agenda.all()))
    if form.is_valid():
        try:
            saved = meetings.minutes_save(
                actor=request.user,
                meeting=meeting,
                minutes=form.cleaned_data["minutes"],
                item_notes=form.item_notes(),
                expected_version=form.cleaned_data["version"] or None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            if exc.code == "stale":
                # What the user wrote stays in the box; saving again now replaces the newer text
                # knowingly, after they have read the message.
                data = request.POST.copy()
                data["version"] = meetings.minutes_version(meeting)
                form.data = data
        else:
            messages.success(request, _("The minutes are saved."))
            named = meetings.minutes_mentions(saved)
            if named:
                messages.warning(
                    request,
                    _(
                        "The general minutes mention %(who)s, who is on the agenda. Move what is "
                        "said about them under their own item: the general minutes are kept "
                        "when a person is erased, the item goes with the person."
                    )
                    % {"who": ", ".join(named)},
                )
            return redirect(f"{reverse('fora:meeting_detail', args=[meeting.pk])}#minutes")
    with transaction.atomic():
        context = _context(request, meeting, minutes_form=form)
    return render(request, "fora/meeting_detail.html", context, status=400)


@login_required
@require_POST
def action_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _coordinated_meeting(request, pk)
    form = ActionForm(request.POST, meeting=meeting)
    ok = False
    if form.is_valid():
        try:
            meetings.action_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            ok = True
    return _answer(request, meeting, "actions", ok, **({} if ok else {"action_form": form}))


@login_required
@require_POST
def action_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_for_user(request.user, pk)
    try:
        meetings.action_close(
            actor=request.user, action=action, status=request.POST.get("status", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        label = Action.Status(action.status).label
        messages.success(request, _("The action is marked: %(status)s.") % {"status": label})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("fora:forum_detail", args=[action.forum_id])
    return redirect(back)
