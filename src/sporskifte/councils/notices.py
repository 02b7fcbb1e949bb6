"""E-mail notices of the councils app, queued (``jobs``) in the transaction of the service that
causes them: a rolled-back write sends nothing, a committed one is never lost. The texts name
councils, meetings and focus areas, never a person."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sporskifte.councils.models import CouncilMeeting, FocusArea
from sporskifte.jobs.notices import notice_enqueue


def meeting_notice(meeting_id: int) -> int:
    meeting = CouncilMeeting.objects.select_related("council").get(pk=meeting_id)
    today = timezone.localdate()
    addresses = sorted(
        {
            m.user.email
            for m in meeting.council.members.filter(user__isnull=False, term_start__lte=today)
            .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
            .select_related("user")
            if m.user and m.user.email
        }
    )
    agenda = "\n".join(f"{i}. {item.title}" for i, item in enumerate(meeting.agenda.all(), 1))
    subject = _("Notice: %(council)s, %(when)s") % {
        "council": meeting.council.name,
        "when": timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y %H:%M"),
    }
    body = _("Place: %(place)s\n\nAgenda:\n%(agenda)s\n") % {
        "place": meeting.place,
        "agenda": agenda,
    }
    notice_enqueue(subject=subject, body=body, recipients=addresses)
    return len(addresses)


def status_missing(focus_area_id: int, year: int, quarter: int, missing: int) -> int:
    area = FocusArea.objects.select_related("owner").get(pk=focus_area_id)
    if not area.owner.email:
        return 0
    subject = _("Status missing: %(area)s, Q%(quarter)d %(year)d") % {
        "area": area.title,
        "quarter": quarter,
        "year": year,
    }
    body = _(
        "%(missing)d indicator statuses for the focus area %(area)s are missing for Q%(quarter)d "
        "%(year)d. Until they are entered the focus area is shown as red."
    ) % {"missing": missing, "area": area.title, "quarter": quarter, "year": year}
    notice_enqueue(subject=subject, body=body, recipients=[area.owner.email])
    return 1
