"""One page per part of a draft plan (section, focus area, activity, indicator): change it or
remove it. Every object comes through ``selectors.plan_part_for_manager`` (404 for anyone but the
district's managers) and every write through ``drafts``; a plan that is no longer a draft is
refused there with a message and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.councils import drafts, forms, selectors
from sporskifte.councils.models import Activity, FocusArea, Indicator, Plan, PlanSection
from sporskifte.councils.views import _attempt


@dataclass(frozen=True)
class Part:
    model: type[Model]
    label: Any
    form: Callable[[Any, Any, Any], django_forms.Form]  # (data, part, plan) -> bound form
    initial: Callable[[Any], dict[str, Any]]
    change: Callable[..., object]
    remove: Callable[..., object]
    service_data: Callable[[django_forms.Form], dict[str, Any]]


def _plan_of(part: Any) -> Plan:
    return part.plan if hasattr(part, "plan") else part.focus_area.plan


def _fields(*names: str) -> Callable[[Any], dict[str, Any]]:
    return lambda obj: {n: getattr(obj, n) for n in names}


def _area_data(form: django_forms.Form) -> dict[str, Any]:
    d = dict(form.cleaned_data)
    d["municipality_ids"] = [m.pk for m in d.pop("municipalities")]
    return d


PARTS = {
    "afsnit": Part(
        PlanSection,
        gettext_lazy("Section"),
        lambda data, part, plan: forms.SectionForm(
            data, initial=_fields("part", "number", "title", "body")(part)
        ),
        _fields("part", "number", "title", "body"),
        lambda *, actor, part, **d: drafts.section_change(actor=actor, section=part, **d),
        lambda *, actor, part: drafts.section_remove(actor=actor, section=part),
        lambda form: dict(form.cleaned_data),
    ),
    "fokus": Part(
        FocusArea,
        gettext_lazy("Focus area"),
        lambda data, part, plan: forms.FocusAreaForm(
            data,
            council=plan.council,
            initial={
                **_fields("scope", "title", "description", "internal_note", "owner", "last_year")(
                    part
                ),
                "municipalities": list(part.municipalities.all()),
            },
        ),
        _fields("title"),
        lambda *, actor, part, **d: drafts.focus_area_change(actor=actor, focus_area=part, **d),
        lambda *, actor, part: drafts.focus_area_remove(actor=actor, focus_area=part),
        _area_data,
    ),
    "aktivitet": Part(
        Activity,
        gettext_lazy("Activity"),
        lambda data, part, plan: forms.ActivityForm(
            data,
            council=plan.council,
            initial={
                "description": part.description,
                "owner": part.owner,
                "areas": list(part.areas.all()),
            },
        ),
        _fields("description"),
        lambda *, actor, part, **d: drafts.activity_change(actor=actor, activity=part, **d),
        lambda *, actor, part: drafts.activity_remove(actor=actor, activity=part),
        lambda form: form.service_data(),  # type: ignore[attr-defined]
    ),
    "indikator": Part(
        Indicator,
        gettext_lazy("Indicator"),
        lambda data, part, plan: forms.IndicatorForm(
            data,
            initial=_fields("definition", "source", "baseline", "target", "direction", "feed")(
                part
            ),
        ),
        _fields("definition"),
        lambda *, actor, part, **d: drafts.indicator_change(actor=actor, indicator=part, **d),
        lambda *, actor, part: drafts.indicator_remove(actor=actor, indicator=part),
        lambda form: dict(form.cleaned_data),
    ),
}


@login_required
def plan_part(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = PARTS.get(kind)
    if spec is None:
        raise Http404
    part: Any = selectors.plan_part_for_manager(request.user, spec.model, pk)  # type: ignore[type-var]
    plan = _plan_of(part)
    do = request.POST.get("do") if request.method == "POST" else None
    form = spec.form(request.POST if do == "change" else None, part, plan)
    refusal = forms.Refusal(data={})
    u = request.user
    if do == "change" and form.is_valid():
        data = spec.service_data(form)
        if _attempt(request, form, lambda: spec.change(actor=u, part=part, **data)):
            messages.success(request, _("Saved."))
            return redirect("councils:plan_detail", plan.pk)
    elif do == "remove" and _attempt(request, refusal, lambda: spec.remove(actor=u, part=part)):
        messages.success(request, _("Removed from the plan."))
        return redirect("councils:plan_detail", plan.pk)
    return render(
        request,
        "councils/plan_part.html",
        {
            "plan": plan,
            "part": part,
            "label": spec.label,
            "form": form,
            "refusal": refusal,
            "editable": plan.editable,
        },
    )
