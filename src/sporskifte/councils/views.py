"""Pages for council members and the district's secretariat. Thin: every object comes through
``selectors`` (missing and forbidden are both 404) and every write through the services, whose
refusals are shown as the form's errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from sporskifte.core.access import get_or_404
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.councils import (
    areas,
    compare,
    forms,
    plans,
    report,
    selectors,
    services,
    status,
)
from sporskifte.councils.models import (
    Council,
    Indicator,
    Plan,
    PlanApproval,
)
from sporskifte.organisations.models import Municipality


def _posted(request: AuthenticatedHttpRequest, marker: str) -> Any:
    """The POST data for the one form that was submitted (by its ``do`` value or a field name);
    the page's other forms stay unbound and show no errors."""
    if request.method != "POST":
        return None
    if request.POST.get("do") == marker or marker in request.POST:
        return request.POST
    return None


def _attempt(request: AuthenticatedHttpRequest, form: Any, write: Callable[[], object]) -> bool:
    """Run a service; its refusal becomes the form's error and nothing changes."""
    try:
        write()
    except ValidationError as exc:
        if not hasattr(form, "cleaned_data"):
            form.full_clean()
        for message in exc.messages:
            form.add_error(None, message)
        return False
    except PermissionDenied as exc:
        raise Http404 from exc
    return True


@login_required
def council_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    councils = list(
        selectors.councils_for_user(request.user)
        .select_related("municipality")
        .order_by("kind", "name")
    )
    if not councils and selectors.managed_district_of(request.user) is None:
        raise Http404
    chaired = next((c for c in councils if c.kind == Council.Kind.LOKALRAAD), None)
    drafts = []
    if chaired and selectors.chaired_lokalraad(request.user, chaired.police_district_id):
        drafts = list(
            Plan.objects.filter(
                council__kind=Council.Kind.KREDSRAAD,
                council__police_district_id=chaired.police_district_id,
                state=Plan.State.DRAFT,
            )
        )
    return render(
        request,
        "councils/council_list.html",
        {
            "councils": councils,
            "drafts": drafts,
            "manager": selectors.managed_district_of(request.user) is not None,
        },
    )


@login_required
def council_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    council = selectors.council_for_user(request.user, pk)
    manager = selectors.can_manage(request.user, council)
    year = int(request.GET.get("year") or timezone.localdate().year)
    member_form = forms.MemberForm(_posted(request, "member-name"), prefix="member")
    meetings_form = forms.MeetingsForm(_posted(request, "meetings-dates"), prefix="meetings")
    plan_form = forms.PlanForm(_posted(request, "plan-title"), prefix="plan")
    if request.method == "POST":
        if not manager:
            raise Http404
        done = False
        if "member-name" in request.POST and member_form.is_valid():
            d = member_form.cleaned_data
            done = _attempt(
                request,
                member_form,
                lambda: services.member_add(actor=request.user, council=council, **d),
            )
        elif "meetings-dates" in request.POST and meetings_form.is_valid():
            starts = []
            for line in meetings_form.cleaned_data["dates"].splitlines():
                if not line.strip():
                    continue
                parsed = parse_datetime(line.strip().replace(" ", "T"))
                if parsed is None:
                    meetings_form.add_error(
                        "dates", _("Not a date and time: %(line)s") % {"line": line}
                    )
                    break
                starts.append(timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed)
            else:
                done = _attempt(
                    request,
                    meetings_form,
                    lambda: services.meetings_plan(
                        actor=request.user,
                        council=council,
                        starts=starts,
                        place=meetings_form.cleaned_data["place"],
                    ),
                )
                if done and starts:
                    year = starts[0].year
        elif "plan-title" in request.POST and plan_form.is_valid():
            d = plan_form.cleaned_data
            holder: list[Plan] = []
            done = _attempt(
                request,
                plan_form,
                lambda: holder.append(plans.plan_create(actor=request.user, council=council, **d)),
            )
            if done:
                return redirect("councils:plan_detail", holder[0].pk)
        if done:
            messages.success(request, _("Saved."))
            return redirect(f"{request.path}?year={year}")
    today = timezone.localdate()
    members = list(council.members.select_related("organisation", "substitute_for"))
    meetings = services.meetings_in_year(council, year)
    return render(
        request,
        "councils/council_detail.html",
        {
            "council": council,
            "manager": manager,
            "year": year,
            "members": members,
            "ending": [m for m in members if m.term_ending_soon(today)],
            "meetings": meetings,
            "shortfall": services.meeting_shortfall(council, year),
            "plans": council.plans.all(),
            "member_form": member_form,
            "meetings_form": meetings_form,
            "plan_form": plan_form,
        },
    )


