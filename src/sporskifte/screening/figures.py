"""Socialsøg's figures for a district, protected as every other figure (insights.suppression):
counts under 5 shown as "<5" with complementary suppression, shares and medians only over
groups of at least 5."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from sporskifte.insights.suppression import Shown, suppress_list, suppress_table
from sporskifte.organisations.models import Municipality
from sporskifte.screening.models import Hit, Notification, ReasonCategory

THRESHOLD = 5
AGE_BANDS = ((0, 5, "0-5"), (6, 11, "6-11"), (12, 14, "12-14"), (15, 17, "15-17"))
SEXES = (("F", "F"), ("M", "M"), ("U", "?"))


@dataclass
class Figures:
    weeks: list[tuple[dt.date, Shown]]
    weeks_total: Shown
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
    """A list of notifications sent, all time: primary and complementary suppression per page.
    Known gap (``test_attack_figures``, marked): the counts only grow, and a reader who keeps
    successive exports can pin a hidden count when the complement moves between them."""
    return suppress_list(counts)


def figures_for(district_id: int, *, weeks: int = 12) -> Figures:
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
    today = timezone.localdate()
    cells: dict[tuple[Hashable, Hashable], int] = {
        (b, s): 0 for _lo, _hi, b in AGE_BANDS for s, _l in SEXES
    }
    days: list[float] = []
    for birth, sex, sent_at, last_at in sent.values_list(
        "child_birth_date", "child_sex", "sent_at", "last_incident_at"
    ):
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
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
