import pytest
from django.urls import reverse

from sporskifte.audit.models import AuditEvent
from sporskifte.auditlog.selectors import audit_events_for_user

SEARCH = reverse("audit:search")


@pytest.fixture
def events(personas, person_a, person_b, look):
    p = personas
    return {
        "officer_a": look(p.officer_a, person_a),
        "counsellor_a_on_a": look(p.counsellor_a, person_a),
        "officer_b": look(p.officer_b, person_b),
        "counsellor_b_on_b": look(p.counsellor_b, person_b),
        "officer_a_login": look(p.officer_a, None, AuditEvent.Purpose.LOGIN),
    }


@pytest.mark.django_db
def test_district_admin_sees_own_district_users_and_own_people(personas, events):
    seen = set(audit_events_for_user(personas.admin_a).values_list("pk", flat=True))

    assert seen == {
        events["officer_a"].pk,
        events["counsellor_a_on_a"].pk,
        events["officer_a_login"].pk,
    }


@pytest.mark.django_db
def test_district_admin_does_not_see_other_districts_events(personas, events, as_user):
    html = as_user(personas.admin_a).get(SEARCH).content.decode()

    assert personas.officer_a.username in html or personas.officer_a.get_full_name() in html
    assert events["officer_b"].actor_label not in html
    assert events["counsellor_b_on_b"].actor_label not in html


@pytest.mark.django_db
def test_events_of_a_district_unit_are_the_districts(personas, look):
    from sporskifte.accounts.models import Role
    from sporskifte.organisations.models import Organisation
    from sporskifte.testing.factories import district, member

    a = district("midt-vestjylland")
    unit = Organisation.objects.create(
        name="Narkotikasektionen", slug="test-unit", kind="police_unit", country="DK", parent=a
    )
    event = look(member("unit_officer", unit, Role.OFFICER))

    assert audit_events_for_user(personas.admin_a).filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_system_admin_sees_their_districts_events_not_another_districts(personas, events):
    seen = set(audit_events_for_user(personas.sysadmin).values_list("pk", flat=True))

    assert seen == {
        events["officer_a"].pk,
        events["counsellor_a_on_a"].pk,
        events["officer_a_login"].pk,
    }


@pytest.mark.django_db
def test_system_admin_sees_account_events_of_the_organisations_they_administer(personas):
    from sporskifte.audit.services import audit_record
    from sporskifte.testing.factories import district

    def account_event(organisation):
        return audit_record(
            actor=None,
            action=AuditEvent.Action.CONFIGURE,
            object_type=AuditEvent.ObjectType.API_TOKEN,
            object_id=1,
            purpose=AuditEvent.Purpose.API_TOKEN_CREATED,
            responsible=[organisation],
        )

    viborg_centre = account_event(personas.counsellor_a.membership.organisation)
    stockholm = account_event(district("polisregion-stockholm"))
    seen = audit_events_for_user(personas.sysadmin)

    assert seen.filter(pk=viborg_centre.pk).exists()
    assert not seen.filter(pk=stockholm.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "officer_a",
        "investigator_a",
        "officer_b",
        "counsellor_a",
        "ngo",
        "researcher",
        "council_member",
    ],
)
def test_other_roles_get_404_and_an_empty_selector(personas, events, as_user, name):
    user = getattr(personas, name)

    assert as_user(user).get(SEARCH).status_code == 404
    assert as_user(user).get(reverse("audit:subject_extract")).status_code == 404
    assert not audit_events_for_user(user).exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client):
    response = client.get(SEARCH)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
