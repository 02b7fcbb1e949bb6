"""The councils' meetings in a member's calendar. The secret address is the fora's
(``fora.exchange``: one calendar address per member, a digest kept, shown once); this feed
lists the council meetings of the user it belongs to: council, time and place, no names."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from sporskifte.councils import selectors
from sporskifte.councils.models import CouncilMeeting
from sporskifte.fora import exchange


def calendar_body(user, *, host: str) -> bytes:  # type: ignore[no-untyped-def]
    meetings = (
        selectors.meetings_for_user(user)
        .filter(starts_at__gte=timezone.now() - dt.timedelta(days=90))
        .select_related("council")
        .order_by("starts_at")
    )
    cal = Calendar()
    cal.add("prodid", "-//Sporskifte//Raad//DA")
    cal.add("version", "2.0")
    stamp = timezone.now()
    for m in meetings:
        event = Event()
        event.add("uid", f"council-meeting-{m.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", m.starts_at)
        event.add("dtend", m.starts_at + dt.timedelta(hours=2))
        event.add("summary", m.council.name)
        event.add("location", m.place)
        if m.status == CouncilMeeting.Status.CANCELLED:
            event.add("status", "CANCELLED")
        cal.add_component(event)
    return cal.to_ical()


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, key: str) -> HttpResponse:
    user = exchange.calendar_feed_user(key)
    if user is None or not selectors.takes_part_in_councils(user):
        raise Http404
    body = calendar_body(user, host=request.get_host().split(":")[0])
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
