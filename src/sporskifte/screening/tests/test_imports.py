import io
import json

import pytest

from sporskifte.screening.imports import households_import_file, incidents_import_file
from sporskifte.screening.models import HouseholdLink, Incident, IncidentPerson

pytestmark = pytest.mark.django_db
COLUMNS = "journalnummer;version;haendelseskode;gerningskode;tidspunkt"
HEADER = COLUMNS + ";adresse;kommunekode;cpr;navn;rolle\n"


def csv_file(rows):
    return io.BytesIO((HEADER + "".join(rows)).encode())


def row(n, municipality="0791", version=1, cpr="0101809001", role="suspect"):
    place = f"Vej {n};{municipality}"
    return f"4100-{n:05d}-25;{version};SPIRIT;;2026-06-01T22:10;{place};{cpr};;{role}\n"


def test_valid_csv_imports_incidents_with_persons(personas, district_a):
    rows = [row(1), row(1, cpr="0101809003", role="victim"), row(2)]
    result = incidents_import_file(district=district_a, stream=csv_file(rows), name="a.csv")
    assert (result.ok, result.created) == (True, 2)
    assert IncidentPerson.objects.filter(incident__journal_number="4100-00001-25").count() == 2


def test_bad_municipality_code_in_a_late_row_imports_nothing_and_names_row_and_column(
    personas, district_a, monkeypatch
):
    from sporskifte.screening import imports

    monkeypatch.setattr(imports, "BATCH", 10)  # earlier batches are written, then rolled back
    rows = [row(n) for n in range(1, 40)] + [row(40, municipality="9999")]
    result = incidents_import_file(district=district_a, stream=csv_file(rows), name="a.csv")
    assert [(e.row, e.column) for e in result.errors] == [(41, "kommunekode")]
    assert Incident.objects.count() == 0


def test_same_journal_and_version_twice_changes_nothing(personas, district_a):
    incidents_import_file(district=district_a, stream=csv_file([row(1)]), name="a.csv")
    again = incidents_import_file(district=district_a, stream=csv_file([row(1)]), name="a.csv")
    assert (again.created, again.skipped, Incident.objects.count()) == (0, 1, 1)


def test_a_new_version_replaces_the_old_in_the_screening(personas, district_a):
    incidents_import_file(district=district_a, stream=csv_file([row(1)]), name="a.csv")
    incidents_import_file(district=district_a, stream=csv_file([row(1, version=2)]), name="a.csv")
    current = Incident.objects.filter(is_current=True).values_list("version", flat=True)
    assert list(current) == [2]
    assert IncidentPerson.objects.filter(is_current=True).count() == 1


def test_json_lines_with_a_bad_identity_number_reports_its_line(personas, district_a):
    good = {
        "journal_number": "4100-1-25",
        "incident_code": "VOLD",
        "occurred_at": "2026-05-01T10:00",
        "municipality_code": "0661",
        "persons": [{"id_number": "0101809001", "role": "suspect"}],
    }
    bad = dict(good, journal_number="4100-2-25", persons=[{"id_number": "123", "role": "suspect"}])
    data = io.BytesIO((json.dumps(good) + "\n" + json.dumps(bad) + "\n").encode())
    result = incidents_import_file(district=district_a, stream=data, name="a.jsonl")
    assert [(e.row, e.column) for e in result.errors] == [(2, "id_number")]
    assert Incident.objects.count() == 0


def test_unknown_column_is_refused(personas, district_a):
    data = io.BytesIO(b"journalnummer;foo\n1;2\n")
    result = incidents_import_file(district=district_a, stream=data, name="a.csv")
    assert ("foo", "Unknown column.") in [(e.column, e.message) for e in result.errors]


def test_household_file_imports_links(personas, district_a):
    data = io.BytesIO(
        b"barn_cpr;barn_navn;voksen_cpr;adresse;kommunekode;fra;til\n"
        b"0101159002;Test;0101809001;Vej 1;0661;2024-01-01;\n"
    )
    result = households_import_file(district=district_a, stream=data, name="h.csv")
    link = HouseholdLink.objects.get()
    assert result.created == 1 and link.municipality.name == "Holstebro" and link.child_sex == "F"
