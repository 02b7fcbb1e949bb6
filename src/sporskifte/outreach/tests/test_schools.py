import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.outreach import schools
from sporskifte.outreach.models import SchoolConcern, SchoolLink
from sporskifte.outreach.tests.conftest import sent
from sporskifte.testing.factories import municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def point(personas, unit_a):
    return schools.contact_point_create(
        actor=unit_a,
        municipality=municipality("Viborg"),
        school="Vestervang Skole",
        contact_name="Pia Lærer",
        contact_email="Pia@skole.dk",
        police_contact=personas.officer_a,
    )


def _ask_link(client, email="pia@skole.dk"):
    return client.post(reverse("outreach:school_link_request"), {"email": email})


def _token(message) -> str:
    line = next(line for line in message.body.splitlines() if "/meld/" in line)
    return line.rstrip("/").rsplit("/", 1)[1]


def _report(client, token, **overrides):
    data = {
        "place": "Cykelskuret",
        "observed": "Tirsdage kl. 15",
        "description": "Salg fra knallert",
    }
    return client.post(reverse("outreach:school_report", args=[token]), data | overrides)


def test_working_days_skip_weekends_and_danish_holidays():
    # Friday 19 December 2025: Mon 22, Tue 23, then 24-26 December are holidays in the package
    # only for 25 and 26; the 24th is a working day by law, so the third working day is the 24th.
    assert schools.working_days_after(dt.date(2025, 12, 19), 3) == dt.date(2025, 12, 24)
    # Maundy Thursday to Easter Monday 2026 (2-6 April) are holidays.
    assert schools.working_days_after(dt.date(2026, 4, 1), 1) == dt.date(2026, 4, 7)


def test_a_school_contact_reports_with_a_one_time_link(
    client, point, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask_link(client)
    assert "link to the report form is on its way" in response.content.decode()
    token = _token(sent()[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = _report(client, token)
    assert response.status_code == 302
    concern = SchoolConcern.objects.get()
    assert concern.contact_point == point and concern.handled_at is None
    # The receipt shows when it was received and that it is not yet handled.
    receipt = client.get(response["Location"]).content.decode()
    assert "Vestervang Skole" in receipt and "Not yet" in receipt
    # The link works once.
    assert client.get(reverse("outreach:school_report", args=[token])).status_code == 404
    assert _report(client, token).status_code == 404
    assert SchoolConcern.objects.count() == 1


def test_an_unknown_address_is_answered_the_same_and_gets_nothing(client, point):
    known, unknown = _ask_link(client), _ask_link(client, "ukendt@skole.dk")
    assert known.status_code == unknown.status_code == 200
    main = [r.content.decode().split("<main", 1)[1].split("</main>")[0] for r in (known, unknown)]
    assert main[0] == main[1]
    assert SchoolLink.objects.count() == 1


def test_a_link_older_than_a_day_is_refused(client, point, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _ask_link(client)
    SchoolLink.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert _report(client, _token(sent()[0])).status_code == 404
    assert SchoolConcern.objects.count() == 0


def test_a_report_without_a_description_changes_nothing(
    client, point, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask_link(client)
    token = _token(sent()[0])
    response = _report(client, token, description="")
    assert response.status_code == 200 and SchoolConcern.objects.count() == 0
    assert SchoolLink.objects.get().used_at is None  # the link still works


def test_the_police_contact_and_the_unit_see_the_report_others_do_not(
    client, personas, unit_a, unit_b, as_user, point, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask_link(client)
    _report(client, _token(sent()[0]))
    url = reverse("outreach:school_concern_detail", args=[SchoolConcern.objects.get().pk])
    assert as_user(unit_a).get(url).status_code == 200
    assert as_user(personas.officer_a).get(url).status_code == 200
    for other in (
        unit_b,
        personas.investigator_a,
        personas.officer_b,
        personas.counsellor_a,
        personas.council_member,
    ):
        assert as_user(other).get(url).status_code == 404


def test_handling_shows_on_the_receipt_but_not_the_note(
    client, personas, as_user, point, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask_link(client)
    receipt_url = _report(client, _token(sent()[0]))["Location"]
    concern = SchoolConcern.objects.get()
    as_user(personas.officer_a).post(
        reverse("outreach:school_concern_detail", args=[concern.pk]), {"note": "Patrulje sat ind"}
    )
    page = client.get(receipt_url).content.decode()
    assert "Not yet" not in page and "Patrulje" not in page
    with pytest.raises(ValidationError):
        schools.school_concern_handle(actor=personas.officer_a, concern=concern, note="igen")


def test_an_overdue_report_is_flagged(
    client, unit_a, as_user, point, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask_link(client)
    _report(client, _token(sent()[0]))
    SchoolConcern.objects.update(respond_by=timezone.localdate() - dt.timedelta(days=1))
    assert b"data-overdue" in as_user(unit_a).get(reverse("outreach:school_concern_list")).content


def test_one_address_is_the_contact_of_one_school(personas, unit_a, point):
    with pytest.raises(ValidationError):
        schools.contact_point_create(
            actor=unit_a,
            municipality=municipality("Herning"),
            school="Anden Skole",
            contact_name="Pia",
            contact_email="pia@SKOLE.dk",
            police_contact=personas.officer_a,
        )


def test_the_police_are_told_without_the_report_text(
    client, personas, point, django_capture_on_commit_callbacks
):
    personas.officer_a.email = "officer@politi.example"
    personas.officer_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        _ask_link(client)
    with django_capture_on_commit_callbacks(execute=True):
        _report(client, _token(sent()[0]))
    notice = sent()[-1]
    assert notice.to == ["officer@politi.example"] and "knallert" not in notice.body


def test_every_look_and_step_is_audited(
    client, personas, unit_a, as_user, point, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask_link(client)
    _report(client, _token(sent()[0]))
    concern = SchoolConcern.objects.get()
    as_user(unit_a).get(reverse("outreach:school_concern_list"))
    as_user(unit_a).get(reverse("outreach:school_concern_detail", args=[concern.pk]))
    purposes = set(AuditEvent.objects.values_list("purpose", flat=True))
    assert {
        "school_contact_point_created",
        "school_concern_reported",
        "school_concern_list",
        "school_concern_page",
    } <= purposes


def test_only_the_unit_adds_contact_points(personas, as_user):
    assert as_user(personas.officer_a).get(reverse("outreach:contact_points")).status_code == 404
    assert as_user(personas.admin_a).get(reverse("outreach:contact_points")).status_code == 200


def test_a_handled_report_is_deleted_a_year_later(client, personas, point):
    from sporskifte.outreach import retention
    from sporskifte.outreach.selectors import token_hash

    SchoolLink.objects.create(
        contact_point=point, token_hash=token_hash("x"), created_at=timezone.now()
    )
    concern, _ = schools.school_concern_report(
        token="x", place="P", observed="O", description="D", unit_link="u"
    )
    schools.school_concern_handle(actor=personas.officer_a, concern=concern, note="")
    later = timezone.now() + dt.timedelta(days=retention.retention_days() + 1)
    assert retention.school_concerns_erase_expired(now=later) == 1
    assert not SchoolConcern.objects.exists() and not SchoolLink.objects.exists()
