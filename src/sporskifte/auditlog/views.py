"""The audit trail's pages: a search for administrators and the data subject's access extract.

Identity numbers are only ever posted; the pages then redirect to URLs that carry the person's
internal id, so a CPR number never ends up in a URL, a browser history or a proxy log.
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record_person_rows
from sporskifte.audit.vocabulary import LEGAL_BASES
from sporskifte.auditlog.forms import AuditSearchForm, PersonLookupForm
from sporskifte.auditlog.selectors import (
    about_people,
    audit_events_for_user,
    audit_persons_by_identity,
    audit_persons_by_pk,
    audit_persons_for_user,
    may_read_audit_log,
    refused_look_bursts,
)
from sporskifte.core.access import RefusedLook, pk_or_404
from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.people.models import Person

PAGE_SIZE = 50


def _require_reader(request: AuthenticatedHttpRequest) -> None:
    if not may_read_audit_log(request.user):
        raise Http404


def _people_from_url(request: AuthenticatedHttpRequest) -> list[Person]:
    raw = request.GET.getlist("person")
    if not raw:
        return []
    pks = [pk_or_404(v) for v in raw]
    people = audit_persons_by_pk(request.user, pks)
    if people is None:
        # Ids are sequential: asking for people outside the scope is probing, and recorded.
        in_scope = audit_persons_for_user(request.user).filter(pk__in=pks).values("pk")
        outside = Person.objects.filter(pk__in=pks).exclude(pk__in=in_scope)
        refused = outside.values_list("pk", flat=True).first()
        if refused is not None:
            raise RefusedLook(Person._meta.label_lower, refused)
        raise Http404
    return people


def _lookup(request: AuthenticatedHttpRequest, form: PersonLookupForm) -> list[Person]:
    """People in scope for the posted number; adds a form error when there are none."""
    people = audit_persons_by_identity(request.user, form.cleaned_data["identity"])
    if not people:
        form.add_error(
            "id_number", _("No one with this number appears in the part of the log you may read.")
        )
    return people


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filtered(
    events: QuerySet[AuditEvent], data: dict[str, Any], people: list[Person]
) -> QuerySet[AuditEvent]:
    if data.get("date_from"):
        events = events.filter(at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        events = events.filter(at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("user"):
        # The label is the name at the time; the user name helps while the account exists.
        events = events.filter(
            Q(actor_label__icontains=data["user"]) | Q(actor__username__icontains=data["user"])
        )
    if data.get("purpose"):
        events = events.filter(purpose=data["purpose"])
    if people:
        events = events.filter(about_people([p.pk for p in people]))
    return events


def _record_log_search(
    request: AuthenticatedHttpRequest, people: list[Person], action: str = AuditEvent.Action.SEARCH
) -> None:
    """Reading someone's log is itself a look at that person: the search when posted, each page
    of their events when shown."""
    audit_record_person_rows(
        actor=request.user,
        action=action,
        object_type=AuditEvent.ObjectType.AUDIT_LOG,
        person_ids=[p.pk for p in people],
        purpose=AuditEvent.Purpose.AUDIT_LOG_SEARCH,
    )


@login_required
@require_http_methods(["GET", "POST"])
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reader(request)
    if request.method == "POST":
        form = AuditSearchForm(request.POST)
        if form.is_valid():
            query: dict[str, object] = {
                name: form.data[name] for name in form.URL_FIELDS if form.cleaned_data.get(name)
            }
            if form.cleaned_data.get("identity"):
                people = _lookup(request, form)
                query["person"] = [p.pk for p in people]
                if people:
                    # Logged here, not after the redirect: a client that never follows it has
                    # still learnt who is in the log.
                    _record_log_search(request, people)
            if form.is_valid():
                return redirect(f"{reverse('audit:search')}?{urlencode(query, doseq=True)}")
        return render(request, "audit/search.html", {"form": form, "page": None})

    url_data = {k: request.GET[k] for k in AuditSearchForm.URL_FIELDS if k in request.GET}
    form = AuditSearchForm(url_data or None)
    people = _people_from_url(request)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/search.html", {"form": form, "page": None})
    data = form.cleaned_data if form.is_bound else {}
    events = _filtered(audit_events_for_user(request.user), data, people)
    page = Paginator(
        events.select_related("organisation").prefetch_related("responsible"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    with transaction.atomic():
        rows = list(page.object_list)
        if people:
            _record_log_search(request, people, AuditEvent.Action.VIEW)
    return render(
        request,
        "audit/search.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "people": people,
            "refused": refused_look_bursts(request.user),
        },
    )


def _extract_rows(
    request: AuthenticatedHttpRequest, people: list[Person]
) -> list[dict[str, object]]:
    """Dates, organisations, actions and purposes; never the staff member (CJEU C-579/21)."""
    values = (
        audit_events_for_user(request.user)
        .filter(about_people([p.pk for p in people]))
        .order_by("at", "id")
        .values("at", "organisation__name", "action", "purpose", "legal_basis")
    )
    labels = dict(AuditEvent.Action.choices)
    purposes = dict(AuditEvent.Purpose.choices)
    return [
        {
            "at": timezone.localtime(v["at"]),
            "organisation": v["organisation__name"] or _("Sporskifte (automatic)"),
            "action": labels.get(v["action"], v["action"]),
            "purpose": purposes.get(v["purpose"], v["purpose"]),
            "legal_basis": str(LEGAL_BASES.get(v["legal_basis"], v["legal_basis"])),
        }
        for v in values
    ]


def _csv_cell(value: object) -> str:
    text = str(value)
    # A spreadsheet would run a cell starting like a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _extract_csv(rows: list[dict[str, object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="indsigt-log-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")  # Excel reads æøå right only with a byte-order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [_("Date"), _("Time"), _("Organisation"), _("What"), _("Purpose"), _("Legal basis")]
    )
    for r in rows:
        at: dt.datetime = r["at"]  # type: ignore[assignment]
        writer.writerow(
            _csv_cell(v)
            for v in (
                f"{at:%Y-%m-%d}",
                f"{at:%H:%M}",
                r["organisation"],
                r["action"],
                r["purpose"],
                r["legal_basis"],
            )
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def subject_extract(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reader(request)
    if request.method == "POST":
        form = PersonLookupForm(request.POST)
        if form.is_valid():
            people = _lookup(request, form)
            if people:
                query = urlencode({"person": [p.pk for p in people]}, doseq=True)
                return redirect(f"{reverse('audit:subject_extract')}?{query}")
        return render(request, "audit/subject_extract.html", {"form": form})
    people = _people_from_url(request)
    if not people:
        return render(request, "audit/subject_extract.html", {"form": PersonLookupForm()})
    as_csv = request.GET.get("format") == "csv"
    with transaction.atomic():
        rows = _extract_rows(request, people)
        audit_record_person_rows(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            object_type=AuditEvent.ObjectType.SUBJECT_EXTRACT,
            person_ids=[p.pk for p in people],
            purpose=AuditEvent.Purpose.SUBJECT_EXTRACT,
            detail={"format": "csv" if as_csv else "html", "rows": len(rows)},
        )
    if as_csv:
        return _extract_csv(rows)
    return render(
        request,
        "audit/subject_extract.html",
        {
            "people": people,
            "rows": rows,
            "produced_at": timezone.localtime(),
            "csv_query": urlencode({"person": [p.pk for p in people], "format": "csv"}, doseq=True),
        },
    )
