import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sporskifte.core.identity import normalise_phone, parse_cpr, parse_personnummer
from sporskifte.testing.factories import fictitious_cpr


def _mod11_ok(cpr: str) -> bool:
    weights = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1]
    return sum(int(d) * w for d, w in zip(cpr, weights, strict=True)) % 11 == 0


def test_cpr_without_modulus_11_is_accepted():
    # Issued since 2007: valid although the modulus-11 check fails.
    number = "0101909991"
    assert not _mod11_ok(number)
    assert parse_cpr("010190-9991").birth_date == dt.date(1990, 1, 1)


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("0101374000", dt.date(1937, 1, 1)),
        ("0101364000", dt.date(2036, 1, 1)),
        ("0101585000", dt.date(1858, 1, 1)),
        ("0101575000", dt.date(2057, 1, 1)),
        ("0101570000", dt.date(1957, 1, 1)),
        ("0101059000", dt.date(2005, 1, 1)),
    ],
)
def test_cpr_century_rule_from_the_seventh_digit(cpr, born):
    if born > dt.date.today():
        with pytest.raises(ValidationError):
            parse_cpr(cpr)
    else:
        assert parse_cpr(cpr).birth_date == born


def test_cpr_sex_from_the_last_digit():
    assert parse_cpr("0101909990").sex == "F"
    assert parse_cpr("0101909991").sex == "M"


@pytest.mark.parametrize(
    "bad", ["3201901234", "010190123", "01019012345", "abcdefghij", "3102901234"]
)
def test_impossible_cpr_gets_a_clear_message(bad):
    with pytest.raises(ValidationError) as exc:
        parse_cpr(bad)
    assert "CPR" in exc.value.messages[0]


@given(
    birth=st.dates(min_value=dt.date(1937, 1, 1), max_value=dt.date(2020, 12, 31)),
    female=st.booleans(),
    seed=st.integers(0, 10_000),
)
def test_fictitious_demo_numbers_are_valid_and_round_trip(birth, female, seed):
    import random

    number = fictitious_cpr(birth, female, rng=random.Random(seed))
    parsed = parse_cpr(number)
    assert parsed.birth_date == birth
    assert parsed.sex == ("F" if female else "M")
    assert int(number[6:]) >= 9000  # the test-number range, never a plausible real one


def test_personnummer_luhn_is_checked():
    assert parse_personnummer("850709-9805").birth_date == dt.date(1985, 7, 9)
    with pytest.raises(ValidationError):
        parse_personnummer("850709-9804")


def test_coordination_number_is_accepted_and_day_minus_60_is_the_birth_date():
    parsed = parse_personnummer("880380-0013")
    assert parsed.birth_date == dt.date(1988, 3, 20)
    assert parsed.number == "198803800013"


@pytest.mark.parametrize(
    ("raw", "country", "e164"),
    [("20 30 40 50", "DK", "+4520304050"), ("070-123 45 67", "SE", "+46701234567")],
)
def test_phone_numbers_are_stored_as_e164(raw, country, e164):
    assert normalise_phone(raw, country) == e164


def test_invalid_phone_gets_a_message():
    with pytest.raises(ValidationError):
        normalise_phone("12", "DK")
