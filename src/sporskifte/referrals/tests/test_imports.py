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
    data = "\n".join(["navn,kommunekode,gerningsdato", "Kim Test,791,2025-01-02"]).encode()
    result = case_import_suspects(actor=personas.officer_a, case=world.case_a, data=data)
    assert result.ok and result.created == 1


def test_a_file_saved_by_danish_excel_in_windows_1252_is_read(personas, world):
    # Excel's plain "CSV (semikolonsepareret)": Windows-1252, semicolons, CRLF, no BOM.
    data = (
        "navn;fødselsdato;kommunekode;gerningsdato\r\nSøren Ærø Åberg;03-04-1990;791;02-01-2025\r\n"
    )
    result = case_import_suspects(
        actor=personas.officer_a, case=world.case_a, data=data.encode("cp1252")
    )
    assert result.ok and result.created == 1
    assert Person.objects.filter(full_name="Søren Ærø Åberg").exists()


def test_utf8_with_and_without_bom_read_the_same(personas, world):
    text = "navn;gerningsdato\nSøren Ærø;2025-01-02\n"
    for data in (text.encode(), ("\ufeff" + text).encode()):
        people, errors = parse_suspects(data=data, police_district_id=1)
        assert not errors and people[0][0].full_name == "Søren Ærø"


def test_a_file_that_is_no_text_gets_a_clear_message(personas, world):
    data = b"navn;gerningsdato\n\x81\x8d;2025-01-02\n"  # bytes Windows-1252 leaves undefined
    _, errors = parse_suspects(data=data, police_district_id=1)
    assert errors[0].row == 0 and "UTF-8" in errors[0].message


def test_the_template_downloads_with_the_columns_the_import_reads(personas, as_user):
    from django.urls import reverse

    response = as_user(personas.officer_a).get(reverse("referrals:case_import_template"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads æøå right
    header = response.content.decode("utf-8-sig").strip().split(";")
    assert header == ["navn", "id_type", "id_nummer", "fødselsdato", "telefon", "kommunekode",
                      "gerningsdato"]  # fmt: skip


def test_a_swedish_template_has_swedish_columns_and_imports(stockholm, as_user):
    from django.urls import reverse

    from sporskifte.testing.factories import CaseFactory

    template = as_user(stockholm.officer).get(reverse("referrals:case_import_template")).content
    header = template.decode("utf-8-sig").strip()
    assert header == "namn;id_typ;id_nummer;födelsedatum;telefon;kommunkod;brottsdatum"
    case = CaseFactory(
        programme=stockholm.programme,
        offence=stockholm.programme.offences.get(),
        journal_number="5000-K000001-26",
    )
    rows = header + "\r\nÅsa Öberg;;;;;0180;2025-01-02\r\nPer Lind;;;;;9999;2025-01-02\r\n"
    result = case_import_suspects(actor=stockholm.officer, case=case, data=rows.encode("cp1252"))
    assert [(e.row, e.column) for e in result.errors] == [(3, "kommunkod")]


def test_other_police_and_partners_get_no_template(personas, as_user):
    from django.urls import reverse

    url = reverse("referrals:case_import_template")
    assert as_user(personas.counsellor_a).get(url).status_code == 404


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
