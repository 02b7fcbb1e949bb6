"""Sharing is an explicit act of a member, with a legal basis the forum allows and a reason;
every share and change is audited. Setting up a forum keeps to public authorities in its area."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sporskifte.accounts.models import Role
from sporskifte.audit.models import AuditEvent
from sporskifte.fora import services
from sporskifte.fora.frame import ForumKind, LegalBasis, PspSign, YknException
from sporskifte.fora.models import ForumConsent, ForumPerson, Share
from sporskifte.organisations.models import Organisation
from sporskifte.testing.factories import district, member, municipality


def share(world, actor=None, forum=None, **kw):
    args = {
        "actor": actor or world.school,
        "forum": forum or world.ssp,
        "full_name": "Ny Person",
        "birth_date": dt.date(2011, 1, 1),
        "legal_basis": LegalBasis.SSP,
        "reason": "Bekymring",
        "information": "Noget den unge har sagt",
    }
    return services.forum_person_share(**(args | kw))


def consent(**kw):
    return {
        "text": "Jeg giver samtykke til, at mine oplysninger drøftes i forummet.",
        "method": ForumConsent.Method.SIGNED,
        "given_by": "Personen selv",
        "given_at": timezone.now() - dt.timedelta(hours=1),
    } | kw


def test_share_records_basis_member_organisation_and_reason(world):
    person = share(world)
    s = person.shares.get()
    assert (s.legal_basis, s.brought_by, s.organisation, s.reason) == (
        LegalBasis.SSP,
        world.school,
        world.kommune,
        "Bekymring",
    )
    row = AuditEvent.objects.get(action="disclose", object_type="forum_person", object_id=person.pk)
    assert row.person_id is None and row.legal_basis == LegalBasis.SSP and row.actor == world.school


def test_non_member_cannot_share(personas, world):
    with pytest.raises(PermissionDenied):
        share(world, actor=personas.counsellor_a)
    assert not ForumPerson.objects.filter(full_name="Ny Person").exists()


def test_basis_must_be_one_of_the_forums_own(world):
    with pytest.raises(ValidationError) as exc:
        share(world, legal_basis=LegalBasis.PSP)  # PSP basis in an SSP forum
    assert "legal_basis" in exc.value.message_dict


def test_added_share_basis_must_be_the_forums_own(world):
    with pytest.raises(ValidationError):
        services.share_add(
            actor=world.school,
            person=world.ssp_person,
            legal_basis=LegalBasis.KSP,
            reason="r",
            information="i",
        )
    assert world.ssp_person.shares.count() == 1


@pytest.mark.parametrize("field", ["reason", "information"])
def test_share_needs_a_reason_and_content(world, field):
    with pytest.raises(ValidationError) as exc:
        share(world, **{field: "  "})
    assert field in exc.value.message_dict
    assert not ForumPerson.objects.filter(full_name="Ny Person").exists()


def test_consent_basis_needs_a_consent_record(world):
    with pytest.raises(ValidationError) as exc:
        share(world, legal_basis=LegalBasis.CONSENT)
    assert "consent" in exc.value.message_dict
    person = share(world, legal_basis=LegalBasis.CONSENT, new_consent=consent())
    s = person.shares.get()
    assert s.consent.given_by == "Personen selv" and s.consent.recorded_by == world.school


def test_consent_record_must_say_how_and_when(world):
    with pytest.raises(ValidationError) as exc:
        share(world, legal_basis=LegalBasis.CONSENT, new_consent=consent(method="", given_at=None))
    assert {"consent_method", "consent_given_at"} <= set(exc.value.message_dict)


def test_withdrawn_consent_stops_sharing_at_once(world):
    person = share(world, legal_basis=LegalBasis.CONSENT, new_consent=consent())
    c = person.consents.get()
    services.consent_withdraw(actor=world.school, consent=c)
    with pytest.raises(ValidationError):
        services.share_add(
            actor=world.school,
            person=person,
            legal_basis=LegalBasis.CONSENT,
            consent=c,
            reason="Mere",
            information="Mere",
        )
    assert person.shares.count() == 1
    assert AuditEvent.objects.filter(action="withdraw", object_type="forum_consent").exists()


def test_other_basis_must_be_named(personas, world):
    admin = personas.admin_a
    forum = services.forum_create(
        actor=admin,
        name="Banderåd Viborg",
        kind=ForumKind.BANDERAAD,
        municipality=municipality("Viborg"),
        organisations=[district("midt-vestjylland"), world.kommune],
    )
    services.forum_member_add(actor=admin, forum=forum, user=world.school)
    with pytest.raises(ValidationError) as exc:
        share(world, forum=forum, legal_basis=LegalBasis.OTHER)
    assert "other_basis" in exc.value.message_dict
    with pytest.raises(ValidationError):
        share(world, forum=forum, legal_basis=LegalBasis.SSP)  # no § 115 in a banderåd
    person = share(world, forum=forum, legal_basis=LegalBasis.OTHER, other_basis="Lov X § 1")
    assert person.shares.get().other_basis == "Lov X § 1"


def test_psp_person_needs_target_group_signs(world):
    kw = {"actor": world.nurse, "forum": world.psp, "legal_basis": LegalBasis.PSP}
    with pytest.raises(ValidationError) as exc:
        share(world, **kw)
    assert "psp_signs" in exc.value.message_dict
    with pytest.raises(ValidationError):
        share(world, details={"psp_signs": ["not-a-sign"]}, **kw)
    person = share(world, details={"psp_signs": [PspSign.INVISIBLE, PspSign.CRIME]}, **kw)
    assert person.psp_signs == [PspSign.INVISIBLE, PspSign.CRIME]


def test_kind_specific_fields_of_another_kind_are_refused(world):
    with pytest.raises(TypeError):
        share(world, details={"psp_signs": [PspSign.CRIME]})  # SSP has no signs


def _forum(personas, world, kind, orgs):
    forum = services.forum_create(
        actor=personas.admin_a,
        name=kind,
        kind=kind,
        municipality=municipality("Viborg"),
        organisations=orgs,
    )
    services.forum_member_add(actor=personas.admin_a, forum=forum, user=personas.officer_a)
    return forum


def test_ksp_person_needs_release_date_and_institution(personas, world, as_user):
    prison = Organisation.objects.get(slug="kriminalforsorgen")  # reference data
    ksp = _forum(personas, world, ForumKind.KSP, [district("midt-vestjylland"), prison])
    kw = {"actor": personas.officer_a, "forum": ksp, "legal_basis": LegalBasis.KSP}
    with pytest.raises(ValidationError) as exc:
        share(world, **kw)
    assert {"release_date", "institution"} == set(exc.value.message_dict)
    release = timezone.localdate() + dt.timedelta(days=30)
    person = share(world, details={"release_date": release, "institution": "Horsens"}, **kw)
    assert person.release_date == release
    page = as_user(personas.officer_a).get(reverse("fora:person_detail", args=[person.pk]))
    assert page.status_code == 200 and "Horsens" in page.content.decode()


def test_ungesamraad_refuses_a_case_referred_to_the_board_without_exception(
    personas, world, as_user
):
    forum = _forum(personas, world, ForumKind.UNGESAMRAAD, [district("midt-vestjylland")])
    born = timezone.localdate() - dt.timedelta(days=16 * 365)
    kw = {
        "actor": personas.officer_a,
        "forum": forum,
        "legal_basis": LegalBasis.CONSENT,
        "new_consent": consent(given_by="Forældremyndighedsindehaveren"),
        "birth_date": born,
    }
    details = {"charge": "Røveri", "custodial_in_view": True, "referred_to_ykn": True}
    with pytest.raises(ValidationError) as exc:
        share(world, details=details, **kw)
    assert "ykn_exception" in exc.value.message_dict
    assert not ForumConsent.objects.exists()  # nothing of the refused share stays
    person = share(world, details=details | {"ykn_exception": YknException.YOUTH_SANCTION}, **kw)
    assert person.referred_to_ykn and person.ykn_exception == YknException.YOUTH_SANCTION
    page = as_user(personas.officer_a).get(reverse("fora:person_detail", args=[person.pk]))
    assert page.status_code == 200
    assert str(YknException.YOUTH_SANCTION.label) in page.content.decode()


def test_changing_the_facts_is_a_share_with_basis_and_reason(world):
    services.forum_person_update(
        actor=world.nurse,
        person=world.psp_person,
        legal_basis=LegalBasis.PSP,
        reason="Ny indlæggelse",
        details={"psp_signs": [PspSign.ADMISSIONS, PspSign.THREATS]},
    )
    world.psp_person.refresh_from_db()
    assert world.psp_person.psp_signs == [PspSign.ADMISSIONS, PspSign.THREATS]
    latest = world.psp_person.shares.latest("id")
    assert latest.reason == "Ny indlæggelse" and str(PspSign.THREATS.label) in latest.information


def test_person_form_shares_through_the_page(world, as_user):
    url = reverse("fora:person_new", args=[world.ssp.pk])
    response = as_user(world.school).post(
        url,
        {
            "full_name": "Side Person",
            "legal_basis": LegalBasis.SSP,
            "reason": "Bekymring",
            "information": "Fravær",
        },
    )
    person = ForumPerson.objects.get(full_name="Side Person")
    assert response.status_code == 302 and person.shares.count() == 1


def test_person_form_without_reason_changes_nothing(world, as_user):
    url = reverse("fora:person_new", args=[world.ssp.pk])
    data = {"full_name": "Side Person", "legal_basis": LegalBasis.SSP, "information": "Fravær"}
    response = as_user(world.school).post(url, data)
    assert response.status_code == 400
    assert not ForumPerson.objects.filter(full_name="Side Person").exists()


# Setting up -----------------------------------------------------------------------------------


def test_only_public_authorities_are_member_organisations(personas, world):
    with pytest.raises(ValidationError) as exc:
        services.forum_update(
            actor=personas.admin_a,
            forum=world.ssp,
            name="SSP Viborg",
            organisations=[district("midt-vestjylland"), district("x-cons-stockholm")],
        )
    assert "not a public authority" in str(exc.value)


def test_member_organisations_are_within_the_forums_area(personas, world):
    herning = Organisation.objects.get(slug="kommune-dk-0657")
    for org in (herning, district("sydoestjylland")):
        with pytest.raises(ValidationError):
            services.forum_update(
                actor=personas.admin_a,
                forum=world.ssp,
                name="SSP Viborg",
                organisations=[district("midt-vestjylland"), world.kommune, org],
            )


def test_investigator_cannot_be_made_a_member(personas, world):
    with pytest.raises(ValidationError) as exc:
        services.forum_member_add(
            actor=personas.admin_a, forum=world.ssp, user=personas.investigator_a
        )
    assert "investigation" in str(exc.value)


def test_member_must_belong_to_a_member_organisation(personas, world):
    with pytest.raises(ValidationError):
        services.forum_member_add(actor=personas.admin_a, forum=world.ssp, user=world.nurse)


def test_unit_staff_speak_for_their_district(personas, world):
    unit = Organisation.objects.get(slug="midt-vestjylland-forebyggelse")
    officer = member("unit_officer", unit, Role.OFFICER)
    m = services.forum_member_add(actor=personas.admin_a, forum=world.ssp, user=officer)
    assert m.organisation == district("midt-vestjylland")


def test_only_the_districts_administrator_sets_up_fora(personas, world):
    with pytest.raises(PermissionDenied):
        services.forum_create(
            actor=personas.officer_a,
            name="x",
            kind=ForumKind.SSP,
            municipality=municipality("Viborg"),
            organisations=[],
        )
    with pytest.raises(ValidationError):  # a municipality of another district
        services.forum_create(
            actor=personas.admin_a,
            name="x",
            kind=ForumKind.SSP,
            municipality=municipality("Vejle"),
            organisations=[],
        )


@pytest.mark.parametrize(
    ("kind", "mun", "field"),
    [(ForumKind.SSP, None, "municipality"), (ForumKind.INFOHUS, "Viborg", "municipality")],
)
def test_scope_follows_the_kind(personas, kind, mun, field):
    with pytest.raises(ValidationError) as exc:
        services.forum_create(
            actor=personas.admin_a,
            name="x",
            kind=kind,
            municipality=municipality(mun) if mun else None,
            organisations=[],
        )
    assert field in exc.value.message_dict


def test_coordinator_manages_members_and_others_do_not(personas, world):
    services.forum_member_remove(
        actor=personas.officer_a, member=world.ssp.members.get(user=world.school)
    )
    assert not world.ssp.members.filter(user=world.school, left_at__isnull=True).exists()
    with pytest.raises(PermissionDenied):
        services.forum_member_add(actor=world.nurse, forum=world.psp, user=world.nurse)


def test_shares_are_never_deleted_with_a_leaving_member(personas, world):
    services.forum_member_remove(
        actor=personas.admin_a, member=world.ssp.members.get(user=world.school)
    )
    assert Share.objects.filter(person=world.ssp_person, brought_by=world.school).exists()


def test_administrator_sets_up_a_forum_and_its_members_through_the_pages(personas, as_user):
    from sporskifte.fora.models import Forum

    kommune = Organisation.objects.get(slug="kommune-dk-0791")
    client = as_user(personas.admin_a)
    response = client.post(
        reverse("fora:forum_new"),
        {
            "name": "SSP Viborg",
            "kind": ForumKind.SSP,
            "municipality": municipality("Viborg").pk,
            "organisations": [district("midt-vestjylland").pk, kommune.pk],
        },
    )
    forum = Forum.objects.get(name="SSP Viborg")
    assert response.status_code == 302 and set(forum.organisations.all()) == {
        district("midt-vestjylland"),
        kommune,
    }
    response = client.post(
        reverse("fora:members", args=[forum.pk]),
        {"user": personas.officer_a.pk, "is_coordinator": "on"},
    )
    assert response.status_code == 302
    assert forum.members.get(user=personas.officer_a).is_coordinator
    # The investigator of the same district is not even offered; the administrator is.
    page = client.get(reverse("fora:members", args=[forum.pk])).content.decode()
    assert personas.investigator_a.get_full_name() not in page
    assert personas.admin_a.get_full_name() in page