@login_required
def member_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change a seat, end its term, or remove it when it was added by mistake."""
    seat = selectors.member_for_manager(request.user, pk)
    initial = {
        "role": seat.role,
        "title": seat.title,
        "organisation": seat.organisation,
        "term_end": seat.term_end,
        "substitute_for": seat.substitute_for,
    }
    change_form = forms.MemberChangeForm(
        _posted(request, "change"), prefix="change", member=seat, initial=initial
    )
    end_form = forms.TermEndForm(_posted(request, "end"), prefix="end")
    remove_form = forms.Refusal(data={})
    if request.method == "POST":
        do, u = request.POST.get("do"), request.user
        done = False
        if do == "change" and change_form.is_valid():
            d = change_form.cleaned_data
            done = _attempt(
                request, change_form, lambda: services.member_change(actor=u, member=seat, **d)
            )
        elif do == "end" and end_form.is_valid():
            on = end_form.cleaned_data["on"]
            done = _attempt(
                request, end_form, lambda: services.member_term_end(actor=u, member=seat, on=on)
            )
        elif do == "remove":
            done = _attempt(
                request, remove_form, lambda: services.member_remove(actor=u, member=seat)
            )
            if done:
                messages.success(request, _("The member was removed."))
                return redirect("councils:council_detail", seat.council_id)
        if done:
            messages.success(request, _("Saved."))
            return redirect("councils:member_detail", seat.pk)
    return render(
        request,
        "councils/member_detail.html",
        {
            "seat": seat,
            "council": seat.council,
            "change_form": change_form,
            "end_form": end_form,
            "remove_form": remove_form,
        },
    )


@login_required
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_user(request.user, pk)
    council = meeting.council
    manager = selectors.can_manage(request.user, council)
    agenda_form = forms.AgendaForm(_posted(request, "agenda"), prefix="agenda")
    minutes_form = forms.MinutesForm(_posted(request, "hold"), prefix="minutes")
    action_form = forms.ActionForm(_posted(request, "action"), prefix="action", council=council)
    plain = forms.Refusal(data={})
    if request.method == "POST":
        if not manager:
            raise Http404
        do = request.POST.get("do")
        u = request.user
        done = False
        if do == "agenda" and agenda_form.is_valid():
            done = _attempt(
                request,
                agenda_form,
                lambda: services.agenda_add(actor=u, meeting=meeting, **agenda_form.cleaned_data),
            )
        elif do == "notice":
            done = _attempt(
                request, plain, lambda: services.meeting_notice_send(actor=u, meeting=meeting)
            )
        elif do == "hold" and minutes_form.is_valid():
            done = _attempt(
                request,
                minutes_form,
                lambda: services.meeting_hold(
                    actor=u, meeting=meeting, **minutes_form.cleaned_data
                ),
            )
        elif do == "approve":
            earlier = get_or_404(council.meetings.all(), request.POST.get("meeting"))
            done = _attempt(
                request, plain, lambda: services.minutes_approve(actor=u, meeting=earlier)
            )
        elif do == "action" and action_form.is_valid():
            done = _attempt(
                request,
                action_form,
                lambda: services.action_agree(actor=u, meeting=meeting, **action_form.cleaned_data),
            )
        if done:
            messages.success(request, _("Saved."))
            return redirect("councils:meeting_detail", meeting.pk)
    previous = (
        council.meetings.filter(
            starts_at__lt=meeting.starts_at, status="held", minutes_approved_at__isnull=True
        )
        .order_by("-starts_at")
        .first()
    )
    return render(
        request,
        "councils/meeting_detail.html",
        {
            "meeting": meeting,
            "council": council,
            "manager": manager,
            "agenda": meeting.agenda.select_related("plan"),
            "carried": services.carried_actions(meeting),
            "actions": meeting.actions.select_related("owner"),
            "late": services.notice_is_late(meeting),
            "previous": previous,
            "agenda_form": agenda_form,
            "minutes_form": minutes_form,
            "action_form": action_form,
            "plain": plain,
        },
    )


@login_required
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    council = plan.council
    manager = selectors.can_manage(request.user, council)
    u = request.user
    section_form = forms.SectionForm(_posted(request, "section"), prefix="section")
    area_form = forms.FocusAreaForm(_posted(request, "area"), prefix="area", council=council)
    activity_form = forms.ActivityForm(
        _posted(request, "activity"), prefix="activity", council=council
    )
    indicator_form = forms.IndicatorForm(_posted(request, "indicator"), prefix="indicator")
    plain = forms.Refusal(data={})
    if request.method == "POST":
        do = request.POST.get("do")
        done = False
        holder: list[Plan] = []
        if do == "approve_municipality":
            done = _attempt(
                request,
                plain,
                lambda: plans.plan_approve(
                    actor=u, plan=plan, party=PlanApproval.Party.MUNICIPALITY
                ),
            )
        elif not manager:
            raise Http404
        elif do == "section" and section_form.is_valid():
            done = _attempt(
                request,
                section_form,
                lambda: plans.section_add(actor=u, plan=plan, **section_form.cleaned_data),
            )
        elif do == "area" and area_form.is_valid():
            d = dict(area_form.cleaned_data)
            d["municipality_ids"] = [m.pk for m in d.pop("municipalities")]
            done = _attempt(
                request, area_form, lambda: plans.focus_area_add(actor=u, plan=plan, **d)
            )
        elif do == "activity" and activity_form.is_valid():
            area = get_or_404(plan.focus_areas.all(), request.POST.get("focus_area"))
            done = _attempt(
                request,
                activity_form,
                lambda: plans.activity_add(
                    actor=u, focus_area=area, **activity_form.service_data()
                ),
            )
        elif do == "indicator" and indicator_form.is_valid():
            area = get_or_404(plan.focus_areas.all(), request.POST.get("focus_area"))
            done = _attempt(
                request,
                indicator_form,
                lambda: plans.indicator_add(
                    actor=u, focus_area=area, **indicator_form.cleaned_data
                ),
            )
        elif do == "agenda":
            meeting = get_or_404(council.meetings.all(), request.POST.get("meeting"))
            done = _attempt(
                request,
                plain,
                lambda: plans.plan_put_on_agenda(actor=u, plan=plan, meeting=meeting),
            )
        elif do == "approve_police":
            done = _attempt(
                request,
                plain,
                lambda: plans.plan_approve(actor=u, plan=plan, party=PlanApproval.Party.POLICE),
            )
        elif do == "publish":
            done = _attempt(request, plain, lambda: plans.plan_publish(actor=u, plan=plan))
        elif do == "new_version":
            done = _attempt(
                request, plain, lambda: holder.append(plans.plan_new_version(actor=u, plan=plan))
            )
        elif do == "carry_over":
            done = _attempt(
                request,
                plain,
                lambda: holder.append(
                    plans.plan_carry_over(
                        actor=u,
                        plan=plan,
                        title=plan.title.replace(str(plan.year), str(plan.year + 1)),
                    )
                ),
            )
        if done:
            messages.success(request, _("Saved."))
            return redirect("councils:plan_detail", holder[0].pk if holder else plan.pk)
    return render(
        request,
        "councils/plan_detail.html",
        {
            "plan": plan,
            "council": council,
            "manager": manager,
            "editable": manager and plan.editable,
            "sections": plan.sections.all(),
            "area_forms": [
                (
                    f,
                    forms.ActivityForm(prefix="activity", council=council, auto_id=f"fa{f.pk}-%s"),
                    forms.IndicatorForm(prefix="indicator", auto_id=f"fi{f.pk}-%s"),
                )
                for f in plan.focus_areas.select_related("owner").prefetch_related(
                    "municipalities", "activities__owner", "activities__areas", "indicators"
                )
            ],
            "transitions": plans.transitions_for(plan),
            "refusal": plans.publish_refusal(plan),
            "approvals": plan.approvals.select_related("organisation"),
            "municipality_party": selectors.municipality_party_of(u, council),
            "meetings": council.meetings.filter(status="planned"),
            "inputs": plan.year_end_inputs.select_related("council") if manager else [],
            "section_form": section_form,
            "area_form": area_form,
            "activity_form": activity_form,
            "indicator_form": indicator_form,
            "plain": plain,
        },
    )


@login_required
def plan_changes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What changed since the version this one supersedes, for the secretariat and the
    council's members alike (both reach the plan through ``plan_for_user``)."""
    plan = selectors.plan_for_user(request.user, pk)
    older = compare.previous_version(plan)
    return render(
        request,
        "councils/plan_changes.html",
        {
            "plan": plan,
            "older": older,
            "changes": compare.plan_changes(older, plan) if older else [],
        },
    )


