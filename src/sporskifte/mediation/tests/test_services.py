"""The rules of the acts as the services enforce them: refused with a reason, nothing changed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.mediation import services
from sporskifte.mediation.models import (
    CaseFigures,
    Consent,
    DeclaredRelation,
    Meeting,
    SatisfactionAnswer,
    SatisfactionLink,
    State,
)
from sporskifte.mediation.tests.conftest import make_ready

NOW = timezone.now


def _messages(exc):
    return " ".join(exc.value.messages)


def _to_ready(personas, world):
    make_ready(personas.mediation_coordinator, world.case)
    world.case.refresh_from_db()
    return world.case


def test_an_offender_without_confession_cannot_get_a_mediator(personas, world):
    c = personas.mediation_coordinator
    case = world.case
    services.case_screen(actor=c, case=case, suitable=True)
    services.case_contact(actor=c, case=case)
    services.case_ask_consent(actor=c, case=case)
    for party in (world.offender, world.victim):
        services.consent_record(actor=c, party=party, method="oral")
    holder = services.custody_holder_add(actor=c, party=world.victim, full_name="Mor Prøvesen")
    services.consent_record(actor=c, party=world.victim, method="oral", custody_holder=holder)
    with pytest.raises(ValidationError) as exc:
        services.case_mark_ready(actor=c, case=case)
    assert "Anders Testsen has not substantially confessed." in _messages(exc)
    case.refresh_from_db()
    assert case.state == State.AWAITING_CONSENT


def test_a_victim_under_18_needs_a_custody_holders_consent(personas, world):
    c = personas.mediation_coordinator
    case = world.case
    for move in (services.case_screen, services.case_contact, services.case_ask_consent):
        move(actor=c, case=case, **({"suitable": True} if move is services.case_screen else {}))
    for party in (world.offender, world.victim):
        services.consent_record(actor=c, party=party, method="signed")
    services.confession_record(actor=c, party=world.offender)
    with pytest.raises(ValidationError) as exc:
        services.case_mark_ready(actor=c, case=case)
    assert _messages(exc) == "Bente Prøvesen is under 18: a custody holder's consent is needed."


def test_consent_from_a_custody_holder_of_an_adult_is_refused(personas, world):
    c = personas.mediation_coordinator
    with pytest.raises(ValidationError) as exc:
        services.custody_holder_add(actor=c, party=world.offender, full_name="Far Testsen")
    assert "18 or over" in _messages(exc)
    # A holder registered while the party was a child does not make an adult's consent count.
    holder = services.custody_holder_add(actor=c, party=world.victim, full_name="Mor")
    holder.party = world.offender
    with pytest.raises(ValidationError):
        services.consent_record(
            actor=c, party=world.offender, method="signed", custody_holder=holder
        )
    assert not Consent.objects.filter(party=world.offender).exists()


def test_a_ready_case_gets_the_suggested_mediator_in_its_area(personas, world):
    case = _to_ready(personas, world)
    choices = services.mediator_choices(case)
    suggested = [ch for ch in choices if ch.suggested]
    assert [ch.user for ch in suggested] == [world.mediator2]  # Viborg is mediator2's area
    services.mediator_assign(
        actor=personas.mediation_coordinator, case=case, mediator=world.mediator2
    )
    case.refresh_from_db()
    assert case.state == State.ASSIGNED and case.mediator == world.mediator2


def test_a_mediator_with_a_declared_relation_is_refused(personas, world):
    case = _to_ready(personas, world)
    DeclaredRelation.objects.create(
        mediator=world.mediator2.mediator_profile, full_name="  bente   prøvesen "
    )
    with pytest.raises(ValidationError) as exc:
        services.mediator_assign(
            actor=personas.mediation_coordinator, case=case, mediator=world.mediator2
        )
    assert _messages(exc) == "Has a declared relation to a party."
    case.refresh_from_db()
    assert case.mediator is None and case.state == State.READY


def test_a_mediator_working_for_a_party_organisation_is_refused(personas, world):
    case = _to_ready(personas, world)
    services.party_add(
        actor=personas.mediation_coordinator,
        case=case,
        data=services.PartyInput(role="victim", organisation_name="Viborg  Gymnasium"),
    )
    choice = {ch.user: ch for ch in services.mediator_choices(case)}[personas.mediator]
    assert choice.refusal == "Works for a party's organisation."


def test_assignment_is_refused_before_the_conditions(personas, world):
    with pytest.raises(ValidationError):
        services.mediator_assign(
            actor=personas.mediation_coordinator, case=world.case, mediator=world.mediator2
        )
    assert world.case.mediator is None


def _with_meeting(personas, world, when=None):
    case = _to_ready(personas, world)
    services.mediator_assign(
        actor=personas.mediation_coordinator, case=case, mediator=world.mediator2
    )
    meeting = services.meeting_book(
        actor=world.mediator2,
        case=case,
        kind="mediation",
        place="Borgerhuset, mødelokale 2",
        starts_at=when or NOW() - dt.timedelta(hours=2),
    )
    return case, meeting


def test_withdrawal_cancels_the_booked_meeting_and_queues_the_notice(personas, world):
    from sporskifte.testing.jobs import run_queued_jobs

    personas.mediation_coordinator.email = "koordinator@example.invalid"
    personas.mediation_coordinator.save()
    world.mediator2.email = "maegler@example.invalid"
    world.mediator2.save()
    case, meeting = _with_meeting(personas, world, when=NOW() + dt.timedelta(days=3))
    services.case_withdraw(actor=world.mediator2, party=world.victim)
    assert mail.outbox == []  # a job, sent when a worker runs it
    run_queued_jobs()
    meeting.refresh_from_db()
    case.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert case.state == State.WITHDRAWN and case.end_reason == "victim_withdrew"
    # One message per recipient, none naming a party.
    assert sorted(a for m in mail.outbox for a in m.to) == [
        "koordinator@example.invalid",
        "maegler@example.invalid",
    ]
    assert all("Prøvesen" not in m.body for m in mail.outbox)
    assert AuditEvent.objects.filter(purpose="mediation_withdrawn").count() == 1


def test_a_second_meeting_on_a_withdrawn_case_is_refused(personas, world):
    case, _meeting = _with_meeting(personas, world, when=NOW() + dt.timedelta(days=3))
    services.case_withdraw(actor=world.mediator2, party=world.offender)
    with pytest.raises(ValidationError) as exc:
        services.meeting_book(
            actor=world.mediator2, case=case, kind="mediation", place="X", starts_at=NOW()
        )
    assert "withdrawn by a party" in _messages(exc)
    assert case.meetings.count() == 1


def test_a_term_due_before_the_meeting_is_refused(personas, world):
    case, meeting = _with_meeting(personas, world)
    services.meeting_hold(
        actor=world.mediator2, meeting=meeting, attendees=[world.offender, world.victim]
    )
    before = timezone.localdate(meeting.starts_at) - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.agreement_record(
            actor=world.mediator2,
            case=case,
            text="Undskyldning og betaling",
            terms=[services.TermInput("payment", "Betaling for briller", before, Decimal("500"))],
        )
    assert "cannot fall due before the meeting" in _messages(exc)
    case.refresh_from_db()
    assert case.state == State.MEETING_HELD and not hasattr(case, "agreement")


def test_terms_kept_complete_the_case_and_the_figures_say_so(personas, world):
    case, meeting = _with_meeting(personas, world)
    services.meeting_hold(actor=world.mediator2, meeting=meeting, attendees=[world.offender])
    due = timezone.localdate() + dt.timedelta(days=30)
    agreement = services.agreement_record(
        actor=world.mediator2,
        case=case,
        text="Anders betaler for brillerne.",
        terms=[
            services.TermInput("apology", "Skriftlig undskyldning", due),
            services.TermInput("payment", "Briller", due, Decimal("800.00")),
        ],
    )
    for term in agreement.terms.all():
        services.term_mark(actor=world.mediator2, term=term, kept=True)
    case.refresh_from_db()
    figures = CaseFigures.objects.get(case=case)
    assert case.state == State.COMPLETED
    assert (figures.meeting_held, figures.agreement_made, figures.agreement_kept) == (
        True,
        True,
        True,
    )
    assert figures.both_consented and figures.category == "violence" and figures.age_band == "25+"


def test_a_case_withdrawn_before_screening_is_not_counted_as_screened(personas, world):
    services.case_withdraw(actor=personas.mediation_coordinator, party=world.offender)
    figures = CaseFigures.objects.get(case=world.case)
    assert figures.suitable is None and figures.end_reason == "offender_withdrew"


def test_a_case_withdrawn_after_screening_stays_suitable(personas, world):
    services.case_screen(actor=personas.mediation_coordinator, case=world.case, suitable=True)
    services.case_withdraw(actor=personas.mediation_coordinator, party=world.victim)
    assert CaseFigures.objects.get(case=world.case).suitable is True


def test_holding_the_meeting_needs_consent_still_in_force(personas, world):
    _case, meeting = _with_meeting(personas, world)
    Consent.objects.filter(party=world.victim, custody_holder=None).update(withdrawn_at=NOW())
    with pytest.raises(ValidationError) as exc:
        services.meeting_hold(actor=world.mediator2, meeting=meeting, attendees=[world.victim])
    assert "Bente Prøvesen has not consented." in _messages(exc)


# Sweden ---------------------------------------------------------------------------------------


def test_swedish_medling_needs_admission_report_synnerliga_skal_and_ful(personas, world):
    c = world.se_coordinator
    case = world.se_case
    services.case_screen(actor=c, case=case, suitable=True)
    services.case_contact(actor=c, case=case)
    services.case_ask_consent(actor=c, case=case)
    holder = services.custody_holder_add(actor=c, party=world.se_offender, full_name="Mamma")
    for party in (world.se_offender, world.se_victim):
        services.consent_record(actor=c, party=party, method="signed")
    services.consent_record(
        actor=c, party=world.se_offender, method="signed", custody_holder=holder
    )
    with pytest.raises(ValidationError) as exc:
        services.case_mark_ready(actor=c, case=case)
    assert exc.value.messages == [
        "Olle Provsson has not admitted the offence.",
        "Olle Provsson was under 12: medling needs written synnerliga skäl.",
        "The police report number is missing.",
        "The förundersökningsledare has not been consulted.",
    ]
    services.confession_record(actor=c, party=world.se_offender)
    services.swedish_conditions_record(
        actor=c,
        case=case,
        police_report_number="5000-K123456-26",
        ful_name="Kommissarie Provsson",
        ful_consulted_at=NOW(),
        ful_answer="Inget hinder.",
        special_reasons="Upprepade skadegörelser mot samma butik; socialtjänsten tillstyrker.",
    )
    services.case_mark_ready(actor=c, case=case)
    case.refresh_from_db()
    assert case.state == State.READY


def test_after_the_investigation_is_closed_no_ful_consultation_is_needed(personas, world):
    case = world.se_case
    services.swedish_conditions_record(
        actor=world.se_coordinator, case=case, police_report_number="1", investigation_closed=True
    )
    from sporskifte.mediation.rules import missing_for_mediation

    assert "The förundersökningsledare has not been consulted." not in missing_for_mediation(case)


# Who acts ------------------------------------------------------------------------------------


def test_only_the_cases_mediator_writes_notes_not_the_coordinator(personas, world):
    case, _ = _with_meeting(personas, world)
    with pytest.raises(PermissionDenied):
        services.note_write(actor=personas.mediation_coordinator, case=case, text="x")
    with pytest.raises(PermissionDenied):
        services.note_write(actor=personas.mediator, case=case, text="x")
    services.note_write(actor=world.mediator2, case=case, text="Parterne er rolige.")


def test_the_coordinator_of_another_district_cannot_act(personas, world):
    with pytest.raises(PermissionDenied):
        services.case_screen(actor=world.se_coordinator, case=world.case, suitable=True)
    world.case.refresh_from_db()
    assert world.case.state == State.PROPOSED


def test_police_of_another_district_cannot_propose_here(personas, world):
    from sporskifte.mediation.tests.conftest import propose_dk

    with pytest.raises(PermissionDenied):
        propose_dk(
            personas.officer_b, offender_birth=dt.date(1990, 1, 1), victim_birth=dt.date(1990, 1, 1)
        )


# Satisfaction ---------------------------------------------------------------------------------


def test_a_satisfaction_link_works_once_and_the_answer_names_no_one(personas, world):
    case, meeting = _with_meeting(personas, world)
    services.meeting_hold(actor=world.mediator2, meeting=meeting, attendees=[world.offender])
    token = services.satisfaction_link_create(actor=world.mediator2, case=case)
    answers = {"got_what_wanted": True, "fair": True, "successful": False, "good_service": True}
    services.satisfaction_by_link(token=token, answers=answers)
    with pytest.raises(ValidationError):
        services.satisfaction_by_link(token=token, answers=answers)
    assert SatisfactionAnswer.objects.count() == 1
    assert not SatisfactionLink.objects.filter(digest=token).exists()  # only the digest is kept
    fields = {f.name for f in SatisfactionAnswer._meta.get_fields()}
    assert not fields & {"case", "party", "link", "created_at"}
