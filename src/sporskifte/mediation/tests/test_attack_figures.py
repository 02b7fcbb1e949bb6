"""The konfliktråd's satisfaction figures attacked by the coordinator (and anyone an export is
passed to), who may ask for every year and look again whenever they like.

The answers carry no party, case or time finer than the year; the figures must not give that
back. Two ways they did: the answers minus the yeses to a question are the noes, a group of 1
to 4 in plain sight; and a look before and after one party used its link tells what that party
answered, since the coordinator knows whose link was just used."""

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from sporskifte.insights.suppression import WITHHELD
from sporskifte.insights.tests.linear_attacker import Attacker
from sporskifte.mediation import services
from sporskifte.mediation.figures import district_figures, protected_satisfaction
from sporskifte.mediation.models import CaseFigures, SatisfactionAnswer
from sporskifte.mediation.services import QUESTIONS
from sporskifte.mediation.tests.test_services import _with_meeting
from sporskifte.testing.factories import district

pytestmark = pytest.mark.django_db


def _answers(district_id: int, year: int, yes: dict[str, int], n: int) -> None:
    SatisfactionAnswer.objects.bulk_create(
        SatisfactionAnswer(
            district_id=district_id,
            year=year,
            category="violence",
            channel=SatisfactionAnswer.Channel.LINK,
            **{q: i < yes[q] for q in QUESTIONS},
        )
        for i in range(n)
    )


def _noes_pinned(answers: object, satisfaction: dict) -> dict[str, int]:
    """The noes per question the attacker knows exactly, when they are a group of 1 to 4."""
    a = Attacker(withheld_at_least=0)  # a nested chain may withhold any count
    a.see("answers", answers)
    for q in QUESTIONS:
        a.see(q, satisfaction[q])
        a.total("answers", [q, ("no", q)])
    found = a.solve()
    return {
        q: found[("no", q)][0]
        for q in QUESTIONS
        if found[("no", q)][0] == found[("no", q)][1] and 1 <= found[("no", q)][0] <= 4
    }


def test_satisfaction_noes_of_one_to_four_cannot_be_worked_out_as_answers_minus_yeses(personas):
    a = district("midt-vestjylland")
    last_year = timezone.localdate().year - 1
    # Twelve answers; one party did not find it fair, three did not call it successful.
    yes = {"got_what_wanted": 12, "fair": 11, "successful": 9, "good_service": 7}
    _answers(a.pk, last_year, yes, 12)
    f = district_figures(a.pk, last_year)
    assert not _noes_pinned(f.answers, f.satisfaction)
    assert f.answers == 12 and f.satisfaction["good_service"] == 7  # five noes: a group


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(0, 30),
    shares=st.fixed_dictionaries({q: st.floats(0, 1) for q in QUESTIONS}),
)
def test_no_small_group_of_noes_is_pinned_whatever_the_answers(n, shares):
    counts = {"answers": n} | {q: round(shares[q] * n) for q in QUESTIONS}
    answers, satisfaction = protected_satisfaction(counts)
    assert not _noes_pinned(answers, satisfaction)


def test_a_partys_answers_cannot_be_read_by_looking_before_and_after_its_link_is_used(
    personas, world
):
    case, meeting = _with_meeting(personas, world)
    services.meeting_hold(actor=world.mediator2, meeting=meeting, attendees=[world.offender])
    this_year = timezone.localdate().year
    # Ten earlier answers this year, five of them "not fair".
    yes = {"got_what_wanted": 10, "fair": 5, "successful": 10, "good_service": 10}
    _answers(case.district_id, this_year, yes, 10)
    token = services.satisfaction_link_create(actor=world.mediator2, case=case)

    def look() -> dict:
        return {
            year: (f.answers, f.satisfaction)
            for year in range(this_year - 4, this_year + 2)
            for f in [district_figures(case.district_id, year)]
        }

    before = look()
    services.satisfaction_by_link(
        token=token,
        answers={"got_what_wanted": True, "fair": False, "successful": True, "good_service": True},
    )
    # Before the fix: answers 10 → 11 and fair 5 → 5: the party whose link was used found the
    # mediation unfair. Now a year's answers are shown once the year is over, and an answer
    # counts in the year it is given, so no look changes when one party answers.
    assert look() == before


def _case_figures(district_id: int, year: int, n: int, **flags_for_first) -> None:
    """``n`` cases; ``flags_for_first[field] = (k, value)`` sets the field on the first k."""
    CaseFigures.objects.bulk_create(
        CaseFigures(
            district_id=district_id,
            year=year,
            source="police",
            category="violence",
            **{f: (v if i < k else default) for f, (k, v, default) in flags_for_first.items()},
        )
        for i in range(n)
    )


