import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.core.templatetags.sporskifte import phone as grouped_phone
from sporskifte.organisations.models import Organisation
from sporskifte.referrals import services
from sporskifte.referrals.models import (
    Consent,
    ConsentText,
    Offer,
    Programme,
    Referral,
    Step,
)
from sporskifte.referrals.selectors import consent_text_current, police_status
from sporskifte.referrals.tests.conftest import accept
from sporskifte.testing.factories import (
    OfferFactory,
    PersonFactory,
    ProgrammeFactory,
    municipality,
)

pytestmark = pytest.mark.django_db


def _now():
    return timezone.now()


def test_yes_with_consent_routes_to_home_municipality_centre(world):
    assert world.referral_viborg.partner.name == "Rusmiddelcenter Viborg"
    assert world.referral_herning.partner.name == "Rusmiddelcenter Herning"
    assert world.referral_viborg.due_at.date() == (_now() + dt.timedelta(days=5)).date()


def test_fixed_partner_programme_routes_to_that_partner(personas):
    brydehuset = Organisation.objects.get(slug="brydehuset")
    programme = ProgrammeFactory(
        destination=Programme.Destination.FIXED_PARTNER, fixed_partner=brydehuset
    )
    referral = accept(OfferFactory(programme=programme), personas.officer_a)
    assert referral.partner == brydehuset


def test_yes_without_consent_record_creates_nothing(personas, world):
    offer = world.offer_not_asked
    with pytest.raises(ValidationError) as exc:
        services.offer_answer(actor=personas.officer_a, offer=offer, answer=Offer.Answer.YES)
    assert "consent_method" in exc.value.message_dict
    offer.refresh_from_db()
    assert offer.answer == Offer.Answer.NOT_ASKED
    assert not Referral.objects.filter(offer=offer).exists()
    assert not Consent.objects.filter(offer=offer).exists()


def test_municipality_without_centre_gives_clear_error_and_no_referral(personas):
    # Aarhus is in another district; no substance-abuse centre is registered for it.
    offer = OfferFactory(person=PersonFactory(home_municipality=municipality("Aarhus")))
    with pytest.raises(ValidationError) as exc:
        accept(offer, personas.officer_a)
    assert "home_municipality" in exc.value.message_dict
    assert not Consent.objects.filter(offer=offer).exists()
    assert not AuditEvent.objects.filter(object_type="offer", object_id=str(offer.pk)).exists()


def test_failed_routing_leaves_no_audit_row(personas, world):
    """The audit row and the action share one transaction: a failure leaves neither."""
    before = AuditEvent.objects.count()
    with (
        mock.patch.object(services, "referral_route", side_effect=ValidationError("x")),
        pytest.raises(ValidationError),
    ):
        accept(world.offer_not_asked, personas.officer_a)
    assert AuditEvent.objects.count() == before


def test_accepting_writes_disclosure_with_consent_as_legal_basis(world):
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.DISCLOSE, object_id=str(world.referral_viborg.pk)
    )
    assert event.legal_basis == services.CONSENT
    assert event.person_id == world.offer_viborg.person_id
    assert event.detail["consent_text_version"] == 1


def test_editing_consent_text_makes_new_version_and_old_consents_keep_theirs(personas, world):
    programme = world.programme_a
    services.programme_update(
        actor=personas.admin_a,
        programme=programme,
        consent_text="Ny tekst om samtykke.",
        offences=list(programme.offences.all()),
        name=programme.name,
    )
    versions = list(
        ConsentText.objects.filter(programme=programme).values_list("version", flat=True)
    )
    assert sorted(versions) == [1, 2]
    assert world.offer_viborg.consents.get().text.version == 1
    referral = accept(world.offer_not_asked, personas.officer_a)
    assert referral.offer.consents.get().text.version == 2


def test_unchanged_consent_text_keeps_version(personas, world):
    programme = world.programme_a
    services.programme_update(
        actor=personas.admin_a,
        programme=programme,
        consent_text=consent_text_current(programme).text,
        offences=list(programme.offences.all()),
        contact_deadline_days=7,
    )
    assert programme.consent_texts.count() == 1


