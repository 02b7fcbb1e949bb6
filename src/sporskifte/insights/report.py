"""The figures as people read them: rates, rounding, suppression and the sentence a director
would write. Views, exports and the API all show a ``Report``, so they cannot disagree.

Rounding: every percentage goes through ``percent`` (whole numbers, halves up); durations
are whole days, rounded up ("reached within N days"), as the rollup counts them. "N out of M"
is the nearest fraction with a denominator from 2 to 5 (ties: the smaller denominator); it is
never more than 5 percentage points off, because below 15 % and above 85 % the phrase becomes
"fewer than 1 out of 5" and "more than 4 out of 5"; exactly 0 and 1 are "none" and "all".

Protected figures (council members, the public, the police beyond their programme's feedback
level; ``audiences`` says who gets what): every such count goes through ``protection.protect``
(below 5 shown as "<5", others with the cell-key noise), the totals across programmes and the
months included, each as a cell of its own. Of the monthly trend a protected audience sees the
number offered; a rate is shown only between two shown counts (at most 100 %, as noise may put
a part above its whole); durations only when at least ``THRESHOLD`` referrals have a contact
time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction

from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sporskifte.insights.audiences import (
    AUDIENCES,
    POLICE_MIN_BASE,
    allows_protected,
    exact_steps,
)
from sporskifte.insights.protection import THRESHOLD, Cell, protect
from sporskifte.insights.selectors import (
    KEY,
    STEPS,
    TREND_SERIES,
    Filters,
    InsightScope,
    Period,
    funnel,
    trend,
)
from sporskifte.insights.suppression import WITHHELD, Shown, is_hidden, small_marker
from sporskifte.referrals.models import Programme

STEP_LABELS = {
    "offered": gettext_lazy("Offered help"),
    "yes": gettext_lazy("Said yes to be contacted"),
    "referred": gettext_lazy("Referred to a partner"),
    "contact": gettext_lazy("Contact made"),
    "first_conversation": gettext_lazy("First conversation held"),
    "further_sessions": gettext_lazy("Further sessions accepted"),
    "prevention_offered": gettext_lazy("Met by the police in a programme with prevention talks"),
    "prevention_accepted": gettext_lazy("Said yes to a talk with police prevention staff"),
}


def percent(part: int, whole: int) -> int | None:
    """The one rounding of percentages: whole numbers, halves up; None when whole is 0."""
    if not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


def days(duration: dt.timedelta | None) -> Decimal | None:
    """Whole days, rounded up: "reached within 2 days" holds for 1 day and 3 hours."""
    if duration is None:
        return None
    value = Decimal(max(0.0, duration.total_seconds())) / Decimal(86400)
    return value.quantize(Decimal(1), ROUND_UP)


FRACTIONS = sorted(
    {Fraction(n, d) for d in range(2, 6) for n in range(1, d)}, key=lambda f: (f, f.denominator)
)


def out_of(part: int, whole: int) -> str | None:
    """'4 out of 5': see the module docstring for the rule."""
    if not whole:
        return None
    rate = Fraction(part, whole)
    if rate == 0:
        return _("none")
    if rate == 1:
        return _("all")
    if rate < Fraction(15, 100):
        return _("fewer than 1 out of 5")
    if rate > Fraction(85, 100):
        return _("more than 4 out of 5")
    best = min(FRACTIONS, key=lambda f: (abs(f - rate), f.denominator))
    return _("%(n)s out of %(d)s") % {"n": best.numerator, "d": best.denominator}


@dataclass(frozen=True)
class StepRow:
    key: str
    label: str
    count: Shown
    rate_previous: int | None
    rate_start: int | None
    # The base the sentence uses: of those who said yes (police), of those referred (partner).
    rate_base: int | None = None


@dataclass(frozen=True)
class TrendRow:
    month: dt.date
    values: dict[str, Shown]


@dataclass(frozen=True)
class Report:
    scope_kind: str
    suppressed: bool
    period_label: str
    programmes: list[str]
    steps: list[StepRow]
    prevention: list[StepRow]
    timed: Shown
    median_days: Decimal | None
    p90_days: Decimal | None
    within_percent: int | None
    trend_series: tuple[str, ...]
    trend: list[TrendRow]
    sentences: list[str]
    threshold: int = THRESHOLD
    base_step: str = "yes"  # the sentence's base, shown as a column of the table
    # Referrals whose contact deadline is still ahead ("so far"); empty in suppressed reports,
    # which show no count that is not protected.
    not_yet_due: dict[str, int] = dataclasses.field(default_factory=dict)
    # Police narrowed to a case or a date range: the steps beyond the feedback level are
    # withheld rather than protected.
    withheld: bool = False


def period_label(period: Period) -> str:
    if not period.kind or period.start is None or period.end is None:
        return _("all time")
    first = period.start.date()
    last = (period.end - dt.timedelta(days=1)).date()
    if period.kind == "year":
        return str(first.year)
    if period.kind == "quarter":
        return _("quarter %(q)s of %(year)s") % {
            "q": (first.month - 1) // 3 + 1,
            "year": first.year,
        }
    if period.kind == "month":
        return date_format(first, "F Y")
    return f"{date_format(first, 'j. F Y')} {WITHHELD} {date_format(last, 'j. F Y')}"


def _rate(part: Shown, whole: Shown) -> int | None:
    """Between two shown counts only; protected counts carry noise, so a part may come out
    above its whole: never more than 100 %."""
    if is_hidden(part) or is_hidden(whole):
        return None
    rate = percent(int(part), int(whole))
    return None if rate is None else min(rate, 100)


def _rows(
    keys: list[str], shown: dict[str, Shown], start: str, base: str | None = None
) -> list[StepRow]:
    rows = []
    after_base = False
    for i, key in enumerate(keys):
        rows.append(
            StepRow(
                key=key,
                label=str(STEP_LABELS[key]),
                count=shown[key],
                rate_previous=_rate(shown[key], shown[keys[i - 1]]) if i else None,
                rate_start=_rate(shown[key], shown[start]) if key != start else None,
                rate_base=_rate(shown[key], shown[base]) if base and after_base else None,
            )
        )
        after_base = after_base or key == base
    return rows


def build_report(scope: InsightScope, programmes: list[Programme], filters: Filters) -> Report:
    filters = scope.restrict(filters)
    ids = [p.pk for p in programmes]
    prevention_ids = [p.pk for p in programmes if p.has_prevention_conversation]
    audience = AUDIENCES[scope.kind]
    exact = exact_steps(scope.kind, programmes)
    # Key sums only when some count will be protected: not for partners, nor for the police
    # of programmes whose feedback level is the outcome.
    needs_keys = not audience.exact and not {*STEPS, "prevention_accepted"} <= exact
    data = funnel(ids, filters, prevention_ids=prevention_ids, keys=needs_keys)
    monthly = trend(ids, filters, keys=needs_keys)
    months = filters.period.months(data.first_seen)
    start = scope.first_step
    steps = list(data.steps[data.steps.index(start) :])
    ttc = data.time_to_contact
    counts = dict(data.counts)
    if data.prevention:
        counts["prevention_offered"], counts["prevention_accepted"] = data.prevention
    counts |= {"timed": ttc.timed, "due": ttc.due, "within": ttc.within}
    protectable = allows_protected(scope.kind, filters)
    if scope.kind == "police" and protectable:
        base = [k for k in steps if k in exact][-1]
        protectable = counts[base] >= POLICE_MIN_BASE

    def show(name: str, *, as_step: str | None = None) -> Shown:
        """Exact where the audience may see it, else protected, else withheld."""
        if (as_step or name) in exact:
            return counts[name]
        if not protectable:
            return WITHHELD
        return protect(Cell(counts[name], data.keys[name]))

    shown = {name: show(name) for name in counts if name not in ("timed", "due", "within")}
    # The time to contact is a fact about "contact": exact or protected with it.
    timed = show("timed", as_step="contact")
    due, within = show("due", as_step="contact"), show("within", as_step="contact")
    show_times = "contact" in exact or (protectable and ttc.timed >= THRESHOLD)
    series: tuple[str, ...]
    if audience.exact:
        # A partner's offers are its referrals: "offered" would say the same as "said yes".
        series = TREND_SERIES[1:] if start == "referred" else TREND_SERIES
    else:
        series = tuple(k for k in TREND_SERIES if k in exact) or ("offered",)
    trend_rows = []
    for m in months:
        month = monthly.get(m) or dict.fromkeys((*TREND_SERIES, KEY + "offered"), 0)
        values: dict[str, Shown] = {k: month[k] for k in series if audience.exact or k in exact}
        if "offered" in series and "offered" not in values:
            values["offered"] = protect(Cell(month["offered"], month[KEY + "offered"]))
        trend_rows.append(TrendRow(m, values))
    prevention = []
    if data.prevention and start == "offered":
        branch = ["offered", "prevention_offered", "prevention_accepted"]
        prevention = _rows(branch, shown, start)[1:]
    base = "referred" if start == "referred" else "yes"
    protected = tuple(k for k in shown if k not in exact)
    report = Report(
        scope_kind=scope.kind,
        suppressed=bool(protected),
        period_label=period_label(filters.period),
        programmes=[p.name for p in programmes],
        steps=_rows(steps, shown, start, base),
        prevention=prevention,
        timed=timed,
        median_days=days(ttc.median) if show_times else None,
        p90_days=days(ttc.p90) if show_times else None,
        within_percent=_rate(within, due),
        trend_series=series,
        trend=trend_rows,
        sentences=[],
        base_step=base,
        not_yet_due={} if protected else dict(data.not_yet_due),
        withheld=bool(protected) and not protectable,
    )
    return _with_sentences(report, shown)


# Sentences -------------------------------------------------------------------------------------


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def _clauses_to_sentence(clauses: list[str]) -> str | None:
    return capfirst("; ".join(clauses)) + "." if clauses else None


def _volume(report: Report, shown: dict[str, Shown]) -> str | None:
    key = report.steps[0].key if report.steps else "offered"
    n = shown.get(key, 0)
    period = report.period_label
    if is_hidden(n):
        if n != small_marker(report.threshold):
            return None
        if key == "referred":
            text = _("Fewer than %(t)s persons were referred to your organisation (%(period)s).")
        else:
            text = _("Fewer than %(t)s persons were offered help (%(period)s).")
        return text % {"t": report.threshold, "period": period}
    if key == "referred":
        text = ngettext(
            "%(n)s person was referred to your organisation (%(period)s).",
            "%(n)s persons were referred to your organisation (%(period)s).",
            int(n),
        )
    else:
        text = ngettext(
            "%(n)s person was offered help (%(period)s).",
            "%(n)s persons were offered help (%(period)s).",
            int(n),
        )
    return text % {"n": _n(int(n)), "period": period}


def _uptake(report: Report, shown: dict[str, Shown]) -> str | None:
    """The [S2] shape: "119 have said yes to be contacted. Of these, 67 % have so far had
    a conversation with a counsellor and 32 % have said yes to more than the first one." """
    base = report.base_step
    n = shown.get(base, 0)
    if n == 0:
        if base == "referred":
            return _("No one has been referred yet.")
        return _("No one has said yes to be contacted yet.")
    if is_hidden(n):
        if n != small_marker(report.threshold):
            return None
        head = _("Fewer than %(t)s have said yes to be contacted.") % {"t": report.threshold}
    elif base == "referred":
        head = ngettext("%(n)s has been referred.", "%(n)s have been referred.", int(n)) % {
            "n": _n(int(n))
        }
    else:
        head = ngettext(
            "%(n)s has said yes to be contacted.", "%(n)s have said yes to be contacted.", int(n)
        ) % {"n": _n(int(n))}
    first = _rate(shown.get("first_conversation", 0), n)
    further = _rate(shown.get("further_sessions", 0), n)
    if first is None:
        return head
    if further is None:
        tail = _("Of these, %(first)s %% have so far had a conversation with a counsellor.")
    else:
        tail = _(
            "Of these, %(first)s %% have so far had a conversation with a counsellor and "
            "%(further)s %% have said yes to more than the first conversation."
        )
    return " ".join([head, tail % {"first": first, "further": further}, *_past_deadline(report)])


