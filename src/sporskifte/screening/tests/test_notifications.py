import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sporskifte.screening import clocks, services
from sporskifte.screening.models import Hit, Notification
from sporskifte.screening.tests.conftest import household, incident, screened

pytestmark = pytest.mark.django_db
ADULT = "0101809001"


@pytest.fixture
def hits(personas, district_a, rule):
    """Two children of one household, one in Holstebro and one in Viborg."""
    screened(personas, district_a, ADULT, ("0101159002", "0661"), ("0101139004", "0791"))
    return {h.child_municipality.name: h for h in Hit.objects.select_related("child_municipality")}


def draft_approve(personas, hit, urgent=False):
    n = services.notification_draft(actor=personas.screening_a, hit=hit, urgent=urgent)
    return services.notification_approve(actor=personas.screening_approver_a, notification=n)


def test_two_children_in_two_municipalities_give_two_notifications(personas, hits):
    made = [draft_approve(personas, h) for h in hits.values()]
    assert sorted(n.municipality.name for n in made) == ["Holstebro", "Viborg"]
    assert "2 incidents within 365 days" in made[0].facts


def test_the_drafter_cannot_approve_and_nothing_changes(personas, hits):
    n = services.notification_draft(actor=personas.screening_a, hit=hits["Holstebro"])
    with pytest.raises(ValidationError, match="second person"):
        services.notification_approve(actor=personas.screening_a, notification=n)
    n.refresh_from_db()
    assert (n.state, n.approved_by) == (Notification.State.DRAFT, None)


def test_urgent_notification_cannot_be_sent_without_the_call_time(personas, hits):
    n = draft_approve(personas, hits["Holstebro"], urgent=True)
    with pytest.raises(ValidationError, match="on-call"):
        services.notification_send(actor=personas.screening_a, notification=n)
    n.refresh_from_db()
    assert n.state == Notification.State.APPROVED
    called = timezone.now() - dt.timedelta(minutes=5)
    services.notification_send(actor=personas.screening_a, notification=n, on_call_called_at=called)
    n.refresh_from_db()
    assert (n.state, n.on_call_called_at) == (Notification.State.SENT, called)


def test_a_child_without_an_address_cannot_be_drafted(personas, district_a, rule):
    incident(district_a, ADULT, days_ago=40), incident(district_a, ADULT)
    household(district_a, ADULT, "0101159002", municipality_code="", address="")
    services.screening_run(actor=personas.screening_a, district=district_a, mode="full")
    hit = Hit.objects.get()
    with pytest.raises(ValidationError, match="no known address"):
        services.notification_draft(actor=personas.screening_a, hit=hit)
    hit.refresh_from_db()
    assert (hit.state, Notification.objects.count()) == (Hit.State.NEW, 0)


def test_sent_in_app_notice_names_no_child(personas, hits, mailoutbox):
    from sporskifte.organisations.models import Organisation
    from sporskifte.testing.jobs import run_queued_jobs

    Organisation.objects.filter(slug="kommune-dk-0661").update(email="boern@holstebro.invalid")
    n = draft_approve(personas, hits["Holstebro"])
    services.notification_send(actor=personas.screening_a, notification=n)
    run_queued_jobs()
    (mail,) = mailoutbox
    assert mail.to == ["boern@holstebro.invalid"]
    assert "0101159002" not in mail.body and n.child_name not in mail.body
    assert n.channel == Notification.Channel.SPORSKIFTE


def test_municipality_without_users_needs_the_channel(personas, hits):
    personas.child_services_viborg.is_active = False
    personas.child_services_viborg.save()
    n = draft_approve(personas, hits["Viborg"])
    with pytest.raises(ValidationError, match="no users"):
        services.notification_send(actor=personas.screening_a, notification=n)
    services.notification_send(actor=personas.screening_a, notification=n, channel="digital_post")
    assert n.channel == Notification.Channel.DIGITAL_POST and n.sent_at is not None


def test_acknowledgement_deadline_counts_six_danish_working_days():
    # Received Wednesday 1 April 2026: Maundy Thursday, Good Friday and Easter Monday are
    # public holidays, so the six working days are 7-10 and 13-14 April.
    assert clocks.acknowledge_due_on(dt.date(2026, 4, 1), "DK") == dt.date(2026, 4, 14)
    assert clocks.acknowledge_due_on(dt.date(2026, 11, 27), "DK") == dt.date(2026, 12, 7)
    assert clocks.decision_due_on(dt.date(2026, 4, 1), "SE") == dt.date(2026, 4, 15)


def test_municipality_acknowledges_assesses_and_gives_feedback(personas, hits):
    n = draft_approve(personas, hits["Holstebro"])
    services.notification_send(actor=personas.screening_a, notification=n)
    with pytest.raises(ValidationError, match="Acknowledge"):
        services.notification_feedback(
            actor=personas.child_services_holstebro, notification=n, investigation_started=True
        )
    services.notification_acknowledge(actor=personas.child_services_holstebro, notification=n)
    services.notification_assess(
        actor=personas.child_services_holstebro, notification=n, acute_action=False
    )
    services.notification_feedback(
        actor=personas.child_services_holstebro, notification=n, investigation_started=True
    )
    n.refresh_from_db()
    assert n.acknowledged_at and n.acute_action is False and n.investigation_started is True


def test_another_municipality_cannot_acknowledge(personas, hits):
    from django.core.exceptions import PermissionDenied

    n = draft_approve(personas, hits["Holstebro"])
    services.notification_send(actor=personas.screening_a, notification=n)
    with pytest.raises(PermissionDenied):
        services.notification_acknowledge(actor=personas.child_services_viborg, notification=n)


def test_child_under_15_detained_is_notified_without_a_rule(personas):
    from sporskifte.organisations.models import Municipality

    now = timezone.now()
    kwargs = dict(
        child_id_number="0101139004",
        child_name="Test Barn",
        child_sex="M",
        child_address="Skolevej 3",
        municipality=Municipality.objects.get(country="DK", code="0791"),
        facts="Detained after a shop theft.",
        detained_at=now,
    )
    n = services.notification_draft_direct(
        actor=personas.screening_a,
        child_birth_date=now.date().replace(year=now.year - 13),
        **kwargs,
    )
    assert n.kind == Notification.Kind.CHILD_UNDER_15
    with pytest.raises(ValidationError, match="15 or older"):
        services.notification_draft_direct(
            actor=personas.screening_a,
            child_birth_date=now.date().replace(year=now.year - 16),
            **kwargs,
        )


def test_rule_with_an_unknown_code_is_refused(personas, rule):
    with pytest.raises(ValidationError, match="Not on the district's code list: NOPE"):
        services.rule_save(
            actor=personas.admin_a,
            name="Bad",
            incident_codes=["NOPE"],
            offence_codes=[],
            window_days=365,
            threshold=2,
            reason_category="violence",
            facts_template="$incidents",
        )