def test_officer_cannot_change_programme(personas, world):
    with pytest.raises(PermissionDenied):
        services.programme_update(
            actor=personas.officer_a,
            programme=world.programme_a,
            consent_text="x",
            offences=[],
            name="Hacked",
        )


def test_admin_of_other_district_cannot_change_programme(personas, world):
    from sporskifte.accounts.models import Role
    from sporskifte.testing.factories import district, member

    admin_b = member("admin_b", district("sydoestjylland"), Role.DISTRICT_ADMIN)
    with pytest.raises(PermissionDenied):
        services.programme_update(
            actor=admin_b, programme=world.programme_a, consent_text="x", offences=[], name="X"
        )


def test_withdrawal_stops_sharing_at_once(personas, world, as_user):
    referral = world.referral_viborg
    phone = grouped_phone(referral.offer.person.phone)  # as the page shows it
    client = as_user(personas.counsellor_a)
    assert phone in client.get(f"/henvisninger/{referral.pk}/").content.decode()
    services.consent_withdraw(actor=personas.officer_a, offer=referral.offer)
    page = client.get(f"/henvisninger/{referral.pk}/").content.decode()
    assert phone not in page
    assert referral.offer.person.full_name not in page
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.WITHDRAW, person_id=referral.offer.person_id
    ).exists()


def test_partner_can_record_withdrawal_and_nothing_more_can_be_recorded(personas, world):
    referral = world.referral_viborg
    services.consent_withdraw(actor=personas.counsellor_a, offer=referral.offer)
    consent = referral.offer.consents.get()
    assert consent.withdrawal_via.name == "Rusmiddelcenter Viborg"
    with pytest.raises(ValidationError):
        services.referral_record_attempt(
            actor=personas.counsellor_a, referral=referral, at=_now(), method="phone", reached=True
        )


def test_other_partner_cannot_withdraw(personas, world):
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(actor=personas.counsellor_b, offer=world.offer_viborg)


def test_partner_of_other_municipality_cannot_record_attempt(personas, world):
    with pytest.raises(PermissionDenied):
        services.referral_record_attempt(
            actor=personas.counsellor_b,
            referral=world.referral_viborg,
            at=_now(),
            method="phone",
            reached=True,
        )


def test_first_reached_attempt_sets_contact_made(personas, world):
    r = world.referral_viborg
    c = personas.counsellor_a
    services.referral_record_attempt(actor=c, referral=r, at=_now(), method="phone", reached=False)
    r.refresh_from_db()
    assert r.contact_made_at is None and r.status == Referral.Status.IN_PROGRESS
    when = _now()
    services.referral_record_attempt(actor=c, referral=r, at=when, method="sms", reached=True)
    r.refresh_from_db()
    assert r.contact_made_at == when


def test_attempt_in_the_future_is_refused(personas, world):
    with pytest.raises(ValidationError):
        services.referral_record_attempt(
            actor=personas.counsellor_a,
            referral=world.referral_viborg,
            at=_now() + dt.timedelta(days=1),
            method="phone",
            reached=True,
        )


def test_steps_set_milestones_and_closing_step_closes(personas, world):
    r, c = world.referral_viborg, personas.counsellor_a
    services.referral_record_step(actor=c, referral=r, step=Step.FIRST_CONVERSATION, at=_now())
    services.referral_record_step(actor=c, referral=r, step=Step.FURTHER_SESSIONS, at=_now())
    r.refresh_from_db()
    assert r.first_conversation_at and r.further_sessions_at and r.contact_made_at
    services.referral_record_step(actor=c, referral=r, step=Step.CLOSED, at=_now())
    r.refresh_from_db()
    assert r.status == Referral.Status.CLOSED and r.closed_at
    with pytest.raises(ValidationError):
        services.referral_record_step(actor=c, referral=r, step=Step.FIRST_CONVERSATION, at=_now())


