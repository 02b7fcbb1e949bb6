"""The figures as charts and as CSV/XLSX: the same suppression as the page, staff only."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sporskifte.audit.models import AuditEvent
from sporskifte.insights.charts import suppressed_bar_chart
from sporskifte.screening import services
from sporskifte.screening.models import ScreeningRun
from sporskifte.screening.tests.conftest import household, incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_hits(personas, district_a, rule):
    for n in range(3):
        adult = f"01018090{n:02d}"
        incident(district_a, adult, days_ago=40), incident(district_a, adult)
        household(district_a, adult, f"01011590{n:02d}")
    services.screening_run(
        actor=personas.screening_a, district=district_a, mode=ScreeningRun.Mode.FULL
    )


def _week_rows(rows):
    start = rows.index(["Hits per week"])
    return rows[start + 2 : start + 4]


def test_csv_shows_small_counts_as_the_page_does(personas, as_user, three_hits):
    response = as_user(personas.screening_a).get(reverse("screening:figures_export", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    week, total = _week_rows(rows)
    assert (week[1], total) == ("<5", ["Total", "<5"])  # three hits: never written as 3
    assert not any(cell == "3" for row in rows for cell in row)


def test_xlsx_has_a_sheet_per_table_with_the_same_markers(personas, as_user, three_hits):
    response = as_user(personas.screening_a).get(reverse("screening:figures_export", args=["xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:2] == ["Hits per week", "Key figures"]
    values = [c for row in book["Hits per week"].iter_rows(values_only=True) for c in row]
    assert "<5" in values and 3 not in values


def test_export_is_audited(personas, as_user, three_hits):
    as_user(personas.screening_a).get(reverse("screening:figures_export", args=["csv"]))
    assert AuditEvent.objects.filter(
        actor=personas.screening_a, action=AuditEvent.Action.EXPORT, object_id="figures"
    ).exists()


def test_export_only_for_the_districts_screening_staff(personas, as_user, three_hits):
    url = reverse("screening:figures_export", args=["csv"])
    for user in (personas.officer_a, personas.child_services_viborg, personas.officer_b):
        assert as_user(user).get(url).status_code == 404


def test_unknown_format_is_404(personas, as_user):
    url = reverse("screening:figures_export", args=["pdf"])
    assert as_user(personas.screening_a).get(url).status_code == 404


def test_a_hidden_count_gets_no_bar(personas):
    chart = suppressed_bar_chart([("Viborg", 12), ("Skive", "<5"), ("Herning", 6)])
    widths = [float(b.width) for b in chart.bars]
    assert widths[1] == 0 and widths[0] > widths[2] > 0
    assert [b.value for b in chart.bars] == ["12", "<5", "6"]


def test_the_page_draws_charts_without_inline_style(personas, as_user, three_hits):
    page = as_user(personas.screening_a).get(reverse("screening:figures")).content.decode()
    assert 'data-chart="weeks"' in page and "<svg" in page
    assert "style=" not in page and ">3<" not in page
