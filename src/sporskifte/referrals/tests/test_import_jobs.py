"""The suspect list imported by a background job: kept until done, imported once, shown after."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from sporskifte.jobs.services import job_retry
from sporskifte.referrals import import_jobs
from sporskifte.referrals.import_jobs import import_suspects, suspect_import_enqueue
from sporskifte.referrals.models import Offer, SuspectImport
from sporskifte.referrals.tests.test_imports import _csv, _rows
from sporskifte.testing.jobs import run_queued_jobs

pytestmark = pytest.mark.django_db


def _upload(client, case, data: bytes):
    file = SimpleUploadedFile("mistaenkte.csv", data, content_type="text/csv")
    return client.post(reverse("referrals:case_import", args=[case.pk]), {"file": file})


def _status_url(case, upload: SuspectImport) -> str:
    return reverse("referrals:case_import_status", args=[case.pk, upload.pk])


def test_the_upload_is_imported_by_the_job_and_the_page_then_shows_the_case(
    personas, world, as_user
):
    client = as_user(personas.investigator_a)
    before = Offer.objects.filter(case=world.case_a).count()
    response = _upload(client, world.case_a, _csv(_rows(30)))
    upload = SuspectImport.objects.get()
    assert response.status_code == 302 and response["Location"] == _status_url(world.case_a, upload)
    assert Offer.objects.filter(case=world.case_a).count() == before  # nothing in the request

    waiting = client.get(_status_url(world.case_a, upload))
    assert waiting.status_code == 200
    assert b'data-import-progress="queued"' in waiting.content
    assert b"hx-get" in waiting.content and b"<script" not in waiting.content.split(b"<main")[1]

    run_queued_jobs()
    done = client.get(_status_url(world.case_a, upload), follow=True)
    assert done.redirect_chain[-1][0] == reverse("referrals:case_detail", args=[world.case_a.pk])
    assert "30 suspects imported." in done.content.decode()
    assert Offer.objects.filter(case=world.case_a).count() == before + 30
    upload.refresh_from_db()
    assert upload.status == SuspectImport.Status.IMPORTED and upload.created == 30
    assert bytes(upload.data) == b""  # the file is not kept once imported


def test_the_poll_ends_by_loading_the_result_as_a_full_page(personas, world, as_user):
    client = as_user(personas.investigator_a)
    _upload(client, world.case_a, _csv(_rows(2)))
    upload = SuspectImport.objects.get()
    url = _status_url(world.case_a, upload)
    polling = client.get(url, headers={"HX-Request": "true"})
    assert polling.status_code == 200 and b"<html" not in polling.content
    run_queued_jobs()
    finished = client.get(url, headers={"HX-Request": "true"})
    assert finished.status_code == 200 and finished["HX-Redirect"] == url


def test_a_bad_file_imports_nothing_and_the_page_lists_every_error_by_row_and_column(
    personas, world, as_user
):
    client = as_user(personas.investigator_a)
    rows = _rows(5)
    rows[1] = rows[1].replace(";791;", ";9999;")
    rows[3] = rows[3].rsplit(";", 1)[0] + ";i morgen"
    before = Offer.objects.filter(case=world.case_a).count()
    _upload(client, world.case_a, _csv(rows))
    run_queued_jobs()
    upload = SuspectImport.objects.get()
    response = client.get(_status_url(world.case_a, upload))
    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.context["import_errors"]] == [
        (3, "kommunekode"),
        (5, "gerningsdato"),
    ]
    assert b"data-import-errors" in response.content
    assert Offer.objects.filter(case=world.case_a).count() == before
    assert upload.status == SuspectImport.Status.REJECTED


def test_a_job_run_twice_imports_once(personas, world):
    upload = suspect_import_enqueue(
        actor=personas.investigator_a, case=world.case_a, data=_csv(_rows(4)), language="en"
    )
    before = Offer.objects.filter(case=world.case_a).count()
    import_suspects.call(import_id=upload.pk)
    import_suspects.enqueue(import_id=upload.pk)  # e.g. a worker lost after its commit
    run_queued_jobs()
    assert Offer.objects.filter(case=world.case_a).count() == before + 4


def test_a_failed_job_changes_nothing_keeps_the_file_and_imports_when_retried(
    personas, world, monkeypatch, as_user
):
    data = _csv(_rows(3))
    upload = suspect_import_enqueue(
        actor=personas.investigator_a, case=world.case_a, data=data, language="en"
    )
    before = Offer.objects.filter(case=world.case_a).count()
    real = import_jobs.case_import_suspects

    def crash_after_import(**kwargs):
        real(**kwargs)
        raise RuntimeError("the worker's disk is full")

    monkeypatch.setattr(import_jobs, "case_import_suspects", crash_after_import)
    [job] = run_queued_jobs()
    assert job.status == "FAILED"
    upload.refresh_from_db()
    assert Offer.objects.filter(case=world.case_a).count() == before
    assert bytes(upload.data) == data and not upload.finished
    page = as_user(personas.investigator_a).get(_status_url(world.case_a, upload))
    assert b'data-import-progress="failed"' in page.content and b"hx-get" not in page.content

    monkeypatch.setattr(import_jobs, "case_import_suspects", real)
    job_retry(actor=personas.sysadmin, job=DBTaskResult.objects.get(pk=job.pk))
    run_queued_jobs()
    upload.refresh_from_db()
    assert upload.status == SuspectImport.Status.IMPORTED
    assert Offer.objects.filter(case=world.case_a).count() == before + 3


def test_the_errors_are_written_in_the_uploaders_language(personas, world):
    upload = suspect_import_enqueue(
        actor=personas.investigator_a,
        case=world.case_a,
        data=_csv(_rows(1), header="navn;telefon"),
        language="da",
    )
    run_queued_jobs()
    upload.refresh_from_db()
    with translation.override("da"):
        expected = translation.gettext("The column is missing.")
    assert expected != "The column is missing."
    assert upload.errors[0]["message"] == expected


@pytest.mark.parametrize("persona", ["officer_a", "officer_b", "counsellor_a", "sysadmin"])
def test_only_the_uploader_sees_an_uploads_progress_and_errors(persona, personas, world, as_user):
    upload = suspect_import_enqueue(
        actor=personas.investigator_a, case=world.case_a, data=b"navn\n", language="en"
    )
    client = as_user(getattr(personas, persona))
    assert client.get(_status_url(world.case_a, upload)).status_code == 404
    owner = as_user(personas.investigator_a)
    assert owner.get(_status_url(world.case_a, upload)).status_code == 200


def test_an_upload_past_its_retention_is_deleted_with_the_nightly_erasure(
    personas, world, settings
):
    settings.SUSPECT_IMPORT_RETENTION_DAYS = 14
    old = suspect_import_enqueue(
        actor=personas.investigator_a, case=world.case_a, data=b"navn\n", language="en"
    )
    recent = suspect_import_enqueue(
        actor=personas.investigator_a, case=world.case_a, data=b"navn\n", language="en"
    )
    SuspectImport.objects.filter(pk=old.pk).update(queued_at=timezone.now() - dt.timedelta(days=15))
    call_command("erase_expired_personal_data", stdout=None)
    assert list(SuspectImport.objects.values_list("pk", flat=True)) == [recent.pk]
