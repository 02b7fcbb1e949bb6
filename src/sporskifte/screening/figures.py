"""Socialsøg's figures for a district, protected as every other figure (insights.suppression):
counts under 5 shown as "<5" with complementary suppression, shares and medians only over
groups of at least 5.

The notifications are counted per closed quarter, never all time or for a quarter still open.
A count that only grows, exported again and again with its complement chosen anew each time,
gives a hidden count back to a reader who lines the exports up. A closed quarter's lists do not
change, so every export of it shows the same figures, and two quarters share no notification.
Years are not offered: a year is the sum of its quarters, and a year's count beside three shown
quarters would give the fourth back."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from sporskifte.insights.suppression import Shown, suppress_list, suppress_table
from sporskifte.organisations.models import Municipality
from sporskifte.screening.models import Hit, Notification, ReasonCategory
from sporskifte.screening.retention import retention_days

THRESHOLD = 5
AGE_BANDS = ((0, 5, "0-5"), (6, 11, "6-11"), (12, 14, "12-14"), (15, 17, "15-17"))
SEXES = (("F", "F"), ("M", "M"), ("U", "?"))


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1-4

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        """The first day after the quarter."""
        return Quarter(self.year + self.number // 4, self.number % 4 + 1).start

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)


def quarter_label(q: Quarter) -> str:
    return _("Q%(number)s %(year)s") % {"number": q.number, "year": q.year}


def _local_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def published_quarters(district_id: int, *, now: dt.datetime | None = None) -> list[Quarter]:
    """The quarters whose notification lists may be shown, newest first. A quarter is published
    when it has ended and no notification approved before its end still waits to be sent (a
    send is recorded at the time it happens, never earlier than the approval, so nothing can be
    added to the quarter afterwards), and while none of its notifications has reached the end of
    its retention (an erased notification would make the quarter shrink)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = Notification.objects.filter(police_district_id=district_id, sent_at__isnull=False)
    first = sent.order_by("sent_at").values_list("sent_at", flat=True).first()
    if first is None:
        return []
    oldest = Quarter.of(timezone.localdate(first))
    erased_before = (now - dt.timedelta(days=retention_days("notification"))).date()
    waiting = (
        Notification.objects.filter(
            police_district_id=district_id, state=Notification.State.APPROVED
        )
        .order_by("approved_at")
        .values_list("approved_at", flat=True)
        .first()
    )
    quarters = []
    q = Quarter.of(today).previous()
    while q >= oldest and q.start >= erased_before:
        if waiting is None or waiting >= _local_start(q.end):
            quarters.append(q)
        q = q.previous()
    return quarters


def held_back(district_id: int, published: list[Quarter]) -> tuple[Quarter, int] | None:
    """The last closed quarter and how many approved notifications from before its end still
    wait to be sent, when they hold it back (``published_quarters``); the page says so."""
    last = Quarter.of(timezone.localdate()).previous()
    if last in published:
        return None
    waiting = Notification.objects.filter(
        police_district_id=district_id,
        state=Notification.State.APPROVED,
        approved_at__lt=_local_start(last.end),
    ).count()
    return (last, waiting) if waiting else None


@dataclass
class Figures:
    weeks: list[tuple[dt.date, Shown]]
    weeks_total: Shown
    quarter: Quarter | None
    share_to_notification: int | None
    municipalities: list[tuple[str, Shown]]
    reasons: list[tuple[str, Shown]]
    age_sex: dict[str, Any]
    median_days: float | None
    acknowledged_in_time: int | None
    with_feedback: int | None
    repeat_households: Shown


def _share(part: int, whole: int) -> int | None:
    if whole < THRESHOLD or (part < THRESHOLD and part != 0) or whole - part in range(1, THRESHOLD):
        return None
    return round(100 * part / whole)


def _band(age: int) -> str:
    return next(label for lo, hi, label in AGE_BANDS if lo <= age <= hi)


def protected_weeks(per_week: dict[Any, int]) -> tuple[dict[Any, Shown], Shown]:
    """The weeks of the window and their total. Next week's page shows the same past weeks (their
    counts never change) in a window moved on by one, and a complement chosen anew there, or a
    total minus the next total, gives a hidden week back. So no week is hidden on behalf of
    another: when a week is small the total is withheld and nothing else."""
    return suppress_list(per_week, hide_total=any(0 < n < THRESHOLD for n in per_week.values()))


