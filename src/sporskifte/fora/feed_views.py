"""The calendar feed (a secret address per member, no log-in, no names) and the councils'
counts per forum and quarter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sporskifte.core.auth import AuthenticatedHttpRequest
from sporskifte.fora import counts, exchange, selectors
from sporskifte.fora.models import CalendarFeed


@login_required
def calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.takes_part_in_fora(request.user):
        raise Http404
    address = ""
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            exchange.calendar_feed_revoke(actor=request.user)
            messages.success(request, _("The calendar address no longer works."))
            return redirect("fora:calendar")
        key = exchange.calendar_feed_create(actor=request.user)
        address = request.build_absolute_uri(reverse("fora:calendar_feed", args=[key]))
    active = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    response = render(request, "fora/calendar.html", {"address": address, "active": active})
    response["Cache-Control"] = "no-store"  # the address is a secret and shown only once
    return response


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, key: str) -> HttpResponse:
    """For calendar programs, which cannot log in: the key in the address is the credential."""
    user = exchange.calendar_feed_user(key)
    if user is None:
        raise Http404
    body = exchange.calendar_feed(user, host=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="samarbejdsfora.ics"'
    return response


@login_required
def forum_counts(request: AuthenticatedHttpRequest) -> HttpResponse:
    forums = list(selectors.forums_for_council(request.user).order_by("name"))
    if not forums:
        raise Http404
    quarters = counts.last_quarters()
    cells = counts.quarter_counts(forums, quarters)
    return render(
        request,
        "fora/counts.html",
        {"tables": counts.tables(forums, quarters, cells), "quarters": quarters},
    )