def _past_deadline(report: Report) -> list[str]:
    """The same share counted only over the referrals whose contact deadline has passed, when
    some have not reached it yet: a referral made yesterday has had no conversation *yet*."""
    fresh = report.not_yet_due
    if not fresh.get("referred"):
        return []
    counts = {r.key: r.count for r in report.steps}
    base, first = counts.get(report.base_step), counts.get("first_conversation")
    if base is None or first is None or is_hidden(base) or is_hidden(first):
        return []
    past = int(base) - fresh["referred"]
    if past <= 0:
        return [_("None of them has reached the partner's contact deadline yet.")]
    share = percent(int(first) - fresh["first_conversation"], past)
    return [
        ngettext(
            "Of the %(n)s whose contact deadline has passed, %(p)s %% have had a conversation.",
            "Of the %(n)s whose contact deadline has passed, %(p)s %% have had a conversation.",
            past,
        )
        % {"n": _n(past), "p": share}
    ]


def _fractions(report: Report, shown: dict[str, Shown]) -> str | None:
    """The [S0] shape: 4 out of 5 agreed to a conversation with prevention staff; …"""
    if report.scope_kind == "partner":
        return None
    clauses = []
    base, accepted = shown.get("prevention_offered", 0), shown.get("prevention_accepted", 0)
    if report.prevention and not is_hidden(base) and not is_hidden(accepted) and base:
        clauses.append(
            _("%(frac)s have agreed to a conversation with the police's prevention staff")
            % {"frac": out_of(int(accepted), int(base))}
        )
    offered, yes = shown.get("offered", 0), shown.get("yes", 0)
    if not is_hidden(offered) and not is_hidden(yes) and offered:
        clauses.append(
            _("%(frac)s have said yes to be contacted by a counsellor")
            % {"frac": out_of(int(yes), int(offered))}
        )
    return _clauses_to_sentence(clauses)


def _timing(report: Report) -> str | None:
    clauses = []
    if report.median_days is not None and report.p90_days is not None:

        def in_days(value: Decimal) -> str:
            return ngettext("%(n)s day", "%(n)s days", int(value)) % {"n": number_format(value)}

        clauses.append(
            _(
                "half of those contacted were reached within %(median)s of the referral, "
                "9 out of 10 within %(p90)s"
            )
            % {"median": in_days(report.median_days), "p90": in_days(report.p90_days)}
        )
    if report.within_percent is not None:
        clauses.append(
            _("%(p)s %% were contacted within the deadline") % {"p": report.within_percent}
        )
    return _clauses_to_sentence(clauses)


def _with_sentences(report: Report, shown: dict[str, Shown]) -> Report:
    # [S0]\'s story: the prevention conversation first, then the counsellors.
    sentences = [
        _volume(report, shown),
        _fractions(report, shown),
        _uptake(report, shown),
        _timing(report),
    ]
    return dataclasses.replace(report, sentences=[s for s in sentences if s])