def test_step_the_programme_does_not_use_is_refused(personas, world):
    world.programme_a.outcome_steps = [Step.FIRST_CONVERSATION, Step.CLOSED]
    world.programme_a.save()
    with pytest.raises(ValidationError):
        services.referral_record_step(
            actor=personas.counsellor_a,
            referral=world.referral_viborg,
            step=Step.FURTHER_SESSIONS,
            at=_now(),
        )


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (Programme.Feedback.NOTHING, "Referred"),
        (Programme.Feedback.CONTACT_MADE, "Contact made"),
        (Programme.Feedback.OUTCOME, "First conversation held"),
    ],
)
def test_police_status_respects_feedback_level(personas, world, level, expected, settings):
    settings.LANGUAGE_CODE = "en"
    r = world.referral_viborg
    services.referral_record_step(
        actor=personas.counsellor_a, referral=r, step=Step.FIRST_CONVERSATION, at=_now()
    )
    r.refresh_from_db()
    r.programme.feedback_level = level
    from django.utils import translation

    with translation.override("en"):
        assert police_status(r) == expected


def test_counselling_notes_never_reach_the_police(personas, world, as_user):
    marker = "HEMMELIG-SAMTALE-7f3a"
    r = world.referral_viborg
    services.counselling_note_add(actor=personas.counsellor_a, referral=r, text=marker)
    services.referral_record_step(
        actor=personas.counsellor_a, referral=r, step=Step.FIRST_CONVERSATION, at=_now()
    )
    for persona in ("officer_a", "investigator_a", "admin_a"):
        client = as_user(getattr(personas, persona))
        for url in (
            "/henvisninger/",
            f"/henvisninger/tilbud/{r.offer_id}/",
            f"/henvisninger/sager/{world.case_a.pk}/",
            f"/henvisninger/{r.pk}/",
        ):
            assert marker not in client.get(url).content.decode()
    assert marker in as_user(personas.counsellor_a).get(f"/henvisninger/{r.pk}/").content.decode()


def test_counsellor_of_other_centre_cannot_add_note(personas, world):
    with pytest.raises(PermissionDenied):
        services.counselling_note_add(
            actor=personas.counsellor_b, referral=world.referral_viborg, text="x"
        )


def test_officer_of_other_district_cannot_answer(personas, world):
    with pytest.raises(PermissionDenied):
        services.offer_answer(
            actor=personas.officer_b, offer=world.offer_not_asked, answer=Offer.Answer.NO
        )


def test_offer_cannot_be_referred_twice(personas, world):
    with pytest.raises(ValidationError):
        accept(world.offer_viborg, personas.officer_a)


def test_thinking_it_over_then_yes(personas, world):
    offer = world.offer_not_asked
    services.offer_answer(actor=personas.officer_a, offer=offer, answer=Offer.Answer.THINKING)
    referral = accept(offer, personas.officer_a)
    assert referral.offer.answer == Offer.Answer.YES


def test_a_step_is_written_in_the_fewest_statements(personas, world):
    """Lock and read (with the consent and erasure checks), the step, the referral's changed
    columns, the feed's number and entry, and the audit row with its organisations: no second
    read of the referral and no query for the answer's ``corrected_by``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    r, c = world.referral_viborg, personas.counsellor_a
    services.referral_record_step(actor=c, referral=r, step=Step.FIRST_CONVERSATION, at=_now())
    with CaptureQueriesContext(connection) as statements:
        step = services.referral_record_step(
            actor=c, referral=r, step=Step.FURTHER_SESSIONS, at=_now()
        )
        assert getattr(step, "correction", None) is None
    sql = [q["sql"] for q in statements.captured_queries]
    writes = [s for s in sql if not s.startswith(("SAVEPOINT", "RELEASE"))]
    rollup = [s for s in writes if "funnelrollup" in s]
    # The referral is before its deadline: its open-deadline row is written in one statement.
    deadline = [s for s in writes if "opendeadline" in s]
    assert len(deadline) == 1
    audit = 1 if connection.vendor == "postgresql" else 2
    assert len(writes) - len(rollup) - 1 == 1 + 1 + 1 + 2 + audit, "\n".join(writes)
    update = next(s for s in writes if s.startswith("UPDATE"))
    assert '"offer_id"' not in update  # only the columns the step changed
    r.refresh_from_db()
    assert r.further_sessions_at and r.last_step == Step.FURTHER_SESSIONS
