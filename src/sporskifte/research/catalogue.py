"""The fixed catalogue of columns a district may approve for a research extract.

Every column is computed from the offer's evaluation facts (birth year, sex, municipality, kept
after erasure) and the referral's milestones. Nothing here reads the person row: no name, identity
number, birth date, phone, e-mail, address or journal number can reach an extract.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PSEUDONYM = "pseudonym"

# The columns read from the database for every extract, whatever is approved: all of them are
# free of identities, and one fixed shape keeps the query count and the code simple.
SOURCE_VALUES = (
    "pk",
    "person_id",
    "programme__name",
    "offence__code",
    "home_municipality__code",
    "birth_year",
    "sex",
    "offence_date",
    "offered_at",
    "created_at",
    "answered_at",
    "answer",
    "prevention_conversation",
    "referral__created_at",
    "referral__due_at",
    "referral__contact_made_at",
    "referral__first_conversation_at",
    "referral__further_sessions_at",
    "referral__closed_at",
    "referral__withdrawn_at",
    "referral__last_step",
    "referral__partner__name",
)

AGE_BANDS = ((0, 17, "0-17"), (18, 24, "18-24"), (25, 34, "25-34"), (35, 44, "35-44"))
AGE_BAND_TOP = (45, "45+")


def age_band(birth_year: int | None, on: dt.date) -> str:
    if not birth_year:
        return ""
    age = on.year - birth_year
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return AGE_BAND_TOP[1]


def local_date(value: dt.datetime | dt.date | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


def coarsen(value: dt.date | None, level: str) -> str:
    """Day → 2026-03-14, week → 2026-W11 (ISO), month → 2026-03, quarter → 2026-Q1."""
    if value is None:
        return ""
    if level == "day":
        return value.isoformat()
    if level == "week":
        year, week, _day = value.isocalendar()
        return f"{year}-W{week:02d}"
    if level == "quarter":
        return f"{value.year}-Q{(value.month - 1) // 3 + 1}"
    return f"{value.year}-{value.month:02d}"


def whole_days(start: dt.datetime | None, end: dt.datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, (end - start).days)


def offer_day(row: dict[str, Any]) -> dt.date:
    """The offer's date: when it was put to the person, else when it was registered."""
    return local_date(row["offered_at"] or row["created_at"])  # type: ignore[return-value]


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    description: Any
    value_format: Any
    compute: Callable[[dict[str, Any], str], Any]
    coarsened: bool = False


def _date(source: str) -> Callable[[dict[str, Any], str], str]:
    return lambda row, level: coarsen(local_date(row[source]), level)


def _within_deadline(row: dict[str, Any], _level: str) -> str:
    if row["referral__created_at"] is None:
        return ""
    contact = row["referral__contact_made_at"]
    return "yes" if contact is not None and contact <= row["referral__due_at"] else "no"


DATE_FORMAT = _("Date, coarsened as approved for the project (see above)")
DAYS_FORMAT = _("Whole days (integer), from the exact times; empty if the step has not happened")

