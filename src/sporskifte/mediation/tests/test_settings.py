"""The district's settings page: the coordinator sets how long closed cases are kept (within
bounds) and publishes new versions of the consent text; consents already given keep the
version they were given under. Everyone else gets 404."""

import pytest
from django.urls import reverse

from sporskifte.audit.models import AuditEvent
from sporskifte.mediation import services
from sporskifte.mediation.models import (
    MAX_RETENTION_DAYS,
    MIN_RETENTION_DAYS,
    Consent,
    ConsentText,
    Settings,
)

pytestmark = pytest.mark.django_db


def test_the_coordinator_sets_the_retention_and_it_is_audited(personas, world, as_user):
    client = as_user(personas.mediation_coordinator)
    response = client.post(reverse("mediation:retention_save"), {"retention-retention_days": 400})
    assert response.status_code == 302
    assert Settings.objects.get(district=world.case.district).retention_days == 400
    [row] = AuditEvent.objects.filter(purpose=AuditEvent.Purpose.MEDIATION_RETENTION_CHANGED)
    assert row.actor == personas.mediation_coordinator
    assert row.detail == {"from": 730, "to": 400}


@pytest.mark.parametrize("days", [MIN_RETENTION_DAYS - 1, MAX_RETENTION_DAYS + 1, 0])
def test_a_retention_out_of_bounds_is_refused_and_changes_nothing(days, personas, world, as_user):
    client = as_user(personas.mediation_coordinator)
    response = client.post(reverse("mediation:retention_save"), {"retention-retention_days": days})
    assert response.status_code == 400
    assert not Settings.objects.exists()
    assert not AuditEvent.objects.filter(
        purpose=AuditEvent.Purpose.MEDIATION_RETENTION_CHANGED
    ).exists()


def test_the_service_refuses_out_of_bounds_too(personas, world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.retention_set(
            actor=personas.mediation_coordinator,
            district_id=world.case.district_id,
            retention_days=MAX_RETENTION_DAYS + 1,
        )
    assert "between 365 and 1825 days" in exc.value.messages[0]


def test_a_new_consent_text_leaves_given_consents_on_their_version(personas, world, as_user):
    c = personas.mediation_coordinator
    old = services.consent_record(actor=c, party=world.offender, method="signed")
    response = as_user(c).post(
        reverse("mediation:consent_text_save"), {"consent-text": "Ny tekst, version 2."}
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.text == world.text and old.text.text == "Jeg vil gerne deltage."
    new = services.consent_record(actor=c, party=world.victim, method="signed")
    assert (new.text.version, new.text.text) == (2, "Ny tekst, version 2.")
    assert ConsentText.objects.filter(district=world.case.district).count() == 2
    [row] = AuditEvent.objects.filter(purpose=AuditEvent.Purpose.MEDIATION_CONSENT_TEXT_PUBLISHED)
    assert row.detail == {"version": 2}


@pytest.mark.parametrize("text", ["", "   ", "Jeg vil gerne deltage."])
def test_an_empty_or_unchanged_text_is_refused(text, personas, world, as_user):
    response = as_user(personas.mediation_coordinator).post(
        reverse("mediation:consent_text_save"), {"consent-text": text}
    )
    assert response.status_code == 400
    assert ConsentText.objects.filter(district=world.case.district).count() == 1


def test_the_page_lists_versions_with_their_consents(personas, world, as_user):
    services.consent_record(
        actor=personas.mediation_coordinator, party=world.offender, method="oral"
    )
    html = as_user(personas.mediation_coordinator).get(reverse("mediation:settings")).content
    assert b'data-version="1"' in html and b"Jeg vil gerne deltage." in html
    assert Consent.objects.count() == 1


def test_the_coordinator_of_another_district_changes_only_their_own(personas, world, as_user):
    client = as_user(world.se_coordinator)
    client.post(reverse("mediation:retention_save"), {"retention-retention_days": 500})
    client.post(reverse("mediation:consent_text_save"), {"consent-text": "Ny svensk text."})
    assert not Settings.objects.filter(district=world.case.district).exists()
    assert Settings.objects.get(district=world.se_case.district).retention_days == 500
    assert ConsentText.objects.filter(district=world.case.district).count() == 1
    assert (
        "Jag vill delta."
        not in as_user(personas.mediation_coordinator)
        .get(reverse("mediation:settings"))
        .content.decode()
    )


@pytest.mark.parametrize(
    "name", ["mediator", "officer_a", "admin_a", "secretariat_a", "sysadmin", "counsellor_a"]
)
def test_no_one_else_opens_or_posts_the_settings(name, personas, world, as_user):
    client = as_user(getattr(personas, name))
    assert client.get(reverse("mediation:settings")).status_code == 404
    post = client.post(reverse("mediation:retention_save"), {"retention-retention_days": 400})
    assert post.status_code == 404
    post = client.post(reverse("mediation:consent_text_save"), {"consent-text": "X"})
    assert post.status_code == 404
    assert not Settings.objects.exists()
    assert ConsentText.objects.filter(district=world.case.district).count() == 1
