"""Every look at a hit or a notification names the child and the adult it is about, so the
audit trail's data-subject look-up (the administrator's extract) finds screening looks too."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.people.models import Person
from sporskifte.people.selectors import people_registered
from sporskifte.screening import services
from sporskifte.screening.models import Hit, Notification, ScreeningRun
from sporskifte.screening.retention import screening_erase_expired
from sporskifte.screening.tests.conftest import household, incident
from sporskifte.testing.audit import persons_looked_at

pytestmark = pytest.mark.django_db
ADULT, CHILD = "0101809001", "0101159002"
EXTRACT = reverse("audit:subject_extract")


@pytest.fixture
def hit(personas, district_a, rule):
    incident(district_a, ADULT, days_ago=40), incident(district_a, ADULT)
    household(district_a, ADULT, CHILD, municipality_code="0661")
    services.screening_run(actor=personas.screening_a, district=district_a, mode="full")
    return Hit.objects.get()


def _extract(client, number: str) -> str:
    """The administrator's extract for one CPR number, as the page shows it."""
    response = client.post(EXTRACT, {"id_kind": "cpr", "id_number": number})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]).content.decode()


def _sent(personas, hit: Hit) -> Notification:
    n = services.notification_draft(actor=personas.screening_a, hit=hit)
    services.notification_approve(actor=personas.screening_approver_a, notification=n)
    return services.notification_send(actor=personas.screening_a, notification=n)


def _screening_person(number: str) -> Person:
    return Person.objects.get(register=Person.Register.SCREENING, id_number=number)


def test_extract_for_the_child_and_for_the_adult_lists_a_look_at_their_hit(personas, as_user, hit):
    officer = as_user(personas.screening_a)
    assert officer.get(reverse("screening:hit_detail", args=[hit.pk])).status_code == 200
    assert officer.get(reverse("screening:hit_list")).status_code == 200

    admin = as_user(personas.admin_a)
    for number in (CHILD, ADULT):
        html = _extract(admin, number)
        assert "Screening hit page" in html
        assert "Screening hit list" in html


def test_extract_for_the_child_lists_child_services_reading_the_notification(
    personas, as_user, hit
):
    n = _sent(personas, hit)
    caseworker = as_user(personas.child_services_holstebro)
    assert caseworker.get(reverse("screening:notification_detail", args=[n.pk])).status_code == 200
    assert caseworker.get(reverse("screening:notification_pdf", args=[n.pk])).status_code == 200

    html = _extract(as_user(personas.admin_a), CHILD)
    assert "Notification page" in html
    assert "Notification downloaded as PDF" in html
    assert "Holstebro Kommune" in html
    # The notification recounts the adult's incidents: the adult's log shows the look too.
    assert "Notification page" in _extract(as_user(personas.admin_a), ADULT)


def test_each_look_names_the_child_and_the_adult_in_its_own_audit_row(personas, as_user, hit):
    as_user(personas.screening_a).get(reverse("screening:hit_detail", args=[hit.pk]))
    services.hit_dismiss(actor=personas.screening_approver_a, hit=hit, reason="Known")

    child, adult = _screening_person(CHILD), _screening_person(ADULT)
    looked, dismissed = (
        AuditEvent.Purpose.SCREENING_HIT_PAGE,
        AuditEvent.Purpose.SCREENING_HIT_DISMISSED,
    )
    for purpose in (looked, dismissed):
        event = AuditEvent.objects.get(purpose=purpose)
        assert event.object_id == str(hit.pk)
        assert persons_looked_at([event]) == sorted([child.pk, adult.pk])


def test_notification_inbox_names_each_notifications_child(personas, as_user, hit):
    n = _sent(personas, hit)
    as_user(personas.child_services_holstebro).get(reverse("screening:inbox"))
    event = AuditEvent.objects.get(purpose=AuditEvent.Purpose.NOTIFICATION_INBOX)
    assert _screening_person(CHILD).pk in persons_looked_at([event])
    assert n.pk in event.items.values_list("object_id", flat=True)


def test_a_person_looked_at_twice_has_one_row_in_the_screening_register_only(
    personas, as_user, hit, district_a
):
    officer = as_user(personas.screening_a)
    for _ in range(2):
        officer.get(reverse("screening:hit_detail", args=[hit.pk]))
    assert Person.objects.filter(id_number=CHILD).count() == 1
    assert _screening_person(CHILD).police_district_id == district_a.pk
    # Purpose limitation: the referral register never matches a screened child.
    assert people_registered(police_district_id=district_a.pk, numbers=[("cpr", CHILD)]) == {}


def test_the_screening_register_row_goes_with_the_last_hit_about_the_person(personas, as_user, hit):
    as_user(personas.screening_a).get(reverse("screening:hit_detail", args=[hit.pk]))
    services.hit_dismiss(actor=personas.screening_a, hit=hit, reason="Known")
    assert screening_erase_expired()["person"] == 0
    Hit.objects.filter(pk=hit.pk).update(reviewed_at=timezone.now() - dt.timedelta(days=91))
    assert screening_erase_expired()["person"] == 2
    assert not Person.objects.filter(register=Person.Register.SCREENING).exists()


def test_the_run_makes_no_register_rows_for_people_no_one_has_looked_at(personas, district_a, rule):
    incident(district_a, ADULT, days_ago=40), incident(district_a, ADULT)
    household(district_a, ADULT, CHILD)
    services.screening_run(
        actor=personas.screening_a, district=district_a, mode=ScreeningRun.Mode.FULL
    )
    assert Hit.objects.count() == 1
    assert not Person.objects.filter(register=Person.Register.SCREENING).exists()
