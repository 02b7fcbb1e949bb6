import datetime as dt
import random

import pytest
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sporskifte.audit.models import AuditEvent
from sporskifte.people.models import Person
from sporskifte.referrals.imports import case_import_suspects, parse_suspects
from sporskifte.referrals.models import Offer
from sporskifte.testing.factories import fictitious_cpr

pytestmark = pytest.mark.django_db
HEADER = "navn;id_type;id_nummer;fødselsdato;telefon;kommunekode;gerningsdato"


def _rows(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        birth = dt.date(1970 + rng.randrange(35), 1 + rng.randrange(12), 1 + rng.randrange(28))
        cpr = fictitious_cpr(birth, female=bool(i % 2), rng=rng)
        today = f"{timezone.localdate():%Y-%m-%d}"
        rows.append(f"Testperson {i};cpr;{cpr[:6]}-{cpr[6:]};;+45 2{1234000 + i};791;{today}")
    return rows


def _csv(rows: list[str], header: str = HEADER) -> bytes:
    return ("\ufeff" + "\n".join([header, *rows]) + "\n").encode()


def test_hundred_suspects_import_with_an_audit_row_each(personas, world):
    result = case_import_suspects(
        actor=personas.investigator_a, case=world.case_a, data=_csv(_rows(100))
    )
    assert result.ok and result.created == 100
    offers = Offer.objects.filter(case=world.case_a, answer=Offer.Answer.NOT_ASKED)
    assert offers.count() == 100 + 1  # plus the world's own not-asked offer
    assert AuditEvent.objects.filter(purpose=AuditEvent.Purpose.SUSPECT_IMPORTED).count() == 100
    assert Person.objects.filter(full_name="Testperson 7").get().home_municipality.name == "Viborg"


def test_one_bad_row_imports_nothing_and_names_row_and_column(personas, world):
    rows = _rows(10)
    rows[4] = rows[4].replace(";791;", ";9999;")
    before = (Offer.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    with translation.override("da"):
        result = case_import_suspects(actor=personas.officer_a, case=world.case_a, data=_csv(rows))
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(6, "kommunekode")]
    assert (Offer.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before


def test_every_error_is_listed_not_just_the_first(personas, world):
    rows = _rows(5)
    rows[0] = rows[0].replace(";cpr;", ";pas;")
    rows[3] = "Uden dato;;;;;791;ikke-en-dato"
    result = parse_suspects(data=_csv(rows), police_district_id=world.case_a.police_district_id)
    assert {(e.row, e.column) for e in result[1]} >= {(2, "id_type"), (5, "gerningsdato")}


def test_missing_column_is_reported_on_the_header_row(personas, world):
    _, errors = parse_suspects(data=_csv(["Navn uden dato"], header="navn"), police_district_id=1)
    assert [(e.row, e.column) for e in errors] == [(1, "gerningsdato")]


def test_same_person_twice_in_one_file_is_an_error(personas, world):
    rows = _rows(3)
    rows.append(rows[0].replace("Testperson 0", "Dublet"))
    _, errors = parse_suspects(data=_csv(rows), police_district_id=1)
    assert [(e.row, e.column) for e in errors] == [(5, "id_nummer")]


def test_comma_separated_file_without_bom_is_read(personas, world):
    data = "\n".join(["navn,gerningsdato", "Kim Test,2025-01-02"]).encode()
    result = case_import_suspects(actor=personas.officer_a, case=world.case_a, data=data)
    assert result.ok and result.created == 1


def test_non_utf8_file_gets_a_clear_message(personas, world):
    data = "navn;gerningsdato\nSøren;2025-01-02\n".encode("latin-1")
    _, errors = parse_suspects(data=data, police_district_id=1)
    assert errors[0].row == 0 and "UTF-8" in errors[0].message


def test_other_district_cannot_import_into_case(personas, world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        case_import_suspects(actor=personas.officer_b, case=world.case_a, data=_csv(_rows(1)))


COLUMNS = ["id_type", "id_nummer", "fødselsdato", "telefon", "kommunekode", "gerningsdato"]
BAD_VALUES = {
    "id_type": "pas",
    "id_nummer": "3113991234",  # 31 November does not exist
    "fødselsdato": "i går",
    "telefon": "12",
    "kommunekode": "0000",
    "gerningsdato": "2999-01-01",
}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(n=st.integers(min_value=1, max_value=30), data=st.data())
def test_any_single_bad_cell_imports_nothing(personas, world, n, data):
    rows = _rows(n, seed=n)
    bad_row = data.draw(st.integers(min_value=0, max_value=n - 1))
    column = data.draw(st.sampled_from(COLUMNS))
    cells = rows[bad_row].split(";")
    position = HEADER.split(";").index(column)
    cells[position] = BAD_VALUES[column]
    if column == "id_nummer":
        cells[1] = "cpr"
    rows[bad_row] = ";".join(cells)
    before = Offer.objects.count()
    result = case_import_suspects(actor=personas.officer_a, case=world.case_a, data=_csv(rows))
    assert not result.ok
    assert (bad_row + 2, column) in {(e.row, e.column) for e in result.errors}
    assert Offer.objects.count() == before
