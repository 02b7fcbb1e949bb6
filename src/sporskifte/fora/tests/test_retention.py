"""What a forum holds about a person is deleted when the forum's retention has ended, counted from
when it last dealt with them; the counts per quarter stay as they were, and an open action keeps
the person."""

import datetime as dt
import importlib
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.fora import counts, exchange, meetings, services
from sporskifte.fora.counts import Quarter
from sporskifte.fora.forms import ForumForm
from sporskifte.fora.frame import RULES, ForumKind, LegalBasis
from sporskifte.fora.models import (
    Action,
    AgendaItem,
    Escalation,
    Forum,
    ForumConsent,
    ForumPerson,
    Meeting,
    Share,
)
from sporskifte.fora.retention import forum_persons_erase_expired
from sporskifte.fora.tests.conftest import SSP_PERSON, SSP_SECRET
from sporskifte.organisations.models import Organisation
from sporskifte.testing.factories import district, municipality

SURNAME = SSP_PERSON.split()[-1]


def after(forum: Forum, days: int = 1) -> dt.datetime:
    """A moment ``days`` after the forum's retention of records made now has ended."""
    return timezone.now() + dt.timedelta(days=forum.retention_days + days)


def at(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def age(person: ForumPerson, days: int) -> None:
    """Move what was done about a person (brought, shared, consent) ``days`` back."""
    then = timezone.now() - dt.timedelta(days=days)
    ForumPerson.objects.filter(pk=person.pk).update(created_at=then)
    Share.objects.filter(person=person).update(created_at=then)
    ForumConsent.objects.filter(person=person).update(recorded_at=then)


def bring(world, name: str, forum: Forum | None = None) -> ForumPerson:
    return services.forum_person_share(
        actor=world.school,
        forum=forum or world.ssp,
        full_name=name,
        birth_date=None,
        legal_basis=LegalBasis.SSP,
        reason="Bekymring",
        information=f"{name} er set ved banegården",
    )


def held_meeting(personas, world, starts_at, persons, *, minutes="", actions=()):
    """A held meeting of the SSP group with ``persons`` on its agenda (each item's minutes name
    them) and ``actions`` as (person, description, deadline, closed_at or None for open)."""
    officer = personas.officer_a
    m = meetings.meeting_plan(
        actor=officer,
        forum=world.ssp,
        starts_at=starts_at,
        place="Viborg Rådhus",
        notice="; ".join(p.full_name for p in persons),
    )
    notes = {}
    for p in persons:
        item = meetings.agenda_item_add(
            actor=officer, meeting=m, kind="person", person=p, reason=f"{p.full_name} igen"
        )
        notes[item.pk] = f"{p.full_name} har det bedre"
    meetings.minutes_save(actor=officer, meeting=m, minutes=minutes, item_notes=notes)
    for person, description, deadline, closed_at in actions:
        a = meetings.action_add(
            actor=officer,
            meeting=m,
            description=description,
            owner=world.kommune,
            deadline=deadline,
            person=person,
        )
        if closed_at is not None:
            meetings.action_close(actor=officer, action=a, status=Action.Status.DONE)
            Action.objects.filter(pk=a.pk).update(closed_at=closed_at)
    meetings.meeting_close(actor=officer, meeting=m)
    return m


def fora_tables_holding(text: str) -> list[str]:
    """The fora tables with a row holding ``text`` anywhere, read with plain SQL."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_app_config("fora").get_models(include_auto_created=True):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
            rows = cursor.fetchall()
            if any(text.casefold() in str(v).casefold() for row in rows for v in row):
                found.append(model._meta.db_table)
    return found


# The deadline -----------------------------------------------------------------------------------


def test_each_kind_has_the_documented_default_and_the_data_migration_agrees():
    one_year = {ForumKind.KSP, ForumKind.UNGESAMRAAD, ForumKind.BANDERAAD, ForumKind.LOKALERHED}
    assert {k: RULES[k].retention_days for k in ForumKind} == {
        k: 365 if k in one_year else 730 for k in ForumKind
    }
    help_text = str(ForumForm.base_fields["retention_days"].help_text)
    assert "730 days for SSP, PSP, the visitation group and Info-hus" in help_text
    assert "365 days for KSP, Ungesamråd, gang councils and Al Capone local units" in help_text
    migration = importlib.import_module("sporskifte.fora.migrations.0003_forum_retention_per_kind")
    assert set(migration.ONE_YEAR_KINDS) == one_year


def test_administrator_sets_the_deadline_where_the_forum_is_set_up(personas, world, as_user):
    client = as_user(personas.admin_a)
    kommune = Organisation.objects.get(slug="kommune-dk-0791")
    base = {
        "name": "KSP Viborg",
        "kind": ForumKind.KSP,
        "municipality": municipality("Viborg").pk,
        "organisations": [district("midt-vestjylland").pk, kommune.pk],
    }
    assert client.post(reverse("fora:forum_new"), base).status_code == 302
    ksp = Forum.objects.get(name="KSP Viborg")
    assert ksp.retention_days == 365  # left empty: the kind's default

    edit = reverse("fora:forum_edit", args=[ksp.pk])
    assert 'value="365"' in client.get(edit).content.decode()
    data = {"name": "KSP Viborg", "organisations": base["organisations"]}
    assert client.post(edit, data | {"retention_days": "10"}).status_code == 200  # too short
    ksp.refresh_from_db()
    assert ksp.retention_days == 365
    assert client.post(edit, data | {"retention_days": "500"}).status_code == 302
    ksp.refresh_from_db()
    assert ksp.retention_days == 500
    row = AuditEvent.objects.filter(
        object_type="forum", purpose=AuditEvent.Purpose.FORUM_CHANGED
    ).get()
    assert row.detail == {"retention_days": [365, 500]}
    client.post(edit, data | {"retention_days": ""})  # empty again: back to the default
    ksp.refresh_from_db()
    assert ksp.retention_days == 365


def test_members_see_the_deadline_on_the_forum_page(personas, world, as_user):
    services.forum_update(
        actor=personas.admin_a,
        forum=world.ssp,
        name=world.ssp.name,
        organisations=list(world.ssp.organisations.all()),
        retention_days=400,
    )
    page = as_user(world.school).get(reverse("fora:forum_detail", args=[world.ssp.pk]))
    assert "Information about a person is erased 400 days after the forum last dealt with them" in (
        page.content.decode()
    )


# Erasure ----------------------------------------------------------------------------------------


def test_person_past_retention_is_erased_and_no_fora_table_holds_their_name(personas, world):
    person = world.ssp_person
    services.share_add(
        actor=world.school,
        person=person,
        legal_basis=LegalBasis.CONSENT,
        reason="Samtale med familien",
        information=f"{SSP_PERSON}s familie fortæller om fravær",
        new_consent={
            "text": f"{SSP_PERSON} giver samtykke",
            "method": ForumConsent.Method.SIGNED,
            "given_by": SSP_PERSON,
            "given_at": timezone.now() - dt.timedelta(hours=2),
        },
    )
    yesterday = timezone.now() - dt.timedelta(days=1)
    m = held_meeting(
        personas,
        world,
        yesterday,
        [person],
        minutes=f"Også {SSP_PERSON.replace(' ', chr(10))} blev nævnt; {SSP_PERSON}s bror ligeså.",
        actions=[(person, f"Ring til {SSP_PERSON}s mor", timezone.localdate(), yesterday)],
    )
    theme = meetings.meeting_plan(
        actor=personas.officer_a, forum=world.ssp, starts_at=yesterday, place="Skolen"
    )
    meetings.action_add(  # an action about no one that still names the person
        actor=personas.officer_a,
        meeting=theme,
        description=f"Tal med skolen om {SSP_PERSON.upper()}",
        owner=world.kommune,
        deadline=timezone.localdate(),
    )
    Action.objects.filter(meeting=theme).update(status=Action.Status.DONE, closed_at=yesterday)
    before = fora_tables_holding(SURNAME)
    assert {"fora_forumperson", "fora_share", "fora_forumconsent", "fora_agendaitem"} <= set(before)
    assert {"fora_meeting", "fora_action"} <= set(before)

    erased = forum_persons_erase_expired(now=after(world.ssp))

    assert erased[world.ssp.pk] == 1
    assert not ForumPerson.objects.filter(pk=person.pk).exists()
    assert fora_tables_holding(SURNAME) == []
    assert fora_tables_holding(SSP_SECRET) == []
    m.refresh_from_db()
    assert m.minutes == "Også […] blev nævnt; […] bror ligeså."
    assert not Share.objects.filter(person_id=person.pk).exists()
    assert not ForumConsent.objects.filter(person_id=person.pk).exists()


def test_person_within_retention_is_kept(world):
    assert forum_persons_erase_expired(now=after(world.ssp, days=-1)) == {}
    assert ForumPerson.objects.filter(pk=world.ssp_person.pk).exists()


def test_each_new_share_moves_the_end(world):
    age(world.ssp_person, world.ssp.retention_days + 10)
    services.share_add(
        actor=world.school,
        person=world.ssp_person,
        legal_basis=LegalBasis.SSP,
        reason="Ny episode",
        information="Igen ved banegården",
    )
    assert forum_persons_erase_expired() == {}
    assert ForumPerson.objects.filter(pk=world.ssp_person.pk).exists()


def test_a_coming_meeting_with_the_person_on_its_agenda_keeps_them(personas, world):
    age(world.ssp_person, world.ssp.retention_days + 10)
    meetings.agenda_item_add(
        actor=world.school,
        meeting=world.ssp_meeting,
        kind="person",
        person=world.ssp_person,
        reason="r",
    )
    AgendaItem.objects.update(created_at=timezone.now() - dt.timedelta(days=800))
    assert forum_persons_erase_expired() == {}


def test_an_open_action_keeps_the_person_until_it_is_closed(personas, world):
    m = meetings.meeting_plan(
        actor=personas.officer_a, forum=world.ssp, starts_at=timezone.now(), place="Rådhuset"
    )
    action = meetings.action_add(
        actor=personas.officer_a,
        meeting=m,
        description="Skolen holder møde med forældrene",
        owner=world.kommune,
        deadline=timezone.localdate(),
        person=world.ssp_person,
    )
    ten_years = timezone.now() + dt.timedelta(days=3650)
    assert world.ssp.pk not in forum_persons_erase_expired(now=ten_years)
    assert ForumPerson.objects.filter(pk=world.ssp_person.pk).exists()
    meetings.action_close(actor=personas.officer_a, action=action, status=Action.Status.DONE)
    assert forum_persons_erase_expired(now=after(world.ssp, days=-1)) == {}  # closed just now
    assert forum_persons_erase_expired(now=after(world.ssp))[world.ssp.pk] == 1
    action.refresh_from_db()
    assert (action.person_id, action.description, action.status) == (None, "", "done")


def test_each_forum_keeps_to_its_own_deadline(personas, world):
    services.forum_update(
        actor=personas.admin_a,
        forum=world.ssp,
        name=world.ssp.name,
        organisations=list(world.ssp.organisations.all()),
        retention_days=100,
    )
    assert forum_persons_erase_expired(now=timezone.now() + dt.timedelta(days=101)) == {
        world.ssp.pk: 1
    }
    assert not ForumPerson.objects.filter(pk=world.ssp_person.pk).exists()
    assert ForumPerson.objects.filter(pk=world.psp_person.pk).exists()  # PSP: 730 days


def test_quarter_counts_are_unchanged_by_erasure(personas, world):
    erased, kept = bring(world, "Anton Slettesen"), bring(world, "Bodil Bliversen")
    q2, q3 = Quarter(2025, 2), Quarter(2025, 3)
    held_meeting(
        personas,
        world,
        at(2025, 5, 10, 10),
        [erased, kept],
        actions=[
            (erased, "Til tiden", dt.date(2025, 5, 15), at(2025, 5, 14, 12)),
            (erased, "For sent", dt.date(2025, 5, 15), at(2025, 6, 1, 12)),
            (kept, "Stadig åben", dt.date(2025, 5, 15), None),
        ],
    )
    held_meeting(personas, world, at(2025, 5, 20, 10), [erased, kept])
    held_meeting(
        personas,
        world,
        at(2025, 8, 10, 10),
        [erased],
        actions=[(erased, "Også til tiden", dt.date(2025, 8, 20), at(2025, 8, 19, 9))],
    )
    before = counts.quarter_counts([world.ssp], [q2, q3])
    assert (before[(world.ssp.pk, q2, "persons")], before[(world.ssp.pk, q3, "persons")]) == (2, 1)
    assert (before[(world.ssp.pk, q2, "on_time")], before[(world.ssp.pk, q3, "on_time")]) == (1, 1)

    forum_persons_erase_expired(now=after(world.ssp))

    assert not ForumPerson.objects.filter(pk=erased.pk).exists()
    assert ForumPerson.objects.filter(pk=kept.pk).exists()  # its action is open
    assert counts.quarter_counts([world.ssp], [q2, q3]) == before
    # What is left: one item per quarter, and the actions, naming no one.
    residue = AgendaItem.objects.filter(kind="person", person__isnull=True)
    assert residue.count() == 2
    assert set(residue.values_list("reason", "notes", "title")) == {("", "", "")}
    left = Action.objects.filter(person__isnull=True)
    assert set(left.values_list("description", flat=True)) == {""}


def test_meeting_page_shows_what_is_left_as_erased(personas, world, as_user):
    person = bring(world, "Anton Slettesen")
    m = held_meeting(
        personas,
        world,
        timezone.now() - dt.timedelta(hours=1),
        [person],
        actions=[(person, "Hjemmebesøg", timezone.localdate(), timezone.now())],
    )
    forum_persons_erase_expired(now=after(world.ssp))
    page = as_user(personas.officer_a).get(reverse("fora:meeting_detail", args=[m.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("(erased)") == 2  # the agenda item and the action
    assert "Slettesen" not in body


def test_an_escalated_persons_visitation_record_keeps_its_own_deadline(personas, world):
    escalation = exchange.forum_person_escalate(
        actor=personas.officer_a,
        person=world.psp_person,
        to_forum=world.visitation,
        reason="Kan ikke løftes lokalt",
    )
    services.forum_update(
        actor=personas.admin_a,
        forum=world.visitation,
        name=world.visitation.name,
        organisations=list(world.visitation.organisations.all()),
        retention_days=3650,
    )
    forum_persons_erase_expired(now=after(world.psp))
    assert not ForumPerson.objects.filter(pk=world.psp_person.pk).exists()
    escalation.refresh_from_db()
    assert escalation.from_person_id is None and escalation.reason == "Kan ikke løftes lokalt"
    assert ForumPerson.objects.filter(pk=escalation.to_person_id).exists()

    forum_persons_erase_expired(now=after(world.visitation))
    assert not Escalation.objects.exists()  # it went with the visitation group's record


def test_a_namesake_the_forum_still_holds_keeps_the_minutes_as_written(personas, world):
    old, recent = bring(world, "Ali Hansen"), bring(world, "Ali Hansen")
    age(old, world.ssp.retention_days + 1)
    meetings.minutes_save(
        actor=personas.officer_a, meeting=world.ssp_meeting, minutes="Ali Hansen flytter"
    )
    assert forum_persons_erase_expired()[world.ssp.pk] == 1
    assert not ForumPerson.objects.filter(pk=old.pk).exists()
    assert ForumPerson.objects.filter(pk=recent.pk).exists()
    world.ssp_meeting.refresh_from_db()
    assert world.ssp_meeting.minutes == "Ali Hansen flytter"  # it may be about the one still held


def test_erasure_is_audited_per_person_without_what_was_erased(personas, world):
    person = world.ssp_person
    m = held_meeting(personas, world, timezone.now(), [person], minutes=f"{SSP_PERSON} deltog ikke")
    forum_persons_erase_expired(now=after(world.ssp))
    rows = AuditEvent.objects.filter(action=AuditEvent.Action.ERASE)
    assert set(rows.values_list("object_type", "object_id", "person_id", "actor")) == {
        ("forum_person", str(person.pk), None, None),
        ("forum_person", str(world.psp_person.pk), None, None),
        ("meeting", str(m.pk), None, None),
    }
    assert rows.get(object_id=str(person.pk), object_type="forum_person").detail == {
        "forum": world.ssp.pk
    }
    for row in rows.values():
        assert SURNAME not in str(row) and SSP_SECRET not in str(row)


def test_the_command_erases_and_its_dry_run_changes_nothing(world):
    age(world.ssp_person, world.ssp.retention_days + 1)
    out = StringIO()
    call_command("erase_expired_forum_records", "--dry-run", stdout=out)
    assert out.getvalue() == "SSP Viborg: 1\n1 forum persons would be erased\n"
    assert ForumPerson.objects.filter(pk=world.ssp_person.pk).exists()
    assert Share.objects.filter(person=world.ssp_person).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ERASE).exists()

    out = StringIO()
    call_command("erase_expired_forum_records", stdout=out)
    assert out.getvalue() == "SSP Viborg: 1\n1 forum persons erased\n"
    assert not ForumPerson.objects.filter(pk=world.ssp_person.pk).exists()
    assert SURNAME not in out.getvalue()


def _queries_to_erase(personas, world, n: int, day: int) -> int:
    persons = [bring(world, f"Person Nummer{day}x{i}") for i in range(n)]
    for p in persons:
        services.consent_record(
            actor=world.school,
            person=p,
            text="Samtykke",
            method=ForumConsent.Method.ORAL,
            given_by=p.full_name,
            given_at=timezone.now() - dt.timedelta(hours=1),
        )
    started = timezone.now() - dt.timedelta(days=day)
    held_meeting(
        personas,
        world,
        started,
        persons,
        minutes=", ".join(p.full_name for p in persons),
        actions=[(p, "Opfølgning", timezone.localdate(started), started) for p in persons],
    )
    with CaptureQueriesContext(connection) as ctx:
        erased = forum_persons_erase_expired(now=after(world.ssp))
    assert erased == {world.ssp.pk: n}
    return len(ctx)


def test_erasure_queries_do_not_grow_with_the_persons(personas, world):
    forum_persons_erase_expired(now=after(world.ssp))  # the world's own persons first
    few = _queries_to_erase(personas, world, 2, day=3)
    assert _queries_to_erase(personas, world, 7, day=2) == few
    assert few <= 35
    assert Meeting.objects.filter(minutes__contains="Nummer").count() == 0