def test_an_unsuitable_case_or_a_broken_agreement_cannot_be_worked_out_from_the_funnel(personas):
    a = district("midt-vestjylland")
    year = timezone.localdate().year - 1
    # Twelve proposals, all screened, eleven suitable; seven agreements, six kept.
    _case_figures(
        a.pk,
        year,
        12,
        suitable=(11, True, False),
        meeting_held=(9, True, False),
        agreement_made=(7, True, False),
        agreement_kept=(6, True, None),
    )
    f = district_figures(a.pk, year)
    attacker = Attacker(withheld_at_least=0)
    for step, shown in f.headline.items():
        attacker.see(step, shown)
    attacker.total("screened", ["suitable", "unsuitable"])
    attacker.total("agreements_made", ["agreements_kept", "not_kept"])
    found = attacker.solve()
    for group in ("unsuitable", "not_kept"):
        lo, hi = found[group]
        assert not (lo == hi and 1 <= lo <= 4), group  # before: 12 - 11 and 7 - 6


def _proposals_from(district_id: int, year: int, source: str, n: int) -> None:
    CaseFigures.objects.bulk_create(
        CaseFigures(district_id=district_id, year=year, source=source, category="violence")
        for _ in range(n)
    )


def test_a_hidden_source_cannot_be_pinned_by_lining_up_three_exports_of_the_open_year(personas):
    a = district("midt-vestjylland")
    year = timezone.localdate().year
    attacker = Attacker()
    additions = [
        {"police": 7, "party": 4, "parent": 1},  # the first export
        {"parent": 2},  # two more proposals from parents before the second
        {"party": 1},  # one more from a party before the third
    ]
    for t, added in enumerate(additions):
        for source, n in added.items():
            _proposals_from(a.pk, year, source, n)
        f = district_figures(a.pk, year)
        # A dash beside shown counts is a complement, at least 5; a list withheld whole (zeros
        # too) promises nothing about any of its counts.
        whole = all(shown == WITHHELD for shown in f.by_source.values())
        for source, shown in f.by_source.items():
            attacker.see((t, source), None if whole else shown)
            if t:
                attacker.at_most((t - 1, source), (t, source))  # proposals are never taken back
        attacker.see(("proposals", t), f.headline["proposals"])
        attacker.total(("proposals", t), [(t, s) for s in f.by_source])
    # Pinned before the open year's lists were withheld: the parents' 3 and the party's 4 of the
    # second export, and more.
    assert not attacker.pinned()


# Counts a case only ever joins during the year: the screening and the meeting are not undone.
GROWING = ("proposals", "screened", "suitable", "unsuitable", "meetings_held", "agreements_made")


def test_a_small_funnel_group_cannot_be_pinned_by_lining_up_three_exports_of_the_open_year(
    personas,
):
    a = district("midt-vestjylland")
    year = timezone.localdate().year
    screened_as = {"suitable": True, "unsuitable": False, "not screened": None}
    additions = [
        {"suitable": 6, "unsuitable": 3},  # nine proposals, all screened, before the first
        {"not screened": 2},  # two new proposals before the second
        {"not screened": 3},  # three more before the third
    ]
    attacker = Attacker(withheld_at_least=0)  # a funnel may withhold any count
    for t, added in enumerate(additions):
        for kind, n in added.items():
            CaseFigures.objects.bulk_create(
                CaseFigures(
                    district_id=a.pk,
                    year=year,
                    source="police",
                    category="violence",
                    suitable=screened_as[kind],
                )
                for _ in range(n)
            )
        f = district_figures(a.pk, year)
        for step, shown in f.headline.items():
            attacker.see((step, t), shown)
        attacker.total(("proposals", t), [("screened", t), ("not_screened", t)])
        attacker.total(("screened", t), [("suitable", t), ("unsuitable", t)])
        attacker.total(("meetings_held", t), [("agreements_made", t), ("no_agreement", t)])
        attacker.total(("agreements_made", t), [("agreements_kept", t), ("not_kept", t)])
        for step in GROWING:
            if t:
                attacker.at_most((step, t - 1), (step, t))
    found = attacker.solve()
    # Before: 9 screened, suitable withheld (three unsuitable); screened withheld, suitable 6;
    # 9 screened again. The screened hidden between two nines is 9, so three were unsuitable.
    assert not {name: lo for name, (lo, hi) in found.items() if lo == hi and 1 <= lo <= 4}
