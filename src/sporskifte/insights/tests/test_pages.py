import csv
import io
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from sporskifte.api.tests.conftest import client_for, issue_token, stop_api_clocks
from sporskifte.audit.models import AuditEvent
from sporskifte.insights import published
from sporskifte.insights.selectors import insight_scope, programmes_for_insights
from sporskifte.people.models import Person
from sporskifte.testing.factories import ProgrammeFactory, district

pytestmark = pytest.mark.django_db

REPORT = reverse("insights:report")
EXPORT = reverse("insights:export")


def _get(client, url, **params):
    return client.get(url, params)


@pytest.fixture
def programme_b(personas):
    return ProgrammeFactory(name="Sydøst-programmet", police_district=district("sydoestjylland"))


def test_officer_of_district_b_gets_404_for_district_a_programme(
    personas, world, programme_b, as_user
):
    client = as_user(personas.officer_b)
    assert _get(client, REPORT, programme=world.programme.pk).status_code == 404
    assert _get(client, EXPORT, programme=world.programme.pk, format="csv").status_code == 404
    page = client.get(REPORT).content.decode()
    assert "Sydøst-programmet" in page
    assert "Skift spor" not in page


def test_officer_of_district_a_sees_full_figures(personas, world, as_user):
    world.funnel_people(yes=3, first=2, further=1, no=1)
    response = _get(as_user(personas.officer_a), REPORT, programme=world.programme.pk)
    assert response.status_code == 200
    report = response.context["report"]
    assert not report.suppressed
    assert [r.count for r in report.steps] == [4, 3, 3, 2, 2, 1]


@pytest.mark.parametrize("persona", ["researcher", "sysadmin"])
def test_others_get_404(persona, personas, world, as_user):
    world.funnel_people(yes=1, first=0, further=0)
    client = as_user(getattr(personas, persona))
    assert client.get(REPORT).status_code == 404
    assert _get(client, EXPORT, format="csv").status_code == 404


def test_partner_without_referrals_sees_no_programme(personas, world, as_user):
    world.funnel_people(yes=2, first=1, further=0)
    report = as_user(personas.ngo).get(REPORT).context["report"]
    assert report.programmes == []
    assert report.steps[0].count == 0


def test_scope_denies_by_default(personas, world):
    assert insight_scope(personas.researcher) is None
    assert not programmes_for_insights(personas.researcher).exists()
    assert list(programmes_for_insights(personas.officer_a)) == [world.programme]


def test_anonymous_user_is_sent_to_log_in(world):
    response = Client().get(REPORT)
    assert response.status_code == 302
    assert "/konto/" in response["Location"]


def test_council_member_sees_only_their_residents_and_only_suppressed(personas, world, as_user):
    world.funnel_people(yes=12, first=7, further=3, home="Viborg")
    world.funnel_people(yes=9, first=9, further=9, home="Herning")
    world.round_all("down")
    response = as_user(personas.council_member).get(REPORT)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.suppressed
    counts = {r.key: r.count for r in report.steps}
    assert counts["offered"] == 10  # Viborg's 12 residents only, rounded
    assert counts["further_sessions"] == "<5"
    assert counts["first_conversation"] == 5
    assert "municipality" not in response.context["form"].fields  # fixed to their own


def test_council_member_cannot_widen_to_another_municipality(personas, world, as_user):
    world.funnel_people(yes=9, first=9, further=9, home="Herning")
    herning = world.offer(home="Herning").home_municipality_id
    response = _get(as_user(personas.council_member), REPORT, municipality=herning)
    assert response.context["report"].steps[0].count == "<5"  # not Herning's 10


def test_partner_sees_only_referrals_routed_to_it(personas, world, as_user):
    world.funnel_people(yes=6, first=5, further=0, home="Viborg")
    world.funnel_people(yes=7, first=7, further=7, home="Herning")
    report = as_user(personas.counsellor_b).get(REPORT).context["report"]
    assert report.steps[0].key == "referred"
    assert {r.key: r.count for r in report.steps}["referred"] == 7
    assert not report.prevention
    assert report.trend_series == ("yes", "first_conversation")
    assert report.trend[-1].values == {"yes": 7, "first_conversation": 7}


def test_public_page_needs_no_login_suppresses_and_shows_no_person(personas, world):
    referrals = world.funnel_people(yes=13, first=8, further=2, no=6)
    world.round_all("down")
    response = Client().get(reverse("insights:public", args=[world.programme.pk]))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.suppressed
    assert {r.key: r.count for r in report.steps}["further_sessions"] == "<5"
    html = response.content.decode()
    for person in Person.objects.filter(offers__referral__in=referrals):
        for value in (person.full_name, person.id_number, person.id_display, person.phone):
            assert value not in html


def test_public_page_only_for_active_programmes(personas, world):
    world.programme.is_active = False
    world.programme.save()
    assert Client().get(reverse("insights:public", args=[world.programme.pk])).status_code == 404


