"""The figures filter as a director meets it (issue 9): the few common fields in view, the rest
folded until one of them is used, and "A year" meaning this year until another is typed."""

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

REPORT = reverse("insights:report")


def _folded(html: str) -> str:
    return html[html.index("data-more-filters") :].split("</details>")[0]


def test_rarely_used_filters_are_folded_and_the_common_ones_are_not(personas, world, as_user):
    html = as_user(personas.officer_a).get(REPORT).content.decode()
    folded = _folded(html)

    assert 'name="offence"' in folded and 'name="sex"' in folded
    assert 'name="programme"' not in folded and 'name="period"' not in folded
    assert "data-more-filters open" not in html


def test_a_folded_filter_in_use_opens_the_fold(personas, world, as_user):
    html = as_user(personas.officer_a).get(REPORT, {"sex": "female"}).content.decode()

    assert "data-more-filters open" in html


def test_a_year_means_this_year_until_another_is_chosen(personas, world, as_user):
    response = as_user(personas.officer_a).get(REPORT, {"period": "year"})
    html = response.content.decode()

    assert response.status_code == 200
    assert f'name="year" value="{timezone.localdate().year}"' in html
    assert "Fill this in for the period you chose." not in html


# A case by its journal number --------------------------------------------------------------


def _case_with_one_yes(world, number: str, programme=None):
    from sporskifte.referrals.models import Offer
    from sporskifte.testing.factories import CaseFactory

    programme = programme or world.programme
    case = CaseFactory(programme=programme, journal_number=number)
    world.answer(world.offer(programme=programme, case=case), Offer.Answer.YES)
    return case


def test_an_officer_narrows_the_figures_to_a_case_by_its_journal_number(personas, world, as_user):
    case = _case_with_one_yes(world, "4100-12345-00001-26")
    world.funnel_people(yes=6, first=0, further=0, no=4)
    web = as_user(personas.officer_a)

    by_number = web.get(REPORT, {"journal_number": " 4100-12345-00001-26 "}).context
    by_id = web.get(REPORT, {"case": case.pk}).context

    assert by_number["report"].steps[0].count == 1  # the case's one offer, not all eleven
    assert [r.count for r in by_number["report"].steps] == [r.count for r in by_id["report"].steps]
    # Opened by its id (an API address), the case is shown, and sent again, by its number.
    assert by_id["form"]["journal_number"].value() == "4100-12345-00001-26"
    assert 'name="case"' not in web.get(REPORT, {"case": case.pk}).content.decode()


def test_a_case_asked_by_its_id_is_looked_up_once(personas, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sporskifte.insights.forms import FilterForm
    from sporskifte.insights.selectors import insight_scope

    case = _case_with_one_yes(world, "4100-12345-00003-26")
    with CaptureQueriesContext(connection) as queries:
        form = FilterForm(
            {"case": str(case.pk)},
            scope=insight_scope(personas.officer_a),
            programmes=[world.programme],
        )
        assert form.is_valid(), form.errors
    assert form.cleaned_data["case"] == case.pk
    assert form["journal_number"].value() == "4100-12345-00003-26"
    cases = [q["sql"] for q in queries.captured_queries if '"referrals_case"' in q["sql"]]
    assert len(cases) == 1, cases


def test_a_journal_number_outside_the_officers_programmes_is_the_same_error_as_none(
    personas, world, as_user
):
    from sporskifte.testing.factories import CaseFactory, ProgrammeFactory, district

    other = ProgrammeFactory(police_district=district("sydoestjylland"))
    theirs = CaseFactory(programme=other, journal_number="4200-00000-00009-26")
    web = as_user(personas.officer_a)

    answers = [
        web.get(REPORT, {"journal_number": "4200-00000-00009-26"}),
        web.get(REPORT, {"journal_number": "4100-99999-99999-26"}),
    ]
    for response in answers:
        assert response.context["report"] is None
        assert response.context["form"].errors["journal_number"] == [
            "No case with this journal number in the programmes you can see."
        ]
    by_id = web.get(REPORT, {"case": theirs.pk})
    assert by_id.context["report"] is None
    assert "case" in by_id.context["form"].errors


def test_the_page_does_not_list_the_cases_and_asks_the_same_queries_for_many(
    personas, world, as_user, django_assert_max_num_queries
):
    """A district has thousands of cases: the form once listed every one as an option."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sporskifte.testing.factories import CaseFactory

    web = as_user(personas.officer_a)
    CaseFactory(programme=world.programme, journal_number="4100-00000-00001-26")
    web.get(REPORT)
    with CaptureQueriesContext(connection) as few:
        web.get(REPORT)
    CaseFactory.create_batch(40, programme=world.programme)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = web.get(REPORT).content.decode()
    assert "4100-00000-00001-26" not in html
    assert 'name="journal_number"' in html
