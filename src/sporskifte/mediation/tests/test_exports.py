"""The district's figures as XLSX next to the CSV (the same suppressed rows, audited), and the
charts on the figures page: SVG without script or inline style, no bar for a hidden count."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sporskifte.audit.models import AuditEvent
from sporskifte.insights.suppression import WITHHELD
from sporskifte.mediation.models import CaseFigures

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1  # a year still open shows no breakdown


@pytest.fixture
def figures(personas, world):
    CaseFigures.objects.bulk_create(
        CaseFigures(district=world.case.district, year=YEAR, source="school", category=cat)
        for cat, n in (("violence", 30), ("burglary", 2), ("threats", 9))
        for _ in range(n)
    )


def test_the_xlsx_holds_the_csvs_rows(personas, figures, as_user):
    client = as_user(personas.mediation_coordinator)
    csv_rows = client.get(reverse("mediation:figures_csv"), {"aar": YEAR}).content.decode()
    response = client.get(reverse("mediation:figures_xlsx"), {"aar": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    xlsx_rows = [",".join("" if c is None else str(c) for c in row) for row in sheet.values]
    assert xlsx_rows == csv_rows.splitlines()
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
        io.BytesIO(
            as_user(world.se_coordinator)
            .get(reverse("mediation:figures_xlsx"), {"aar": YEAR})
            .content
        )
    ).active
    assert ["offence_category", "violence", 0] in [list(r) for r in sheet.values]


def test_the_charts_draw_no_bar_for_a_hidden_count(personas, figures, as_user):
    client = as_user(personas.mediation_coordinator)
    html = client.get(reverse("mediation:figures"), {"aar": YEAR}).content.decode()
    assert 'data-chart="category"' in html and "<svg" in html and "data-year-open" not in html
    assert "<script" not in html.split("<main", 1)[-1] and ' style="' not in html
    chart = html.split('data-chart="category"', 1)[1].split("</figure>", 1)[0]
    wide = chart.split("chart-narrow", 1)[0].split("</title>", 1)[1]
    bars = wide.count("<rect")
    assert bars == 7  # one per kind of offence
    burglary = wide.split("Burglary and theft", 1)[1].split('class="chart-label"', 1)[0]
    assert 'width="0.0"' in burglary and "&lt;5" in burglary  # shown as <5, no bar
    violence = wide.split("Violence", 1)[1].split('class="chart-label"', 1)[0]
    assert 'width="560.0"' in violence and ">30<" in violence


def test_a_year_still_open_withholds_its_breakdowns_and_says_why(personas, world, as_user):
    CaseFigures.objects.bulk_create(
        CaseFigures(district=world.case.district, year=YEAR + 1, source="school", category=cat)
        for cat, n in (("violence", 30), ("burglary", 2))
        for _ in range(n)
    )
    client = as_user(personas.mediation_coordinator)
    html = client.get(reverse("mediation:figures"), {"aar": YEAR + 1}).content.decode()
    assert "data-year-open" in html and "data-chart=" not in html
    rows = client.get(reverse("mediation:figures_csv"), {"aar": YEAR + 1}).content.decode()
    breakdowns = [r for r in rows.splitlines() if r.startswith(("source,", "offence_category,"))]
    assert breakdowns and all(r.endswith(f",{WITHHELD}") for r in breakdowns)
    assert "headline,proposals,33" in rows  # 32 and the world's case


def test_a_finished_year_with_a_running_case_withholds_its_later_steps(personas, world, as_user):
    from sporskifte.mediation import services
    from sporskifte.mediation.figures import district_figures

    CaseFigures.objects.filter(case=world.case).update(year=YEAR)
    CaseFigures.objects.bulk_create(
        CaseFigures(district=world.case.district, year=YEAR, source="school", suitable=True)
        for _ in range(12)
    )
    f = district_figures(world.case.district_id, YEAR)
    assert f.year_open and f.headline["suitable"] == WITHHELD and f.headline["proposals"] == 13
    page = as_user(personas.mediation_coordinator).get(reverse("mediation:figures"), {"aar": YEAR})
    assert b"are still running" in page.content
    services.case_screen(
        actor=personas.mediation_coordinator, case=world.case, suitable=False, note="Ikke egnet."
    )
    f = district_figures(world.case.district_id, YEAR)
    assert not f.year_open and f.headline["suitable"] == 12
