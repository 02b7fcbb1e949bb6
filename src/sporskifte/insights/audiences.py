"""What each audience may ask of the figures, in one place (docs/figures-protection.md).

The filter form, the page, the exports and the API all read these rules; the report applies
them. Two questions per audience:

- which filters it may set (``filters``) and which period kinds (``periods``);
- which steps it sees exact (``exact_steps``); every other step is protected (``protection``),
  or, for the police, withheld when the request uses a filter that protected figures do not
  allow (a case or a free date range can narrow a group to one person).

Help does not flow back to the police as evidence (DOMAIN.md §3.3): a programme's feedback
level is the most the police may learn per person, so only the steps up to it are exact for
them; beyond it they get the same protected figures as a council member, never per case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sporskifte.insights.selectors import Filters
from sporskifte.referrals.models import Programme

# The filters protected figures may be asked with: groups that are published anyway
# (programmes, calendar periods) and coarse attributes. Not a case, not a free date range.
CALENDAR_PERIODS = ("", "year", "quarter", "month")
PERIOD_FIELDS = frozenset({"period", "year", "quarter", "month"})
PROTECTED_FILTERS = PERIOD_FIELDS | {
    "programme",
    "police_district",
    "municipality",
    "offence",
    "age_band",
    "sex",
}
ALL_FILTERS = PROTECTED_FILTERS | {"date_from", "date_to", "case", "journal_number"}
ALL_PERIODS = (*CALENDAR_PERIODS, "range")

# The most the police may learn per person (Programme.feedback_level) → the funnel steps that
# are exact for them. The time to contact is a fact about "contact".
FEEDBACK_STEPS = {
    Programme.Feedback.NOTHING: ("offered", "yes", "referred"),
    Programme.Feedback.CONTACT_MADE: ("offered", "yes", "referred", "contact"),
    Programme.Feedback.OUTCOME: (
        "offered",
        "yes",
        "referred",
        "contact",
        "first_conversation",
        "further_sessions",
    ),
}
# The police see a step beyond the feedback level only when the last step they see exact has
# at least this many people: below it even a rounded count tells about a group they can name
# (1 of 1 shown as 5).
POLICE_MIN_BASE = 20

# What the police register themselves: exact for them in every programme.
POLICE_OWN = ("prevention_offered", "prevention_accepted")


@dataclass(frozen=True)
class Audience:
    kind: str
    filters: frozenset[str]
    periods: tuple[str, ...]
    # True: every step the audience sees is exact; False: each step is exact only where
    # ``exact_steps`` says so.
    exact: bool


AUDIENCES = {
    # Partners deliver the help themselves and see only what was routed to them.
    "partner": Audience("partner", ALL_FILTERS - {"case", "journal_number"}, ALL_PERIODS, True),
    "police": Audience("police", ALL_FILTERS, ALL_PERIODS, exact=False),
    # The council member's municipality is set by the scope, not chosen.
    "council": Audience("council", PROTECTED_FILTERS - {"municipality"}, CALENDAR_PERIODS, False),
    # One programme per page, chosen by the address.
    "public": Audience("public", PERIOD_FIELDS, CALENDAR_PERIODS, exact=False),
}


def exact_steps(kind: str, programmes: Iterable[Programme]) -> frozenset[str]:
    """The steps this audience sees exact for these programmes taken together (the lowest
    feedback level among them decides)."""
    audience = AUDIENCES[kind]
    if audience.exact:
        return frozenset(FEEDBACK_STEPS[Programme.Feedback.OUTCOME]) | set(POLICE_OWN)
    if kind != "police":
        return frozenset()
    levels = [p.feedback_level for p in programmes]
    level = min(levels, default=Programme.Feedback.NOTHING)
    return frozenset(FEEDBACK_STEPS[Programme.Feedback(level)]) | set(POLICE_OWN)


def allows_protected(kind: str, filters: Filters) -> bool:
    """Whether protected figures may be shown for these filters. Council members and the public
    are offered nothing else. The police get the steps beyond their feedback level only as the
    public gets them (a programme or all, a calendar period): they know the earlier steps of
    every person exactly from their own records, and a group they narrow by offence,
    municipality, sex or age band can be so small that even a rounded count would tell about
    its members. Otherwise those steps are withheld."""
    if filters.case is not None or filters.period.kind not in CALENDAR_PERIODS:
        return False
    if kind != "police":
        return True
    narrowing = (filters.police_district, filters.municipality, filters.offence)
    return all(v is None for v in narrowing) and not filters.age_band and not filters.sex
