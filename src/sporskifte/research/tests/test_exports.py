"""What may and may not be in an extract, checked in every file a researcher can download."""

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sporskifte.research import services
from sporskifte.research.catalogue import coarsen
from sporskifte.research.models import ResearchProject
from sporskifte.research.tests.conftest import ALL_FIELDS, make_project, register_person

pytestmark = pytest.mark.django_db


def _downloads(client, project) -> dict[str, str]:
    """Every file a researcher can get for the project, as text (XLSX: every part of the zip)."""
    files = {}
    for name in ("extract_csv", "dictionary_csv", "dictionary"):
        response = client.get(reverse(f"research:{name}", args=[project.pk]))
        assert response.status_code == 200, name
        files[name] = response.content.decode()
    response = client.get(reverse("research:extract_xlsx", args=[project.pk]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        files["extract_xlsx"] = "\n".join(
            archive.read(part).decode() for part in archive.namelist()
        )
    return files


def _identifiers(world) -> list[str]:
    found = list(world.journal_numbers)
    for person in world.people:
        n = person.id_number
        found += [
            person.full_name,
            n,
            f"{n[:6]}-{n[6:]}",
            person.phone,  # E.164
            person.phone.removeprefix("+45"),  # national
            person.email,
        ]
    return found


def _birth_dates(world) -> list[str]:
    found = []
    for person in world.people:
        b = person.birth_date
        found += [b.isoformat(), f"{b:%d-%m-%Y}", f"{b:%d.%m.%Y}", f"{b:%d/%m/%Y}"]
    return found


def test_no_export_contains_a_name_number_phone_email_or_journal_number(world, as_user):
    assert all(p.phone.startswith("+45") and p.id_number for p in world.people)
    project = make_project(world, fields=ALL_FIELDS, coarsening=ResearchProject.Coarsening.DAY)
    files = _downloads(as_user(world.personas.researcher), project)
    assert len(files["extract_csv"].splitlines()) == len(world.offers) + 1
    for name, text in files.items():
        for value in _identifiers(world):
            assert value not in text, f"{value!r} found in {name}"


def test_birth_date_never_appears_only_the_year(world, as_user):
    project = make_project(world, fields=ALL_FIELDS, coarsening=ResearchProject.Coarsening.DAY)
    files = _downloads(as_user(world.personas.researcher), project)
    for name, text in files.items():
        for value in _birth_dates(world):
            assert value not in text, f"{value!r} found in {name}"
    rows = list(csv.DictReader(io.StringIO(files["extract_csv"])))
    assert sorted(int(r["birth_year"]) for r in rows) == sorted(
        p.birth_date.year for p in world.people
    )


def test_only_approved_fields_appear(world, as_user):
    project = make_project(world, fields=["municipality_code", "answer"])
    client = as_user(world.personas.researcher)
    response = client.get(reverse("research:extract_csv", args=[project.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["pseudonym", "municipality_code", "answer"]
    assert {len(r) for r in rows} == {3}
    assert {r[1] for r in rows[1:]} == {"0791"}
    response = client.get(reverse("research:extract_xlsx", args=[project.pk]))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True)["extract"]
    header = next(sheet.iter_rows(values_only=True))
    assert list(header) == ["pseudonym", "municipality_code", "answer"]
    dictionary = client.get(reverse("research:dictionary_csv", args=[project.pk]))
    columns = [r["column"] for r in csv.DictReader(io.StringIO(dictionary.content.decode()))]
    assert columns == ["pseudonym", "municipality_code", "answer"]


def test_dates_are_coarsened_as_approved(world):
    for level, pattern in (
        (ResearchProject.Coarsening.WEEK, r"^\d{4}-W\d{2}$"),
        (ResearchProject.Coarsening.MONTH, r"^\d{4}-\d{2}$"),
        (ResearchProject.Coarsening.QUARTER, r"^\d{4}-Q[1-4]$"),
    ):
        project = make_project(world, fields=["offered_date", "referred_date"], coarsening=level)
        extract = services.research_extract_build(
            actor=world.personas.researcher, project=project, file_format="csv"
        )
        values = [v for row in extract.rows for v in row[1:] if v]
        assert values and all(re.match(pattern, v) for v in values), level


def test_coarsen_follows_iso_weeks_and_quarters():
    day = dt.date(2027, 1, 1)  # a Friday in ISO week 53 of 2026
    assert coarsen(day, "day") == "2027-01-01"
    assert coarsen(day, "week") == "2026-W53"
    assert coarsen(day, "month") == "2027-01"
    assert coarsen(dt.date(2026, 11, 30), "quarter") == "2026-Q4"


def test_step_times_come_from_the_referral_milestones(world):
    project = make_project(
        world,
        fields=["answer", "days_to_first_contact", "contacted_within_deadline", "last_step"],
    )
    extract = services.research_extract_build(
        actor=world.personas.researcher, project=project, file_format="csv"
    )
    rows = [dict(zip(extract.columns, r, strict=True)) for r in extract.rows]
    referred = [r for r in rows if r["answer"] == "yes"]
    assert len(referred) == 6
    for r in referred:
        assert r["days_to_first_contact"] == 0
        assert r["contacted_within_deadline"] == "yes"
        assert r["last_step"] == "first_conversation"
    for r in rows:
        if r["answer"] != "yes":
            assert r["days_to_first_contact"] is None
            assert r["contacted_within_deadline"] == r["last_step"] == ""


def test_only_offers_of_the_projects_programmes_and_period(world):
    register_person(world, 100, programme=world.other_programme)
    register_person(world, 101, programme=world.programme_b)
    old = register_person(world, 102)
    old.__class__.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=400)
    )
    project = make_project(world, fields=["programme"])
    extract = services.research_extract_build(
        actor=world.personas.researcher, project=project, file_format="csv"
    )
    assert len(extract.rows) == len(world.offers) - 3
    assert {r[1] for r in extract.rows} == {"Skift spor"}


def test_formula_like_text_is_defused(world, as_user):
    world.programme.name = "=HYPERLINK(1)"
    world.programme.save(update_fields=["name"])
    project = make_project(world, fields=["programme"])
    response = as_user(world.personas.researcher).get(
        reverse("research:extract_csv", args=[project.pk])
    )
    assert "'=HYPERLINK(1)" in response.content.decode()
