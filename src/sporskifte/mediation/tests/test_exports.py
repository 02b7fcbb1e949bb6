"""The district's figures as XLSX next to the CSV (the same suppressed rows, audited), and the
charts on the figures page: SVG without script or inline style, no bar for a hidden count."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sporskifte.audit.models import AuditEvent
from sporskifte.mediation.models import CaseFigures

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def figures(personas, world):
    CaseFigures.objects.bulk_create(
        CaseFigures(district=world.case.district, year=YEAR, source="school", category=cat)
        for cat, n in (("violence", 30), ("burglary", 2), ("threats", 9))
        for _ in range(n)
    )


def test_the_xlsx_holds_the_csvs_rows(personas, figures, as_user):
    client = as_user(personas.mediation_coordinator)
    csv_rows = client.get(reverse("mediation:figures_csv")).content.decode().splitlines()
    response = client.get(reverse("mediation:figures_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    xlsx_rows = [",".join("" if c is None else str(c) for c in row) for row in sheet.values]
    assert xlsx_rows == csv_rows
    assert ["offence_category", "burglary", "<5"] in [list(r) for r in sheet.values]


def test_each_export_is_audited_with_its_format(personas, figures, as_user):
    client = as_user(personas.mediation_coordinator)
    client.get(reverse("mediation:figures_xlsx"))
    [row] = AuditEvent.objects.filter(purpose=AuditEvent.Purpose.FIGURES_EXPORTED)
    assert row.detail == {"format": "xlsx"} and row.actor == personas.mediation_coordinator


@pytest.mark.parametrize("name", ["mediator", "officer_a", "admin_a", "secretariat_a"])
def test_no_one_else_downloads_the_xlsx(name, personas, figures, as_user):
    assert (
        as_user(getattr(personas, name)).get(reverse("mediation:figures_xlsx")).status_code == 404
    )


def test_the_other_districts_coordinator_gets_their_own_figures(world, figures, as_user):
    sheet = load_workbook(
        io.BytesIO(as_user(world.se_coordinator).get(reverse("mediation:figures_xlsx")).content)
    ).active
    assert ["offence_category", "violence", 0] in [list(r) for r in sheet.values]


def test_the_charts_draw_no_bar_for_a_hidden_count(personas, figures, as_user):
    page = as_user(personas.mediation_coordinator).get(reverse("mediation:figures")).content
    html = page.decode()
    assert 'data-chart="category"' in html and "<svg" in html
    assert "<script" not in html.split("<main", 1)[-1] and ' style="' not in html
    chart = html.split('data-chart="category"', 1)[1].split("</figure>", 1)[0]
    wide = chart.split("chart-narrow", 1)[0].split("</title>", 1)[1]
    bars = wide.count("<rect")
    assert bars == 7  # one per kind of offence
    burglary = wide.split("Burglary and theft", 1)[1].split('class="chart-label"', 1)[0]
    assert 'width="0.0"' in burglary and "&lt;5" in burglary  # shown as <5, no bar
    violence = wide.split("Violence", 1)[1].split('class="chart-label"', 1)[0]
    assert 'width="560.0"' in violence and ">31<" in violence  # 30 and the world's case
