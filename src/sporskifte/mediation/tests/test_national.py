"""National figures for the central secretariat (a coordinator of a mediation service that
serves no one district): every district of the country side by side with the national total,
suppressed so that no hidden district figure can be worked out from the total and the others."""

from itertools import pairwise

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from sporskifte.accounts.models import Role
from sporskifte.insights.suppression import TOTAL, WITHHELD, is_hidden
from sporskifte.mediation.models import CaseFigures
from sporskifte.mediation.national import CHAINS, MEASURES, _protected_measures, national_figures
from sporskifte.organisations.models import Organisation
from sporskifte.testing.factories import district, member
from sporskifte.testing.personas import mediation_service

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1  # national figures are of finished years


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


# The six headline measures: a list of districts each, and a funnel in each district and nationally.
funnel_counts = st.integers(0, 30).flatmap(
    lambda screened: st.tuples(
        st.just(screened),
        st.integers(0, screened),
        st.integers(0, 30),
        st.integers(0, 30).flatmap(
            lambda held: st.integers(0, held).flatmap(
                lambda made: st.tuples(st.just(held), st.just(made), st.integers(0, made))
            )
        ),
    )
)


def _as_measures(t):
    screened, suitable, consented, (held, made, kept) = t
    return dict(zip(MEASURES, (screened, suitable, consented, held, made, kept), strict=True))


@given(st.lists(funnel_counts, min_size=1, max_size=5))
@settings(max_examples=300, deadline=None)
def test_no_shown_headline_figures_give_a_small_group_by_difference(drawn):
    counts = {d: _as_measures(t) for d, t in enumerate(drawn)}
    shown = _protected_measures(counts)

    lines = {d: {m: shown[m][0][d] for m in MEASURES} for d in counts}
    lines[TOTAL] = {m: shown[m][1] for m in MEASURES}
    for line in lines.values():  # each district and the nation: a funnel
        for chain in CHAINS:
            steps = [line[m] for m in chain if not is_hidden(line[m])]
            assert all(a - b == 0 or a - b >= 5 for a, b in pairwise(steps)), line
    for m in MEASURES:  # each measure: a list with its national total
        cells, total = shown[m]
        hidden = [d for d in counts if is_hidden(cells[d])]
        assert all(is_hidden(v) or v == 0 or v >= 5 for v in cells.values())
        # One hidden district beside a shown total is the total minus the others.
        assert is_hidden(total) or len(hidden) != 1, (m, cells, total)


def test_one_unsuitable_case_in_a_district_is_not_screened_minus_suitable():
    counts = {
        1: _as_measures((12, 11, 10, (9, 8, 8))),
        2: _as_measures((20, 20, 15, (12, 10, 9))),
        3: _as_measures((30, 25, 20, (15, 10, 5))),
    }
    shown = _protected_measures(counts)

    screened, suitable = shown["screened"][0][1], shown["suitable"][0][1]
    assert is_hidden(screened) or is_hidden(suitable)
    # nor from the national figures and the other districts
    for m in ("screened", "suitable"):
        assert sum(is_hidden(shown[m][0][d]) for d in counts) + is_hidden(shown[m][1]) != 1


def test_the_national_csv_and_xlsx_hold_what_the_page_shows(secretariat, counts, as_user):
    import csv
    import io

    from openpyxl import load_workbook

    from sporskifte.audit.models import AuditEvent

    client = as_user(secretariat)
    response = client.get(reverse("mediation:national_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["table", "district", "column", "value"]
    burglary = [r for r in rows if r[0] == "category" and r[2] == "Burglary and theft"]
    by_district = {r[1]: r[3] for r in burglary}
    assert by_district[counts["a"].name] == "<5"  # 3 burglaries: hidden as on the page
    assert counts["se"].name not in {r[1] for r in rows}

    book = load_workbook(io.BytesIO(client.get(reverse("mediation:national_xlsx")).content))
    xlsx = [["" if c is None else str(c) for c in row] for row in book.active.values]
    assert xlsx == rows
    exports = AuditEvent.objects.filter(purpose=AuditEvent.Purpose.FIGURES_EXPORTED)
    assert sorted(e.detail["format"] for e in exports) == ["csv", "xlsx"]


@pytest.mark.parametrize("name", ["mediation_coordinator", "officer_a", "secretariat_a"])
def test_no_one_else_downloads_the_national_figures(name, personas, counts, as_user):
    client = as_user(getattr(personas, name))
    assert client.get(reverse("mediation:national_csv")).status_code == 404
    assert client.get(reverse("mediation:national_xlsx")).status_code == 404


def test_the_open_year_is_not_shown_so_two_looks_cannot_be_subtracted(secretariat, as_user):
    now = timezone.localdate().year
    _figures("midt-vestjylland", violence=12, burglary=3)
    CaseFigures.objects.update(year=now)
    client = as_user(secretariat)

    page = client.get(reverse("mediation:national"), {"aar": now}).content.decode()
    exported = client.get(reverse("mediation:national_csv"), {"aar": now}).content.decode()

    assert f"national figures {now}" not in page and f"national figures {now - 1}" in page
    assert not [r for r in exported.splitlines()[1:] if r.split(",")[-1] not in {"0", "", WITHHELD}]


def test_days_to_meeting_per_district_from_five_meetings_and_nationally(secretariat, as_user):
    a = _figures("midt-vestjylland", violence=4)
    b = _figures("sydoestjylland", violence=10)
    CaseFigures.objects.filter(district=a).update(meeting_held=True, days_to_meeting=10)
    for i, row in enumerate(CaseFigures.objects.filter(district=b).order_by("pk")):
        row.meeting_held, row.days_to_meeting = True, 20 + i
        row.save()

    days = national_figures("DK", YEAR).days

    assert days[a.pk] == (None, None)  # four meetings tell about individuals
    assert days[b.pk] == (24.5, 28.1)
    assert days[TOTAL][0] == 22.5  # all fourteen
    rows = as_user(secretariat).get(reverse("mediation:national_csv")).content.decode()
    assert f"days,{b.name},Median,24.5" in rows and f"days,{a.name},Median,{WITHHELD}" in rows


def _running_case_last_year(world):
    """The world's case, proposed last year and not yet ended."""
    CaseFigures.objects.filter(case=world.case).update(year=YEAR)


def test_a_year_with_a_running_case_is_not_shown_nationally(secretariat, counts, world, as_user):
    _running_case_last_year(world)
    client = as_user(secretariat)
    page = client.get(reverse("mediation:national"), {"aar": YEAR}).content.decode()
    assert "data-year-running" in page and 'data-grid="category"' not in page
    assert "data-csv" not in page
    for name in ("mediation:national_csv", "mediation:national_xlsx"):
        assert client.get(reverse(name), {"aar": YEAR}).status_code == 404


def test_the_year_is_shown_nationally_once_its_last_case_has_ended(
    secretariat, personas, counts, world, as_user
):
    from sporskifte.mediation import services

    _running_case_last_year(world)
    services.case_screen(
        actor=personas.mediation_coordinator, case=world.case, suitable=False, note="Ikke egnet."
    )
    page = as_user(secretariat).get(reverse("mediation:national"), {"aar": YEAR}).content.decode()
    assert 'data-grid="category"' in page and "data-year-running" not in page
