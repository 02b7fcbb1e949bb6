import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.concerns import services
from sporskifte.concerns.models import ConcernCase, Conversation, CustodyHolder
from sporskifte.concerns.tests.conftest import (
    add_parents,
    conversation_fields,
    open_case,
    years_ago,
    young_person,
)
from sporskifte.people.models import Person
from sporskifte.people.services import person_build
from sporskifte.testing.factories import district, fictitious_cpr

pytestmark = pytest.mark.django_db


def test_a_young_person_of_18_is_refused_with_a_clear_message_and_nothing_is_saved(personas):
    before = Person.objects.count()
    with pytest.raises(ValidationError) as exc:
        open_case(personas.officer_a, age=18)
    message = exc.value.message_dict["id_number"][0]
    assert "18 years old" in message and "under 18" in message
    assert Person.objects.count() == before
    assert not ConcernCase.objects.exists()


def test_17_year_old_is_accepted_and_the_case_is_audited(personas):
    case = open_case(personas.officer_a, age=17)
    row = AuditEvent.objects.get(object_type="concern_case", action=AuditEvent.Action.CREATE)
    assert row.person_id == case.person_id and row.actor == personas.officer_a
    assert row.legal_basis == services.LEGAL_BASIS


def test_age_is_taken_on_the_date_of_the_concern_not_today(personas):
    # 18 today, but 17 when the event happened: a worry case is still right.
    birth = years_ago(18, days=10)
    person = person_build(
        police_district_id=district("midt-vestjylland").pk,
        full_name="Kim Testsen",
        id_kind="cpr",
        id_number=fictitious_cpr(birth, female=False),
    )
    case = services.concern_case_create(
        actor=personas.officer_a,
        person=person,
        concern_date=timezone.localdate() - dt.timedelta(days=20),
        summary="Kniv i skoletasken.",
    )
    assert case.pk


def test_without_identity_number_the_birth_date_is_required(personas):
    person = person_build(police_district_id=district("midt-vestjylland").pk, full_name="Kim")
    with pytest.raises(ValidationError) as exc:
        services.concern_case_create(
            actor=personas.officer_a,
            person=person,
            concern_date=timezone.localdate(),
            summary="x",
        )
    assert "birth_date" in exc.value.message_dict


def test_over_18_through_the_form_shows_the_message_in_the_error_summary(personas, as_user):
    birth = years_ago(19)
    response = as_user(personas.officer_a).post(
        reverse("concerns:case_new"),
        {
            "full_name": "Kim Testsen",
            "id_kind": "cpr",
            "id_number": fictitious_cpr(birth, female=False),
            "concern_date": timezone.localdate().isoformat(),
            "summary": "Set med bandemedlemmer.",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "data-error-summary" in html
    assert "only for young people under 18" in html
    assert not ConcernCase.objects.exists()


def test_officer_opens_a_case_through_the_form(personas, as_user):
    birth = years_ago(15)
    response = as_user(personas.officer_a).post(
        reverse("concerns:case_new"),
        {
            "full_name": "Kim  Testsen",
            "id_kind": "cpr",
            "id_number": fictitious_cpr(birth, female=True),
            "concern_date": timezone.localdate().isoformat(),
            "summary": "Set med bandemedlemmer.",
        },
    )
    case = ConcernCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("concerns:case_detail", args=[case.pk])
    assert case.person.full_name == "Kim Testsen" and case.person.sex == "F"
    assert case.police_district == district("midt-vestjylland")


def test_a_service_refuses_another_districts_case(personas, world):
    with pytest.raises(PermissionDenied):
        services.custody_holder_add(
            actor=personas.officer_b, case=world.case_a, full_name="X", relation="mother"
        )
    with pytest.raises(PermissionDenied):
        services.concern_case_create(
            actor=personas.counsellor_a,
            person=young_person(),
            concern_date=timezone.localdate(),
            summary="x",
        )


def test_a_person_of_another_district_cannot_be_opened_as_a_case(personas):
    with pytest.raises(PermissionDenied):
        services.concern_case_create(
            actor=personas.officer_a,
            person=young_person("sydoestjylland"),
            concern_date=timezone.localdate(),
            summary="x",
        )


def test_custody_holder_needs_a_whole_address_or_none(personas):
    case = open_case(personas.officer_a)
    with pytest.raises(ValidationError) as exc:
        services.custody_holder_add(
            actor=personas.officer_a,
            case=case,
            full_name="Anne",
            relation="mother",
            address="Østergade 1",
            postal_code="75",
            city="",
        )
    assert set(exc.value.message_dict) == {"postal_code", "address"}
    holder = services.custody_holder_add(
        actor=personas.officer_a, case=case, full_name="Anne  Testrup", relation="mother"
    )
    assert holder.full_name == "Anne Testrup" and not holder.has_address


def test_conversation_is_recorded_with_participants_and_audited(personas):
    case = open_case(personas.officer_a)
    parents = add_parents(personas.officer_a, case)
    conv = services.conversation_record(
        actor=personas.officer_a, case=case, custody_holders=parents[:1], **conversation_fields()
    )
    assert list(conv.custody_holders.all()) == parents[:1]
    row = AuditEvent.objects.get(object_type="concern_conversation")
    assert row.person_id == case.person_id and row.object_id == str(conv.pk)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_on": timezone.localdate() + dt.timedelta(days=2)}, "held_on"),
        ({"young_person_present": False, "_holders": []}, "custody_holders"),
        ({"categories": []}, "categories"),
        ({"categories": ["astrology"]}, "categories"),
        ({"follow_up_by": ""}, "follow_up_by"),
        ({"follow_up_on": None}, "follow_up_on"),
        ({"follow_up_on": timezone.localdate() - dt.timedelta(days=9)}, "follow_up_on"),
        ({"concern": "  "}, "concern"),
    ],
)
def test_conversation_rules_give_a_message_on_the_field(personas, overrides, field):
    case = open_case(personas.officer_a)
    parents = add_parents(personas.officer_a, case)
    overrides = dict(overrides)
    holders = overrides.pop("_holders", parents)
    with pytest.raises(ValidationError) as exc:
        services.conversation_record(
            actor=personas.officer_a,
            case=case,
            custody_holders=holders,
            **conversation_fields(**overrides),
        )
    assert field in exc.value.message_dict
    assert not Conversation.objects.exists()


