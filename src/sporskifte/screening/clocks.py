"""The municipality's clocks after a notification arrives.

Denmark, barnets lov (lov nr. 721 af 14. juni 2023, in force 1 January 2024; it replaced
serviceloven §§ 153-155 b): a public employee, police included, must notify the municipality
(§ 133, formerly serviceloven § 153); the municipality assesses within 24 hours whether the
child's health or development is in danger and acute action is needed, and deals with every
notification by a fixed procedure (§ 136, formerly serviceloven § 155, stk. 2); it confirms
receipt to a professional notifier within 6 working days (formerly § 155, stk. 4) and tells
them whether an investigation or measure followed (formerly § 155 b, stk. 2). Working days are
Monday to Friday without Danish public holidays, taken from the maintained ``holidays`` library.

Sweden, socialtjänstlagen (2025:400), which replaced socialtjänstlagen (2001:453) on 1 July
2025 and carried its rules on children over: an authority reports concern at once ("genast";
formerly 14 kap. 1 § of the 2001 act); the social services assess the child's need of
protection at once and decide within 14 days whether to open an investigation (the
förhandsbedömning; formerly 11 kap. 1 a §), and give återkoppling to a reporting authority
(formerly 14 kap. 1 b §). The new act's chapter and section numbers are not cited here: they
could not be checked against the act's text (docs/screening-legal-basis.md says what was).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

ACKNOWLEDGE_WORKING_DAYS = 6
ASSESSMENT_HOURS = 24
SWEDISH_DECISION_DAYS = 14


@lru_cache(maxsize=8)
def _danish_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DK", years=year)


def is_danish_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _danish_holidays(day.year)


def add_danish_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (the day of receipt does not count)."""
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_danish_working_day(day):
            counted += 1
    return day


def acknowledge_due_on(received: dt.date, country: str) -> dt.date:
    if country == "SE":
        # No statutory receipt in Sweden; the återkoppling follows the decision instead.
        return received + dt.timedelta(days=SWEDISH_DECISION_DAYS)
    return add_danish_working_days(received, ACKNOWLEDGE_WORKING_DAYS)


def assessment_due_at(sent_at: dt.datetime) -> dt.datetime:
    return sent_at + dt.timedelta(hours=ASSESSMENT_HOURS)


def decision_due_on(received: dt.date, country: str) -> dt.date | None:
    if country != "SE":
        return None
    return received + dt.timedelta(days=SWEDISH_DECISION_DAYS)
