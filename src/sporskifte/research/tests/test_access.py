import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.research import selectors, services
from sporskifte.research.models import ResearchProject
from sporskifte.research.tests.conftest import make_project

pytestmark = pytest.mark.django_db

PROJECT_PAGES = ("project_detail", "dictionary", "dictionary_csv")
DOWNLOADS = ("extract_csv", "extract_xlsx")


def _get(client, name, project):
    return client.get(reverse(f"research:{name}", args=[project.pk]))


def test_named_researcher_sees_the_project_and_downloads(world, as_user):
    project = make_project(world)
    client = as_user(world.personas.researcher)
    assert list(selectors.research_projects_for_user(world.personas.researcher)) == [project]
    for name in PROJECT_PAGES + DOWNLOADS:
        assert _get(client, name, project).status_code == 200, name


def test_researcher_not_on_the_project_gets_404(world, as_user, other_researcher):
    project = make_project(world)
    client = as_user(other_researcher)
    assert not selectors.research_projects_for_user(other_researcher).exists()
    for name in PROJECT_PAGES + DOWNLOADS:
        assert _get(client, name, project).status_code == 404, name
    with pytest.raises(PermissionDenied):
        services.research_extract_build(actor=other_researcher, project=project, file_format="csv")


def test_district_admin_of_another_district_gets_404(world, as_user, admin_b):
    project = make_project(world)
    client = as_user(admin_b)
    assert not selectors.research_projects_for_user(admin_b).exists()
    for name in (*PROJECT_PAGES, *DOWNLOADS, "project_edit"):
        assert _get(client, name, project).status_code == 404, name
    assert client.post(reverse("research:project_approve", args=[project.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["officer_a", "investigator_a", "counsellor_a", "sysadmin"])
def test_other_roles_get_404(world, as_user, persona):
    project = make_project(world)
    user = getattr(world.personas, persona)
    client = as_user(user)
    assert not selectors.research_projects_for_user(user).exists()
    assert client.get(reverse("research:project_list")).status_code == 404
    for name in PROJECT_PAGES + DOWNLOADS:
        assert _get(client, name, project).status_code == 404, name


def test_own_district_admin_manages_but_does_not_download(world, as_user):
    project = make_project(world, approve=False)
    client = as_user(world.personas.admin_a)
    for name in (*PROJECT_PAGES, "project_edit"):
        assert _get(client, name, project).status_code == 200, name
    for name in DOWNLOADS:
        assert _get(client, name, project).status_code == 404, name


def test_extract_refused_before_approval(world, as_user):
    project = make_project(world, approve=False)
    client = as_user(world.personas.researcher)
    for name in DOWNLOADS:
        response = _get(client, name, project)
        assert response.status_code == 403
        assert "has not been approved" in response.content.decode()
    page = _get(client, "project_detail", project)
    assert page.status_code == 200
    assert reverse("research:extract_csv", args=[project.pk]) not in page.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    with pytest.raises(services.ExtractUnavailable):
        services.research_extract_build(
            actor=world.personas.researcher, project=project, file_format="csv"
        )


def test_extract_refused_after_the_end_date(world, as_user):
    project = make_project(world)
    # Time passes: the project's end date is behind us.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    ResearchProject.objects.filter(pk=project.pk).update(
        starts_on=yesterday - dt.timedelta(days=30), ends_on=yesterday
    )
    client = as_user(world.personas.researcher)
    for name in DOWNLOADS:
        response = _get(client, name, project)
        assert response.status_code == 403
        assert "The project ended on" in response.content.decode()
    page = _get(client, "project_detail", project)
    assert page.status_code == 200
    assert "The project ended on" in page.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_extract_refused_before_the_project_starts(world, as_user):
    project = make_project(world)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    ResearchProject.objects.filter(pk=project.pk).update(starts_on=tomorrow)
    response = _get(as_user(world.personas.researcher), "extract_csv", project)
    assert response.status_code == 403
    assert "The project starts on" in response.content.decode()


def test_extract_available_on_the_end_date_itself(world, as_user):
    project = make_project(world)
    ResearchProject.objects.filter(pk=project.pk).update(ends_on=timezone.localdate())
    response = _get(as_user(world.personas.researcher), "extract_csv", project)
    assert response.status_code == 200


def test_only_the_owning_district_admin_writes(world, admin_b):
    project = make_project(world, approve=False)
    with pytest.raises(PermissionDenied):
        services.research_project_approve(actor=admin_b, project=project)
    with pytest.raises(PermissionDenied):
        services.research_project_approve(actor=world.personas.officer_a, project=project)
    with pytest.raises(PermissionDenied):
        services.research_project_update(
            actor=admin_b,
            project=project,
            programmes=[world.programme_b],
            researchers=[world.personas.researcher],
            title="Overtaget",
        )
    with pytest.raises(PermissionDenied):
        services.research_project_create(
            actor=world.personas.officer_a,
            programmes=[world.programme],
            researchers=[world.personas.researcher],
            title="x",
        )
    project.refresh_from_db()
    assert not project.is_approved and project.title == "Effekt af Skift spor"


def test_another_districts_programme_cannot_be_included(world):
    project = make_project(world, approve=False)
    with pytest.raises(ValidationError) as exc:
        services.research_project_update(
            actor=world.personas.admin_a,
            project=project,
            programmes=[world.programme, world.programme_b],
            researchers=[world.personas.researcher],
        )
    assert "programmes" in exc.value.message_dict


def test_only_researchers_can_be_named(world):
    project = make_project(world, approve=False)
    with pytest.raises(ValidationError) as exc:
        services.research_project_update(
            actor=world.personas.admin_a,
            project=project,
            programmes=[world.programme],
            researchers=[world.personas.researcher, world.personas.officer_a],
        )
    assert "researchers" in exc.value.message_dict


def test_a_change_withdraws_the_approval(world, as_user):
    project = make_project(world)
    services.research_project_update(
        actor=world.personas.admin_a,
        project=project,
        programmes=[world.programme],
        researchers=[world.personas.researcher],
        approved_fields=["programme", "birth_year", "sex"],
    )
    project.refresh_from_db()
    assert not project.is_approved
    assert _get(as_user(world.personas.researcher), "extract_csv", project).status_code == 403
