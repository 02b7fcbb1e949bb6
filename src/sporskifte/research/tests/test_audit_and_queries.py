import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sporskifte.accounts.models import User
from sporskifte.audit.models import AuditEvent
from sporskifte.research import services
from sporskifte.research.tests.conftest import make_project, make_world, populate

pytestmark = pytest.mark.django_db


def test_every_download_is_audited(world, as_user):
    project = make_project(world)
    client = as_user(world.personas.researcher)
    for name in ("extract_csv", "extract_xlsx", "extract_csv"):
        assert client.get(reverse(f"research:{name}", args=[project.pk])).status_code == 200
    events = list(AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).order_by("id"))
    assert [e.detail["format"] for e in events] == ["csv", "xlsx", "csv"]
    for event in events:
        assert event.actor == world.personas.researcher
        assert event.object_type == "research_project"
        assert event.object_id == str(project.pk)
        assert event.purpose == AuditEvent.Purpose.RESEARCH_EXTRACT
        assert event.detail["title"] == project.title
        assert event.person_id is None
        assert event.detail["rows"] == len(world.offers)


def test_project_changes_are_audited(world):
    project = make_project(world)
    purposes = list(
        AuditEvent.objects.filter(
            object_type="research_project", object_id=str(project.pk)
        ).values_list("purpose", flat=True)
    )
    assert sorted(purposes) == ["research_project_approved", "research_project_created"]


def test_the_approving_district_is_responsible_for_every_download_and_reads_it(world, as_user):
    """The district administrator sees the research downloads of the projects it approved,
    though the researcher acts for an institution outside the district."""
    project = make_project(world)
    as_user(world.personas.researcher).get(reverse("research:extract_csv", args=[project.pk]))
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)

    assert set(event.responsible.all()) == {
        world.personas.researcher.membership.organisation,
        project.police_district,
    }
    page = as_user(world.personas.admin_a).get(reverse("audit:search"))
    assert event in page.context["rows"]


def _extract_queries(world, project) -> int:
    # A fresh user, as in a request: nothing about the membership is cached on it yet.
    researcher = User.objects.get(pk=world.personas.researcher.pk)
    with CaptureQueriesContext(connection) as ctx:
        extract = services.research_extract_build(
            actor=researcher, project=project, file_format="csv"
        )
    assert len(extract.rows) == len(world.offers)
    return len(ctx.captured_queries)


def test_extract_query_count_does_not_grow_with_the_rows(personas):
    world = make_world(personas, 10)
    project = make_project(world)
    small = _extract_queries(world, project)
    populate(world, 100 - len(world.offers), start=len(world.offers))
    assert len(world.offers) == 100
    assert _extract_queries(world, project) == small


def test_list_page_query_count_does_not_grow_with_projects(
    world, as_user, django_assert_max_num_queries
):
    client = as_user(world.personas.admin_a)
    make_project(world)
    client.get(reverse("research:project_list"))
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("research:project_list")).status_code == 200
    for n in range(5):
        make_project(world, title=f"Projekt {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(reverse("research:project_list")).status_code == 200