def test_page_has_accessible_charts_and_no_inline_styles(personas, world, as_user):
    world.funnel_people(yes=3, first=2, further=1, no=1)
    html = as_user(personas.officer_a).get(REPORT).content.decode()
    assert "style=" not in html
    assert "<script>" not in html
    for chart in ("funnel", "trend"):
        for width in ("wide", "narrow"):  # one drawing per screen size; CSS shows one
            assert f'aria-labelledby="{chart}-title-{width} {chart}-desc-{width}"' in html
            assert f'<title id="{chart}-title-{width}">' in html
            assert f'<desc id="{chart}-desc-{width}">' in html
    assert 'id="funnel-table"' in html and 'id="trend-table"' in html
    # SVG numbers never get the Danish decimal comma.
    for attr in re.findall(r' (?:width|y|x|cx|cy)="([^"]*)"', html):
        assert "," not in attr


def test_page_queries_do_not_grow_with_the_data(personas, world, as_user):
    client = as_user(personas.officer_a)
    client.get(REPORT)
    world.funnel_people(yes=6, first=3, further=1, no=4)
    with CaptureQueriesContext(connection) as few:
        assert client.get(REPORT).status_code == 200
    world.funnel_people(yes=60, first=30, further=10, no=30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(REPORT).status_code == 200
    assert len(many) == len(few)


def test_invalid_period_says_what_is_missing(personas, world, as_user):
    response = _get(as_user(personas.officer_a), REPORT, period="month", year="2025")
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "month" in response.context["form"].errors


def test_csv_export_has_the_figures_and_is_audited_without_a_person(personas, world, as_user):
    world.funnel_people(yes=3, first=2, further=1, no=1)
    response = _get(as_user(personas.officer_a), EXPORT, format="csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Offered help", "4", "", "", ""] in rows
    assert ["First conversation held", "2", "100", "50", "67"] in rows  # 67: of the 3 yes
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, actor=personas.officer_a)
    assert event.person_id is None
    assert event.detail["suppressed"] is False


def test_xlsx_export_for_council_member_is_suppressed(personas, world, as_user):
    world.funnel_people(yes=12, first=7, further=3)
    world.round_all("down")
    response = _get(as_user(personas.council_member), EXPORT, format="xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    values = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert "<5" in values
    assert 3 not in values
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, actor=personas.council_member, person_id=None
    ).exists()


def test_export_needs_a_known_format(personas, world, as_user):
    response = _get(as_user(personas.officer_a), EXPORT, format="pdf")
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_api_gives_the_same_figures_as_the_page(personas, world, as_user):
    world.funnel_people(yes=3, first=2, further=1, no=1)
    api = client_for(issue_token("midt-vestjylland", "officer"))
    response = api.get(reverse("v1:insights-funnel"), {"programme": world.programme.pk})
    assert response.status_code == 200
    page = as_user(personas.officer_a).get(REPORT).context["report"]
    assert [s["count"] for s in response.json()["steps"]] == [r.count for r in page.steps]
    assert response.json()["suppressed"] is False


def test_api_hides_other_districts_programmes_and_refuses_researchers(personas, world):
    police_b = client_for(issue_token("sydoestjylland", "officer"))
    url = reverse("v1:insights-funnel")
    assert police_b.get(url, {"programme": world.programme.pk}).status_code == 404
    research = client_for(issue_token("crf-aarhus", "researcher"))
    assert research.get(url).status_code == 404
    assert client_for(None).get(url).status_code == 401


def test_api_rejects_an_incomplete_period(personas, world):
    api = client_for(issue_token("midt-vestjylland", "officer"))
    response = api.get(reverse("v1:insights-funnel"), {"period": "quarter", "year": "2025"})
    assert response.status_code == 400
    assert "quarter" in response.json()


def test_api_is_in_the_openapi_document(personas):
    schema = Client().get(reverse("v1:schema"), HTTP_ACCEPT="application/json")
    assert "/api/v1/insights/funnel/" in schema.content.decode()


def test_public_page_queries_do_not_grow_with_the_data(personas, world):
    url = reverse("insights:public", args=[world.programme.pk])
    world.funnel_people(yes=6, first=3, further=1, no=4)
    with CaptureQueriesContext(connection) as few:
        assert Client().get(url).status_code == 200
    world.funnel_people(yes=60, first=30, further=10, no=30)
    published.forget()  # the next day's publication
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert Client().get(url).status_code == 200
    assert len(many) == len(few)


def test_public_page_is_computed_once_per_publication(personas, world):
    url = reverse("insights:public", args=[world.programme.pk])
    world.funnel_people(yes=6, first=3, further=1, no=4)
    first = Client().get(url, {"period": "year", "year": "2026", "ignored": "x"})
    assert first.status_code == 200
    world.funnel_people(yes=60, first=30, further=10, no=30)  # not in today's publication
    with CaptureQueriesContext(connection) as again:
        second = Client().get(url, {"period": "year", "year": "2026", "ignored": "y"})
    assert len(again) == 0
    assert first.context["body"] in second.content.decode()  # the kept page, not recomputed
    # Another worker of the same server: the shared cache, still no figures computed again.
    published.forget()
    with CaptureQueriesContext(connection) as other:
        third = Client().get(url, {"period": "year", "year": "2026"})
    assert third.context["report"] == first.context["report"]
    assert not any("referrals_offer" in q["sql"] for q in other.captured_queries)


