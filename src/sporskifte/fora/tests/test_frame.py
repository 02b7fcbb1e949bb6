"""The legal frame as data: every kind has its basis, and the Ungesamråd rule on cases referred
to Ungdomskriminalitetsnævnet (seeds/002 §6.1) holds branch by branch."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sporskifte.fora.frame import (
    RULES,
    SECTION_115,
    ForumKind,
    LegalBasis,
    Scope,
    Section,
    YknException,
    add_months,
    ungesamraad_check,
)

TODAY = dt.date(2026, 11, 22)


def check(**overrides):
    args = {
        "birth_date": dt.date(2010, 1, 1),  # 16
        "on": TODAY,
        "charge": "Røveri",
        "referred_to_ykn": False,
        "ykn_exception": YknException.NONE,
        "custodial_in_view": True,
    }
    ungesamraad_check(**(args | overrides))


def errors_of(**overrides) -> dict:
    with pytest.raises(ValidationError) as exc:
        check(**overrides)
    return exc.value.message_dict


def test_every_kind_has_a_rule():
    assert set(RULES) == set(ForumKind.values)


@pytest.mark.parametrize(
    ("kind", "basis"),
    [
        (ForumKind.SSP, LegalBasis.SSP),
        (ForumKind.PSP, LegalBasis.PSP),
        (ForumKind.PSP_VISITATION, LegalBasis.PSP),
        (ForumKind.KSP, LegalBasis.KSP),
        (ForumKind.INFOHUS, LegalBasis.SSP),  # Info-hus builds on the SSP exchange
    ],
)
def test_section_115_fora_share_under_their_own_number(kind, basis):
    assert RULES[kind].bases[0] == basis
    assert set(RULES[kind].bases) & SECTION_115 == {basis}


@pytest.mark.parametrize("kind", [ForumKind.UNGESAMRAAD, ForumKind.BANDERAAD, ForumKind.LOKALERHED])
def test_fora_without_section_115_need_consent_or_a_named_basis(kind):
    assert set(RULES[kind].bases) == {LegalBasis.CONSENT, LegalBasis.OTHER}


def test_district_wide_fora():
    district = {k for k, r in RULES.items() if r.scope == Scope.DISTRICT}
    assert district == {ForumKind.PSP_VISITATION, ForumKind.INFOHUS, ForumKind.LOKALERHED}


def test_only_the_visitation_group_receives_escalations():
    assert [k for k, r in RULES.items() if r.receives_escalations] == [ForumKind.PSP_VISITATION]
    assert RULES[ForumKind.PSP].section == RULES[ForumKind.PSP_VISITATION].section == Section.PSP


def test_case_not_referred_to_the_board_is_treated():
    check()


def test_case_referred_to_the_board_is_not_treated_without_an_exception():
    assert "ykn_exception" in errors_of(referred_to_ykn=True)


@pytest.mark.parametrize(
    "exception", [YknException.YOUTH_SANCTION, YknException.SERIOUS_NO_RECIDIVISM]
)
def test_youth_sanction_and_serious_crime_without_recidivism_are_still_treated(exception):
    check(referred_to_ykn=True, ykn_exception=exception)


def test_over_17_and_a_half_with_custody_in_view_is_still_treated():
    check(birth_date=dt.date(2009, 5, 22), referred_to_ykn=True, ykn_exception="over_17_5")


def test_17_and_a_half_starts_on_the_day():
    born = dt.date(2009, 5, 23)  # 17½ on 23 November 2026, the day after TODAY
    assert "ykn_exception" in errors_of(
        birth_date=born, referred_to_ykn=True, ykn_exception="over_17_5"
    )
    check(
        birth_date=born,
        on=TODAY + dt.timedelta(days=1),
        referred_to_ykn=True,
        ykn_exception="over_17_5",
    )


def test_over_17_and_a_half_needs_custody_in_view():
    errors = errors_of(
        birth_date=dt.date(2009, 1, 1),
        referred_to_ykn=True,
        ykn_exception="over_17_5",
        custodial_in_view=False,
    )
    assert "custodial_in_view" in errors


def test_an_exception_without_a_referral_is_an_error():
    assert "ykn_exception" in errors_of(ykn_exception=YknException.YOUTH_SANCTION)


@pytest.mark.parametrize(
    ("born", "ok"),
    [
        ((2012, 11, 22), True),
        ((2012, 11, 23), False),
        ((2008, 11, 23), True),
        ((2008, 11, 22), False),
    ],
)
def test_ungesamraad_ages_14_until_18(born, ok):
    if ok:
        check(birth_date=dt.date(*born))
    else:
        assert "birth_date" in errors_of(birth_date=dt.date(*born))


def test_charge_and_birth_date_are_required():
    errors = errors_of(charge=" ", birth_date=None)
    assert set(errors) == {"charge", "birth_date"}


def test_add_months_keeps_the_end_of_the_month():
    assert add_months(dt.date(2009, 8, 31), 6) == dt.date(2010, 2, 28)
    assert add_months(dt.date(2009, 5, 22), 17 * 12 + 6) == dt.date(2026, 11, 22)