@login_required
def plan_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    try:
        quarter = min(4, max(1, int(request.GET.get("q") or request.POST.get("q") or 1)))
    except ValueError as exc:
        raise Http404 from exc
    form = forms.StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        indicator = get_or_404(
            Indicator.objects.filter(focus_area__plan=plan), request.POST.get("indicator")
        )
        municipality = get_or_404(Municipality.objects.all(), request.POST.get("municipality"))
        if _attempt(
            request,
            form,
            lambda: status.status_enter(
                actor=request.user,
                indicator=indicator,
                municipality=municipality,
                year=plan.year,
                quarter=quarter,
                **form.cleaned_data,
            ),
        ):
            messages.success(request, _("Saved."))
            return redirect(f"{request.path}?q={quarter}")
    upload = forms.StatusFileForm(
        request.POST if "file" in request.FILES else None, request.FILES or None
    )
    if request.method == "POST" and "file" in request.FILES and upload.is_valid():
        try:
            text = upload.cleaned_data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError:
            upload.add_error("file", _("The file is not UTF-8 text."))
        else:
            if _attempt(
                request,
                upload,
                lambda: status.statuses_import(
                    actor=request.user, plan=plan, quarter=quarter, data=text
                ),
            ):
                messages.success(request, _("The statuses are loaded."))
                return redirect(f"{request.path}?q={quarter}")
    if selectors.can_manage(request.user, plan.council):
        status.fed_statuses_update(plan, quarter)
    rows = [
        (
            flag,
            [
                (i, m, forms.StatusForm(auto_id=f"s{i.pk}-{m.pk}-%s"))
                for i, m in flag.missing
                if not i.feed
            ],
        )
        for flag in status.flags(plan, quarter)
    ]
    return render(
        request,
        "councils/plan_status.html",
        {
            "plan": plan,
            "quarter": quarter,
            "rows": rows,
            "form": form,
            "upload": upload,
            "quarters": [1, 2, 3, 4],
        },
    )


