"""Who sees what in screening: the role-by-object matrix. Each cell fails if its rule goes."""

import pytest
from django.urls import reverse

from sporskifte.audit.models import AuditEvent
from sporskifte.screening import services
from sporskifte.screening.models import Hit
from sporskifte.screening.tests.conftest import household, incident, screened, sent

pytestmark = pytest.mark.django_db
ADULT = "0101809001"

POLICE_PAGES = ("hit_list", "run_list", "rule_list", "import", "notification_list", "figures")
SCREENING = {"screening_a", "screening_approver_a", "admin_a"}


@pytest.fixture
def world(personas, district_a, rule):
    screened(personas, district_a, ADULT, ("0101159002", "0661"))
    hit = Hit.objects.get()
    return {"hit": hit, "notification": sent(personas, hit)}


@pytest.mark.parametrize("page", POLICE_PAGES)
def test_police_pages_only_for_the_districts_screening_staff(personas, as_user, world, page):
    for name, user in personas.all().items():
        status = as_user(user).get(reverse(f"screening:{page}")).status_code
        assert (status == 200) == (name in SCREENING), (name, page, status)


def test_hit_page_only_for_screening_staff(personas, as_user, world):
    url = reverse("screening:hit_detail", args=[world["hit"].pk])
    for name, user in personas.all().items():
        status = as_user(user).get(url).status_code
        assert status == (200 if name in SCREENING else 404), name


@pytest.mark.parametrize("page", ["notification_detail", "notification_pdf"])
def test_sent_notification_seen_by_the_district_and_the_childs_municipality_only(
    personas, as_user, world, page
):
    url = reverse(f"screening:{page}", args=[world["notification"].pk])
    allowed = SCREENING | {"child_services_holstebro"}
    for name, user in personas.all().items():
        status = as_user(user).get(url).status_code
        assert status == (200 if name in allowed else 404), (name, status)


def test_inbox_shows_child_services_only_their_municipality(personas, as_user, world):
    holstebro = as_user(personas.child_services_holstebro).get(reverse("screening:inbox"))
    viborg = as_user(personas.child_services_viborg).get(reverse("screening:inbox"))
    assert f'data-notification="{world["notification"].pk}"' in holstebro.content.decode()
    assert "data-notification=" not in viborg.content.decode()
    assert as_user(personas.officer_a).get(reverse("screening:inbox")).status_code == 404


def test_a_draft_is_not_in_the_municipalitys_inbox(personas, as_user, district_a, rule):
    incident(district_a, ADULT, days_ago=40), incident(district_a, ADULT)
    household(district_a, ADULT, "0101159002", municipality_code="0661")
    services.screening_run(actor=personas.screening_a, district=district_a, mode="full")
    n = services.notification_draft(actor=personas.screening_a, hit=Hit.objects.get())
    url = reverse("screening:notification_detail", args=[n.pk])
    assert as_user(personas.child_services_holstebro).get(url).status_code == 404


def test_every_look_is_audited(personas, as_user, world):
    client = as_user(personas.screening_a)
    client.get(reverse("screening:hit_list") + "?state=drafted")
    client.get(reverse("screening:hit_detail", args=[world["hit"].pk]))
    as_user(personas.child_services_holstebro).get(
        reverse("screening:notification_detail", args=[world["notification"].pk])
    )
    purposes = set(AuditEvent.objects.values_list("purpose", flat=True))
    assert {"screening_hit_list", "screening_hit_page", "notification_page"} <= purposes


def test_approval_page_refuses_the_drafter(personas, as_user, district_a, rule):
    incident(district_a, ADULT, days_ago=40), incident(district_a, ADULT)
    household(district_a, ADULT, "0101159002", municipality_code="0661")
    services.screening_run(actor=personas.screening_a, district=district_a, mode="full")
    n = services.notification_draft(actor=personas.screening_a, hit=Hit.objects.get())
    url = reverse("screening:notification_detail", args=[n.pk])
    response = as_user(personas.screening_a).post(url, {"action": "approve"})
    assert response.status_code == 400 and "second person" in response.content.decode()
    n.refresh_from_db()
    assert n.state == "draft"