def test_a_planned_conversation_may_lie_ahead_and_moves_retention(personas):
    case = open_case(personas.officer_a)
    ahead = timezone.localdate() + dt.timedelta(days=40)
    services.conversation_record(
        actor=personas.officer_a,
        case=case,
        custody_holders=[],
        **conversation_fields(
            status=Conversation.Status.PLANNED, held_on=ahead, follow_up_on=None, follow_up_by=""
        ),
    )
    case.refresh_from_db()
    assert case.last_event_on == ahead


def test_a_conversation_after_the_18th_birthday_is_refused(personas):
    case = open_case(personas.officer_a, age=17)  # 17 years and 40 days today
    birthday = case.person.birth_date + dt.timedelta(days=18 * 365 + 10)
    with pytest.raises(ValidationError) as exc:
        services.conversation_record(
            actor=personas.officer_a,
            case=case,
            custody_holders=[],
            **conversation_fields(
                status=Conversation.Status.PLANNED,
                held_on=birthday,
                follow_up_on=None,
                follow_up_by="",
            ),
        )
    assert "under 18" in exc.value.message_dict["held_on"][0]


def test_custody_holder_of_another_case_cannot_take_part(personas):
    case = open_case(personas.officer_a)
    other = open_case(personas.officer_a, name="Ole Andersen")
    strangers = add_parents(personas.officer_a, other)
    with pytest.raises(ValidationError) as exc:
        services.conversation_record(
            actor=personas.officer_a, case=case, custody_holders=strangers, **conversation_fields()
        )
    assert "custody_holders" in exc.value.message_dict


def test_conversation_update_changes_status_and_is_audited(personas, world, as_user):
    conv = world.conversation_a
    data = {
        **conversation_fields(status=Conversation.Status.COMPLETED),
        "custody_holders": [h.pk for h in world.parents_a],
    }
    data["held_on"] = data["held_on"].isoformat()
    data["follow_up_on"] = data["follow_up_on"].isoformat()
    response = as_user(personas.investigator_a).post(
        reverse("concerns:conversation_edit", args=[conv.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    conv.refresh_from_db()
    assert conv.status == Conversation.Status.COMPLETED
    assert AuditEvent.objects.filter(
        object_type="concern_conversation",
        action=AuditEvent.Action.UPDATE,
        person_id=world.case_a.person_id,
    ).exists()


def test_conversation_form_keeps_the_input_and_shows_errors(personas, world, as_user):
    response = as_user(personas.officer_a).post(
        reverse("concerns:conversation_new", args=[world.case_a.pk]),
        {"place": "Skolen", "status": "held", "held_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "data-error-summary" in html and 'value="Skolen"' in html
    assert CustodyHolder.objects.filter(case=world.case_a).count() == 2


def test_the_case_page_view_is_audited_with_the_person(personas, world, as_user):
    as_user(personas.admin_a).get(reverse("concerns:case_detail", args=[world.case_a.pk]))
    row = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, object_type="concern_case")
    assert row.person_id == world.case_a.person_id and row.actor == personas.admin_a


def test_opening_a_conversation_is_audited_with_the_person(personas, world, as_user):
    url = reverse("concerns:conversation_edit", args=[world.conversation_a.pk])
    as_user(personas.officer_a).get(url)
    row = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, object_type="concern_conversation")
    assert row.person_id == world.case_a.person_id