@login_required
def plan_status_template(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    try:
        quarter = min(4, max(1, int(request.GET.get("q") or 1)))
    except ValueError as exc:
        raise Http404 from exc
    response = HttpResponse(
        status.status_template(plan, quarter), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="status-{plan.year}-q{quarter}.csv"'
    return response


@login_required
def year_end_input(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    draft = get_or_404(
        Plan.objects.filter(council__kind=Council.Kind.KREDSRAAD, state=Plan.State.DRAFT), pk
    )
    if selectors.chaired_lokalraad(request.user, draft.council.police_district_id) is None:
        raise Http404
    form = forms.YearEndForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            request,
            form,
            lambda: services.year_end_input_give(
                actor=request.user, draft=draft, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("Thank you: your input is with the draft."))
        return redirect("councils:council_list")
    return render(request, "councils/year_end_input.html", {"draft": draft, "form": form})


@login_required
def plan_report(request: AuthenticatedHttpRequest, pk: int, pdf: bool = False) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    content = report.yearly_report(plan)
    if pdf:
        from sporskifte.councils.pdf import report_pdf

        response = HttpResponse(report_pdf(content).pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="aarsrapport-{plan.year}.pdf"'
        return response
    return render(request, "councils/report.html", {"report": content, "plan": plan})


@login_required
def area_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    district = selectors.managed_district_of(request.user)
    if district is None:
        raise Http404
    year = int(request.GET.get("year") or timezone.localdate().year - 1)
    form = forms.AreasForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
        else:
            if _attempt(request, form, lambda: areas.areas_import(actor=request.user, data=text)):
                messages.success(request, _("The register is updated."))
                return redirect(f"{request.path}?year={year}")
    try:
        assessed = areas.assessments(district, year)
        entered, left = areas.list_changes(district, year)
    except ValidationError:
        assessed, entered, left = [], [], []
    return render(
        request,
        "councils/areas.html",
        {"form": form, "year": year, "assessed": assessed, "entered": entered, "left": left},
    )
