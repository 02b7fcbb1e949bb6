"""Escalation from a local PSP group to the district's visitation group carries the name, the
birth date, the signs, the reason and the agreed actions' status, and nothing more."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.fora import exchange, meetings, services
from sporskifte.fora.frame import ForumKind, LegalBasis
from sporskifte.fora.models import ForumPerson
from sporskifte.fora.tests.conftest import PSP_PERSON, PSP_SECRET
from sporskifte.testing.factories import district

REASON = "Operativgruppen kan ikke løfte sagen alene"
MINUTES = "Fortroligt referat fra operativgruppen"
ITEM_NOTE = "Noter til punktet om borgeren"
AGENDA_REASON = "Ny episode i opgangen"


@pytest.fixture
def local_history(personas, world):
    officer = personas.officer_a
    m = meetings.meeting_plan(
        actor=officer, forum=world.psp, starts_at=timezone.now(), place="Politistationen"
    )
    item = meetings.agenda_item_add(
        actor=officer, meeting=m, kind="person", person=world.psp_person, reason=AGENDA_REASON
    )
    meetings.minutes_save(
        actor=officer, meeting=m, minutes=MINUTES, item_notes={item.pk: ITEM_NOTE}
    )
    action = meetings.action_add(
        actor=officer,
        meeting=m,
        description="Psykiatrien tilbyder besøg",
        owner=world.psychiatry,
        deadline=timezone.localdate() + dt.timedelta(days=7),
        person=world.psp_person,
    )
    return action


def escalate(personas, world, **kw):
    args = {"actor": personas.officer_a, "person": world.psp_person, "to_forum": world.visitation}
    return exchange.forum_person_escalate(**(args | {"reason": REASON} | kw))


def test_escalation_carries_exactly_what_may_travel(personas, world, local_history):
    e = escalate(personas, world)
    target = e.to_person
    assert target.forum == world.visitation
    assert (target.full_name, target.birth_date, target.psp_signs) == (
        PSP_PERSON,
        world.psp_person.birth_date,
        world.psp_person.psp_signs,
    )
    assert e.carried_actions == [
        {
            "description": "Psykiatrien tilbyder besøg",
            "owner": world.psychiatry.name,
            "deadline": local_history.deadline.isoformat(),
            "status": "open",
        }
    ]
    # One share in the visitation group: the reason, under PSP, brought by the escalating member.
    (share,) = target.shares.all()
    assert share.information == REASON and share.legal_basis == LegalBasis.PSP
    assert share.brought_by == personas.officer_a
    assert not target.consents.exists() and not target.agenda_items.exists()
    assert not target.actions.exists()


def test_no_other_field_of_the_person_travels(personas, world):
    ForumPerson.objects.filter(pk=world.psp_person.pk).update(
        charge="x",
        recommendation="y",
        institution="z",
        release_date=dt.date(2026, 1, 1),
        custodial_in_view=True,
        referred_to_ykn=True,
        ykn_exception="serious",
    )
    world.psp_person.refresh_from_db()
    target = escalate(personas, world).to_person
    own = {"id", "forum", "created_by", "created_at", *exchange.TRAVELLING_PERSON_FIELDS}
    for field in ForumPerson._meta.concrete_fields:
        if field.name not in own:
            assert getattr(target, field.attname) == field.get_default(), field.name


def test_nothing_else_of_the_local_group_shows_in_the_visitation_group(
    personas, world, local_history, as_user
):
    e = escalate(personas, world)
    body = (
        as_user(personas.admin_a)
        .get(reverse("fora:person_detail", args=[e.to_person.pk]))
        .content.decode()
    )
    assert PSP_PERSON in body and REASON in body and "Psykiatrien tilbyder besøg" in body
    for local in (PSP_SECRET, MINUTES, ITEM_NOTE, AGENDA_REASON, "Falder mellem flere stole"):
        assert local not in body
    export = (
        as_user(personas.admin_a)
        .get(reverse("fora:person_export", args=[e.to_person.pk]))
        .content.decode()
    )
    for local in (PSP_SECRET, MINUTES, ITEM_NOTE, AGENDA_REASON):
        assert local not in export


def test_visitation_members_do_not_reach_the_local_record(personas, world, local_history, as_user):
    escalate(personas, world)
    client = as_user(personas.admin_a)  # coordinates the visitation group, not in PSP Viborg
    assert client.get(reverse("fora:person_detail", args=[world.psp_person.pk])).status_code == 404


def test_escalation_is_audited_with_its_basis(personas, world):
    e = escalate(personas, world)
    rows = AuditEvent.objects.filter(action="disclose", detail__escalation=e.pk)
    assert {r.object_id for r in rows} == {str(world.psp_person.pk), str(e.to_person.pk)}
    assert {r.legal_basis for r in rows} == {LegalBasis.PSP}


def test_escalation_needs_a_reason_and_happens_once(personas, world):
    with pytest.raises(ValidationError):
        escalate(personas, world, reason=" ")
    escalate(personas, world)
    with pytest.raises(ValidationError):
        escalate(personas, world)
    assert ForumPerson.objects.filter(forum=world.visitation).count() == 1


def test_only_members_of_the_local_group_escalate(personas, world):
    with pytest.raises(PermissionDenied):
        escalate(personas, world, actor=personas.admin_a)


def test_only_psp_persons_go_only_to_their_districts_visitation_group(personas, world):
    with pytest.raises(ValidationError):
        escalate(personas, world, person=world.ssp_person)
    other = services.forum_create(
        actor=personas.admin_a,
        name="Ikke en visitationsgruppe",
        kind=ForumKind.INFOHUS,
        municipality=None,
        organisations=[district("midt-vestjylland")],
    )
    with pytest.raises(ValidationError):
        escalate(personas, world, to_forum=other)
    assert not exchange.escalation_targets(world.ssp_person).exists()


def test_escalation_page_says_what_travels(personas, world, local_history, as_user):
    response = as_user(world.nurse).post(
        reverse("fora:person_escalate", args=[world.psp_person.pk]),
        {"to_forum": world.visitation.pk, "reason": REASON},
    )
    assert response.status_code == 302
    assert ForumPerson.objects.filter(forum=world.visitation, full_name=PSP_PERSON).exists()
