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