CATALOGUE: tuple[Column, ...] = (
    Column(
        "programme",
        _("Programme"),
        _("The name of the referral programme."),
        _("Text"),
        lambda row, _l: row["programme__name"],
    ),
    Column(
        "offence",
        _("Offence"),
        _("The code of the offence the offer was made for."),
        _("Code, e.g. ESL-KOEB"),
        lambda row, _l: row["offence__code"],
    ),
    Column(
        "municipality_code",
        _("Municipality code"),
        _("The official code of the person's home municipality when the offer was registered."),
        _("Four digits (Danish codes are written with a leading zero)"),
        lambda row, _l: row["home_municipality__code"] or "",
    ),
    Column(
        "birth_year",
        _("Birth year"),
        _("The year of birth. The birth date itself is never exported."),
        _("Year (integer)"),
        lambda row, _l: row["birth_year"],
    ),
    Column(
        "age_band",
        _("Age band"),
        _("Age in the year of the offer (offer year minus birth year), in bands."),
        _("0-17, 18-24, 25-34, 35-44, 45+"),
        lambda row, _l: age_band(row["birth_year"], offer_day(row)),
    ),
    Column(
        "sex",
        _("Sex"),
        _("As derived from the identity number or recorded by the officer."),
        _("F, M or U (not known)"),
        lambda row, _l: row["sex"] or "U",
    ),
    Column(
        "offence_date",
        _("Date of the offence"),
        _("When the offence was committed."),
        DATE_FORMAT,
        _date("offence_date"),
        coarsened=True,
    ),
    Column(
        "offered_date",
        _("Offer date"),
        _("When the offer was put to the person; if not yet asked, when it was registered."),
        DATE_FORMAT,
        lambda row, level: coarsen(offer_day(row), level),
        coarsened=True,
    ),
    Column(
        "answer",
        _("Answer"),
        _("The person's answer to the offer."),
        _("not_asked, yes, no, thinking"),
        lambda row, _l: row["answer"],
    ),
    Column(
        "answered_date",
        _("Answer date"),
        _("When the answer was recorded."),
        DATE_FORMAT,
        _date("answered_at"),
        coarsened=True,
    ),
    Column(
        "prevention_conversation",
        _("Conversation with prevention staff"),
        _("Whether a conversation with the police prevention staff was offered and accepted."),
        _("not_asked, accepted, declined"),
        lambda row, _l: row["prevention_conversation"],
    ),
    Column(
        "referred_date",
        _("Referral date"),
        _("When the accepted offer was referred to the partner."),
        DATE_FORMAT,
        _date("referral__created_at"),
        coarsened=True,
    ),
    Column(
        "partner",
        _("Receiving partner"),
        _("The organisation the referral went to."),
        _("Text"),
        lambda row, _l: row["referral__partner__name"] or "",
    ),
    Column(
        "contact_made_date",
        _("Contact made"),
        _("When the partner first reached the person."),
        DATE_FORMAT,
        _date("referral__contact_made_at"),
        coarsened=True,
    ),
    Column(
        "first_conversation_date",
        _("First conversation"),
        _("When the first conversation with the partner was held."),
        DATE_FORMAT,
        _date("referral__first_conversation_at"),
        coarsened=True,
    ),
    Column(
        "further_sessions_date",
        _("Further sessions"),
        _("When the person accepted more than the first conversation."),
        DATE_FORMAT,
        _date("referral__further_sessions_at"),
        coarsened=True,
    ),
    Column(
        "closed_date",
        _("Closed"),
        _("When the referral was closed."),
        DATE_FORMAT,
        _date("referral__closed_at"),
        coarsened=True,
    ),
    Column(
        "withdrawn_date",
        _("Consent withdrawn"),
        _("When the person withdrew the consent to the referral."),
        DATE_FORMAT,
        _date("referral__withdrawn_at"),
        coarsened=True,
    ),
    Column(
        "last_step",
        _("Last step"),
        _("The last outcome step the partner recorded."),
        _("first_conversation, further_sessions, declined, unreachable, closed"),
        lambda row, _l: row["referral__last_step"] or "",
    ),
    Column(
        "days_to_first_contact",
        _("Days to first contact"),
        _("From the referral to the partner's first contact with the person."),
        DAYS_FORMAT,
        lambda row, _l: whole_days(row["referral__created_at"], row["referral__contact_made_at"]),
    ),
    Column(
        "days_to_first_conversation",
        _("Days to first conversation"),
        _("From the referral to the first conversation."),
        DAYS_FORMAT,
        lambda row, _l: whole_days(
            row["referral__created_at"], row["referral__first_conversation_at"]
        ),
    ),
    Column(
        "contacted_within_deadline",
        _("Contacted within the deadline"),
        _("Whether the partner made contact within the programme's contact deadline."),
        _("yes, no; empty if not referred"),
        _within_deadline,
    ),
)

BY_KEY = {c.key: c for c in CATALOGUE}
CHOICES = [(c.key, c.label) for c in CATALOGUE]

# Finer detail than an extract has by default (issue 7: two projects' extracts of the same
# people were matched row by row on birth year, sex, municipality and dates to the day). A
# project asks for these only with a reason, and the approving district is warned.
FINER_FIELDS = ("birth_year", "days_to_first_contact", "days_to_first_conversation")
FINER_COARSENINGS = ("day", "week")
DEFAULT_FIELDS = [c.key for c in CATALOGUE if c.key not in FINER_FIELDS]
DEFAULT_COARSENING = "month"


def finer_detail(fields: list[str], coarsening: str) -> list[str]:
    """What of the project is finer than the default, by catalogue key or coarsening."""
    out = [key for key in FINER_FIELDS if key in fields]
    if coarsening in FINER_COARSENINGS:
        out.append(f"dates:{coarsening}")
    return out


def ordered(keys: list[str]) -> list[Column]:
    """The approved columns in catalogue order, unknown keys dropped."""
    wanted = set(keys)
    return [c for c in CATALOGUE if c.key in wanted]
