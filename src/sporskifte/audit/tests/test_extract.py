import csv
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from sporskifte.accounts.models import Role
from sporskifte.audit.models import AuditEvent
from sporskifte.testing.factories import district, member

EXTRACT = reverse("audit:subject_extract")


@pytest.fixture
def named_officer(personas):
    return member(
        "bjarke_s",
        district("midt-vestjylland"),
        Role.OFFICER,
        first_name="Bjarke",
        last_name="Stenbjerg-Testbetjent",
    )


@pytest.fixture
def named_counsellor(personas):
    # A made-up name of the factories could be a word on the page (a surname such as "Dam").
    counsellor = personas.counsellor_a
    counsellor.first_name, counsellor.last_name = "Ragnhild", "Rosenkvist-Testraadgiver"
    counsellor.save(update_fields=["first_name", "last_name"])
    return counsellor


def _extract(client, person, **params):
    response = client.post(EXTRACT, {"id_kind": "cpr", "id_number": person.id_display})
    assert response.status_code == 302
    assert person.id_number not in response["Location"]
    location = response["Location"]
    if params:
        location += "&" + urlencode(params)
    return client.get(location)


@pytest.mark.django_db
def test_extract_lists_dates_organisations_and_purposes_but_names_no_staff(
    personas, named_officer, named_counsellor, person_a, look, as_user
):
    look(named_officer, person_a, AuditEvent.Purpose.OFFER_PAGE)
    look(named_counsellor, person_a, AuditEvent.Purpose.PARTNER_INBOX)

    response = _extract(as_user(personas.admin_a), person_a)

    html = response.content.decode()
    assert "Offer page" in html
    assert "Partner inbox" in html
    assert "Midt- og Vestjyllands Politi" in html
    assert named_counsellor.membership.organisation.name in html
    for staff in (named_officer, named_counsellor):
        assert staff.username not in html
        assert staff.get_full_name() not in html
        assert staff.last_name not in html


@pytest.mark.django_db
def test_extract_csv_names_no_staff_and_writes_an_export_row(
    personas, named_officer, person_a, look, as_user
):
    look(named_officer, person_a, AuditEvent.Purpose.OFFER_PAGE)

    response = _extract(as_user(personas.admin_a), person_a, format="csv")

    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2
    assert "Offer page" in rows[1]
    assert "Midt- og Vestjyllands Politi" in rows[1]
    assert "Stenbjerg" not in text
    assert "bjarke_s" not in text
    export = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert export.actor == personas.admin_a
    assert export.person_id == person_a.pk
    assert export.detail["format"] == "csv"


@pytest.mark.django_db
def test_csv_cells_cannot_start_a_formula(personas, person_a, look, as_user):
    event = look(personas.officer_a, person_a)
    AuditEvent.objects.filter(pk=event.pk).update(legal_basis='=HYPERLINK("http://evil")')

    text = _extract(as_user(personas.admin_a), person_a, format="csv").content.decode("utf-8-sig")

    assert "'=HYPERLINK" in text


@pytest.mark.django_db
def test_extract_is_only_for_people_in_scope(personas, person_b, look, as_user):
    look(personas.officer_b, person_b)
    client = as_user(personas.admin_a)

    response = client.post(EXTRACT, {"id_kind": "cpr", "id_number": person_b.id_number})

    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    assert client.get(EXTRACT, {"person": person_b.pk}).status_code == 404
    assert client.get(EXTRACT, {"person": "x"}).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


@pytest.mark.django_db
def test_a_system_administrator_gets_404_for_a_stockholm_person(personas, look, as_user):
    from sporskifte.audit.models import RefusedLook
    from sporskifte.testing.factories import PersonFactory, district

    stockholm = PersonFactory(police_district=district("polisregion-stockholm"))
    look(personas.officer_b, stockholm)
    client = as_user(personas.sysadmin)

    response = client.get(EXTRACT, {"person": stockholm.pk})

    assert response.status_code == 404
    assert stockholm.full_name not in response.content.decode()
    assert stockholm.id_number not in response.content.decode()
    assert RefusedLook.objects.filter(
        actor=personas.sysadmin, object_type="people.person", object_id=str(stockholm.pk)
    ).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


@pytest.mark.django_db
def test_a_system_administrator_reads_their_own_districts_person(personas, person_a, look, as_user):
    look(personas.officer_a, person_a)

    response = as_user(personas.sysadmin).get(EXTRACT, {"person": person_a.pk})

    assert response.status_code == 200
    assert person_a.full_name in response.content.decode()
