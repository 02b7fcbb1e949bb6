import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sporskifte.screening import services
from sporskifte.screening.models import Hit, Incident, Rule, ScreeningRun
from sporskifte.screening.tests.conftest import household, incident
from sporskifte.screening.tests.test_imports import HEADER
from sporskifte.testing.jobs import run_queued_jobs

pytestmark = pytest.mark.django_db
ADULT = "0101809001"


def test_a_rule_with_an_unknown_code_gets_a_clear_message_and_nothing_is_saved(
    personas, as_user, rule
):
    response = as_user(personas.admin_a).post(
        reverse("screening:rule_list"),
        {
            "rule": "1",
            "name": "Ny",
            "incident_codes": "SPIRIT, UKENDT",
            "window_days": 365,
            "threshold": 2,
            "roles": ["suspect"],
            "child_min_age": 0,
            "child_max_age": 17,
            "reason_category": "violence",
            "facts_template": "$incidents",
        },
    )
    assert response.status_code == 400
    assert "Not on the district&#x27;s code list: UKENDT." in response.content.decode()
    assert Rule.objects.count() == 1


def test_a_screening_officer_cannot_change_the_rules(personas, as_user, rule):
    response = as_user(personas.screening_a).post(
        reverse("screening:rule_list"), {"code": "1", "kind": "incident", "code_": "X"}
    )
    assert response.status_code == 404


def test_import_page_lists_row_and_column_and_imports_nothing(personas, as_user):
    data = (
        HEADER
        + "4100-1-26;1;SPIRIT;;2026-06-01T10:00;Vej 1;0791;0101809001;;suspect\n"
        + "4100-2-26;1;SPIRIT;;2026-06-01T10:00;Vej 1;9999;0101809001;;suspect\n"
    ).encode()
    response = as_user(personas.screening_a).post(
        reverse("screening:import"),
        {"kind": "incidents", "file": SimpleUploadedFile("h.csv", data, "text/csv")},
    )
    assert response.status_code == 302
    run_queued_jobs()
    page = as_user(personas.screening_a).get(response["Location"])
    assert "Row 3, column kommunekode: Unknown municipality code." in page.content.decode()
    assert Incident.objects.count() == 0


def test_notification_pdf_is_a_pdf(personas, as_user, district_a, rule):
    incident(district_a, ADULT, days_ago=40), incident(district_a, ADULT)
    household(district_a, ADULT, "0101159002")
    services.screening_run(actor=personas.screening_a, district=district_a, mode="full")
    n = services.notification_draft(actor=personas.screening_a, hit=Hit.objects.get())
    response = as_user(personas.screening_a).get(reverse("screening:notification_pdf", args=[n.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content[:4] == b"%PDF"


def test_figures_protect_small_counts(personas, as_user, district_a, rule):
    for n in range(3):
        adult = f"01018090{n:02d}"
        incident(district_a, adult, days_ago=40), incident(district_a, adult)
        household(district_a, adult, f"01011590{n:02d}")
    services.screening_run(
        actor=personas.screening_a, district=district_a, mode=ScreeningRun.Mode.FULL
    )
    page = as_user(personas.screening_a).get(reverse("screening:figures")).content.decode()
    assert "&lt;5" in page  # three hits this week: shown as <5, never as 3
    assert ">3<" not in page


def test_an_officer_drafts_a_notification_for_a_child_under_15_without_a_rule(personas, as_user):
    from django.utils import timezone

    from sporskifte.organisations.models import Municipality
    from sporskifte.screening.models import Notification

    response = as_user(personas.screening_a).post(
        reverse("screening:notification_new"),
        {
            "child_id_number": "010115-9002",
            "child_name": "Test Barn",
            "child_address": "Skolevej 3, Viborg",
            "municipality": Municipality.objects.get(country="DK", code="0791").pk,
            "detained_at": f"{timezone.localtime():%Y-%m-%dT%H:%M}",
            "facts": "Anholdt for butikstyveri.",
        },
    )
    n = Notification.objects.get()
    assert response.status_code == 302 and n.kind == Notification.Kind.CHILD_UNDER_15
    assert (n.child_id_number, n.child_sex, n.state) == ("0101159002", "F", "draft")