def protected_list(counts: dict[Any, int]) -> tuple[dict[Any, Shown], Shown]:
    """A list of a closed quarter's notifications: primary and complementary suppression. Its
    counts never change (``published_quarters``), so every page and export shows the same."""
    return suppress_list(counts)


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def figures_for(district_id: int, *, quarter: Quarter | None = None, weeks: int = 12) -> Figures:
    """The hits of the last ``weeks`` weeks, and the notifications sent in ``quarter``, which
    the caller has taken from ``published_quarters`` (None: no notification figures)."""
    now = timezone.now()
    hits = Hit.objects.filter(police_district_id=district_id)
    per_week = dict(
        hits.filter(created_at__gte=now - dt.timedelta(weeks=weeks))
        .annotate(week=TruncWeek("created_at"))
        .values_list("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    )
    week_keys = sorted(per_week)
    shown_weeks, weeks_total = protected_weeks({w: per_week[w] for w in week_keys})
    total_hits = hits.count()
    to_notification = hits.filter(state=Hit.State.DRAFTED).count()
    sent = Notification.objects.filter(police_district_id=district_id, state="sent")
    if quarter is None:
        sent = sent.none()
    else:
        sent = sent.filter(
            sent_at__gte=_local_start(quarter.start), sent_at__lt=_local_start(quarter.end)
        )
    names = dict(Municipality.objects.values_list("pk", "name"))
    by_municipality = dict(
        sent.values_list("municipality").annotate(n=Count("id")).values_list("municipality", "n")
    )
    shown_m, _t = protected_list(by_municipality)
    by_reason = dict(
        sent.values_list("reason_category")
        .annotate(n=Count("id"))
        .values_list("reason_category", "n")
    )
    shown_r, _t = protected_list({c: by_reason.get(c, 0) for c in ReasonCategory.values})
    cells: dict[tuple[Hashable, Hashable], int] = {
        (b, s): 0 for _lo, _hi, b in AGE_BANDS for s, _l in SEXES
    }
    days: list[float] = []
    for birth, sex, sent_at, last_at in sent.values_list(
        "child_birth_date", "child_sex", "sent_at", "last_incident_at"
    ):
        # The age when the notification was sent: an age on today's date would move a closed
        # quarter's children between bands as they grow older.
        age = _age_on(birth, timezone.localdate(sent_at))
        cells[(_band(min(max(age, 0), 17)), sex if sex in "FM" else "U")] += 1
        if last_at and sent_at:
            days.append((sent_at - last_at).total_seconds() / 86400)
    table = suppress_table(cells)
    n_sent = len(days) if days else sent.count()
    counts = sent.aggregate(
        in_time=Count("id", filter=Q(acknowledged_at__date__lte=F("acknowledge_due_on"))),
        feedback=Count("id", filter=Q(feedback_at__isnull=False)),
    )
    repeat = hits.values("adult_id_number").annotate(n=Count("id")).filter(n__gt=1).count()
    repeat_shown, _t = suppress_list({"repeat": repeat})
    return Figures(
        weeks=[(w.date() if hasattr(w, "date") else w, shown_weeks[w]) for w in week_keys],
        weeks_total=weeks_total,
        quarter=quarter,
        share_to_notification=_share(to_notification, total_hits),
        municipalities=sorted(((names[k], v) for k, v in shown_m.items()), key=lambda x: x[0]),
        reasons=[(str(ReasonCategory(c).label), v) for c, v in shown_r.items()],
        age_sex={"table": table, "bands": [b for _lo, _hi, b in AGE_BANDS], "sexes": SEXES},
        median_days=round(statistics.median(days), 1) if len(days) >= THRESHOLD else None,
        acknowledged_in_time=_share(counts["in_time"], n_sent),
        with_feedback=_share(counts["feedback"], n_sent),
        repeat_households=repeat_shown["repeat"],
    )


def council_feed_notifications_sent(
    district_id: int, municipality_id: int, start: dt.date, end: dt.date
) -> int:
    """For the councils' self-fed indicators (``settings.COUNCIL_FEEDS``): notifications the
    district sent to the municipality from ``start`` to before ``end``. A count, no names; the
    councils app protects small counts before it shows one."""
    return Notification.objects.filter(
        police_district_id=district_id,
        municipality_id=municipality_id,
        sent_at__date__gte=start,
        sent_at__date__lt=end,
    ).count()
