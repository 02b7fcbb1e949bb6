"""The file import as a background job: stored, imported once, outcome kept, bytes deleted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sporskifte.accounts.models import Role
from sporskifte.core.errors import NotAllowed
from sporskifte.organisations.models import Organisation
from sporskifte.screening import services
from sporskifte.screening.models import ImportUpload, Incident, IncidentPerson
from sporskifte.screening.tasks import import_upload
from sporskifte.screening.tests.test_imports import HEADER, row
from sporskifte.testing.factories import member
from sporskifte.testing.jobs import run_queued_jobs

pytestmark = pytest.mark.django_db


def _queue(personas, district, rows, kind="incidents", name="h.csv"):
    return services.import_upload_queue(
        actor=personas.screening_a,
        district=district,
        kind=kind,
        name=name,
        content=(HEADER + "".join(rows)).encode(),
    )


def test_the_upload_waits_for_the_job_and_imports_nothing_before(personas, district_a):
    upload = _queue(personas, district_a, [row(1), row(2)])
    assert (upload.status, upload.size > 0, Incident.objects.count()) == ("queued", True, 0)


def test_the_job_imports_records_the_outcome_and_deletes_the_bytes(personas, district_a):
    upload = _queue(personas, district_a, [row(1), row(1, cpr="0101809003"), row(2)])
    [job] = run_queued_jobs()
    assert job.status == "SUCCESSFUL"
    upload.refresh_from_db()
    assert (upload.status, upload.created, upload.skipped, upload.rows_done) == ("done", 2, 0, 2)
    assert (upload.content, upload.bytes_read, upload.percent) == (None, upload.size, 100)
    assert IncidentPerson.objects.count() == 3


def test_a_job_run_twice_imports_once(personas, district_a):
    upload = _queue(personas, district_a, [row(1)])
    run_queued_jobs()
    assert import_upload.call(upload_id=upload.pk) == "already claimed"
    upload.refresh_from_db()
    assert (upload.created, Incident.objects.count()) == (1, 1)


def test_a_failed_import_changes_nothing_and_keeps_every_error(personas, district_a):
    rows = [row(1), row(2, municipality="9999"), row(3, cpr="123")]
    upload = _queue(personas, district_a, rows)
    run_queued_jobs()
    upload.refresh_from_db()
    assert upload.status == "failed"
    assert [(e["row"], e["column"]) for e in upload.errors] == [(3, "kommunekode"), (4, "cpr")]
    assert (upload.content, Incident.objects.count(), upload.created) == (None, 0, 0)


def test_a_household_file_runs_as_a_job(personas, district_a):
    data = (
        b"barn_cpr;barn_navn;voksen_cpr;adresse;kommunekode;fra;til\n"
        b"0101159002;Test;0101809001;Vej 1;0661;2024-01-01;\n"
    )
    upload = services.import_upload_queue(
        actor=personas.screening_a,
        district=district_a,
        kind="households",
        name="b.csv",
        content=data,
    )
    run_queued_jobs()
    upload.refresh_from_db()
    assert (upload.status, upload.created) == ("done", 1)


def test_an_officer_cannot_queue_an_import_for_another_district(personas):
    other = (
        Organisation.objects.filter(kind=Organisation.Kind.POLICE_DISTRICT)
        .exclude(slug="midt-vestjylland")
        .first()
    )
    with pytest.raises(NotAllowed):
        _queue(personas, other, [row(1)])
    assert ImportUpload.objects.count() == 0


def test_the_page_shows_a_progress_bar_that_polls_then_the_result(personas, as_user, district_a):
    client = as_user(personas.screening_a)
    data = (HEADER + row(1)).encode()
    response = client.post(
        reverse("screening:import"),
        {"kind": "incidents", "file": SimpleUploadedFile("h.csv", data, "text/csv")},
    )
    waiting = client.get(response["Location"]).content.decode()
    assert "<progress" in waiting and 'hx-trigger="every 2s"' in waiting
    run_queued_jobs()
    part = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "1 imported, 0 already held." in part
    assert "hx-trigger" not in part and "<html" not in part


def test_another_districts_officer_gets_404_for_the_upload(personas, as_user, district_a):
    upload = _queue(personas, district_a, [row(1)])
    other = (
        Organisation.objects.filter(kind=Organisation.Kind.POLICE_DISTRICT)
        .exclude(pk=district_a.pk)
        .first()
    )
    stranger = member("screening_other", other, Role.SCREENING_OFFICER)
    url = reverse("screening:import_status", args=[upload.pk])
    assert as_user(stranger).get(url).status_code == 404
    assert as_user(personas.screening_a).get(url).status_code == 200


def test_a_police_officer_without_the_screening_role_cannot_upload(personas, as_user):
    data = (HEADER + row(1)).encode()
    response = as_user(personas.officer_a).post(
        reverse("screening:import"),
        {"kind": "incidents", "file": SimpleUploadedFile("h.csv", data, "text/csv")},
    )
    assert response.status_code == 404
    assert ImportUpload.objects.count() == 0
