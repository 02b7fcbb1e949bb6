"""The periodic jobs' times, cron-style, evaluated in the site's time zone.

Five fields, as in crontab: minute, hour, day of month, month, day of week (0 = Sunday). Each is
``*``, a number, a range ``a-b``, a list ``a,b`` or a step ``*/n``. When both day fields are
restricted, either may match (crontab's rule).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)]


def _field(text: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        spec, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if spec == "*":
            start, end = low, high
        elif "-" in spec:
            a, b = spec.split("-", 1)
            start, end = int(a), int(b)
        else:
            start = end = int(spec)
        if not (low <= start <= end <= high) or step < 1:
            raise ValueError(part)
        values.update(range(start, end + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    any_day: bool
    any_weekday: bool

    @classmethod
    def parse(cls, text: str) -> Cron:
        parts = text.split()
        if len(parts) != 5:
            raise ImproperlyConfigured(f"A schedule has five fields, not {text!r}")
        try:
            fields = [_field(p, lo, hi) for p, (lo, hi) in zip(parts, _RANGES, strict=True)]
        except ValueError as e:
            raise ImproperlyConfigured(f"Bad schedule field {e} in {text!r}") from e
        minutes, hours, days, months, weekdays = fields
        return cls(
            text=text,
            minutes=minutes,
            hours=hours,
            days=days,
            months=months,
            weekdays=weekdays,
            any_day=parts[2] == "*",
            any_weekday=parts[4] == "*",
        )

    def matches(self, at: dt.datetime) -> bool:
        local = timezone.localtime(at)
        if local.minute not in self.minutes or local.hour not in self.hours:
            return False
        if local.month not in self.months:
            return False
        day = local.day in self.days
        weekday = (local.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:
            return day and weekday
        return day or weekday

    def slots(self, since: dt.datetime, until: dt.datetime) -> list[dt.datetime]:
        """The whole minutes in (since, until] this schedule names, oldest first."""
        minute = until.replace(second=0, microsecond=0)
        out = []
        while minute > since:
            if self.matches(minute):
                out.append(minute)
            minute -= dt.timedelta(minutes=1)
        return out[::-1]