def test_public_page_of_a_missing_programme_is_a_404_without_asking_twice(personas, world):
    url = reverse("insights:public", args=[world.programme.pk + 1000])
    assert Client().get(url).status_code == 404
    with CaptureQueriesContext(connection) as again:
        assert Client().get(url).status_code == 404
    assert len(again) == 0


def test_public_page_stores_no_invalid_period(personas, world):
    url = reverse("insights:public", args=[world.programme.pk])
    response = Client().get(url, {"period": "quarter", "year": "2026"})
    assert response.context["report"] is None
    assert "quarter" in response.context["form"].errors


def test_api_gives_a_council_token_suppressed_figures_only(personas, world):
    world.funnel_people(yes=8, first=3, further=0, no=2)
    world.round_all("down")
    api = client_for(issue_token("kommune-dk-0791", "council_member"))
    body = api.get(reverse("v1:insights-funnel")).json()
    assert body["suppressed"] is True
    assert {s["key"]: s["count"] for s in body["steps"]}["first_conversation"] == "<5"


def test_api_and_export_queries_do_not_grow_with_the_data(personas, world, as_user, monkeypatch):
    stop_api_clocks(monkeypatch)
    api = client_for(issue_token("midt-vestjylland", "officer"))
    web = as_user(personas.officer_a)

    def counts():
        out = []
        for call in (
            lambda: api.get(reverse("v1:insights-funnel")),
            lambda: _get(web, EXPORT, format="csv"),
        ):
            with CaptureQueriesContext(connection) as ctx:
                assert call().status_code == 200
            out.append(len(ctx))
        return out

    counts()  # a token's first call writes its last use and its throttle row; later ones update
    world.funnel_people(yes=6, first=3, further=1, no=4)
    few = counts()
    world.funnel_people(yes=60, first=30, further=10, no=30)
    assert counts() == few


def test_public_page_from_memory_reads_nothing_and_writes_nothing(
    personas, world, django_assert_num_queries
):
    """Once this worker holds the day's figures an anonymous request costs the database
    nothing: no session, no lock-out (axes) or audit lookup, no cache row."""
    url = reverse("insights:public", args=[world.programme.pk])
    world.funnel_people(yes=6, first=3, further=1, no=4)
    first = Client().get(url, {"period": "year", "year": "2026"})
    with django_assert_num_queries(0):
        again = Client().get(url, {"period": "year", "year": "2026"})
    body = first.context["body"]
    assert "<svg" in body and body in again.content.decode()  # the figures, not recomputed
    assert settings.SESSION_COOKIE_NAME not in again.cookies
    # Another language is another publication, rendered in it.
    danish = Client(HTTP_ACCEPT_LANGUAGE="da").get(url, {"period": "year", "year": "2026"})
    assert b"Vis tal" in danish.content
    assert b"Show figures" in first.content


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
    assert found, name
    return found.group(1)


def test_kept_public_page_gives_each_visitor_a_working_language_form(personas, world):
    """The page kept for visitors without a session carries each visitor's own CSRF token and
    the address they asked for (escaped), so the language switch works from it."""
    url = reverse("insights:public", args=[world.programme.pk])
    world.funnel_people(yes=6, first=3, further=1, no=4)
    Client().get(url, {"period": "year", "year": "2026"})  # renders and keeps the page
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(url, {"period": "year", "year": "2026", "x": '"><b>'})
    assert response.context is None  # served from the kept page: no template rendered
    page = response.content.decode()
    assert published.CSRF_STAND_IN not in page and published.NEXT_STAND_IN not in page
    assert _hidden(page, "next") == escape(response.wsgi_request.get_full_path())
    assert "&amp;x=" in _hidden(page, "next")
    switched = visitor.post(
        reverse("set_language"),
        {
            "language": "sv",
            "next": url,
            "csrfmiddlewaretoken": _hidden(page, "csrfmiddlewaretoken"),
        },
    )
    assert switched.status_code == 302
    assert visitor.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"


def test_public_page_is_rendered_for_a_logged_in_visitor(personas, world, as_user):
    """Someone with a session sees their own name and menu there, never a page kept for
    anonymous visitors (nor one kept with someone else's)."""
    url = reverse("insights:public", args=[world.programme.pk])
    world.funnel_people(yes=6, first=3, further=1, no=4)
    Client().get(url)
    Client().get(url)  # kept
    response = as_user(personas.officer_a).get(url)
    assert response.context is not None
    assert personas.officer_a.get_full_name() in response.content.decode()
