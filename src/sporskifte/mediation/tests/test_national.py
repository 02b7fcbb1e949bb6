"""National figures for the central secretariat (a coordinator of a mediation service that
serves no one district): every district of the country side by side with the national total,
suppressed so that no hidden district figure can be worked out from the total and the others."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sporskifte.accounts.models import Role
from sporskifte.insights.suppression import TOTAL, is_hidden
from sporskifte.mediation.models import CaseFigures
from sporskifte.mediation.national import national_figures
from sporskifte.organisations.models import Organisation
from sporskifte.testing.factories import district, member
from sporskifte.testing.personas import mediation_service

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def secretariat():
    office = Organisation.objects.create(
        name="Sekretariatet for konfliktråd",
        slug="konfliktraad-sekretariat",
        kind=Organisation.Kind.MEDIATION_SERVICE,
        country="DK",
    )
    return member("sekretariat", office, Role.MEDIATION_COORDINATOR)


def _figures(slug, **categories):
    d = district(slug)
    mediation_service(d)
    CaseFigures.objects.bulk_create(
        CaseFigures(district=d, year=YEAR, source="police", category=cat, meeting_held=i % 2 == 0)
        for cat, n in categories.items()
        for i in range(n)
    )
    return d


@pytest.fixture
def counts(personas):
    return {
        "a": _figures("midt-vestjylland", violence=12, burglary=3, threats=9),
        "b": _figures("sydoestjylland", violence=20, burglary=10, threats=6),
        "c": _figures("fyn", violence=7, burglary=8, threats=5),
        "se": _figures("polisregion-stockholm", violence=40),
    }


def _grid_positions(t):
    rows, cols = [*t.rows, TOTAL], [*t.cols, TOTAL]
    return rows, cols


def test_a_hidden_district_cell_is_not_the_total_minus_the_others(counts):
    t = national_figures("DK", YEAR).by_category
    small = t.cells[(counts["a"].pk, "burglary")]
    assert is_hidden(small)
    rows, cols = _grid_positions(t)
    for r in t.rows:
        for c in t.cols:
            if not is_hidden(t.at(r, c)):
                continue
            # Another hidden figure in its column (the national line included) and in its row
            # (the district's total included): neither line can be solved for it.
            assert sum(is_hidden(t.at(x, c)) for x in rows) >= 2, (r, c)
            assert sum(is_hidden(t.at(r, y)) for y in cols) >= 2, (r, c)


def test_the_national_total_of_a_column_is_the_sum_of_the_districts(counts):
    t = national_figures("DK", YEAR).by_category
    assert t.col_totals["violence"] == 39


def test_a_districts_proposals_are_hidden_alike_in_every_table(counts):
    n = national_figures("DK", YEAR)
    for d in (counts["a"], counts["b"], counts["c"]):
        shown = {is_hidden(x.row_totals[d.pk]) for x in (n.proposals, n.by_category, n.by_age)}
        assert len(shown) == 1


def test_only_the_countrys_districts_are_counted(counts):
    n = national_figures("DK", YEAR)
    assert counts["se"].pk not in {d.pk for d in n.districts}
    assert n.proposals.grand_total == 12 + 3 + 9 + 20 + 10 + 6 + 7 + 8 + 5


def test_the_secretariat_reads_the_national_page(secretariat, counts, as_user):
    client = as_user(secretariat)
    assert client.get(reverse("mediation:queue"))["Location"] == reverse("mediation:national")
    page = client.get(reverse("mediation:national")).content.decode()
    assert counts["b"].name in page and counts["se"].name not in page
    assert 'data-grid="category"' in page


def test_the_secretariat_opens_no_case(secretariat, personas, world, as_user):
    client = as_user(secretariat)
    assert client.get(reverse("mediation:case_detail", args=[world.case.pk])).status_code == 404
    assert client.get(reverse("mediation:figures")).status_code == 404
    assert client.get(reverse("mediation:settings")).status_code == 404


@pytest.mark.parametrize(
    "name", ["mediation_coordinator", "mediator", "officer_a", "admin_a", "secretariat_a"]
)
def test_no_one_else_reads_the_national_figures(name, personas, counts, as_user):
    client = as_user(getattr(personas, name))
    assert client.get(reverse("mediation:national")).status_code == 404


def test_a_coordinator_under_a_district_is_not_the_secretariat(counts, as_user):
    # The rule is the missing district (parent), not the role alone.
    user = member("kreds-koordinator", mediation_service(counts["a"]), Role.MEDIATION_COORDINATOR)
    assert as_user(user).get(reverse("mediation:national")).status_code == 404


def test_the_page_costs_the_same_queries_with_more_districts(
    secretariat, counts, as_user, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(secretariat)
    client.get(reverse("mediation:national"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("mediation:national"))
    _figures("nordjylland", violence=9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("mediation:national"))
